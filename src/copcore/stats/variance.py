"""The reduction kernel: many ratio (or total) estimators × many domains in one pass.

Every statistic of the engine is a domain ratio of weighted totals,
``R_d = sum_i w_i y_i 1[i in d] / sum_i w_i x_i 1[i in d]`` with ``x`` the 0/1 indicator of
the variable's universe (valid value, denominator condition), or the total ``Y_d`` itself. The
variance is the Taylor-linearised (ultimate-cluster) estimator with PSUs drawn with replacement
within strata, multiplied by ``1 - f_h`` when a finite-population correction is given
(Wolter 2007 §6.11; Korn & Graubard 1999 §2.4; Binder 1983). Domains keep the full design: rows
outside the domain contribute zeros, they are never removed (Cochran 1977 §2.13).

The arithmetic is arranged for speed: one sparse (rows → PSU × cell) matrix times one dense
``rows × columns`` matrix gives the PSU totals of every column in every cell of every
breakdown at once; everything after that works on PSU totals, which are few.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from copcore.stats.columns import BoolArray, FloatArray, IntArray
from copcore.stats.design import PreparedDesign

# Above this many (PSU, cell) slots a breakdown's groups are compressed to those present.
_DENSE_GROUP_LIMIT = 1 << 22
# Numerator columns reduced together; bounds the group-sum matrices.
_BATCH_COLUMNS = 256


@dataclass(frozen=True)
class Breakdown:
    """One partition of the rows: ``codes[i]`` is the cell of row ``i`` (``-1``: no cell)."""

    codes: IntArray
    n_cells: int


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


def _group_sum(labels: IntArray, n_labels: int, values: FloatArray) -> FloatArray:
    """Sum the rows of ``values`` (2-D) by ``labels`` (``-1`` dropped) into ``n_labels`` rows."""
    keep = labels >= 0
    matrix = sp.csr_matrix(
        (np.ones(int(keep.sum())), (labels[keep], np.flatnonzero(keep))),
        shape=(n_labels, len(labels)),
    )
    return np.asarray(matrix @ values, dtype=np.float64)


def denominators_unique(
    denominators: Sequence[FloatArray],
) -> tuple[list[FloatArray], IntArray]:
    """Distinct 0/1 denominator columns and, for each input column, the index of its twin."""
    seen: dict[bytes, int] = {}
    index = np.empty(len(denominators), dtype=np.int64)
    unique: list[FloatArray] = []
    for j, column in enumerate(denominators):
        key = np.packbits(column != 0).tobytes()
        if key not in seen:
            seen[key] = len(unique)
            unique.append(column)
        index[j] = seen[key]
    return unique, index


def _binary_columns(numerators: Sequence[FloatArray]) -> BoolArray:
    return np.asarray(
        [bool(np.all((col == 0.0) | (col == 1.0))) for col in numerators], dtype=np.bool_
    )


@dataclass(frozen=True)
class _CellMoments:
    """Per (stratum, cell) sums of linearised values, and per cell totals and counts."""

    s1: FloatArray  # (H, D, k)
    s2: FloatArray  # (H, D, k)
    y: FloatArray  # (D, k) weighted numerator totals
    x: FloatArray  # (D, k) weighted denominator totals
    q: FloatArray  # (D, k) weighted totals of numerator squared
    n: FloatArray  # (D, k) rows in cell and universe
    psu_count: FloatArray  # (H, D, k) PSUs holding such rows
    t1: FloatArray  # (H, D, k) sums of PSU totals of w*y, for totals
    t2: FloatArray  # (H, D, k) sums of squared PSU totals of w*y


def _as_columns(values: FloatArray | Sequence[FloatArray]) -> list[FloatArray]:
    if isinstance(values, np.ndarray) and values.ndim == 2:
        return [values[:, j] for j in range(values.shape[1])]
    return [np.asarray(column, dtype=np.float64) for column in values]


def ratio_estimate(
    prepared: PreparedDesign,
    numerators: FloatArray | Sequence[FloatArray],
    denominators: FloatArray | Sequence[FloatArray],
    breakdowns: Sequence[Breakdown],
    *,
    totals: BoolArray | bool = False,
    denominator_index: IntArray | None = None,
    binary: BoolArray | None = None,
) -> tuple[RatioEstimates, ...]:
    """Estimate ``k`` domain ratios (or totals) in every cell of every breakdown at once.

    ``numerators`` is ``(n_rows, k)`` or ``k`` columns: the value where the row is in the
    variable's universe, 0 elsewhere. ``denominators`` holds 0/1 universe indicators: ``k``
    columns (identical ones are detected and reduced once), or ``u`` distinct ones with
    ``denominator_index[j]`` naming the one of column ``j``. ``totals[j]`` makes column ``j``
    a total ``sum w y`` instead of a ratio; ``binary[j]`` (detected when omitted) says the
    numerator is 0/1. Taylor linearisation (Woodruff 1971): the ratio's linearised value is
    ``(y - R x) / X``; variance from PSU totals within strata (see the module docstring).
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
    moments: list[list[_CellMoments]] = []
    for start in range(0, k, _BATCH_COLUMNS):
        batch = slice(start, min(k, start + _BATCH_COLUMNS))
        used = np.unique(den_index[batch])
        local = np.searchsorted(used, den_index[batch])
        args = (
            prepared,
            num_cols[batch],
            [den_cols[int(i)] for i in used],
            local,
            np.asarray(binary[batch], dtype=np.bool_),
            breakdowns,
        )
        if prepared.psu is not None:
            moments.append(_moments_clustered(*args))
        else:
            moments.append(_moments_element(*args))
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
            for name in ("s1", "s2", "y", "x", "q", "n", "psu_count", "t1", "t2")
        }
    )


