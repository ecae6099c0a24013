"""The reduction kernel: many ratio (or total) estimators × many domains in one pass.

Every statistic of the engine is a domain ratio of weighted totals,
``R_d = sum_i w_i y_i 1[i in d] / sum_i w_i x_i 1[i in d]`` with ``x`` the 0/1 indicator of
the variable's universe (valid value, denominator condition) for proportions and means, any
numeric column for a ratio estimator (``copstats estimate --ratio Y/X``), or the total ``Y_d``
itself. The
variance is the Taylor-linearised (ultimate-cluster) estimator with PSUs drawn with replacement
within strata, multiplied by ``1 - f_h`` when a finite-population correction is given
(Wolter 2007 §6.11; Korn & Graubard 1999 §2.4; Binder 1983). Domains keep the full design: rows
outside the domain contribute zeros, they are never removed (Cochran 1977 §2.13).

The arithmetic is arranged for speed (:mod:`copcore.stats.group_sums`): every column is summed
once by fine group (unit × cell of every breakdown), and the sums by PSU and cell of each
breakdown come from those; everything after that works on PSU totals, which are few.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from copcore.stats.columns import BoolArray, FloatArray, IntArray
from copcore.stats.design import PreparedDesign
from copcore.stats.group_sums import (
    BLOCK_VALUES,
    Breakdown,
    ColumnSummer,
    FineGroups,
    fine_groups,
    group_sum,
)
from copcore.stats.variance_sums import SumsLayout, fine_sums, ratio_terms, universe_weight

__all__ = ["Breakdown", "RatioEstimates", "denominators_unique", "ratio_estimate"]

# Above this many (PSU, cell) slots a breakdown's groups are compressed to those present.
_DENSE_GROUP_LIMIT = 1 << 22
# Numerator columns reduced together at most (fewer when there are many fine groups).
_BATCH_COLUMNS = 256

Column = NDArray[np.float64] | NDArray[np.bool_]


@dataclass(frozen=True)
class RatioEstimates:
    """Kernel output for one breakdown; every array is ``(n_cells, k)``.

    ``n`` counts rows in the cell and in the variable's universe (unweighted); ``df`` is the
    domain's design degrees of freedom: PSUs holding such rows minus strata holding them (as
    ``svy`` and R ``survey`` count them for a domain). ``deff`` is the design effect against
    simple random sampling with replacement of the same ``n`` (Kish 1965 §8.2; ``svy``'s
    ``deff="wr"``).
    """

    estimate: FloatArray
    variance: FloatArray
    se: FloatArray
    deff: FloatArray
    numerator_total: FloatArray
    denominator_total: FloatArray
    n: IntArray
    df: IntArray


def denominators_general(denominators: Sequence[Column]) -> BoolArray:
    """Which denominators hold a ratio's values rather than a 0/1 universe indicator: a
    float column with a finite value other than 0 and 1."""
    return np.asarray(
        [
            column.dtype != np.bool_
            and bool(np.any(np.isfinite(column) & (column != 0.0) & (column != 1.0)))
            for column in denominators
        ],
        dtype=np.bool_,
    )


def denominators_unique(
    denominators: Sequence[Column],
) -> tuple[list[Column], IntArray]:
    """Distinct denominator columns and, for each input column, the index of its twin (0/1
    columns compared by their pattern of non-zeros, a ratio's denominators by value)."""
    seen: dict[bytes, int] = {}
    index = np.empty(len(denominators), dtype=np.int64)
    unique: list[Column] = []
    general = denominators_general(denominators)
    for j, column in enumerate(denominators):
        if general[j]:
            key = b"v" + np.asarray(column, dtype=np.float64).tobytes()
        else:
            key = np.packbits(np.asarray(column != 0, dtype=np.bool_)).tobytes()
        if key not in seen:
            seen[key] = len(unique)
            unique.append(column)
        index[j] = seen[key]
    return unique, index


def _binary_columns(numerators: Sequence[Column]) -> BoolArray:
    return np.asarray(
        [
            column.dtype == np.bool_ or bool(np.all((column == 0.0) | (column == 1.0)))
            for column in numerators
        ],
        dtype=np.bool_,
    )


@dataclass(frozen=True)
class _CellMoments:
    """Per (stratum, cell) sums of linearised values, and per cell totals and counts."""

    s1: FloatArray  # (H, D, k)
    s2: FloatArray  # (H, D, k)
    y: FloatArray  # (D, k) weighted numerator totals
    x: FloatArray  # (D, k) weighted denominator totals
    q: FloatArray  # (D, k) weighted totals of numerator squared
    cross: FloatArray  # (D, k) weighted totals of numerator × denominator (= y for 0/1 x)
    xx: FloatArray  # (D, k) weighted totals of denominator squared (= x for 0/1 x)
    wu: FloatArray  # (D, k) weighted count of the universe (= x for 0/1 x)
    n: FloatArray  # (D, k) rows in cell and universe
    psu_count: FloatArray  # (H, D, k) PSUs holding such rows
    t1: FloatArray  # (H, D, k) sums of PSU totals of w*y, for totals
    t2: FloatArray  # (H, D, k) sums of squared PSU totals of w*y


def _as_columns(values: FloatArray | Sequence[Column]) -> list[Column]:
    if isinstance(values, np.ndarray) and values.ndim == 2:
        return [values[:, j] for j in range(values.shape[1])]
    return [
        column if column.dtype in (np.bool_, np.float64) else np.asarray(column, np.float64)
        for column in values
    ]


def ratio_estimate(
    prepared: PreparedDesign,
    numerators: FloatArray | Sequence[Column],
    denominators: FloatArray | Sequence[Column],
    breakdowns: Sequence[Breakdown],
    *,
    totals: BoolArray | bool = False,
    denominator_index: IntArray | None = None,
    binary: BoolArray | None = None,
    general: BoolArray | None = None,
) -> tuple[RatioEstimates, ...]:
    """Estimate ``k`` domain ratios (or totals) in every cell of every breakdown at once.

    ``numerators`` is ``(n_rows, k)`` or ``k`` columns: the value where the row is in the
    variable's universe, 0 or NaN elsewhere. ``denominators`` holds 0/1 (or boolean) universe
    indicators, or — for a ratio estimator ``sum w y / sum w x`` — the values ``x`` where the
    row is in the ratio's universe and NaN elsewhere (``general[i]`` says which, for the
    distinct denominators; detected when omitted, see :func:`denominators_general`): ``k``
    columns (identical ones are detected and reduced once), or ``u`` distinct ones with
    ``denominator_index[j]`` naming the one of column ``j``. ``totals[j]`` makes column ``j`` a
    total ``sum w y`` instead of a ratio; ``binary[j]`` (detected when omitted) says the
    numerator is 0/1. Taylor linearisation (Woodruff 1971): the ratio's linearised value is
    ``(y - R x) / X``; variance from PSU totals within strata (see the module docstring).
    ``n`` counts the rows in the universe (non-zero indicator; non-NaN ratio denominator).
    """
    num_cols = _as_columns(numerators)
    den_cols = _as_columns(denominators)
    k = len(num_cols)
    is_total = np.broadcast_to(np.asarray(totals, dtype=np.bool_), (k,))
    if denominator_index is None:
        den_cols, den_index = denominators_unique(den_cols)
    else:
        den_index = np.asarray(denominator_index, dtype=np.int64)
    if binary is None:
        binary = _binary_columns(num_cols)
    if general is None:
        general = denominators_general(den_cols)
    general = np.asarray(general, dtype=np.bool_)
    clustered = prepared.psu is not None
    unit = prepared.psu if prepared.psu is not None else prepared.stratum
    n_units = prepared.n_psu if clustered else prepared.n_strata
    groups = fine_groups(unit, n_units, breakdowns)
    summer = ColumnSummer(groups, prepared.weights)
    # Each column takes up to 10 sums; keep a batch's block of fine-group sums bounded.
    batch_size = max(1, min(_BATCH_COLUMNS, BLOCK_VALUES // (10 * max(groups.count, 1))))
    reduce = _moments_clustered if clustered else _moments_element
    moments: list[list[_CellMoments]] = []
    for start in range(0, k, batch_size):
        batch = slice(start, min(k, start + batch_size))
        used = np.unique(den_index[batch])
        local = np.searchsorted(used, den_index[batch])
        nonbinary = np.flatnonzero(~np.asarray(binary[batch], dtype=np.bool_))
        shape = SumsLayout(
            k=len(num_cols[batch]),
            u=len(used),
            den_index=local,
            nonbinary=nonbinary,
            general=np.flatnonzero(general[used]),
            cross=np.flatnonzero(general[used][local]),
        )
        sums = fine_sums(
            summer,
            num_cols[batch],
            [den_cols[int(i)] for i in used],
            shape,
            squared_weights=not clustered,
        )
        moments.append(reduce(prepared, groups, sums, shape))
    results: list[RatioEstimates] = []
    for b in range(len(breakdowns)):
        merged = _moments_merge([batch[b] for batch in moments])
        results.append(_finish(prepared, merged, is_total, binary))
    return tuple(results)


def _moments_merge(parts: Sequence[_CellMoments]) -> _CellMoments:
    if len(parts) == 1:
        return parts[0]
    return _CellMoments(
        **{
            name: np.concatenate([getattr(part, name) for part in parts], axis=-1)
            for name in (
                *("s1", "s2", "y", "x", "q", "cross", "xx", "wu"),
                *("n", "psu_count", "t1", "t2"),
            )
        }
    )


def _unit_cells(
    groups: FineGroups, b: int, n_units: int
) -> tuple[IntArray, IntArray, IntArray, int]:
    """Group (unit × cell of breakdown ``b``) of each fine group, with each group's unit and
    cell; only the groups holding rows when there would be too many slots."""
    n_cells = groups.n_cells[b]
    cells = groups.cells[b]
    raw = np.where(cells >= 0, groups.unit * n_cells + cells, -1)
    slots = n_units * n_cells
    if slots <= _DENSE_GROUP_LIMIT:
        every = np.arange(slots, dtype=np.int64)
        return raw, every // n_cells, every % n_cells, slots
    present, inverse = np.unique(raw[raw >= 0], return_inverse=True)
    ids = np.full(len(raw), -1, dtype=np.int64)
    ids[raw >= 0] = inverse.reshape(-1)
    return ids, present // n_cells, present % n_cells, len(present)


def _moments_clustered(
    prepared: PreparedDesign, groups: FineGroups, sums: FloatArray, layout: SumsLayout
) -> list[_CellMoments]:
    """PSU totals by cell, then their sums and sums of squares by stratum and cell."""
    k, u, den_index = layout.k, layout.u, layout.den_index
    at = layout.offsets(squared_weights=False)
    out: list[_CellMoments] = []
    n_strata = prepared.n_strata
    for b, d in enumerate(groups.n_cells):
        gid, gunit, gcell, size = _unit_cells(groups, b, prepared.n_psu)
        unit_sums = group_sum(gid, size, sums)
        cell_totals = group_sum(gcell, d, unit_sums)
        y = cell_totals[:, :k]
        x = cell_totals[:, k : k + u][:, den_index]
        counts = cell_totals[:, k + u : k + 2 * u][:, den_index]
        q = y.copy()
        q[:, layout.nonbinary] = cell_totals[:, at["wy2"] : at["wxy"]]
        cross, xx = ratio_terms(cell_totals, layout, at, y, x, w2=False)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(x != 0, y / x, 0.0)
            inv_x = np.where(x != 0, 1.0 / x, 0.0)
        gy = unit_sums[:, :k]
        gx = unit_sums[:, k : k + u][:, den_index]
        z_ratio = (gy - ratio[gcell] * gx) * inv_x[gcell]
        label = prepared.psu_stratum[gunit] * d + gcell
        member = (unit_sums[:, k + u : k + 2 * u] > 0).astype(np.float64)
        stacked = np.concatenate([z_ratio, z_ratio * z_ratio, gy, gy * gy, member], axis=1)
        per_stratum = group_sum(label, n_strata * d, stacked).reshape(n_strata, d, -1)
        out.append(
            _CellMoments(
                s1=per_stratum[:, :, :k],
                s2=per_stratum[:, :, k : 2 * k],
                y=y,
                x=x,
                q=q,
                cross=cross,
                xx=xx,
                wu=universe_weight(cell_totals, layout, at, x),
                n=counts,
                psu_count=per_stratum[:, :, 4 * k :][:, :, den_index],
                t1=per_stratum[:, :, 2 * k : 3 * k],
                t2=per_stratum[:, :, 3 * k : 4 * k],
            )
        )
    return out


def _moments_element(
    prepared: PreparedDesign, groups: FineGroups, sums: FloatArray, layout: SumsLayout
) -> list[_CellMoments]:
    """Each row is its own PSU: per (stratum, cell) power sums replace PSU totals."""
    k, u, den_index, nonbinary = layout.k, layout.u, layout.den_index, layout.nonbinary
    at = layout.offsets(squared_weights=True)
    n_strata = prepared.n_strata
    out: list[_CellMoments] = []
    for b, d in enumerate(groups.n_cells):
        cells = groups.cells[b]
        label = np.where(cells >= 0, groups.unit * d + cells, -1)
        g = group_sum(label, n_strata * d, sums).reshape(n_strata, d, -1)
        hy = g[:, :, :k]
        hx = g[:, :, k : k + u][:, :, den_index]
        hn = g[:, :, k + u : k + 2 * u][:, :, den_index]
        hq = hy.copy()
        hq[:, :, nonbinary] = g[:, :, at["wy2"] : at["wxy"]]
        hw2y = g[:, :, at["w2y"] : at["w2x"]]
        hw2x = g[:, :, at["w2x"] : at["w2y2"]][:, :, den_index]
        hw2y2 = hw2y.copy()
        hw2y2[:, :, nonbinary] = g[:, :, at["w2y2"] : at["w2xy"]]
        hw2xy, hw2x2 = ratio_terms(g, layout, at, hw2y, hw2x, w2=True)
        y = hy.sum(axis=0)
        x = hx.sum(axis=0)
        cell_sums = g.sum(axis=0)
        cross, xx = ratio_terms(cell_sums, layout, at, y, x, w2=False)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(x != 0, y / x, 0.0)
            inv_x = np.where(x != 0, 1.0 / x, 0.0)
        s1 = (hy - ratio * hx) * inv_x
        s2 = (hw2y2 - 2.0 * ratio * hw2xy + ratio * ratio * hw2x2) * inv_x * inv_x
        out.append(
            _CellMoments(
                s1=s1,
                s2=s2,
                y=y,
                x=x,
                q=hq.sum(axis=0),
                cross=cross,
                xx=xx,
                wu=universe_weight(cell_sums, layout, at, x),
                n=hn.sum(axis=0),
                psu_count=hn,
                t1=hy,
                t2=hw2y2,
            )
        )
    return out


def _finish(
    prepared: PreparedDesign,
    moment: _CellMoments,
    is_total: BoolArray,
    binary: BoolArray,
) -> RatioEstimates:
    s1 = np.where(is_total, moment.t1, moment.s1)
    s2 = np.where(is_total, moment.t2, moment.s2)
    n_h = prepared.stratum_n_psu.astype(np.float64)[:, None, None]
    factor = prepared.stratum_factor[:, None, None]
    lonely = prepared.singleton_mask[:, None, None]
    spread = np.where(lonely, 0.0, s2 - s1 * s1 / n_h)
    contribution = factor * np.maximum(spread, 0.0)
    present = moment.psu_count > 0
    if prepared.singleton == "center" and prepared.singleton_mask.any():
        # R survey lonely.psu="adjust" as svy applies it: a lone PSU holding domain members
        # is centred at the mean total of the PSUs holding domain members.
        members_all = moment.psu_count.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            centre = np.where(members_all > 0, s1.sum(axis=0) / members_all, 0.0)
        lone = factor * (s1 - centre) ** 2
        contribution = np.where(lonely & present, lone, contribution)
    variance = contribution.sum(axis=0)
    if prepared.singleton == "scale" and prepared.singleton_mask.any():
        # R survey lonely.psu="average": drop lone strata, scale by strata / non-lone strata.
        n_present = present.sum(axis=0).astype(np.float64)
        n_lonely = (present & lonely).sum(axis=0).astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(n_present > n_lonely, n_present / (n_present - n_lonely), np.nan)
        variance = variance * scale
    members = moment.psu_count.sum(axis=0)
    df = np.maximum(members - present.sum(axis=0), 0).astype(np.int64)
    return ratio_estimates(
        moment.y,
        moment.x,
        moment.q,
        moment.n,
        variance,
        is_total,
        df,
        terms=(moment.cross, moment.xx, moment.wu),
    )


def ratio_estimates(
    y: FloatArray,
    x: FloatArray,
    q: FloatArray,
    n: FloatArray,
    variance: FloatArray,
    is_total: BoolArray,
    df: IntArray,
    *,
    terms: tuple[FloatArray, FloatArray, FloatArray] | None = None,
) -> RatioEstimates:
    """Estimates (totals ``y``, else ratios ``y / x``), their SEs and deffs against simple
    random sampling from the cell totals and a variance, however that variance was found
    (Taylor linearisation here, replicate weights in :mod:`copcore.stats.replication`).

    ``terms`` are the weighted totals of ``x y``, ``x²`` and of the universe's rows, needed for
    the deff of a ratio estimator with a denominator other than a 0/1 indicator (where they
    equal ``y``, ``x`` and ``x``, the default). The SRS variance of a ratio is that of its
    linearised value ``z = (y - R x)``: ``sum w z² · W / (X² (n - 1))`` with ``W`` the
    universe's weight (as svy's ``deff="wr"``); for a 0/1 ``x`` this is the familiar
    ``(q/X - R²) / (n - 1)``.
    """
    counts = np.rint(n).astype(np.int64)
    cross, xx, wu = terms if terms is not None else (y, x, x)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(x != 0, y / x, np.nan)
        estimate = np.where(is_total, y, ratio)
        z_square = q - 2.0 * ratio * cross + ratio * ratio * xx
        srs_ratio = z_square * wu / (x * x) / (counts - 1.0)
        srs_total = x * x * (q / x - (y / x) ** 2) / (counts - 1.0)
        srs = np.where(is_total, srs_total, srs_ratio)
        deff = np.where(srs > 0, variance / srs, np.nan)
    variance = np.where((x != 0) | is_total, variance, np.nan)
    return RatioEstimates(
        estimate=estimate,
        variance=variance,
        se=np.sqrt(variance),
        deff=deff,
        numerator_total=y,
        denominator_total=x,
        n=counts,
        df=df,
    )
