"""The table step of the shared upload check: rows and columns as each format states them,
read without reading the data, and messages naming the file's count and the limit."""

import io
import struct
import tempfile
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pyreadstat
import pytest
from django.utils import translation

from cophub.portal.uploads import TableLimits, UploadProblem, upload_problem
from tests.cophub.portal.hostile_files import table_xlsx, without_dimension

TABLES = ("csv", "xlsx", "parquet", "sav", "dta")
LIMITS = TableLimits(max_rows=100, max_columns=5)


def _problem(name: str, content: bytes, limits: TableLimits = LIMITS) -> UploadProblem | None:
    return upload_problem(
        name=name,
        size=len(content),
        content=content,
        accepted=TABLES,
        max_bytes=50 * 1024 * 1024,
        table=limits,
    )


def _readstat(kind: str, rows: int, columns: int = 3) -> bytes:
    frame = pl.DataFrame({f"v{c}": [float(r % 5) for r in range(rows)] for c in range(columns)})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"data.{kind}"
        (pyreadstat.write_sav if kind == "sav" else pyreadstat.write_dta)(frame, str(path))
        return path.read_bytes()


def _parquet(rows: int, columns: int = 3) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.table({f"v{c}": list(range(rows)) for c in range(columns)}), buffer)
    return buffer.getvalue()


def _csv(rows: int, columns: int = 3) -> bytes:
    header = ",".join(f"v{c}" for c in range(columns))
    return (header + "\n" + "".join(f"{r}," * (columns - 1) + "1\n" for r in range(rows))).encode()


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("survey.csv", _csv),
        ("survey.xlsx", table_xlsx),
        ("survey.parquet", _parquet),
        ("survey.sav", lambda rows: _readstat("sav", rows)),
        ("survey.dta", lambda rows: _readstat("dta", rows)),
    ],
)
def test_each_format_is_held_to_the_row_limit(name: str, make: object) -> None:
    assert _problem(name, make(100)) is None  # type: ignore[operator]
    problem = _problem(name, make(101))  # type: ignore[operator]
    assert problem is not None and problem.code == "too_many_rows", (name, problem)
    assert problem.message == "The file has 101 rows; the limit is 100."


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("survey.csv", _csv(3, columns=6)),
        ("survey.xlsx", table_xlsx(3, columns=6)),
        ("survey.parquet", _parquet(3, columns=6)),
        ("survey.sav", _readstat("sav", 3, columns=6)),
        ("survey.dta", _readstat("dta", 3, columns=6)),
    ],
)
def test_each_format_is_held_to_the_column_limit(name: str, content: bytes) -> None:
    problem = _problem(name, content)
    assert problem is not None and problem.code == "too_many_columns", (name, problem)
    assert problem.message == "The file has 6 columns; the limit is 5."


def test_csv_rows_are_records_not_lines() -> None:
    quoted = b'id,"note, with comma",v\n' + b'1,"two\nlines",3\n' * 120
    problem = _problem("notes.csv", quoted)
    assert problem is not None and problem.message == "The file has 120 rows; the limit is 100."
    blank_lines = b"a,b\n" + b"1,2\n\n\r\n" * 100
    assert _problem("notes.csv", blank_lines) is None
    windows = b"a,b\r\n" + b"1,2\r\n" * 101
    problem = _problem("notes.csv", windows)
    assert problem is not None and problem.params["count"] == 101


def test_an_xlsx_sheet_is_judged_by_the_dimension_it_declares() -> None:
    named = table_xlsx(150, sheet="COP statistics")
    problem = _problem(
        "t.xlsx", named, TableLimits(max_rows=100, max_columns=5, sheet="COP statistics")
    )
    assert problem is not None and problem.params == {"count": 150, "max": 100}
    # Another sheet's name: the reader will say it is missing; nothing to count here.
    assert _problem("t.xlsx", named, TableLimits(100, 5, sheet="Other")) is None
    # No dimension: bounded by the archive limits, counted again when it is read.
    assert _problem("t.xlsx", without_dimension(table_xlsx(150))) is None


def test_an_open_file_is_read_from_its_start_and_left_there() -> None:
    file = io.BytesIO(table_xlsx(150))
    file.seek(0, 2)  # where a form's upload handler may leave it
    problem = upload_problem(
        name="t.xlsx",
        size=file.tell(),
        content=file,
        accepted=TABLES,
        max_bytes=10**8,
        table=LIMITS,
    )
    assert problem is not None and problem.params == {"count": 150, "max": 100}
    assert file.tell() == 0


def test_a_sav_file_that_does_not_state_its_rows_is_refused() -> None:
    data = bytearray(_readstat("sav", 10))
    struct.pack_into("<i", data, 80, -1)  # the header's case count: unknown
    problem = _problem("survey.sav", bytes(data))
    assert problem is not None and problem.code == "row_count_unknown"
    assert "does not say how many rows" in problem.message


def test_a_parquet_file_is_held_to_the_unpacked_limit() -> None:
    from django.test import override_settings

    with override_settings(COPHUB_UPLOAD_MAX_UNCOMPRESSED_MB=0.01):
        problem = _problem("survey.parquet", _parquet(1_000))  # 24 KB of numbers unpacked
    assert problem is not None and problem.code == "unpacked_too_large"


def test_a_damaged_table_is_refused() -> None:
    problem = _problem("survey.parquet", b"PAR1" + b"\x00" * 64)
    assert problem is not None and problem.code == "invalid_file"
    problem = _problem("survey.dta", b"<stata_dta>" + b"\x00" * 64)
    assert problem is not None and problem.code == "invalid_file"


def test_table_messages_are_translated_with_plurals() -> None:
    with translation.override("ru"):
        rows = _problem("survey.csv", _csv(101))
        columns = _problem("survey.csv", _csv(3, columns=6))
    assert rows is not None and rows.message == "В файле 101 строка; предел — 100."
    assert columns is not None and columns.message == "В файле 6 столбцов; предел — 5."