def _reduce_columns(
    pattern: sp.csc_matrix,
    weights: FloatArray,
    num_cols: Sequence[FloatArray],
    den_cols: Sequence[FloatArray],
    nonbinary: IntArray,
    squared_weights: bool,
) -> FloatArray:
    """Group sums of every column the kernel needs, one sparse mat-vec per column.

    Columns: ``w y`` (k), ``w x`` (u), ``x`` (u), ``w y²`` (non-binary), and with
    ``squared_weights`` also ``w² y`` (k), ``w² x`` (u), ``w² y²`` (non-binary). The weights sit
    in the sparse matrix, so the row data are read once and never copied into a row-major
    block.
    """
    per_row = np.diff(pattern.indptr)
    repeated = np.repeat(weights, per_row)

    def weighted(data: FloatArray) -> sp.csc_matrix:
        return sp.csc_matrix(
            (data, pattern.indices, pattern.indptr), shape=pattern.shape, copy=False
        )

    by_w = weighted(repeated)
    by_one = weighted(np.ones(len(repeated)))
    width = len(num_cols) + 2 * len(den_cols) + len(nonbinary)
    if squared_weights:
        width += len(num_cols) + len(den_cols) + len(nonbinary)
    out = np.empty((pattern.shape[0], width), dtype=np.float64)
    at = 0
    for column in num_cols:
        out[:, at] = by_w @ column
        at += 1
    for column in den_cols:
        out[:, at] = by_w @ column
        at += 1
    for column in den_cols:
        out[:, at] = by_one @ column
        at += 1
    for j in nonbinary:
        out[:, at] = by_w @ (num_cols[j] * num_cols[j])
        at += 1
    if squared_weights:
        by_w2 = weighted(repeated * repeated)
        for column in num_cols:
            out[:, at] = by_w2 @ column
            at += 1
        for column in den_cols:
            out[:, at] = by_w2 @ column
            at += 1
        for j in nonbinary:
            out[:, at] = by_w2 @ (num_cols[j] * num_cols[j])
            at += 1
    return out


