"""Estimation: a hand-computed golden example, layout of the result, and behaviour."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest

from copcore.stats import Design, Request, estimate

# Two strata, two PSUs each. Hand computation (Taylor linearisation, Wolter 2007 §6.11):
# W = 7, Y = 5, p = 5/7; z_i = w_i (y_i - p) / W; PSU totals -3/49, 4/49 | -5/49, 4/49;
# each stratum: n_h/(n_h - 1) * sum of squared deviations = 49/2401 and 81/2401, so
# var(p) = 130/2401. Total Y: PSU totals 1, 2 | 0, 2, var = 2*(0.5) + 2*(2) = 5.
GOLDEN = {
    "stratum": np.array([1.0, 1, 1, 2, 2, 2]),
    "psu": np.array([1.0, 1, 2, 3, 4, 4]),
    "w": np.array([1.0, 1, 2, 1, 1, 1]),
    "y": np.array([1.0, 0, 1, 0, 1, 1]),
}


def _row(result, **match):  # type: ignore[no-untyped-def]
    for row in result.rows():
        if all(row[key] == value for key, value in match.items()):
            return row
    raise AssertionError(match)


def test_golden_proportion_and_total_by_hand() -> None:
    result = estimate(
        GOLDEN,
        Design(weight="w", strata="stratum", psu="psu"),
        [Request("prop", "y"), Request("total", "y"), Request("mean", "y")],
    )
    p1 = _row(result, statistic="prop", category="1")
    assert p1["estimate"] == pytest.approx(5 / 7, rel=1e-14)
    assert p1["se"] == pytest.approx(math.sqrt(130 / 2401), rel=1e-12)
    assert p1["df"] == 2
    assert p1["n"] == 6
    p0 = _row(result, statistic="prop", category="0")
    assert p0["estimate"] == pytest.approx(2 / 7, rel=1e-14)
    assert p0["se"] == pytest.approx(p1["se"], rel=1e-14)
    total = _row(result, statistic="total")
    assert total["estimate"] == pytest.approx(5.0, rel=1e-14)
    assert total["se"] == pytest.approx(math.sqrt(5.0), rel=1e-12)
    mean = _row(result, statistic="mean")
    assert mean["se"] == pytest.approx(p1["se"], rel=1e-12)
    # Wald-t interval of the total: t_{0.975, 2} = 4.302652729749464.
    assert total["ci_low"] == pytest.approx(5 - 4.302652729749464 * math.sqrt(5), rel=1e-12)


def test_golden_srs_mean_matches_textbook() -> None:
    # Unweighted SRS: var(mean) = s^2 / n (with-replacement), s^2 with n - 1.
    values = np.array([2.0, 4.0, 4.0, 5.0, 7.0, 8.0])
    result = estimate({"x": values}, Design(), [Request("mean", "x")])
    row = result.rows()[0]
    assert row["estimate"] == pytest.approx(values.mean())
    assert row["se"] == pytest.approx(values.std(ddof=1) / math.sqrt(6), rel=1e-12)
    assert row["df"] == 5
    assert row["deff"] == pytest.approx(1.0, rel=1e-12)


def test_layout_overall_row_first_and_total_marker() -> None:
    table = {
        **GOLDEN,
        "sex": np.array(["f", "m", "f", "m", "f", "m"], dtype=object),
        "region": np.array([1.0, 1, 2, 2, 1, 2]),
    }
    result = estimate(
        table,
        Design(weight="w"),
        [Request("mean", "y")],
        by=[("sex",), ("region", "sex")],
    )
    assert result.column_names == (
        "statistic", "variable", "category", "sex", "region", "estimate", "se", "ci_low",
        "ci_high", "deff", "df", "n", "suppressed", "flag",
    )  # fmt: skip
    rows = result.rows()
    assert (rows[0]["sex"], rows[0]["region"]) == ("_T", "_T")
    assert [(r["sex"], r["region"]) for r in rows[1:3]] == [("f", "_T"), ("m", "_T")]
    assert len(rows) == 1 + 2 + 4


def test_domains_keep_the_full_design() -> None:
    # A domain estimate must differ from the estimate on the subset when PSUs lack members.
    table = {**GOLDEN, "d": np.array([1.0, 2, 1, 2, 1, 1])}
    design = Design(weight="w", strata="stratum", psu="psu")
    full = estimate(table, design, [Request("total", "y")], by=[("d",)])
    in_domain = _row(full, d="1")
    subset = {k: v[table["d"] == 1] for k, v in table.items()}
    alone = estimate(subset, design, [Request("total", "y")], singleton="certainty")
    assert in_domain["estimate"] == pytest.approx(alone.rows()[0]["estimate"])
    assert in_domain["se"] != pytest.approx(alone.rows()[0]["se"])


def test_missing_values_leave_only_that_variable() -> None:
    table = {**GOLDEN, "x": np.array([np.nan, 3.0, 1.0, 2.0, np.nan, 4.0])}
    result = estimate(table, Design(weight="w"), [Request("mean", "x"), Request("mean", "y")])
    assert _row(result, variable="x")["n"] == 4
    assert _row(result, variable="y")["n"] == 6
    assert _row(result, variable="x")["estimate"] == pytest.approx((3 + 2 + 2 + 4) / 5)


def test_accepts_arrow_tables_and_text_categories() -> None:
    arrow = pa.table({"w": [1.0, 2.0, 1.0], "c": ["a", "b", None]})
    result = estimate(arrow, Design(weight="w"), [Request("prop", "c")])
    assert [r["category"] for r in result.rows()] == ["a", "b"]
    assert _row(result, category="b")["estimate"] == pytest.approx(2 / 3)


def test_design_df_rule_uses_whole_sample() -> None:
    table = {**GOLDEN, "d": np.array([1.0, 1, 1, 2, 2, 2])}
    design = Design(weight="w", strata="stratum", psu="psu")
    by_domain = estimate(table, design, [Request("mean", "y")], by=[("d",)])
    by_design = estimate(table, design, [Request("mean", "y")], by=[("d",)], df_rule="design")
    assert _row(by_domain, d="1")["df"] == 1
    assert _row(by_design, d="1")["df"] == 2


def test_korn_graubard_at_zero_is_one_sided() -> None:
    table = {"y": np.zeros(40), "w": np.ones(40)}
    result = estimate(table, Design(weight="w"), [Request("prop", "y")], ci="korn-graubard")
    row = result.rows()[0]
    assert row["category"] == "0" and row["estimate"] == 1.0
    assert row["ci_high"] == 1.0 and 0.9 < row["ci_low"] < 1.0
