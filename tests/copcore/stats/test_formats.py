"""Output formats, written atomically, by one writer for every result table."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from copcore.stats import Design, Request, estimate
from copcore.stats.errors import FileError
from copcore.stats.formats import result_text, result_write
from copcore.stats.framework import FRAMEWORKS_DIR, framework_default
from copcore.stats.io import table_read
from copcore.stats.mapping import mapping_load
from copcore.stats.tabulate import TabulateOptions, Tabulation, tabulate


def _result():  # type: ignore[no-untyped-def]
    table = {"w": np.array([1.0, 2.0, 1.0]), "y": np.array([1.0, 0.0, 1.0])}
    return estimate(table, Design(weight="w"), [Request("prop", "y")])


def test_csv_json_sdmx_text() -> None:
    result = _result()
    rows = list(csv.DictReader(result_text(result, "csv").splitlines()))
    assert rows[0]["category"] == "0" and float(rows[0]["estimate"]) == pytest.approx(0.5)
    document = json.loads(result_text(result, "json"))
    assert document["metadata"]["ci"] == "logit" and len(document["rows"]) == 2
    sdmx = list(csv.reader(result_text(result, "sdmx-csv").splitlines()))
    assert sdmx[0][:6] == [
        "STRUCTURE",
        "STRUCTURE_ID",
        "ACTION",
        "STATISTIC",
        "VARIABLE",
        "CATEGORY",
    ]
    assert sdmx[1][0] == "dataflow" and sdmx[1][2] == "I" and "OBS_VALUE" in sdmx[0]


def test_parquet_and_atomic_write(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    result_write(_result(), out, "parquet")
    table = pq.read_table(out)
    assert table.num_rows == 2
    assert table.schema.metadata[b"copstats.ci"] == b"logit"
    assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]
    with pytest.raises(FileError):
        result_write(_result(), tmp_path / "missing-dir" / "out.csv", "csv")


def _tabulation() -> Tabulation:
    examples = FRAMEWORKS_DIR / "examples"
    table = table_read(examples / "fakeland-2025.csv")
    mapping = mapping_load(examples / "fakeland-2025.mapping.yaml")
    options = TabulateOptions(indicators=("R1",))
    return tabulate(table, mapping, framework_default(), options, disclosure="dhs")


def test_one_sdmx_layout_for_estimates_and_tabulations() -> None:
    estimate_header = next(csv.reader(result_text(_result(), "sdmx-csv").splitlines()))
    assert estimate_header[6:] == [
        "OBS_VALUE", "SE", "CI_LOW", "CI_HIGH", "DEFF", "DF", "UNWEIGHTED_N", "CONF_STATUS", "FLAG",
    ]  # fmt: skip
    rows = list(csv.DictReader(result_text(_tabulation(), "sdmx-csv").splitlines()))
    assert list(rows[0])[3:8] == [
        "REF_AREA",
        "INDICATOR",
        "BREAKDOWN",
        "BREAKDOWN_VALUE",
        "OBS_VALUE",
    ]
    assert {r["STRUCTURE_ID"] for r in rows} == {"COPHUB:DF_COP_INDICATORS(2026.1.0)"}
    hidden = [r for r in rows if r["CONF_STATUS"] == "C"]
    assert hidden and all(r["OBS_VALUE"] == "" and r["FLAG"] for r in hidden)


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet", "sdmx-csv"])
def test_the_same_writer_serves_both_result_tables(tmp_path: Path, fmt: str) -> None:
    for name, table in (("estimate", _result()), ("tabulation", _tabulation())):
        out = tmp_path / f"{name}.{fmt}"
        result_write(table, out, fmt)
        if fmt == "parquet":
            written = pq.read_table(out)
            assert written.column_names == list(table.column_names)
            assert written.num_rows == len(table.columns["estimate"])
            assert written.schema.metadata[b"copstats.disclosure"] in (b"none", b"dhs")
        elif fmt == "json":
            assert len(json.loads(out.read_text())["rows"]) == len(table.columns["estimate"])
        else:
            assert len(out.read_text().splitlines()) == len(table.columns["estimate"]) + 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"estimate.{fmt}", f"tabulation.{fmt}"]
