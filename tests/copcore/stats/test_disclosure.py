"""Disclosure control: rule sets, complementary suppression, blanking."""

from __future__ import annotations

import numpy as np
import pytest

from copcore.stats import Design, Request, estimate
from copcore.stats.disclosure import disclosure_apply, disclosure_rule_parse
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
