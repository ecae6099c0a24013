"""``copstats weight``: write the data with a weight calibrated to population totals.

The margins file is a CSV with the columns ``variable,category,total``: one row per category of
each calibration variable; a row with an empty category gives the population total of a
continuous variable (``linear`` and ``logit`` only). Replicate weights named by
``--rep-weights`` are adjusted the same way and written as ``<name>1 … <name>R``.

``--trim max=W|max=K*median|max=K*mean|max=pP`` (and ``min=…`` alike, comma-separated) keeps
the weights within bounds first, keeping their total
(:mod:`copcore.stats.trimming`), alone or before the calibration (which then starts from the
trimmed weights and meets the margins exactly; its factors may take some weights above the cap
again, which ``--bounds`` limits).
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
from copcore.stats.trimming import TRIM_FORMS, Trimming, trim_bounds, weights_trim
from copcore.stats.weighting import METHODS, Margin, Weighting, factor_summary, weights_adjust

MARGIN_COLUMNS = ("variable", "category", "total")
WRITERS = (".csv", ".parquet", ".pq")


def add_parser(subparsers: Subparsers) -> None:
    """Add ``weight`` to the ``copstats`` parser."""
    cmd = subparsers.add_parser(
        "weight",
        help="calibrate weights to population totals (poststratify, rake, linear, logit); trim",
    )
    cmd.add_argument("data", type=Path, help="survey microdata (.csv .parquet .xlsx .sav .dta)")
    cmd.add_argument("--weight", required=True, help="the design weight column")
    cmd.add_argument("--method", choices=METHODS)
    cmd.add_argument("--margins", type=Path, help="CSV with the columns variable,category,total")
    cmd.add_argument(
        "--trim",
        metavar="max=…[,min=…]",
        help=f"keep the weights within bounds and their total ({TRIM_FORMS}); before calibration",
    )
    cmd.add_argument(
        "--name", help="name of the new weight column (calwt; trimwt when only trimming)"
    )
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
    if args.method is None and args.trim is None:
        raise OptionError("weight_method_or_trim")
    if args.method is not None and args.margins is None:
        raise OptionError("option_needs", option="--method", needs="--margins")
    if args.margins is not None and args.method is None:
        raise OptionError("option_needs", option="--margins", needs="--method")
    bounds = _bounds(args.bounds)
    margins = margins_read(args.margins) if args.margins is not None else []
    arrow = arrow_read(args.data)
    replicate_names = replicate_columns(arrow.column_names, args.rep_weights)
    # Only the columns the adjustment reads are converted; the others go to the output as read.
    used = {args.weight, *(m.variable for m in margins), *replicate_names}
    table = table_from_arrow(
        arrow.select([i for i, name in enumerate(arrow.column_names) if name in used])
    )
    weights = design_weights(table, Design(weight=args.weight))
    replicates = _replicates(table, replicate_names)
    column = args.name or ("calwt" if args.method else "trimwt")
    names = [column, *(f"{column}{i}" for i in range(1, len(replicate_names) + 1))]
    for name in names:
        if name in arrow.column_names:
            raise OptionError("weight_column_exists", column=name, option="--name")
    lang = command.lang
    report: list[str] = []
    if args.trim is not None:
        upper, lower = trim_bounds(args.trim, weights)
        trimming = weights_trim(weights, upper, lower, replicates)
        weights, replicates = trimming.weights, trimming.replicates
        report.append(_trim_report(trimming, lang))
    if args.method is not None:
        result = weights_adjust(
            table, weights, margins, method=args.method, bounds=bounds, replicates=replicates
        )
        weights, replicates = result.weights, result.replicates
        report.extend(_calibration_report(result, args.method, column, len(margins), lang))
    for index, name in enumerate(names):
        values = weights if index == 0 else replicates[:, index - 1]  # type: ignore[index]
        arrow = arrow.append_column(name, pa.array(values, type=pa.float64()))
    command.stdout("".join(report))
    if out.suffix.lower() == ".csv":
        atomic_write(out, lambda target: csv_write(arrow, target))
    else:
        atomic_write(out, lambda target: pq.write_table(arrow, target))
    return 0


def _trim_report(trimming: Trimming, lang: str) -> str:
    values: dict[str, str | int | float] = {
        "upper": "–" if trimming.upper is None else f"{trimming.upper:.6g}",
        "lower": "–" if trimming.lower is None else f"{trimming.lower:.6g}",
        "at_upper": trimming.at_upper,
        "at_lower": trimming.at_lower,
        "passes": trimming.passes,
        "total": f"{trimming.total:.6g}",
    }
    return message_format("weight_trim_done", values, lang) + "\n"


def _calibration_report(
    result: Weighting, method: str, column: str, margins: int, lang: str
) -> list[str]:
    summary = factor_summary(result)
    replicates = 0 if result.replicates is None else result.replicates.shape[1]
    return [
        message_format(
            "weight_done",
            {
                "method": method,
                "margins": margins,
                "iterations": result.iterations,
                "misfit": f"{result.misfit:.1e}",
                "column": column,
                "replicates": replicates,
            },
            lang,
        )
        + "\n",
        message_format("weight_factors", {k: f"{v:.4g}" for k, v in summary.items()}, lang) + "\n",
    ]


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