def _sparse_rows(
    group_ids: Sequence[IntArray], offsets: Sequence[int], n_groups: int
) -> sp.csc_matrix:
    """Sparse (groups × rows) 0/1 matrix; row ``i`` sits in one group per breakdown."""
    n_rows = len(group_ids[0])
    n_breakdowns = len(group_ids)
    stacked = np.empty((n_rows, n_breakdowns), dtype=np.int64)
    complete = True
    for b, (ids, offset) in enumerate(zip(group_ids, offsets, strict=True)):
        np.add(ids, offset, out=stacked[:, b])
        if complete and bool((ids < 0).any()):
            complete = False
            stacked[ids < 0, b] = -1
        elif not complete:
            stacked[ids < 0, b] = -1
    if complete:
        indices = stacked.ravel()
        indptr = np.arange(0, n_rows * n_breakdowns + 1, n_breakdowns, dtype=np.int64)
    else:
        valid = stacked >= 0
        indices = stacked[valid]
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(valid.sum(axis=1), out=indptr[1:])
    return sp.csc_matrix((np.ones(len(indices)), indices, indptr), shape=(n_groups, n_rows))


def _group_ids(
    unit: IntArray, n_units: int, breakdown: Breakdown
) -> tuple[IntArray, IntArray, IntArray, int]:
    """Group id of each row for (unit, cell), with each group's unit and cell."""
    raw = np.where(breakdown.codes >= 0, unit * breakdown.n_cells + breakdown.codes, -1)
    slots = n_units * breakdown.n_cells
    if slots <= _DENSE_GROUP_LIMIT:
        all_groups = np.arange(slots, dtype=np.int64)
        return raw, all_groups // breakdown.n_cells, all_groups % breakdown.n_cells, slots
    present, inverse = np.unique(raw[raw >= 0], return_inverse=True)
    ids = np.full(len(raw), -1, dtype=np.int64)
    ids[raw >= 0] = inverse
    return ids, present // breakdown.n_cells, present % breakdown.n_cells, len(present)


def _moments_clustered(
    prepared: PreparedDesign,
    numerators: Sequence[FloatArray],
    den_unique: Sequence[FloatArray],
    den_index: IntArray,
    binary: BoolArray,
    breakdowns: Sequence[Breakdown],
) -> list[_CellMoments]:
    if prepared.psu is None:
        raise ValueError("clustered kernel needs PSUs")
    k = len(numerators)
    u = len(den_unique)
    nonbinary = np.flatnonzero(~binary)
    ids, units, cells, sizes, offsets = [], [], [], [], []
    total = 0
    for breakdown in breakdowns:
        gid, gunit, gcell, size = _group_ids(prepared.psu, prepared.n_psu, breakdown)
        ids.append(gid)
        units.append(gunit)
        cells.append(gcell)
        sizes.append(size)
        offsets.append(total)
        total += size
    pattern = _sparse_rows(ids, offsets, total)
    sums = _reduce_columns(pattern, prepared.weights, numerators, den_unique, nonbinary, False)
    out: list[_CellMoments] = []
    n_strata = prepared.n_strata
    for breakdown, gunit, gcell, size, offset in zip(
        breakdowns, units, cells, sizes, offsets, strict=True
    ):
        d = breakdown.n_cells
        groups = sums[offset : offset + size]
        cell_totals = _group_sum(gcell, d, groups)
        y = cell_totals[:, :k]
        x = cell_totals[:, k : k + u][:, den_index]
        counts = cell_totals[:, k + u : k + 2 * u][:, den_index]
        q = y.copy()
        q[:, nonbinary] = cell_totals[:, k + 2 * u :]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(x > 0, y / x, 0.0)
            inv_x = np.where(x > 0, 1.0 / x, 0.0)
        gy = groups[:, :k]
        gx = groups[:, k : k + u][:, den_index]
        z_ratio = (gy - ratio[gcell] * gx) * inv_x[gcell]
        label = prepared.psu_stratum[gunit] * d + gcell
        member = (groups[:, k + u : k + 2 * u] > 0).astype(np.float64)
        stacked = np.concatenate([z_ratio, z_ratio * z_ratio, gy, gy * gy, member], axis=1)
        per_stratum = _group_sum(label, n_strata * d, stacked).reshape(n_strata, d, -1)
        out.append(
            _CellMoments(
                s1=per_stratum[:, :, :k],
                s2=per_stratum[:, :, k : 2 * k],
                y=y,
                x=x,
                q=q,
                n=counts,
                psu_count=per_stratum[:, :, 4 * k :][:, :, den_index],
                t1=per_stratum[:, :, 2 * k : 3 * k],
                t2=per_stratum[:, :, 3 * k : 4 * k],
            )
        )
    return out


