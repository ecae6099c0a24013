"""What the Taylor kernel sums by fine group, and where each sum sits in a block.

For ``k`` numerators over ``u`` distinct denominators the kernel needs, per fine group:
``w y``, ``w x``, the universe's row count, ``w y²`` for numerators that are not 0/1, and for
ratio estimators (a denominator that is not a 0/1 indicator) ``w x y``, ``w x²`` and the
universe's weight; in the element design (each row its own PSU) also the same with ``w²``.
:class:`SumsLayout` says where each kind is; :func:`ratio_terms` and :func:`universe_weight`
read the ratio terms back per numerator (for a 0/1 denominator they are ``y`` and ``x``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from copcore.stats.columns import FloatArray, IntArray
from copcore.stats.group_sums import ColumnSummer

Column = NDArray[np.float64] | NDArray[np.bool_]


@dataclass(frozen=True)
class SumsLayout:
    """Where the columns of a block of sums are: ``k`` numerators, ``u`` distinct
    denominators (``den_index[j]``: the one of numerator ``j``), the ``nonbinary`` numerators'
    squares, the ``general`` (ratio) denominators and the numerators over them, ``cross``
    (see :func:`fine_sums`)."""

    k: int
    u: int
    den_index: IntArray
    nonbinary: IntArray
    general: IntArray
    cross: IntArray

    def offsets(self, squared_weights: bool) -> dict[str, int]:
        """Start of each kind of sum in the block, in the order :func:`fine_sums` writes."""
        sizes = [
            ("wy", self.k),
            ("wx", self.u),
            ("count", self.u),
            ("wy2", len(self.nonbinary)),
            ("wxy", len(self.cross)),
            ("wx2", len(self.general)),
            ("wu", len(self.general)),
        ]
        if squared_weights:
            sizes += [
                ("w2y", self.k),
                ("w2x", self.u),
                ("w2y2", len(self.nonbinary)),
                ("w2xy", len(self.cross)),
                ("w2x2", len(self.general)),
            ]
        out: dict[str, int] = {}
        at = 0
        for name, size in sizes:
            out[name] = at
            at += size
        out["end"] = at
        return out


def fine_sums(
    summer: ColumnSummer,
    num_cols: Sequence[Column],
    den_cols: Sequence[Column],
    layout: SumsLayout,
    *,
    squared_weights: bool,
) -> FloatArray:
    """Fine-group sums of every column the kernel needs, one pass over the rows each.

    Columns: ``w y`` (k), ``w x`` (u), the universe's row count (u: ``x`` itself for a 0/1
    indicator), ``w y²`` (non-binary), ``w x y`` (numerators over a ratio's denominator),
    ``w x²`` and ``w 1[universe]`` (ratio denominators); with ``squared_weights`` also ``w² y``
    (k), ``w² x`` (u), ``w² y²`` (non-binary), ``w² x y`` and ``w² x²``.
    """
    general = set(int(i) for i in layout.general)
    universes = {i: ~np.isnan(den_cols[i]) for i in general}
    products = [num_cols[int(j)] * den_cols[int(layout.den_index[j])] for j in layout.cross]
    parts: list[FloatArray] = []
    parts.extend(summer.weighted(column) for column in num_cols)
    parts.extend(summer.weighted(column) for column in den_cols)
    parts.extend(
        summer.counted(universes[i] if i in general else column)
        for i, column in enumerate(den_cols)
    )
    parts.extend(summer.squared(num_cols[j]) for j in layout.nonbinary)
    parts.extend(summer.weighted(product) for product in products)
    parts.extend(summer.squared(den_cols[int(i)]) for i in layout.general)
    parts.extend(summer.weighted(universes[int(i)]) for i in layout.general)
    if squared_weights:
        parts.extend(summer.weighted(column, twice=True) for column in num_cols)
        parts.extend(summer.weighted(column, twice=True) for column in den_cols)
        parts.extend(summer.squared(num_cols[j], twice=True) for j in layout.nonbinary)
        parts.extend(summer.weighted(product, twice=True) for product in products)
        parts.extend(summer.squared(den_cols[int(i)], twice=True) for i in layout.general)
    out = np.empty((summer.groups.count, len(parts)), dtype=np.float64)
    for at, part in enumerate(parts):
        out[:, at] = part
    return out


def ratio_terms(
    g: FloatArray, layout: SumsLayout, at: dict[str, int], y: FloatArray, x: FloatArray, w2: bool
) -> tuple[FloatArray, FloatArray]:
    """Per numerator, the sums of ``x y`` and ``x²`` (weighted once, or twice with ``w2``)
    from a block of sums whose last axis is :func:`fine_sums`' columns; for a 0/1
    denominator they are ``y`` and ``x`` themselves."""
    cross = y.copy()
    xx = x.copy()
    if len(layout.cross):
        position = np.searchsorted(layout.general, layout.den_index[layout.cross])
        xy_at, x2_at = (at["w2xy"], at["w2x2"]) if w2 else (at["wxy"], at["wx2"])
        cross[..., layout.cross] = g[..., xy_at : xy_at + len(layout.cross)]
        xx[..., layout.cross] = g[..., x2_at + position]
    return cross, xx


def universe_weight(
    g: FloatArray, layout: SumsLayout, at: dict[str, int], x: FloatArray
) -> FloatArray:
    """Per numerator, the weighted count of its universe (``x`` for a 0/1 denominator)."""
    wu = x.copy()
    if len(layout.cross):
        position = np.searchsorted(layout.general, layout.den_index[layout.cross])
        wu[..., layout.cross] = g[..., at["wu"] + position]
    return wu
