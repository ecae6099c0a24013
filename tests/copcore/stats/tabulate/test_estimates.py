"""Tabulation of a whole framework: agreement with the estimation engine, medians,
universes, comparability flags."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy import special

from copcore.stats import Request, estimate
from copcore.stats.columns import Column
from copcore.stats.framework import framework_default
from copcore.stats.io import table_read
from copcore.stats.mapping import MappingInvalid, mapping_load, mapping_parse
from copcore.stats.tabulate import TabulateOptions, table_subset, tabulate
from tests.copcore.stats.tabulate.synth_survey import (
    DESIGN,
    EXAMPLES,
    rows_of,
    synth,
    synth_mapping,
    synth_tabulation,
)


def test_proportions_equal_the_estimation_engine_on_the_same_domain() -> None:
    table = synth()
    tab = synth_tabulation()
    reference = estimate(table, DESIGN, [Request("prop", "R1")], by=[("sex",)], ci="logit")
    ref = [r for r in reference.rows() if r["category"] == "1"]
    mine = rows_of(tab, indicator="R1", breakdown="_T") + rows_of(
        tab, indicator="R1", breakdown="sex"
    )
    assert [r["breakdown_value"] for r in mine] == ["_T", "female", "male"]
    for got, want in zip(mine, ref, strict=True):
        for key in ("estimate", "se", "ci_low", "ci_high", "deff"):
            assert got[key] == pytest.approx(want[key], rel=1e-12), key
        assert (got["n"], got["df"]) == (want["n"], want["df"])


def test_an_age_restricted_indicator_uses_only_its_ages() -> None:
    table = synth()
    tab = synth_tabulation()
    r3 = rows_of(tab, indicator="R3", breakdown="_T")[0]
    users = (np.asarray(table["A1"]) == 1) & (np.asarray(table["age"]) >= 12)
    assert r3["n"] == int((users & ~np.isnan(np.asarray(table["R3"]))).sum())
    assert (r3["age_min"], r3["age_max"]) == (12, 17)
    ages = [r["breakdown_value"] for r in rows_of(tab, indicator="R3", breakdown="age")]
    assert ages == [str(a) for a in range(12, 18)]
    dh = [r["breakdown_value"] for r in rows_of(tab, indicator="R3", breakdown="age_dh")]
    assert dh == ["12-13", "14-15", "16-17"]


def test_help_seeking_is_among_children_harmed_online() -> None:
    table = synth()
    tab = synth_tabulation()
    c1 = rows_of(tab, indicator="C1", breakdown="_T")[0]
    column = {k: np.asarray(table[k]) for k in ("A1", "R1", "R2", "R9", "C1")}
    harmed = (column["A1"] == 1) & ((column["R1"] == 1) | (column["R2"] == 1) | (column["R9"] == 1))
    told = harmed & ~np.isnan(column["C1"])
    weights = np.asarray(table["weight"])
    expected = (weights * (column["C1"] == 1) * told).sum() / (weights * told).sum()
    assert c1["n"] == int(told.sum())
    assert c1["estimate"] == pytest.approx(expected, rel=1e-12)


def woodruff_reference(table: dict[str, Column], level: float = 0.95) -> tuple[float, ...]:
    """Median and interval of A4 by Woodruff's method, from the engine's proportions."""
    values = np.asarray(table["A4"])
    xs = np.unique(values[~np.isnan(values)])
    data: dict[str, Column] = {k: table[k] for k in ("weight", "stratum", "psu")}
    for x in xs:
        data[f"le{x:g}"] = np.where(np.isnan(values), np.nan, (values <= x).astype(float))
    result = estimate(data, DESIGN, [Request("mean", f"le{x:g}") for x in xs]).rows()
    cdf = np.array([r["estimate"] for r in result])
    median = xs[np.argmax(cdf >= 0.5)]
    at = result[int(np.flatnonzero(xs == median)[0])]
    t = special.stdtrit(at["df"], 0.5 + level / 2)

    def inverse(p: float) -> float:
        return float(xs[np.argmax(cdf >= p)]) if (cdf >= p).any() else float(xs[-1])

    low, high = inverse(0.5 - t * at["se"]), inverse(0.5 + t * at["se"])
    return float(median), low, high, (high - low) / (2 * t)


def test_medians_follow_woodruffs_method() -> None:
    median, low, high, se = woodruff_reference(synth())
    row = rows_of(synth_tabulation(), indicator="A4", breakdown="_T")[0]
    assert (row["estimate"], row["ci_low"], row["ci_high"]) == (median, low, high)
    assert row["se"] == pytest.approx(se, rel=1e-12)
    assert row["statistic"] == "median"


def test_r9_is_never_broken_down_below_national_level() -> None:
    breakdowns = {r["breakdown"] for r in rows_of(synth_tabulation(), indicator="R9")}
    assert breakdowns == {"_T", "age_dh", "sex"}


def test_one_run_covers_every_indicator_and_breakdown() -> None:
    tab = synth_tabulation()
    survey_ids = {i.id for i in framework_default().select(source="survey")}
    assert {r["indicator"] for r in tab.rows()} == survey_ids
    r1 = {r["breakdown"] for r in rows_of(tab, indicator="R1")}
    assert r1 == {"_T", *framework_default().default_breakdowns}
    assert tab.metadata["framework_version"] == "2026.1.0"
    arrow = tab.to_arrow()
    assert arrow.num_rows == tab.n_rows
    assert arrow.schema.metadata[b"copstats.framework"] == b"cop-core"


def test_comparability_flags_in_the_worked_example() -> None:
    mapping = mapping_load(EXAMPLES / "fakeland-2025.mapping.yaml")
    tab = tabulate(table_read(EXAMPLES / "fakeland-2025.csv"), mapping, framework_default())
    a1 = rows_of(tab, indicator="A1", breakdown="_T")[0]
    assert a1["comparability"] == "age_range_differs:10-17"
    assert (a1["age_min"], a1["age_max"], a1["country"]) == (10, 17, "XF")
    band = rows_of(tab, indicator="A1", breakdown="age_eko2010", breakdown_value="9-10")[0]
    assert band["comparability"] == "age_range_differs:10-17;band_partial"
    r3 = rows_of(tab, indicator="R3")
    assert len(r3) == 1 and r3[0]["comparability"] == "not_collected:saw_sexual_images"
    assert r3[0]["estimate"] is None
    r9 = rows_of(tab, indicator="R9", breakdown="_T")[0]
    assert r9["comparability"] == "" and r9["n"] > 0


def test_a_survey_of_internet_users_cannot_give_a1() -> None:
    raw = {
        "schema": "cop-survey-mapping/1",
        "framework": "cop-core",
        "survey": {"name": "Users", "population": "internet_users", "age": [9, 17]},
        "design": {"weight": "weight", "strata": "stratum", "psu": "psu"},
        "variables": {
            "age": {"source": "age"},
            "internet_use_3m": {"constant": True},
            "bothered_upset": {"source": "R1", "codes": {1: True, 0: False}},
        },
    }
    users = np.asarray(synth()["A1"]) == 1
    table = table_subset(synth(), users)
    tab = tabulate(table, mapping_parse(raw), framework_default(), TabulateOptions(tier=1))
    a1 = rows_of(tab, indicator="A1")
    assert [r["comparability"] for r in a1] == ["population_differs:internet_users"]
    r1 = rows_of(tab, indicator="R1", breakdown="_T")[0]
    full = rows_of(synth_tabulation(), indicator="R1", breakdown="_T")[0]
    assert r1["estimate"] == pytest.approx(full["estimate"], rel=1e-12)


def test_tier_and_indicator_selection() -> None:
    tab = tabulate(synth(), synth_mapping(), framework_default(), TabulateOptions(tier=1))
    assert {r["indicator"] for r in tab.rows()} == {"A1", "A2", "R1", "R2", "R5", "R6", "C1", "S3"}
    options = TabulateOptions(indicators=("R2", "A4"))
    tab = tabulate(synth(), synth_mapping(), framework_default(), options)
    assert {r["indicator"] for r in tab.rows()} == {"R2", "A4"}


def test_data_that_do_not_fit_the_mapping_compute_nothing() -> None:
    table = dict(synth())
    sex = np.asarray(table["R1"]).copy()
    sex[3] = 5.0
    table["R1"] = sex
    with pytest.raises(MappingInvalid) as caught:
        tabulate(table, synth_mapping(), framework_default())
    assert caught.value.report.errors[0].rows == (4,)


def test_help_seeking_without_exploitation_items_is_flagged_not_dropped() -> None:
    raw = mapping_load(EXAMPLES / "fakeland-2025.mapping.yaml")
    kept = tuple(v for v in raw.variables if not v.variable.startswith("tfse_"))
    mapping = dataclasses.replace(raw, variables=kept)
    table = table_read(EXAMPLES / "fakeland-2025.csv")
    tab = tabulate(table, mapping, framework_default(), TabulateOptions(indicators=("C1", "R9")))
    assert rows_of(tab, indicator="R9")[0]["comparability"] == "not_collected:tfse_any"
    c1 = rows_of(tab, indicator="C1", breakdown="_T")[0]
    assert c1["comparability"] == "age_range_differs:10-17;denominator_partial:tfse_any"
    column = {k: np.asarray(table[k]) for k in ("Q10", "Q15", "Q16", "Q30")}
    harmed = (column["Q10"] == 1) & ((column["Q15"] == 1) | (column["Q16"] == 1))
    answered = harmed & np.isin(column["Q30"], [1, 2])
    weights = np.asarray(table["WT"])
    expected = (weights * answered * (column["Q30"] == 1)).sum() / (weights * answered).sum()
    assert c1["n"] == int(answered.sum())
    assert c1["estimate"] == pytest.approx(expected, rel=1e-12)
