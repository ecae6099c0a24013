"""Weighted sums of many columns over the cells of many breakdowns, one pass per column.

Every variance the engine computes starts from sums of weighted values by (sampling unit, cell)
for every breakdown. Rows are first coded into *fine groups*: the distinct combinations of
sampling unit (the PSU, or the stratum when each row is its own PSU) and cell of every
breakdown. Each column is then summed once by fine group (``np.bincount``), and the sums by
(unit, cell) of any breakdown are sums of fine-group sums: a product with a small sparse
matrix. A survey of a million rows in 2,000 PSUs with a few breakdowns has some ten thousand
fine groups, so a column costs one pass over the rows however many breakdowns there are.

Numerator columns may hold NaN for rows outside their universe: NaN counts as 0 here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from copcore.stats.columns import KEY_RANGE_LIMIT, FloatArray, IntArray, codes_compact

# Bound (in float64 values) of a block of fine-group sums; more columns are batched.
BLOCK_VALUES = 1 << 25


@dataclass(frozen=True)
class Breakdown:
    """One partition of the rows: ``codes[i]`` is the cell of row ``i`` (``-1``: no cell)."""

    codes: IntArray
    n_cells: int


@dataclass(frozen=True)
class FineGroups:
    """Rows coded by (unit, cell of every breakdown).

    ``ids[i]`` is the fine group of row ``i``; ``unit[g]`` the unit of fine group ``g`` and
    ``cells[b][g]`` its cell in breakdown ``b`` (``-1``: none) of ``n_cells[b]``.
    """

    ids: IntArray
    count: int
    unit: IntArray
    cells: tuple[IntArray, ...]
    n_cells: tuple[int, ...]


def fine_groups(unit: IntArray, n_units: int, breakdowns: Sequence[Breakdown]) -> FineGroups:
    """Code every row by its unit and its cell in each of ``breakdowns``."""
    n_rows = len(unit)
    key = np.array(unit, dtype=np.int64, copy=True)
    key_range = max(n_units, 1)
    for breakdown in breakdowns:
        size = breakdown.n_cells + 1  # slot 0: the row is in no cell of this breakdown
        if key_range * size > KEY_RANGE_LIMIT:
            key, key_range = codes_compact(key, key_range)
        key *= size
        key += breakdown.codes
        key += 1
        key_range *= size
    ids, count = codes_compact(key, key_range)
    # Any row of a fine group represents it: all its rows share unit and cells.
    representative = np.empty(count, dtype=np.int64)
    representative[ids] = np.arange(n_rows, dtype=np.int64)
    return FineGroups(
        ids=ids,
        count=count,
        unit=np.asarray(unit[representative], dtype=np.int64),
        cells=tuple(
            np.asarray(breakdown.codes[representative], dtype=np.int64) for breakdown in breakdowns
        ),
        n_cells=tuple(breakdown.n_cells for breakdown in breakdowns),
    )


class ColumnSummer:
    """Sums of weighted columns by fine group, reusing row-length buffers.

    ``weighted(c)`` gives ``sum w c``, ``counted(c)`` ``sum c`` and ``squared(c)`` ``sum w c²``
    by fine group (``twice=True``: ``w²`` instead of ``w``); NaN values count as 0.
    """

    def __init__(self, groups: FineGroups, weights: FloatArray) -> None:
        self.groups = groups
        self.weights = weights
        self._buffer = np.empty(len(weights), dtype=np.float64)
        self._spare: FloatArray | None = None

    def weighted(self, column: NDArray[np.generic], *, twice: bool = False) -> FloatArray:
        """``sum w c`` by fine group."""
        values = np.multiply(self.weights, column, out=self._buffer)
        if twice:
            values *= self.weights
        return self._sum(values, column, nonnegative=_nonnegative(column))

    def counted(self, column: NDArray[np.generic]) -> FloatArray:
        """``sum c`` by fine group."""
        np.copyto(self._buffer, column)
        return self._sum(self._buffer, column, nonnegative=_nonnegative(column))

    def squared(self, column: NDArray[np.generic], *, twice: bool = False) -> FloatArray:
        """``sum w c²`` by fine group."""
        values = np.multiply(self.weights, column, out=self._buffer)
        values *= column
        if twice:
            values *= self.weights
        return self._sum(values, column, nonnegative=True)

    def _sum(
        self, values: FloatArray, column: NDArray[np.generic], *, nonnegative: bool
    ) -> FloatArray:
        if column.dtype != np.bool_:
            # NaN to 0 without a mask (masked writes are several times slower): fmax and
            # fmin ignore NaN, and for a value x, fmax(x, 0) + fmin(x, 0) == x exactly.
            if nonnegative:
                np.fmax(values, 0.0, out=values)
            else:
                if self._spare is None:
                    self._spare = np.empty(len(values), dtype=np.float64)
                np.fmax(values, 0.0, out=self._spare)
                np.fmin(values, 0.0, out=values)
                values += self._spare
        sums = np.bincount(self.groups.ids, weights=values, minlength=self.groups.count)
        return np.asarray(sums, dtype=np.float64)


def _nonnegative(column: NDArray[np.generic]) -> bool:
    """True when no value is negative (NaN ignored; an empty or all-NaN column counts)."""
    if column.dtype == np.bool_ or len(column) == 0:
        return True
    low = float(np.fmin.reduce(column))
    return bool(np.isnan(low) or low >= 0.0)


def group_sum(labels: IntArray, n_labels: int, values: FloatArray) -> FloatArray:
    """Sum the rows of ``values`` (2-D) by ``labels`` (``-1`` dropped) into ``n_labels`` rows."""
    import scipy.sparse as sp  # here: importing it costs a third of a second to other commands

    keep = labels >= 0
    matrix = sp.csr_matrix(
        (np.ones(int(keep.sum())), (labels[keep], np.flatnonzero(keep))),
        shape=(n_labels, len(labels)),
    )
    return np.asarray(matrix @ values, dtype=np.float64)
