"""File input by extension, and output formats written atomically."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pyreadstat
import pytest
from openpyxl import Workbook

from copcore.stats import Design, Request, estimate
from copcore.stats.errors import FileError
from copcore.stats.formats import result_text, result_write
from copcore.stats.io import table_read

DATA = {"w": [1.0, 2.0, 1.5, 1.0], "y": [1.0, 0.0, None, 1.0], "g": ["a", "b", "a", "b"]}


def _write(path: Path) -> None:
    frame = pl.DataFrame(DATA)
    suffix = path.suffix
    if suffix == ".csv":
        frame.write_csv(path)
    elif suffix == ".parquet":
        frame.write_parquet(path)
    elif suffix == ".xlsx":
        book = Workbook()
        sheet = book.active
        sheet.append(list(DATA))
        for row in zip(*DATA.values(), strict=True):
            sheet.append(list(row))
        book.save(path)
    elif suffix == ".sav":
        pyreadstat.write_sav(frame, str(path))
    else:
        pyreadstat.write_dta(frame, str(path))


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx", ".sav", ".dta"])
def test_every_format_gives_the_same_estimate(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"data{suffix}"
    _write(path)
    table = table_read(path)
    result = estimate(table, Design(weight="w"), [Request("mean", "y")], by=[("g",)])
    rows = result.rows()
    assert rows[0]["estimate"] == pytest.approx((1 + 1) / (1 + 2 + 1))
    assert [r["g"] for r in rows] == ["_T", "a", "b"]


def test_unknown_extension_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileError) as caught:
        table_read(tmp_path / "data.txt")
    assert caught.value.code == "file_type_unknown"
    with pytest.raises(FileError) as caught:
        table_read(tmp_path / "absent.csv")
    assert caught.value.code == "file_missing"


def test_corrupt_file_is_a_typed_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    path.write_bytes(b"not parquet")
    with pytest.raises(FileError) as caught:
        table_read(path)
    assert caught.value.code == "file_unreadable"


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
