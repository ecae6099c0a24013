"""``copstats weight``: write the data with a weight calibrated to population totals.

The margins file is a CSV with the columns ``variable,category,total``: one row per category of
each calibration variable; a row with an empty category gives the population total of a
continuous variable (``linear`` and ``logit`` only). Replicate weights named by
``--rep-weights`` are adjusted the same way and written as ``<name>1 … <name>R``.
"""

from __future__ import annotations

import csv
import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from copcore.stats.cli.command import Command, Subparsers, language_option
from copcore.stats.columns import FloatArray, Table, table_from_arrow
from copcore.stats.design import Design, design_weights
from copcore.stats.errors import FileError, InputError, OptionError
from copcore.stats.formats import atomic_write
from copcore.stats.io import arrow_read
from copcore.stats.messages import message_format
from copcore.stats.replication import replicate_column, replicate_columns_resolve
from copcore.stats.weighting import METHODS, Margin, factor_summary, weights_adjust

MARGIN_COLUMNS = ("variable", "category", "total")
WRITERS = (".csv", ".parquet", ".pq")


def add_parser(subparsers: Subparsers) -> None:
    """Add ``weight`` to the ``copstats`` parser."""
    cmd = subparsers.add_parser(
        "weight", help="calibrate weights to population totals (poststratify, rake, linear, logit)"
    )
    cmd.add_argument("data", type=Path, help="survey microdata (.csv .parquet .xlsx .sav .dta)")
    cmd.add_argument("--weight", required=True, help="the design weight column")
    cmd.add_argument("--method", required=True, choices=METHODS)
    cmd.add_argument(
        "--margins", type=Path, required=True, help="CSV with the columns variable,category,total"
    )
    cmd.add_argument("--name", default="calwt", help="name of the new weight column (calwt)")
    cmd.add_argument("--bounds", help="L,U: bounds on the adjustment factor (required for logit)")
    cmd.add_argument(
        "--rep-weights",
        help="replicate weight columns: a prefix (PREFIX1…PREFIXk) or a comma-separated list",
    )
    cmd.add_argument("--out", type=Path, required=True, help="output file (.csv or .parquet)")
    language_option(cmd)
    cmd.set_defaults(handler=weight_run)


def weight_run(command: Command) -> int:
    """Read, adjust, report, and write the output atomically (nothing written on error)."""
    args = command.args
    out: Path = args.out
    if out.suffix.lower() not in WRITERS:
        raise FileError("file_type_unknown", path=str(out), extension=out.suffix or "(none)")
    bounds = _bounds(args.bounds)
    margins = margins_read(args.margins)
    arrow = arrow_read(args.data)
    replicate_names = replicate_columns(arrow.column_names, args.rep_weights)
    # Only the columns the adjustment reads are converted; the others go to the output as read.
    used = {args.weight, *(m.variable for m in margins), *replicate_names}
    table = table_from_arrow(
        arrow.select([i for i, name in enumerate(arrow.column_names) if name in used])
    )
    weights = design_weights(table, Design(weight=args.weight))
    replicates = _replicates(table, replicate_names)
    names = [args.name, *(f"{args.name}{i}" for i in range(1, len(replicate_names) + 1))]
    for name in names:
        if name in arrow.column_names:
            raise OptionError("weight_column_exists", column=name, option="--name")
    result = weights_adjust(
        table, weights, margins, method=args.method, bounds=bounds, replicates=replicates
    )
    for index, name in enumerate(names):
        values = result.weights if index == 0 else result.replicates[:, index - 1]  # type: ignore[index]
        arrow = arrow.append_column(name, pa.array(values, type=pa.float64()))
    summary = factor_summary(result)
    lang = command.lang
    command.stdout(
        message_format(
            "weight_done",
            {
                "method": args.method,
                "margins": len(margins),
                "iterations": result.iterations,
                "misfit": f"{result.misfit:.1e}",
                "column": args.name,
                "replicates": len(replicate_names),
            },
            lang,
        )
        + "\n"
    )
    command.stdout(
        message_format("weight_factors", {k: f"{v:.4g}" for k, v in summary.items()}, lang) + "\n"
    )
    if out.suffix.lower() == ".csv":
        atomic_write(out, lambda target: csv_write(arrow, target))
    else:
        atomic_write(out, lambda target: pq.write_table(arrow, target))
    return 0


def csv_write(arrow: pa.Table, target: str) -> None:
    """``pyarrow.csv.write_csv`` on two cores: the second half of the rows is formatted in a
    thread (Arrow releases the GIL) while the first is written, then appended. The bytes are
    those of one ``write_csv`` call: a row's text depends on that row alone."""
    half = arrow.num_rows // 2
    with ThreadPoolExecutor(max_workers=1) as pool:
        second = pool.submit(_csv_bytes, arrow.slice(half))
        pacsv.write_csv(arrow.slice(0, half), target)
        tail = second.result()
    with open(target, "ab") as handle:
        handle.write(memoryview(tail))


def _csv_bytes(arrow: pa.Table) -> pa.Buffer:
    sink = pa.BufferOutputStream()
    pacsv.write_csv(arrow, sink, pacsv.WriteOptions(include_header=False))
    return sink.getvalue()


def _bounds(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    parts = text.split(",")
    try:
        low, high = (float(part) for part in parts)
    except ValueError:
        raise OptionError("weight_bounds_invalid", low=text, high="") from None
    return low, high


def margins_read(path: Path) -> list[Margin]:
    """The margins file as :class:`Margin` objects, in the order of first appearance.

    :class:`InputError` names the row (counting the header as row 1) of a total that is not a
    number, a category given twice, or a variable given both with and without categories."""
    if not path.is_file():
        raise FileError("file_missing", path=str(path))
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise FileError("file_unreadable", path=str(path), reason=str(error)[:200]) from error
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    absent = [name for name in MARGIN_COLUMNS if name not in header]
    if absent:
        raise InputError("weight_margins_header", path=str(path), columns=", ".join(absent))
    where = {name: header.index(name) for name in MARGIN_COLUMNS}
    categorical: dict[str, dict[str, float]] = {}
    continuous: dict[str, float] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: (row[i].strip() if i < len(row) else "") for name, i in where.items()}
        variable, category = cells["variable"], cells["category"]
        try:
            total = float(cells["total"])
        except ValueError:
            total = math.nan
        if not variable or not math.isfinite(total):
            raise InputError("weight_margins_row", path=str(path), row=number)
        known = categorical.get(variable, {})
        if (
            category in known
            or variable in continuous
            or (not category and variable in categorical)
        ):
            raise InputError(
                "weight_margins_duplicate", path=str(path), row=number, column=variable
            )
        if category:
            categorical.setdefault(variable, {})[category] = total
        else:
            continuous[variable] = total
    order = list(dict.fromkeys([*categorical, *continuous]))
    return [
        Margin(variable=v, totals=categorical[v])
        if v in categorical
        else Margin(variable=v, total=continuous[v])
        for v in order
    ]


def replicate_columns(columns: list[str], spec: str | None) -> list[str]:
    """The replicate weight columns ``--rep-weights`` names, by the rule of ``estimate``'s
    option (:func:`copcore.stats.replication.replicate_columns_resolve`)."""
    if not spec:
        return []
    names = [name.strip() for name in spec.split(",") if name.strip()]
    return list(replicate_columns_resolve(names, columns))


def _replicates(table: Table, names: list[str]) -> FloatArray | None:
    if not names:
        return None
    return np.column_stack([replicate_column(table, name) for name in names])
