"""Writing results: CSV, JSON, Parquet and SDMX-CSV 2.0, always atomically.

A file is written to a temporary file in the target's directory and renamed over the target
only when complete, so a failure never leaves a partial output.

SDMX-CSV 2.0 is written here from the specification (SDMX Technical Working Group, *SDMX-CSV
format version 2.0*, 2021): ``STRUCTURE,STRUCTURE_ID,ACTION`` then the dimensions, the measure
``OBS_VALUE`` and the attributes. ``pysdmx`` has a writer, but it builds pandas data frames and
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
from copcore.stats.estimate import EstimateResult

OutputFormat = Literal["csv", "json", "parquet", "sdmx-csv"]
FORMATS: tuple[str, ...] = get_args(OutputFormat)
SDMX_STRUCTURE_ID = "COPHUB:DF_COP_SURVEY_ESTIMATES(1.0)"


def format_parse(value: str) -> OutputFormat:
    """Check an output format name."""
    for name in get_args(OutputFormat):
        if value == name:
            return name  # type: ignore[no-any-return]
    raise OptionError("option_invalid", option="format", value=value, allowed=", ".join(FORMATS))


def _number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_write(result: EstimateResult, stream: IO[str]) -> None:
    """Plain CSV, header = result column names, blanks empty."""
    writer = csv.writer(stream, lineterminator="\n")
    names = result.column_names
    writer.writerow(names)
    lists = [result.columns[name].tolist() for name in names]
    for i in range(result.n_rows):
        writer.writerow([_number(values[i]) for values in lists])


def json_write(result: EstimateResult, stream: IO[str]) -> None:
    """JSON object: ``metadata`` (level, ci, disclosure, by columns) and ``rows``."""
    document = {
        "metadata": {
            "generator": "copstats",
            "confidence_level": result.level,
            "ci": result.ci,
            "disclosure": result.disclosure,
            "by_columns": list(result.by_columns),
            "notes": list(result.notes),
        },
        "rows": result.rows(),
    }
    json.dump(document, stream, ensure_ascii=False, indent=1, allow_nan=False)
    stream.write("\n")


def sdmx_id(name: str) -> str:
    """An SDMX component id from a column name (letters, digits, underscore; upper case)."""
    cleaned = re.sub(r"[^A-Za-z0-9_]", "_", name).upper()
    return cleaned if cleaned and cleaned[0].isalpha() else f"X_{cleaned}"


def sdmx_csv_write(result: EstimateResult, stream: IO[str]) -> None:
    """SDMX-CSV 2.0: dataflow rows, ``ACTION=I``; suppressed cells carry ``CONF_STATUS=C``.

    Dimensions: STATISTIC, VARIABLE, CATEGORY and the by columns; measure OBS_VALUE;
    attributes SE, CI_LOW, CI_HIGH, DEFF, DF, UNWEIGHTED_N, CONF_STATUS (C confidential,
    F free, SDMX code list CL_CONF_STATUS) and FLAG.
    """
    writer = csv.writer(stream, lineterminator="\n")
    by = list(result.by_columns)
    header = [
        "STRUCTURE",
        "STRUCTURE_ID",
        "ACTION",
        "STATISTIC",
        "VARIABLE",
        "CATEGORY",
        *[sdmx_id(name) for name in by],
        "OBS_VALUE",
        "SE",
        "CI_LOW",
        "CI_HIGH",
        "DEFF",
        "DF",
        "UNWEIGHTED_N",
        "CONF_STATUS",
        "FLAG",
    ]
    writer.writerow(header)
    c = {name: result.columns[name].tolist() for name in result.column_names}
    for i in range(result.n_rows):
        writer.writerow(
            [
                "dataflow",
                SDMX_STRUCTURE_ID,
                "I",
                c["statistic"][i],
                c["variable"][i],
                c["category"][i] or "_Z",
                *[c[name][i] for name in by],
                _number(c["estimate"][i]),
                _number(c["se"][i]),
                _number(c["ci_low"][i]),
                _number(c["ci_high"][i]),
                _number(c["deff"][i]),
                _number(c["df"][i]),
                _number(c["n"][i]),
                "C" if c["suppressed"][i] else "F",
                c["flag"][i],
            ]
        )


_TEXT_WRITERS: dict[str, Callable[[EstimateResult, IO[str]], None]] = {
    "csv": csv_write,
    "json": json_write,
    "sdmx-csv": sdmx_csv_write,
}


def result_text(result: EstimateResult, fmt: str) -> str:
    """The result as text in a text format (csv, json, sdmx-csv)."""
    name = format_parse(fmt)
    if name == "parquet":
        raise OptionError(
            "option_invalid", option="format", value=fmt, allowed="csv, json, sdmx-csv"
        )
    buffer = io.StringIO()
    _TEXT_WRITERS[name](result, buffer)
    return buffer.getvalue()


def result_write(result: EstimateResult, path: Path, fmt: str) -> None:
    """Write ``result`` to ``path`` atomically (temporary file in the same directory, rename)."""
    name = format_parse(fmt)
    directory = path.resolve().parent
    if not directory.is_dir():
        raise FileError("output_unwritable", path=str(path), reason="no such directory")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    try:
        if name == "parquet":
            os.close(handle)
            table = result.to_arrow()
            metadata = {
                b"copstats.level": str(result.level).encode(),
                b"copstats.ci": result.ci.encode(),
                b"copstats.disclosure": result.disclosure.encode(),
            }
            pq.write_table(table.replace_schema_metadata(metadata), temporary)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                _TEXT_WRITERS[name](result, stream)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise FileError("output_unwritable", path=str(path), reason=str(error)) from error
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
