"""Rao–Scott tests of independence equal svy's (R's svychisq) on generated designs: the
second-order F, its numerator df, and the first-order p-value (svy reports Pearson's X² as the
first-order value and the corrected statistic's p; copstats reports the corrected X²)."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pytest
import svy

from copcore.stats.association import rao_scott
from copcore.stats.columns import array_from_arrow
from copcore.stats.design import Design
from copcore.stats.errors import InputError


def _survey(seed: int, rows: list[str], columns: list[str], clustered: bool) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    n = 2500
    stratum = rng.integers(1, 9, n)
    psu = stratum * 10 + rng.integers(1, 5, n)
    a = rng.choice(rows, n)
    shift = 0.15 * (a == rows[0])
    b = np.array(columns)[
        np.minimum((rng.uniform(size=n) + shift) * len(columns), len(columns) - 1).astype(int)
    ]
    weight = rng.uniform(1, 6, n)
    frame = pl.DataFrame({"w": weight, "st": stratum, "psu": psu, "a": a, "b": b})
    table = {
        "w": weight,
        "st": stratum.astype(float),
        "psu": psu.astype(float),
        "a": array_from_arrow(pa.array(a)),
        "b": array_from_arrow(pa.array(b)),
    }
    if clustered:
        peer_design, design = svy.Design(wgt="w", stratum="st", psu="psu"), Design("w", "st", "psu")
    else:
        peer_design, design = svy.Design(wgt="w"), Design("w")
    peer = svy.Sample(frame, peer_design).categorical.tabulate("a", "b").stats
    return {"table": table, "design": design, "peer": peer}


@pytest.mark.parametrize(
    ("seed", "rows", "columns", "clustered"),
    [
        (1, ["x", "y", "z"], ["u", "v"], True),
        (2, ["p", "q", "r"], ["c1", "c2", "c3", "c4"], True),
        (3, ["m", "f"], ["yes", "no"], False),
        (4, ["a1", "a2", "a3", "a4"], ["b1", "b2", "b3"], False),
    ],
)
def test_equals_svy(seed: int, rows: list[str], columns: list[str], clustered: bool) -> None:
    case = _survey(seed, rows, columns, clustered)
    mine = rao_scott(case["table"], case["design"], "a", "b")
    peer = case["peer"]
    assert mine.f == pytest.approx(peer.f.value, rel=1e-9)
    assert mine.df_num == pytest.approx(peer.f.df_num, rel=1e-9)
    assert mine.df_den == pytest.approx(peer.f.df_den, rel=1e-9)
    assert mine.f_p == pytest.approx(peer.f.p_value, rel=1e-6)
    assert mine.pearson == pytest.approx(peer.chisq.value, rel=1e-9)
    assert mine.chisq_p == pytest.approx(peer.chisq.p_value, rel=1e-6)
    assert mine.chisq_df == (len(rows) - 1) * (len(columns) - 1)
    assert mine.proportions.sum() == pytest.approx(1.0)


def test_a_variable_with_one_category_is_refused_naming_both() -> None:
    table = {"a": np.ones(10), "b": np.arange(10.0) % 2}
    with pytest.raises(InputError) as error:
        rao_scott(table, Design(), "a", "b")
    assert error.value.code == "table_too_small"
    assert error.value.params == {"row": "a", "column": "b"}
