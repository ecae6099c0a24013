"""File input by extension: every reader gives the same estimate; failures are typed."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyreadstat
import pytest
from openpyxl import Workbook

from copcore.stats import Design, Request, estimate
from copcore.stats.errors import FileError
from copcore.stats.io import file_columns, table_read

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


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx", ".sav", ".dta"])
def test_file_columns_read_the_names_only(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"data{suffix}"
    _write(path)
    assert file_columns(path) == list(DATA)
    with pytest.raises(FileError):
        file_columns(tmp_path / f"absent{suffix}")


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
