"""Disclosure control of a tabulation: the engine's rules, cell by cell."""

from __future__ import annotations

from copcore.stats import Request, estimate
from copcore.stats.disclosure import disclosure_apply, disclosure_rule_parse
from copcore.stats.framework import FRAMEWORKS_DIR, framework_default
from copcore.stats.io import table_read
from copcore.stats.mapping import mapping_load
from copcore.stats.tabulate import TabulateOptions, tabulate
from tests.copcore.stats.tabulate.synth_survey import (
    DESIGN,
    rows_of,
    synth,
    synth_mapping,
)


def test_disclosure_suppresses_small_cells_and_their_complements() -> None:
    tab = tabulate(synth(), synth_mapping(), framework_default(), disclosure="min-n:150")
    for row in tab.rows():
        if row["n"] and row["n"] < 150:
            assert row["suppressed"] and row["estimate"] is None and row["flag"] == "n<150"
    region = rows_of(tab, indicator="C3", breakdown="region")
    hidden = [r for r in region if r["suppressed"]]
    assert len(hidden) != 1  # one hidden cell alone would be recoverable from the total
    assert tab.metadata["disclosure"] == "min-n:150"


def test_disclosure_matches_the_core_rules_on_the_same_cells() -> None:
    table = synth()
    tab = tabulate(
        table,
        synth_mapping(),
        framework_default(),
        TabulateOptions(indicators=("R1",)),
        disclosure="nchs",
    )
    reference = estimate(table, DESIGN, [Request("prop", "R1")], by=[("region",)])
    reference = disclosure_apply(reference, disclosure_rule_parse("nchs"))
    want = {r["region"]: r["flag"] for r in reference.rows() if r["category"] == "1"}
    got = {r["breakdown_value"]: r["flag"] for r in rows_of(tab, breakdown="region")}
    got["_T"] = rows_of(tab, breakdown="_T")[0]["flag"]
    primary = {k: v for k, v in want.items() if v != "complementary"}
    assert {k: got[k] for k in primary} == primary


def test_a_tabulated_proportion_whose_complement_is_unreliable_is_shown_and_flagged() -> None:
    examples = FRAMEWORKS_DIR / "examples"
    tab = tabulate(
        table_read(examples / "fakeland-2025.csv"),
        mapping_load(examples / "fakeland-2025.mapping.yaml"),
        framework_default(),
        TabulateOptions(indicators=("A1",), ci="korn-graubard"),
        disclosure="nchs",
    )
    flagged = [r for r in tab.rows() if r["flag"] == "rciw(1-p)>130%"]
    assert flagged  # high internet use in single years of age: 1 - p is imprecise
    for row in flagged:
        assert not row["suppressed"] and row["estimate"] > 0.5
        assert 0.05 < row["ci_high"] - row["ci_low"] < 0.30
