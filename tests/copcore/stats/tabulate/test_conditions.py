"""Conditions over harmonised variables use Kleene's strong three-valued logic."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from copcore.stats.columns import Factor
from copcore.stats.framework import AllOf, AnyOf, Compare, Condition, Not
from copcore.stats.tabulate import condition_evaluate

UNKNOWN = None
Truth = bool | None


def kleene(condition: Condition, row: dict[str, float | str | None]) -> Truth:
    """Reference evaluation of one row, written from the truth tables."""
    if isinstance(condition, Not):
        value = kleene(condition.part, row)
        return None if value is None else not value
    if isinstance(condition, AllOf | AnyOf):
        values = [kleene(p, row) for p in condition.parts]
        decisive = isinstance(condition, AnyOf)  # True decides "any", False decides "all"
        if decisive in values:
            return decisive
        return None if None in values else not decisive
    cell = row[condition.var]
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return None
    if condition.op == "between":
        return bool(condition.values[0] <= cell <= condition.values[1])  # type: ignore[operator]
    wanted = [float(v) if not isinstance(v, str) else v for v in condition.values]
    return cell in wanted


LEAVES = st.sampled_from(
    [
        Compare("a", "eq", (True,)),
        Compare("b", "eq", (False,)),
        Compare("age", "between", (12, 14)),
        Compare("sex", "eq", ("female",)),
        Compare("sex", "in", ("female", "male")),
    ]
)
CONDITIONS = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.builds(lambda p: AllOf(tuple(p)), st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda p: AnyOf(tuple(p)), st.lists(inner, min_size=1, max_size=3)),
        st.builds(Not, inner),
    ),
    max_leaves=6,
)
BOOLEAN = st.sampled_from([1.0, 0.0, np.nan])


@settings(max_examples=150, deadline=None, database=None)
@given(
    condition=CONDITIONS,
    a=st.lists(BOOLEAN, min_size=6, max_size=6),
    b=st.lists(BOOLEAN, min_size=6, max_size=6),
    age=st.lists(st.sampled_from([10.0, 12.0, 14.0, 16.0, np.nan]), min_size=6, max_size=6),
    sex=st.lists(st.sampled_from([0, 1, -1]), min_size=6, max_size=6),
)
def test_vectorised_evaluation_matches_the_truth_tables(
    condition: Condition, a: list[float], b: list[float], age: list[float], sex: list[int]
) -> None:
    levels = ("female", "male")
    columns = {
        "a": np.array(a),
        "b": np.array(b),
        "age": np.array(age),
        "sex": Factor(codes=np.array(sex, dtype=np.int64), levels=levels),
    }
    true, known = condition_evaluate(condition, columns, 6)
    for i in range(6):
        row = {"a": a[i], "b": b[i], "age": age[i], "sex": levels[sex[i]] if sex[i] >= 0 else None}
        expected = kleene(condition, row)
        assert bool(known[i]) == (expected is not None)
        if expected is not None:
            assert bool(true[i]) == expected


def test_no_condition_means_everyone() -> None:
    true, known = condition_evaluate(None, {}, 3)
    assert true.all() and known.all()
