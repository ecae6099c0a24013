"""Writing result tables: CSV, JSON, Parquet and SDMX-CSV 2.0, always atomically.

One writer serves every :class:`copcore.stats.tidy.TidyTable` (estimates and tabulations). A
file is written to a temporary file in the target's directory and renamed over the target only
when complete, so a failure never leaves a partial output.

SDMX-CSV 2.0 is written here from the specification (SDMX Technical Working Group, *SDMX-CSV
format version 2.0*, 2021): ``STRUCTURE,STRUCTURE_ID,ACTION``, then the table's dimensions, the
measure ``OBS_VALUE`` (the ``estimate`` column) and every other column as an attribute, with
``CONF_STATUS`` (``C`` confidential, ``F`` free; SDMX code list CL_CONF_STATUS) in the place of
``suppressed``, ``UNWEIGHTED_N`` for ``n`` and ``REF_AREA`` for ``country``; a blank dimension
is ``_Z`` (not applicable). ``pysdmx`` has a writer, but it builds pandas data frames and
pandas is neither a dependency of this project nor installed; for a flat table with a fixed
layout the format is a few lines of RFC 4180 CSV, which we write with the standard library.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Literal, get_args

import pyarrow.parquet as pq

from copcore.stats.errors import FileError, OptionError
from copcore.stats.tidy import MEASURE, SUPPRESSED, TidyTable, tidy_arrow, tidy_rows

OutputFormat = Literal["csv", "json", "parquet", "sdmx-csv"]
FORMATS: tuple[str, ...] = get_args(OutputFormat)
# SDMX component ids that differ from the upper-cased column name.
_SDMX_NAMES = {"country": "REF_AREA", "n": "UNWEIGHTED_N", SUPPRESSED: "CONF_STATUS"}


def format_parse(value: str) -> OutputFormat:
    """Check an output format name."""
    for name in get_args(OutputFormat):
        if value == name:
            return name  # type: ignore[no-any-return]
    raise OptionError("option_invalid", option="format", value=value, allowed=", ".join(FORMATS))


def cell_text(value: Any) -> str:
    """One value as CSV text: blank for None and NaN, ``true``/``false``, floats exactly."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    return str(value)


def csv_write(table: TidyTable, stream: IO[str]) -> None:
    """Plain CSV, header = column names, blanks empty."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in tidy_rows(table):
        writer.writerow([cell_text(row[name]) for name in table.column_names])


def json_write(table: TidyTable, stream: IO[str]) -> None:
    """JSON object: ``metadata`` and ``rows`` (blank numbers as ``null``)."""
    metadata = {
        key: value if isinstance(value, str | float | int | bool) else list(value)
        for key, value in table.metadata.items()
    }
    document = {"metadata": metadata, "rows": tidy_rows(table)}
    json.dump(document, stream, ensure_ascii=False, indent=1, allow_nan=False)
    stream.write("\n")


def sdmx_id(name: str) -> str:
    """An SDMX component id from a column name (letters, digits, underscore; upper case)."""
    if name in _SDMX_NAMES:
        return _SDMX_NAMES[name]
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", name).upper()
    return cleaned if cleaned and cleaned[0].isalpha() else f"X_{cleaned}"


def sdmx_csv_write(table: TidyTable, stream: IO[str]) -> None:
    """SDMX-CSV 2.0: dataflow rows, ``ACTION=I`` (see the module docstring for the layout)."""
    writer = csv.writer(stream, lineterminator="\n")
    dimensions = table.sdmx_dimensions
    attributes = [n for n in table.column_names if n not in dimensions and n != MEASURE]
    writer.writerow(
        [
            "STRUCTURE",
            "STRUCTURE_ID",
            "ACTION",
            *(sdmx_id(name) for name in dimensions),
            "OBS_VALUE",
            *(sdmx_id(name) for name in attributes),
        ]
    )
    for row in tidy_rows(table):
        writer.writerow(
            [
                "dataflow",
                table.sdmx_structure,
                "I",
                *(cell_text(row[name]) or "_Z" for name in dimensions),
                cell_text(row[MEASURE]),
                *(
                    ("C" if row[name] else "F") if name == SUPPRESSED else cell_text(row[name])
                    for name in attributes
                ),
            ]
        )


_TEXT_WRITERS: dict[str, Callable[[TidyTable, IO[str]], None]] = {
    "csv": csv_write,
    "json": json_write,
    "sdmx-csv": sdmx_csv_write,
}


def result_text(table: TidyTable, fmt: str) -> str:
    """The table as text in a text format (csv, json, sdmx-csv)."""
    name = format_parse(fmt)
    if name == "parquet":
        raise OptionError(
            "option_invalid", option="format", value=fmt, allowed="csv, json, sdmx-csv"
        )
    buffer = io.StringIO()
    _TEXT_WRITERS[name](table, buffer)
    return buffer.getvalue()


def result_write(
    table: TidyTable,
    path: Path,
    fmt: str,
    *,
    before_rename: Callable[[], None] | None = None,
) -> None:
    """Write ``table`` to ``path`` in ``fmt`` atomically; ``before_rename`` runs once the
    temporary file is complete (the privacy ledger is recorded there, so that a release is
    never in place unrecorded)."""
    name = format_parse(fmt)

    def write(target: str) -> None:
        if name == "parquet":
            pq.write_table(tidy_arrow(table), target)
            return
        with open(target, "w", encoding="utf-8", newline="") as stream:
            _TEXT_WRITERS[name](table, stream)

    atomic_write(path, write, before_rename=before_rename)


def text_write(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""

    def write(target: str) -> None:
        with open(target, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)

    atomic_write(path, write)


def atomic_write(
    path: Path,
    write: Callable[[str], None],
    *,
    before_rename: Callable[[], None] | None = None,
) -> None:
    """Call ``write(temporary_path)``, then ``before_rename()``, then rename over ``path``.

    The temporary file sits in the target's directory (so the rename is atomic) and is removed
    on any failure: no partial file survives. :class:`FileError` ``output_unwritable`` on an
    operating-system error.
    """
    directory = path.resolve().parent
    if not directory.is_dir():
        raise FileError("output_unwritable", path=str(path), reason="no such directory")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    os.close(handle)
    try:
        write(temporary)
        if before_rename is not None:
            before_rename()
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise FileError("output_unwritable", path=str(path), reason=str(error)) from error
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
