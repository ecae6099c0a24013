"""Tabulation with replicate weights declared in the mapping's design: the same numbers as
``estimate()`` with the same replicates, medians included, and the metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from copcore.stats import Design, Replicates, Request, estimate
from copcore.stats.cli import main
from copcore.stats.framework import framework_default
from copcore.stats.mapping import MappingInvalid, mapping_parse
from copcore.stats.replicate_create import replicates_create
from copcore.stats.tabulate import tabulate
from tests.copcore.stats.tabulate.synth_survey import DESIGN, EXAMPLES, rows_of, synth


def _replicated() -> tuple[dict[str, Any], tuple[float, ...]]:
    table = dict(synth())
    created = replicates_create(table, DESIGN, "jkn")
    for r in range(created.count):
        table[f"jk{r + 1}"] = created.weights[:, r]
    return table, tuple(float(m) for m in created.multipliers)


def _mapping(replicates: dict[str, Any]) -> Any:
    document = yaml.safe_load((EXAMPLES / "synth.mapping.yaml").read_text(encoding="utf-8"))
    document["design"] = {"weight": "weight", "replicates": replicates}
    return mapping_parse(document)


def test_tabulation_equals_estimate_with_the_same_replicates() -> None:
    table, multipliers = _replicated()
    spec = {"columns": "jk", "method": "jkn", "multipliers": list(multipliers)}
    tab = tabulate(table, _mapping(spec), framework_default())
    assert tab.metadata["variance"] == "replication"
    assert tab.metadata["replication_method"] == "jkn"
    assert tab.metadata["replicates"] == str(len(multipliers))
    design = Design(weight="weight", replicates=Replicates(("jk",), "jkn", multipliers=multipliers))
    reference = estimate(table, design, [Request("prop", "R1")], by=[("sex",)])
    ref = [r for r in reference.rows() if r["category"] == "1"]
    mine = rows_of(tab, indicator="R1", breakdown="_T") + rows_of(
        tab, indicator="R1", breakdown="sex"
    )
    assert len(mine) == len(ref) == 3
    for got, want in zip(mine, ref, strict=True):
        for key in ("estimate", "se", "ci_low", "ci_high"):
            assert got[key] == pytest.approx(want[key], rel=1e-12), key
        assert (got["n"], got["df"]) == (want["n"], want["df"])
    medians = [r for r in tab.rows() if r["statistic"] == "median" and r["se"] is not None]
    assert medians and all(r["df"] == len(multipliers) - 1 for r in medians)


def test_replicates_in_a_mapping_from_the_command_line(tmp_path: Path) -> None:
    table, multipliers = _replicated()
    import pyarrow as pa
    import pyarrow.parquet as pq

    from copcore.stats.synth import synth_generate

    arrow = synth_generate(2400, 1, np.random.default_rng(7))
    for r in range(len(multipliers)):
        arrow = arrow.append_column(f"jk{r + 1}", pa.array(table[f"jk{r + 1}"]))
    data = tmp_path / "data.parquet"
    pq.write_table(arrow, data)
    document = yaml.safe_load((EXAMPLES / "synth.mapping.yaml").read_text(encoding="utf-8"))
    document["design"] = {
        "weight": "weight",
        "strata": "stratum",
        "psu": "psu",
        "replicates": {"columns": "jk", "method": "jkn"},  # multipliers from strata and PSUs
    }
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(yaml.safe_dump(document), encoding="utf-8")
    out = tmp_path / "tab.json"
    command = ["tabulate", str(data), "--mapping", str(mapping), "--format", "json"]
    assert main([*command, "--out", str(out)]) == 0
    assert '"variance": "replication"' in out.read_text(encoding="utf-8")


def test_missing_or_blank_replicate_columns_fail_validation() -> None:
    table, _ = _replicated()
    with pytest.raises(MappingInvalid) as missing:
        tabulate(table, _mapping({"columns": "nope", "method": "brr"}), framework_default())
    problems = [(p.code, p.column, p.detail) for p in missing.value.report.problems]
    assert ("mapping_design_column_missing", "nope1", "replicates") in problems
    table["jk3"] = table["jk3"].copy()
    table["jk3"][[4, 9]] = np.nan
    with pytest.raises(MappingInvalid) as blank:
        tabulate(table, _mapping({"columns": "jk", "method": "jk1"}), framework_default())
    problem = next(p for p in blank.value.report.problems if p.column == "jk3")
    assert (problem.code, problem.count, problem.detail) == (
        "mapping_design_value_missing",
        2,
        "replicates",
    )
