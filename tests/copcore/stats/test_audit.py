"""The suppression audit on hand-solved tables: exact recovery of a lone suppressed cell, the
intervals of a suppressed rectangle, a table that "two in every line" leaves open (a bridge
cell recovered exactly), the conservative test of a published table, and complementary
suppression until every cell is protected."""

from __future__ import annotations

import numpy as np
import pytest

from copcore.stats.audit import Table2D, suppress_until_protected, table_audit
from copcore.stats.errors import InputError

NAN = np.nan
BASE = np.array(
    [
        [10.0, 20.0, 30.0, 60.0],
        [15.0, 25.0, 35.0, 75.0],
        [5.0, 5.0, 5.0, 15.0],
        [30.0, 50.0, 70.0, 150.0],
    ]
)
ROWS = ("r1", "r2", "r3", "Total")
COLUMNS = ("A", "B", "C", "Total")


def _table(values: np.ndarray, rows=ROWS, columns=COLUMNS) -> Table2D:
    return Table2D(values, rows, columns, row_total=len(rows) - 1, column_total=len(columns) - 1)


def _suppressed(*cells: tuple[int, int]) -> np.ndarray:
    values = BASE.copy()
    for cell in cells:
        values[cell] = NAN
    return values


def test_a_lone_suppressed_cell_is_recovered_exactly() -> None:
    (cell,) = table_audit(_table(_suppressed((0, 0))), protection=0.1, original=BASE)
    assert (cell.row, cell.column, cell.low, cell.high, cell.status) == ("r1", "A", 10, 10, "exact")


def test_a_suppressed_rectangle_gives_the_hand_solved_intervals() -> None:
    # a+t, b-t, c-t, d+t stay non-negative for t in [-10, 15].
    audit = table_audit(
        _table(_suppressed((0, 0), (0, 1), (1, 0), (1, 1))), protection=0.1, original=BASE
    )
    intervals = {(c.row, c.column): (c.low, c.high) for c in audit}
    assert intervals == {
        ("r1", "A"): (0, 25),
        ("r1", "B"): (5, 30),
        ("r2", "A"): (0, 25),
        ("r2", "B"): (15, 40),
    }
    assert {c.status for c in audit} == {"protected"}


def test_two_in_every_line_can_still_disclose_a_cell_exactly() -> None:
    # Two rectangles joined by one cell: every row and column with a suppression has at least
    # two, yet the joining cell (r1, C) is recovered exactly: a + b is fixed by the columns.
    values = np.array(
        [
            [4.0, 6.0, 9.0, 1.0, 20.0],
            [5.0, 3.0, 2.0, 7.0, 17.0],
            [8.0, 2.0, 6.0, 5.0, 21.0],
            [1.0, 9.0, 3.0, 4.0, 17.0],
            [18.0, 20.0, 20.0, 17.0, 75.0],
        ]
    )
    rows = ("r1", "r2", "r3", "r4", "Total")
    columns = ("A", "B", "C", "D", "Total")
    published = values.copy()
    for cell in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)]:
        published[cell] = NAN
    interior = np.isnan(published[:4, :4])
    assert all(line.sum() in (0, 2, 3) for line in (*interior, *interior.T))
    audit = table_audit(_table(published, rows, columns), protection=0.1, original=values)
    status = {(c.row, c.column): c.status for c in audit}
    assert status[("r1", "C")] == "exact"
    assert status[("r1", "A")] == "protected"


def test_a_published_table_is_judged_conservatively() -> None:
    # Without the original values: protected when the interval is at least P x its top wide.
    audit = table_audit(_table(_suppressed((0, 0), (0, 1), (1, 0), (1, 1))), protection=0.7)
    status = {(c.row, c.column): c.status for c in audit}
    assert status[("r2", "B")] == "narrow"  # [15, 40]: 25 wide, less than 0.7 x 40
    assert status[("r1", "A")] == "protected"  # [0, 25]: 25 wide, more than 0.7 x 25
    assert {c.status for c in table_audit(_table(_suppressed((0, 0))), protection=0.5)} == {"exact"}


def test_complementary_suppression_runs_until_every_cell_is_protected() -> None:
    published, audit = suppress_until_protected(BASE, _table(_suppressed((2, 0))), protection=0.2)
    assert np.isnan(published.values[2, 0])
    assert int(np.isnan(published.values).sum()) >= 4
    assert audit and {c.status for c in audit} == {"protected"}


def test_totals_that_cannot_be_met_are_refused() -> None:
    values = _suppressed((0, 0))
    values[0, 3] = 5.0  # the row total is less than its published cells
    with pytest.raises(InputError) as error:
        table_audit(_table(values), protection=0.1)
    assert error.value.code == "audit_inconsistent"


def test_a_suppressed_total_leaves_its_cells_unbounded_and_protected() -> None:
    # One line 9 + x + y = T with x, y and T suppressed: each is at least 0 and unbounded.
    table = Table2D(np.array([[9.0, NAN, NAN, NAN]]), ("n",), ("a", "b", "c", "T"), None, 3)
    audit = table_audit(table, protection=0.1, original=np.array([[9.0, 3.0, 4.0, 16.0]]))
    assert [(c.column, c.low, c.high, c.status) for c in audit] == [
        ("b", 0.0, np.inf, "protected"),
        ("c", 0.0, np.inf, "protected"),
        ("T", 9.0, np.inf, "protected"),
    ]
