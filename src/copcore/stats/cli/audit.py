"""``copstats audit TABLE.csv``: what an attacker can derive about each suppressed cell of a
published table from its other cells and totals.

The table is a CSV in wide form: the first row holds the column labels, the first column the
row labels; a row and a column labelled ``--total`` (default ``Total``) hold the margins; a
suppressed cell is empty or one of ``--marker`` (default ``x,X,..,C,*``). With ``--original``
(the same table before suppression) cells are judged against their true values, and ``--out``
writes the table with the complementary suppressions needed for every cell to pass.
Exit status 0 when every suppressed cell is protected, 1 otherwise.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np

from copcore.stats.audit import CellInterval, Table2D, suppress_until_protected, table_audit
from copcore.stats.cli.command import EXIT_INVALID, Command, Subparsers, language_option
from copcore.stats.errors import FileError, InputError
from copcore.stats.formats import atomic_write
from copcore.stats.messages import message_format


def add_parser(subparsers: Subparsers) -> None:
    """Add ``audit`` to the ``copstats`` parser."""
    cmd = subparsers.add_parser("audit", help="audit the suppressed cells of a published table")
    cmd.add_argument("table", type=Path, help="the table as published (CSV, wide form)")
    cmd.add_argument("--original", type=Path, help="the same table before suppression")
    cmd.add_argument("--protection", type=float, default=0.1, help="share of a cell (0.1)")
    cmd.add_argument("--total", default="Total", help="label of the total row and column")
    cmd.add_argument("--marker", default="x,X,..,C,*", help="suppression markers (x,X,..,C,*)")
    cmd.add_argument("--out", type=Path, help="with --original: the table safe to publish")
    language_option(cmd)
    cmd.set_defaults(handler=audit_run)


def audit_run(command: Command) -> int:
    args = command.args
    markers = {m.strip() for m in str(args.marker).split(",")} | {""}
    published = table_parse(args.table, args.total, markers)
    original = None
    if args.original is not None:
        full = table_parse(args.original, args.total, markers)
        if (full.rows, full.columns) != (published.rows, published.columns) or np.isnan(
            full.values
        ).any():
            raise InputError("audit_original_differs", path=str(args.original))
        original = full.values
    if args.out is not None and original is None:
        raise InputError("option_required", options="--original", help="copstats audit --help")
    if args.out is not None and original is not None:
        published, audit = suppress_until_protected(original, published, protection=args.protection)
        marker = next(m for m in str(args.marker).split(",") if m.strip()) or "x"
        text = table_text(published, marker)

        def write(target: str) -> None:
            Path(target).write_text(text, encoding="utf-8")

        atomic_write(args.out, write)
    else:
        audit = table_audit(published, protection=args.protection, original=original)
    command.stdout(report_text(audit, command.lang))
    return 0 if all(cell.status == "protected" for cell in audit) else EXIT_INVALID


def table_parse(path: Path, total: str, markers: set[str]) -> Table2D:
    """A wide CSV table; :class:`InputError` names a cell that is neither a number nor a
    marker."""
    if not path.is_file():
        raise FileError("file_missing", path=str(path))
    try:
        rows = [r for r in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))) if r]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise FileError("file_unreadable", path=str(path), reason=str(error)[:200]) from error
    if len(rows) < 2 or len(rows[0]) < 2:
        raise InputError("audit_table_shape", path=str(path))
    columns = tuple(cell.strip() for cell in rows[0][1:])
    labels: list[str] = []
    values = np.full((len(rows) - 1, len(columns)), np.nan)
    for i, row in enumerate(rows[1:]):
        labels.append(row[0].strip())
        for j, column in enumerate(columns):
            text = row[j + 1].strip() if j + 1 < len(row) else ""
            if text in markers:
                continue
            try:
                number = float(text.replace(",", ""))
            except ValueError:
                number = math.nan
            if not math.isfinite(number):
                raise InputError("audit_cell_invalid", row=labels[-1], column=column, value=text)
            values[i, j] = number
    wanted = total.strip().lower()
    row_total = next((i for i, label in enumerate(labels) if label.lower() == wanted), None)
    column_total = next((j for j, label in enumerate(columns) if label.lower() == wanted), None)
    return Table2D(values, tuple(labels), columns, row_total, column_total)


def table_text(table: Table2D, marker: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["", *table.columns])
    for label, row in zip(table.rows, table.values, strict=True):
        writer.writerow([label, *(marker if np.isnan(v) else f"{v:g}" for v in row)])
    return buffer.getvalue()


STATUS_MESSAGES = {
    "protected": "audit_protected",
    "exact": "audit_exact",
    "narrow": "audit_narrow",
}


def report_text(audit: list[CellInterval], lang: str) -> str:
    lines = []
    for cell in audit:
        lines.append(
            message_format(
                "audit_cell",
                {
                    "row": cell.row,
                    "column": cell.column,
                    "low": f"{cell.low:g}",
                    "high": "∞" if math.isinf(cell.high) else f"{cell.high:g}",
                    "status": message_format(STATUS_MESSAGES[cell.status], {}, lang),
                },
                lang,
            )
        )
    failing = sum(cell.status != "protected" for cell in audit)
    lines.append(
        message_format("audit_summary", {"suppressed": len(audit), "failing": failing}, lang)
    )
    return "\n".join(lines) + "\n"
