"""Disclosure control: rule sets, complementary suppression, blanking."""

from __future__ import annotations

import numpy as np
import pytest

from copcore.stats import Design, Request, estimate
from copcore.stats.disclosure import (
    disclosure_apply,
    disclosure_primary,
    disclosure_rule_parse,
    nchs_proportions,
)
from copcore.stats.errors import OptionError


def _table(counts: dict[str, int], seed: int = 3) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    region = np.concatenate([np.full(n, name, dtype=object) for name, n in counts.items()])
    size = len(region)
    return {"region": region, "y": (rng.random(size) < 0.4).astype(float), "w": np.ones(size)}


def _rows(table, rule: str, statistic: str = "total"):  # type: ignore[no-untyped-def]
    result = estimate(table, Design(weight="w"), [Request(statistic, "y")], by=[("region",)])  # type: ignore[arg-type]
    return disclosure_apply(result, disclosure_rule_parse(rule)).rows()


def test_parse_rules() -> None:
    assert disclosure_rule_parse("min-n:10").min_n == 10
    assert disclosure_rule_parse("DHS").name == "dhs"
    for bad in ("min-n:0", "min-n:x", "gdpr"):
        with pytest.raises(OptionError):
            disclosure_rule_parse(bad)


def test_min_n_suppresses_and_complements() -> None:
    rows = _rows(_table({"a": 4, "b": 40, "c": 60}), "min-n:10")
    by_region = {r["region"]: r for r in rows}
    assert by_region["a"]["suppressed"] and by_region["a"]["flag"] == "n<10"
    assert by_region["a"]["estimate"] is None and by_region["a"]["se"] is None
    assert by_region["a"]["n"] == 4
    # Otherwise a = total - b - c: the smallest other cell goes too.
    assert by_region["b"]["suppressed"] and by_region["b"]["flag"] == "complementary"
    assert not by_region["c"]["suppressed"] and not by_region["_T"]["suppressed"]


def test_zero_cells_count_as_small() -> None:
    table = _table({"a": 30, "b": 30})
    table["y"][:30] = np.nan  # region a has no valid value: n = 0
    by_region = {r["region"]: r for r in _rows(table, "min-n:5", "mean")}
    assert by_region["a"]["n"] == 0 and by_region["a"]["suppressed"]


def test_dhs_brackets() -> None:
    rows = {r["region"]: r for r in _rows(_table({"a": 20, "b": 30, "c": 80, "d": 90}), "dhs")}
    assert rows["a"]["suppressed"] and rows["a"]["flag"] == "n<25"
    # b (25-49, flagged) is also the smallest other cell, so it is hidden to protect a.
    assert rows["b"]["suppressed"] and rows["b"]["flag"] == "complementary"
    assert not rows["c"]["suppressed"] and rows["c"]["flag"] == ""
    rows = {r["region"]: r for r in _rows(_table({"a": 30, "b": 80}), "dhs")}
    assert not rows["a"]["suppressed"] and rows["a"]["flag"] == "n25-49"


def test_nchs_proportion_standard() -> None:
    rows = _rows(_table({"a": 12, "b": 400, "c": 500}), "nchs", "prop")
    small = [r for r in rows if r["region"] == "a"]
    assert all(r["suppressed"] for r in small)
    assert {r["flag"] for r in small} <= {"neff<30", "ciw>=0.30"}
    big = [r for r in rows if r["region"] == "c"]
    assert not any(r["suppressed"] for r in big)


def test_prop_categories_complement_each_other() -> None:
    # p = 0.02, n = 100: KG width > 0.05 and relative width > 130% hide category 1 only.
    table = {"y": np.r_[np.ones(2), np.zeros(98)], "w": np.ones(100)}
    result = estimate(table, Design(weight="w"), [Request("prop", "y")], ci="korn-graubard")
    rows = disclosure_apply(result, disclosure_rule_parse("nchs")).rows()
    assert all(r["suppressed"] for r in rows)
    assert {r["flag"] for r in rows} == {"rciw>130%", "complementary"}