def _moments_element(
    prepared: PreparedDesign,
    numerators: Sequence[FloatArray],
    den_unique: Sequence[FloatArray],
    den_index: IntArray,
    binary: BoolArray,
    breakdowns: Sequence[Breakdown],
) -> list[_CellMoments]:
    """Each row is its own PSU: per (stratum, cell) power sums replace PSU totals."""
    k = len(numerators)
    u = len(den_unique)
    nonbinary = np.flatnonzero(~binary)
    q_cols = len(nonbinary)
    ids, sizes, offsets = [], [], []
    total = 0
    n_strata = prepared.n_strata
    for breakdown in breakdowns:
        raw = np.where(
            breakdown.codes >= 0, prepared.stratum * breakdown.n_cells + breakdown.codes, -1
        )
        ids.append(raw)
        sizes.append(n_strata * breakdown.n_cells)
        offsets.append(total)
        total += n_strata * breakdown.n_cells
    pattern = _sparse_rows(ids, offsets, total)
    sums = _reduce_columns(pattern, prepared.weights, numerators, den_unique, nonbinary, True)
    out: list[_CellMoments] = []
    for breakdown, size, offset in zip(breakdowns, sizes, offsets, strict=True):
        d = breakdown.n_cells
        g = sums[offset : offset + size].reshape(n_strata, d, -1)
        hy = g[:, :, :k]
        hx = g[:, :, k : k + u][:, :, den_index]
        hn = g[:, :, k + u : k + 2 * u][:, :, den_index]
        at = k + 2 * u
        hq = hy.copy()
        hq[:, :, nonbinary] = g[:, :, at : at + q_cols]
        at += q_cols
        hw2y = g[:, :, at : at + k]
        at += k
        hw2x = g[:, :, at : at + u][:, :, den_index]
        at += u
        hw2y2 = hw2y.copy()
        hw2y2[:, :, nonbinary] = g[:, :, at : at + q_cols]
        y = hy.sum(axis=0)
        x = hx.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(x > 0, y / x, 0.0)
            inv_x = np.where(x > 0, 1.0 / x, 0.0)
        s1 = (hy - ratio * hx) * inv_x
        s2 = (hw2y2 - 2.0 * ratio * hw2y + ratio * ratio * hw2x) * inv_x * inv_x
        out.append(
            _CellMoments(
                s1=s1,
                s2=s2,
                y=y,
                x=x,
                q=hq.sum(axis=0),
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
    n = np.rint(moment.n).astype(np.int64)
    x = moment.x
    y = moment.y
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(x > 0, y / x, np.nan)
        estimate = np.where(is_total, y, ratio)
        mean_square = moment.q / x - ratio * ratio
        spread_srs = mean_square * n / (n - 1.0)
        srs = np.where(is_total, x * x * spread_srs / n, spread_srs / n)
        deff = np.where(srs > 0, variance / srs, np.nan)
    variance = np.where((x > 0) | is_total, variance, np.nan)
    return RatioEstimates(
        estimate=estimate,
        variance=variance,
        se=np.sqrt(variance),
        deff=deff,
        numerator_total=y,
        denominator_total=x,
        n=n,
        df=df,
    )
