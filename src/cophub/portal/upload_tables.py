"""The table step of the shared upload check (:mod:`cophub.portal.uploads`): rows and columns
of a table, read as cheaply as each format allows, before the file is stored.

- CSV: the header's fields are the columns; the rows are counted only when the file has more
  line breaks than the limit allows rows (quoted fields may hold line breaks), by a streaming
  CSV reader that keeps one record at a time. Blank lines are not rows.
- Parquet: the footer states the rows, the columns and the unpacked size of the row groups
  (held to the archive limit: Parquet is compressed too).
- SPSS ``.sav`` and Stata ``.dta``: the header, read by pyreadstat without the data. A
  ``.sav`` whose header does not state its rows (allowed by the format, and compressed
  ``.zsav`` data can unpack a thousandfold) is refused: nothing would bound its reading.
- XLSX: the ``<dimension>`` the sheet declares (every common writer sets it), read from at
  most :data:`DIMENSION_BYTES` of the sheet unpacked. A sheet without one is bounded by the
  archive limits, and its rows are counted again when it is read (in the background).

Rows are data rows: the first row (the column names) is not counted."""

import codecs
import html
import io
import posixpath
import re
import zipfile

from .upload_problems import ArchiveLimits, TableLimits, UploadProblem, table_size_problem

DIMENSION_BYTES = 64 * 1024  # the dimension comes before the first row of a sheet
WORKBOOK_BYTES = 1024 * 1024  # workbook.xml and its relationships list sheets, not data

_SHEET = re.compile(r"<(?:\w+:)?sheet\s([^>]*)>")
_RELATIONSHIP = re.compile(r"<(?:\w+:)?Relationship\s([^>]*)>")
_ATTRIBUTE = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')
_QUOTED = re.compile(rb'"[^"]*"')
_LINE_BREAK = re.compile(rb"\r\n|\n|\r")
_FILLED_LINE = re.compile(rb"[^\r\n](?=\r|\n|\Z)")  # the last character of a line that is not blank
_DIMENSION = re.compile(r'<(?:\w+:)?dimension\s+ref="\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?"')


def _csv_shape(data: bytes, limits: TableLimits) -> tuple[int, int]:
    """Data rows (an upper bound when within the limit) and the header's columns. Quoted
    fields are set aside first, so their commas and line breaks do not count (RFC 4180)."""
    header = _LINE_BREAK.split(data.removeprefix(codecs.BOM_UTF8), maxsplit=1)[0]
    columns = _QUOTED.sub(b"", header).count(b",") + 1 if header.strip() else 0
    breaks = max(data.count(b"\n"), data.count(b"\r"))
    if breaks <= limits.max_rows:  # at most that many records follow the header
        return breaks, columns
    unquoted = _QUOTED.sub(b"", data) if b'"' in data else data
    return max(sum(1 for _line in _FILLED_LINE.finditer(unquoted)) - 1, 0), columns


def _parquet_shape(data: bytes) -> tuple[int, int, int]:
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(io.BytesIO(data)).metadata
    unpacked = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    return metadata.num_rows, metadata.num_columns, unpacked


def _readstat_shape(data: bytes, claimed: str) -> tuple[int | None, int]:
    import pyreadstat

    file = io.BytesIO(data)
    if claimed == "sav":
        _frame, meta = pyreadstat.read_sav(file, metadataonly=True, output_format="polars")
    else:
        _frame, meta = pyreadstat.read_dta(file, metadataonly=True, output_format="polars")
    return meta.number_rows, meta.number_columns or 0


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _attributes(text: str) -> dict[str, str]:
    """``name="…"`` pairs of an XML tag, the namespace prefix dropped (``r:id`` → ``id``)."""
    return {key.split(":")[-1]: html.unescape(value) for key, value in _ATTRIBUTE.findall(text)}


def _bounded(archive: zipfile.ZipFile, name: str, limit: int) -> str:
    with archive.open(name) as part:
        return part.read(limit).decode("utf-8", "replace")


def _sheet_part(archive: zipfile.ZipFile, sheet: str | None) -> str | None:
    """The archive member holding ``sheet`` (None: the first sheet of the workbook)."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return None  # an unusual layout: the reader finds its way, bounded by the archive limits
    workbook = _bounded(archive, "xl/workbook.xml", WORKBOOK_BYTES)
    sheets = [_attributes(tag) for tag in _SHEET.findall(workbook)]
    chosen = next((s for s in sheets if sheet is None or s.get("name") == sheet), None)
    if chosen is None:
        return None  # the reader will say the sheet is missing
    relationships = _bounded(archive, "xl/_rels/workbook.xml.rels", WORKBOOK_BYTES)
    for found in map(_attributes, _RELATIONSHIP.findall(relationships)):
        if found.get("Id") == chosen.get("id"):
            target = found.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            member = posixpath.normpath(path)
            return member if member in names else None
    return None


def _xlsx_shape(data: bytes, sheet: str | None) -> tuple[int, int] | None:
    """Data rows and columns the sheet's ``<dimension>`` declares (None when it has none)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    member = _sheet_part(archive, sheet)
    if member is None:
        return None
    found = _DIMENSION.search(_bounded(archive, member, DIMENSION_BYTES))
    if found is None:
        return None
    first_column, first_row, last_column, last_row = found.groups()
    last_column, last_row = last_column or first_column, last_row or first_row
    columns = _column_number(last_column) - _column_number(first_column) + 1
    return int(last_row) - int(first_row), columns


def table_problem(
    data: bytes, claimed: str, limits: TableLimits, archive: ArchiveLimits
) -> UploadProblem | None:
    """What is wrong with the table ``data`` (a file of type ``claimed``), or None."""
    try:
        if claimed == "csv":
            rows, columns = _csv_shape(data, limits)
            return table_size_problem(rows=rows, columns=columns, limits=limits)
        if claimed == "parquet":
            parquet_rows, columns, unpacked = _parquet_shape(data)
            if unpacked > archive.max_unpacked_bytes:
                return UploadProblem(
                    "unpacked_too_large", {"size": unpacked, "max": archive.max_unpacked_bytes}
                )
            return table_size_problem(rows=parquet_rows, columns=columns, limits=limits)
        if claimed in ("sav", "dta"):
            stated, columns = _readstat_shape(data, claimed)
            if stated is None:
                return UploadProblem("row_count_unknown")
            return table_size_problem(rows=stated, columns=columns, limits=limits)
        declared = _xlsx_shape(data, limits.sheet)
    except Exception:  # noqa: BLE001 - pyarrow, pyreadstat and zipfile raise classes of their own
        return UploadProblem("invalid_file", {"type": claimed})
    if declared is None:
        return None
    return table_size_problem(rows=declared[0], columns=declared[1], limits=limits)