def _nchs_case(
    p: float, width: float, n: int = 200, n_eff: float = 100.0, df: int = 20
) -> tuple[bool, str]:
    """The NCHS decision on one proportion with the given interval width and effective n."""
    interior = 0.0 < p < 1.0
    se = np.sqrt(p * (1.0 - p) / n_eff) if interior else 0.0
    suppressed, flags = nchs_proportions(
        np.array([p]), np.array([se]), np.array([width]), np.array([n]), np.array([df])
    )
    return bool(suppressed[0]), str(flags[0])


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # The complement 1 - p fails the relative width (0.15 / 0.10 = 150%): shown, flagged.
        ({"p": 0.9, "width": 0.15}, (False, "rciw(1-p)>130%")),
        # The same interval around p = 0.1 fails for p itself.
        ({"p": 0.1, "width": 0.15}, (True, "rciw>130%")),
        # An absolute width of at most 0.05 needs no relative check, for p or its complement.
        ({"p": 0.97, "width": 0.05}, (False, "")),
        ({"p": 0.03, "width": 0.05}, (False, "")),
        # The absolute width: 0.30 suppresses, just below does not.
        ({"p": 0.5, "width": 0.30}, (True, "ciw>=0.30")),
        ({"p": 0.5, "width": 0.2999}, (False, "")),
        # An undefined interval (no degrees of freedom) is never shown.
        ({"p": 0.5, "width": np.nan, "df": 0}, (True, "ciw>=0.30")),
        # p = 0 or 1: the relative width of p (or of 1 - p) is undefined and not applied;
        # the estimate goes to statistical review.
        ({"p": 0.0, "width": 0.09, "n": 40}, (False, "p=0or1")),
        ({"p": 1.0, "width": 0.09, "n": 40}, (False, "p=0or1")),
        ({"p": 0.0, "width": 0.09, "n": 29}, (True, "neff<30")),
        ({"p": 0.0, "width": 0.30, "n": 40}, (True, "ciw>=0.30")),
        # Effective sample size: below 30 suppresses; it never exceeds n.
        ({"p": 0.5, "width": 0.2, "n": 200, "n_eff": 29.0}, (True, "neff<30")),
        ({"p": 0.5, "width": 0.2, "n": 29, "n_eff": 500.0}, (True, "neff<30")),
        ({"p": 0.5, "width": 0.2, "n": 30, "n_eff": 500.0}, (False, "")),
        # Every review reason of a shown proportion is listed.
        ({"p": 0.9, "width": 0.15, "df": 5}, (False, "rciw(1-p)>130%;df<8")),
        ({"p": 1.0, "width": 0.09, "n": 40, "df": 7}, (False, "df<8;p=0or1")),
        ({"p": 0.5, "width": 0.2, "n": 0}, (True, "n=0")),
    ],
)
def test_nchs_standard_edge_cases(case: dict[str, float], expected: tuple[bool, str]) -> None:
    assert _nchs_case(**case) == expected  # type: ignore[arg-type]


def test_nchs_standard_with_no_variance_uses_the_sample_size() -> None:
    suppressed, flags = nchs_proportions(
        np.array([0.5]), np.array([0.0]), np.array([0.01]), np.array([40]), np.array([20])
    )
    assert not suppressed[0] and flags[0] == ""


def test_nchs_flags_a_shown_proportion_whose_complement_is_unreliable() -> None:
    # p = 0.93 of 100 children: the Korn-Graubard width (about 0.11) is 16% of p but about
    # 160% of 1 - p. Alone in its cell (as a tabulated indicator is), p is shown and flagged.
    table = {"y": np.r_[np.ones(93), np.zeros(7)], "w": np.ones(100)}
    result = estimate(table, Design(weight="w"), [Request("prop", "y")], ci="korn-graubard")
    suppressed, flags = disclosure_primary(result, disclosure_rule_parse("nchs"))
    rows = {category: i for i, category in enumerate(result.columns["category"])}
    assert not suppressed[rows["1"]] and flags[rows["1"]] == "rciw(1-p)>130%"
    assert suppressed[rows["0"]] and flags[rows["0"]] == "rciw>130%"
    # Published together, the categories sum to 1: the complement rule then hides p too.
    shown = disclosure_apply(result, disclosure_rule_parse("nchs")).rows()
    assert {r["flag"] for r in shown} == {"rciw>130%", "complementary"}
