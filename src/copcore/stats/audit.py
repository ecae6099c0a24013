"""Suppression audit: what an attacker can work out about each suppressed cell of a table from
everything published with it.

A table with margins ties its cells together: every row and column adds up to its total. Cells
suppressed one by one ("at least two in every line") can still be recovered exactly, or within a
narrow range, by solving those equations — the attack of sdcTable's ``attack()`` and of
τ-ARGUS's audit. For each suppressed cell we compute the smallest and largest value consistent
with the published cells and totals and with cells being non-negative (two linear programmes,
SciPy's HiGHS), and compare the interval with a protection level ``P``:

- with the original values known (a table being prepared for publication), a cell is protected
  when the interval reaches ``v(1 − P)`` below and ``v(1 + P)`` above (upper and lower
  protection, as τ-ARGUS and sdcTable define them);
- for a table already published, the value is unknown, so the test is the conservative one:
  the interval is at least ``P`` × its upper end wide.

:func:`suppress_until_protected` adds complementary suppressions (the smallest cell of the
line of a failing cell) until every cell passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog

from copcore.stats.columns import BoolArray, FloatArray
from copcore.stats.errors import InputError

EXACT = 1e-9


@dataclass(frozen=True)
class Table2D:
    """Values of a table (``NaN`` where suppressed) with its labels. ``row_total`` and
    ``column_total`` give the index of the total row / column, if the table has one."""

    values: FloatArray
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    row_total: int | None
    column_total: int | None


@dataclass(frozen=True)
class CellInterval:
    """What can be derived about one suppressed cell: ``status`` is ``protected``, ``exact``
    (recovered exactly) or ``narrow`` (an interval tighter than the protection level)."""

    row: str
    column: str
    low: float
    high: float
    status: str


def _lines(table: Table2D) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Each additivity relation as (cells that add up, the cell of their total)."""
    values = table.values
    n_rows, n_columns = values.shape
    lines: list[tuple[list[tuple[int, int]], tuple[int, int]]] = []
    if table.column_total is not None:
        for i in range(n_rows):
            parts = [(i, j) for j in range(n_columns) if j != table.column_total]
            lines.append((parts, (i, table.column_total)))
    if table.row_total is not None:
        for j in range(n_columns):
            parts = [(i, j) for i in range(n_rows) if i != table.row_total]
            lines.append((parts, (table.row_total, j)))
    return lines


def table_audit(
    table: Table2D, *, protection: float, original: FloatArray | None = None
) -> list[CellInterval]:
    """The interval of every suppressed cell, and whether it is protected.

    :class:`InputError` ``audit_inconsistent`` when the published cells cannot add up to the
    published totals with non-negative suppressed cells (then the table itself is wrong)."""
    suppressed = np.isnan(table.values)
    cells = [tuple(int(v) for v in index) for index in np.argwhere(suppressed)]
    if not cells:
        return []
    position = {cell: k for k, cell in enumerate(cells)}
    rows_a: list[NDArray[np.float64]] = []
    rhs: list[float] = []
    for parts, total in _lines(table):
        row = np.zeros(len(cells))
        constant = 0.0
        for cell in parts:
            if cell in position:
                row[position[cell]] += 1.0
            else:
                constant += float(table.values[cell])
        if total in position:
            row[position[total]] -= 1.0
        else:
            constant -= float(table.values[total])
        if row.any():
            rows_a.append(row)
            rhs.append(-constant)
    a_eq = np.vstack(rows_a) if rows_a else None
    b_eq = np.asarray(rhs) if rows_a else None
    out: list[CellInterval] = []
    for k, (i, j) in enumerate(cells):
        objective = np.zeros(len(cells))
        objective[k] = 1.0
        low = _optimum(objective, a_eq, b_eq, table)
        high = -_optimum(-objective, a_eq, b_eq, table)
        value = None if original is None else float(original[i, j])
        out.append(
            CellInterval(
                row=table.rows[i],
                column=table.columns[j],
                low=low,
                high=high,
                status=_status(low, high, value, protection),
            )
        )
    return out


def _optimum(
    objective: FloatArray,
    a_eq: FloatArray | None,
    b_eq: FloatArray | None,
    table: Table2D,
) -> float:
    result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    if result.status == 3:  # unbounded: the attacker learns nothing above
        return -np.inf
    if result.status != 0:
        raise InputError("audit_inconsistent", rows=len(table.rows), columns=len(table.columns))
    return float(result.fun)


def _status(low: float, high: float, value: float | None, protection: float) -> str:
    # An unbounded interval (a suppressed total above cells that are suppressed too) is
    # never exact: ``inf - low <= EXACT * inf`` would say it is.
    if np.isfinite(high) and high - low <= EXACT * max(1.0, abs(high)):
        return "exact"
    if value is not None:
        below = low <= value * (1.0 - protection) + EXACT
        above = high >= value * (1.0 + protection) - EXACT
        return "protected" if below and above else "narrow"
    return "protected" if high - low >= protection * high else "narrow"


def suppress_until_protected(
    original: FloatArray, table: Table2D, *, protection: float
) -> tuple[Table2D, list[CellInterval]]:
    """Add complementary suppressions until the audit passes: for the first failing cell, the
    smallest published cell of its row or column (interior cells before totals). Returns the
    table as it may be published and its audit."""
    current = table
    for _ in range(original.size):
        audit = table_audit(current, protection=protection, original=original)
        failing = [cell for cell in audit if cell.status != "protected"]
        if not failing:
            return current, audit
        i, j = current.rows.index(failing[0].row), current.columns.index(failing[0].column)
        choice = _complement(original, current, i, j)
        if choice is None:
            break
        values = current.values.copy()
        values[choice] = np.nan
        current = Table2D(
            values, current.rows, current.columns, current.row_total, current.column_total
        )
    audit = table_audit(current, protection=protection, original=original)
    return current, audit


def _complement(original: FloatArray, table: Table2D, i: int, j: int) -> tuple[int, int] | None:
    published: BoolArray = ~np.isnan(table.values)
    candidates = [(i, c) for c in range(original.shape[1]) if published[i, c]]
    candidates += [(r, j) for r in range(original.shape[0]) if published[r, j]]
    if not candidates:
        return None

    def cost(cell: tuple[int, int]) -> tuple[int, float]:
        is_total = cell[0] == table.row_total or cell[1] == table.column_total
        return (1 if is_total else 0, float(original[cell]))

    return min(candidates, key=cost)
