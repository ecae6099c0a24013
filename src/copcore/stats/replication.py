"""Replicate-weight variance: BRR, Fay's BRR, JK1, JKn, bootstrap and SDR weights supplied with
the data.

Every statistic is a domain ratio ``R_d = sum w y 1[d] / sum w x 1[d]`` (or the total
``Y_d``); its replicate estimates are the same ratio under each replicate weight column, and
the variance is ``sum_r c_r (R_d,r - centre)²``, the centre being the full-sample estimate
(the mean squared error form, default) or the mean of the replicate estimates (Wolter 2007
§3–5; Rust & Rao 1996; Fay 1989; Judkins 1990). ``c_r`` is the method's multiplier: BRR
``1/R``, Fay's BRR ``1/(R(1-ρ)²)``, JK1 ``(R-1)/R``, JKn ``(n_h-1)/n_h`` for the stratum of
the PSU replicate ``r`` deletes, bootstrap ``1/R``, SDR ``4/R``; or the multipliers the
producer publishes. Degrees of freedom: ``R - 1`` unless the producer says otherwise. These
are the conventions of R ``survey::svrepdesign``, Stata ``svyset … vce(brr|jackknife|
bootstrap|sdr)`` and ``svy``'s ``method="replication"``.

How it is fast: rows are ordered once by *combination*, the distinct (cell of every
breakdown) tuples, and the replicate weights are laid out once as an ``n × (R + 2)`` matrix
(full-sample weight, a column of ones for the counts, the replicates). Each combination's
totals of all numerator and universe columns under every weight column are then one matrix
product (BLAS) of its rows: the work is ``n × columns × R`` multiply-adds in a handful of
products, never a Python loop over replicates or columns. Any breakdown's cell totals are
sums of combination totals; everything after that works on ``cells × columns × R`` numbers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from copcore.stats.columns import BoolArray, FloatArray, IntArray, Table, numeric_column
from copcore.stats.design import Design, Replicates, design_prepare, design_weights
from copcore.stats.errors import InputError, OptionError
from copcore.stats.group_sums import Breakdown, fine_groups, group_sum
from copcore.stats.variance import RatioEstimates, denominators_unique

__all__ = [
    "PreparedReplicates",
    "replicate_columns_resolve",
    "replicate_ratio_estimate",
    "replicates_prepare",
]

Column = NDArray[np.float64] | NDArray[np.bool_]
# Bound (in float64 values) of the block of numerator and universe columns laid out at once.
_BLOCK_VALUES = 1 << 25
# Leading weight columns: the full-sample weight and ones (unweighted counts).
_FULL, _COUNT, _LEAD = 0, 1, 2
_DIGITS = re.compile(r"(\d+)$")


@dataclass(frozen=True)
class PreparedReplicates:
    """Validated replicate weights: the full-sample ``weights``, the replicate ``columns``
    (each float64, finite, ``>= 0``), one ``multipliers`` value per replicate, ``df`` and the
    centre of the deviations."""

    n_rows: int
    weights: FloatArray
    names: tuple[str, ...]
    columns: tuple[FloatArray, ...]
    multipliers: FloatArray
    df: int
    center: str
    method: str

    @property
    def n_replicates(self) -> int:
        """Number of replicate weight columns."""
        return len(self.columns)


def replicate_columns_resolve(spec: Sequence[str], names: Sequence[str]) -> tuple[str, ...]:
    """The replicate weight columns: ``spec`` as listed, or the columns ``PREFIX1 …`` when
    ``spec`` is one prefix (an entry not naming a column, or not ending with a digit).

    Numbered columns are taken in numeric order (``brr_2`` before ``brr_10``; zero padding
    accepted) and must run from 1 without a gap. :class:`InputError` names the first missing
    column, or the prefix when no column has it.
    """
    present = set(names)
    if len(spec) != 1 or (spec[0] in present and _DIGITS.search(spec[0])):
        for name in spec:
            if name not in present:
                raise InputError("rep_column_missing", column=name, option="--rep-weights")
        if len(spec) < 2:
            raise OptionError("rep_too_few", option="--rep-weights", count=len(spec))
        return tuple(spec)
    prefix = spec[0]
    pattern = re.compile(re.escape(prefix) + r"(\d+)$")
    numbered: dict[int, str] = {}
    for name in names:
        match = pattern.match(name)
        if match:
            number = int(match.group(1))
            if number in numbered:
                raise OptionError(
                    "rep_column_twice", column=name, other=numbered[number], option="--rep-weights"
                )
            numbered[number] = name
    if not numbered:
        raise InputError("rep_columns_missing", prefix=prefix, option="--rep-weights")
    for number in range(1, max(numbered) + 1):
        if number not in numbered:
            raise InputError(
                "rep_column_missing", column=f"{prefix}{number}", option="--rep-weights"
            )
    if len(numbered) < 2:
        raise OptionError("rep_too_few", option="--rep-weights", count=len(numbered))
    return tuple(numbered[number] for number in sorted(numbered))


def _replicate_column(table: Table, name: str) -> FloatArray:
    values = numeric_column(table, name, code="rep_weight_invalid")
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError("rep_weight_invalid", column=name, row=row + 1, value=str(values[row]))
    return values


def replicates_prepare(table: Table, design: Design) -> PreparedReplicates:
    """Validate ``design.replicates`` against ``table``: the columns, the method's options and
    the multipliers. Raises :class:`OptionError` (options that conflict or are missing, a
    wrong number of multipliers, ``fay`` outside [0, 1)) or :class:`InputError` (a missing
    column, a negative, missing or non-numeric replicate weight)."""
    spec = design.replicates
    if spec is None:
        raise OptionError("option_needs", option="replicates", needs="--rep-weights")
    _check_options(design, spec)
    names = replicate_columns_resolve(spec.columns, list(table))
    weights = design_weights(table, design)
    columns = tuple(_replicate_column(table, name) for name in names)
    count = len(columns)
    multipliers = _multipliers(table, design, spec, dict(zip(names, columns, strict=True)), weights)
    df = spec.df if spec.df is not None else max(count - 1, 1)
    return PreparedReplicates(
        n_rows=len(weights),
        weights=weights,
        names=names,
        columns=columns,
        multipliers=multipliers,
        df=int(df),
        center=spec.center,
        method=spec.method,
    )


def _check_options(design: Design, spec: Replicates) -> None:
    method_option = f"--rep-method {spec.method}"
    if design.weight is None:
        raise OptionError("option_needs", option="--rep-weights", needs="--weight")
    if design.fpc is not None:
        raise OptionError("option_conflict", option="--fpc", other="--rep-weights")
    if spec.method != "jkn" or spec.multipliers is not None:
        for option, value in (("--strata", design.strata), ("--psu", design.psu)):
            if value is not None:
                raise OptionError("option_conflict", option=option, other=method_option)
    elif design.strata is None or design.psu is None:
        raise OptionError(
            "option_needs", option=method_option, needs="--rep-multipliers (or --strata and --psu)"
        )
    if not (0.0 <= spec.fay < 1.0) or not np.isfinite(spec.fay):
        raise OptionError("option_invalid", option="--fay", value=str(spec.fay), allowed="[0, 1)")
    if spec.fay and spec.method not in ("brr", "fay"):
        raise OptionError("option_conflict", option="--fay", other=method_option)
    if spec.method == "fay" and not spec.fay:
        raise OptionError("option_needs", option=method_option, needs="--fay RHO")
    if spec.df is not None and spec.df < 1:
        raise OptionError("option_invalid", option="--df", value=str(spec.df), allowed="1, 2, …")
    for multiplier in spec.multipliers or ():
        if not (np.isfinite(multiplier) and multiplier > 0):
            raise OptionError(
                "option_invalid", option="--rep-multipliers", value=str(multiplier), allowed="> 0"
            )


def _multipliers(
    table: Table,
    design: Design,
    spec: Replicates,
    columns: dict[str, FloatArray],
    weights: FloatArray,
) -> FloatArray:
    count = len(columns)
    if spec.multipliers is not None:
        given = len(spec.multipliers)
        if given == 1:
            return np.full(count, spec.multipliers[0], dtype=np.float64)
        if given != count:
            raise OptionError(
                "rep_multipliers_count", option="--rep-multipliers", given=given, replicates=count
            )
        return np.asarray(spec.multipliers, dtype=np.float64)
    if spec.method in ("brr", "fay"):
        return np.full(count, 1.0 / (count * (1.0 - spec.fay) ** 2))
    if spec.method == "jk1":
        return np.full(count, (count - 1.0) / count)
    if spec.method == "sdr":
        return np.full(count, 4.0 / count)
    if spec.method == "bootstrap":
        return np.full(count, 1.0 / count)
    return _jkn_multipliers(table, design, columns, weights)


def _jkn_multipliers(
    table: Table, design: Design, columns: dict[str, FloatArray], weights: FloatArray
) -> FloatArray:
    """``(n_h - 1)/n_h`` for each replicate, ``h`` the stratum of the rows it deletes (zero
    replicate weight): each replicate must delete rows of one stratum only."""
    units = design_prepare(
        table, Design(weight=design.weight, strata=design.strata, psu=design.psu), "certainty"
    )
    n_psu = units.stratum_n_psu.astype(np.float64)
    out = np.empty(len(columns), dtype=np.float64)
    for r, (name, column) in enumerate(columns.items()):
        deleted = units.stratum[(column == 0.0) & (weights > 0.0)]
        if len(deleted) == 0 or int(deleted.min()) != int(deleted.max()):
            raise InputError("rep_jkn_not_delete_one", column=name, strata=design.strata or "")
        n_h = n_psu[int(deleted[0])]
        out[r] = (n_h - 1.0) / n_h
    return out


@dataclass(frozen=True)
class _Combinations:
    """Rows ordered by combination of cells: ``order`` (``None``: one combination, rows as
    they are), the row range ``starts[c]:starts[c+1]`` of each, and each one's cell per
    breakdown."""

    order: IntArray | None
    ids: IntArray
    starts: IntArray
    cells: tuple[IntArray, ...]
    n_cells: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.starts) - 1


def _combinations(n_rows: int, breakdowns: Sequence[Breakdown]) -> _Combinations:
    groups = fine_groups(np.zeros(n_rows, dtype=np.int64), 1, breakdowns)
    sizes = np.bincount(groups.ids, minlength=groups.count)
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    order = None if groups.count <= 1 else np.argsort(groups.ids, kind="stable")
    return _Combinations(
        order=order, ids=groups.ids, starts=starts, cells=groups.cells, n_cells=groups.n_cells
    )


def _weight_matrix(prepared: PreparedReplicates, order: IntArray | None) -> FloatArray:
    """``n × (R + 2)``, column-major: full-sample weight, ones, replicates; rows in ``order``."""
    matrix = np.empty((prepared.n_rows, _LEAD + prepared.n_replicates), order="F")
    matrix[:, _FULL] = prepared.weights if order is None else prepared.weights[order]
    matrix[:, _COUNT] = 1.0
    for r, column in enumerate(prepared.columns):
        matrix[:, _LEAD + r] = column if order is None else column[order]
    return matrix


def _as_columns(values: FloatArray | Sequence[Column]) -> list[Column]:
    if isinstance(values, np.ndarray) and values.ndim == 2:
        return [values[:, j] for j in range(values.shape[1])]
    return list(values)


def replicate_ratio_estimate(
    prepared: PreparedReplicates,
    numerators: FloatArray | Sequence[Column],
    denominators: FloatArray | Sequence[Column],
    breakdowns: Sequence[Breakdown],
    *,
    totals: BoolArray | bool = False,
    denominator_index: IntArray | None = None,
    binary: BoolArray | None = None,
) -> tuple[RatioEstimates, ...]:
    """Estimate ``k`` domain ratios (or totals) in every cell of every breakdown, with
    replicate-weight variances. Arguments and output as
    :func:`copcore.stats.variance.ratio_estimate`; ``df`` is the replicate design's for
    every cell, ``deff`` is against simple random sampling with replacement as there."""
    num_cols = _as_columns(numerators)
    den_cols = _as_columns(denominators)
    k = len(num_cols)
    is_total = np.broadcast_to(np.asarray(totals, dtype=np.bool_), (k,))
    if denominator_index is None:
        den_cols, den_index = denominators_unique(den_cols)
    else:
        den_index = np.asarray(denominator_index, dtype=np.int64)
    if binary is None:
        binary = np.asarray(
            [
                c.dtype == np.bool_ or bool(np.all((c == 0) | (c == 1) | np.isnan(c)))
                for c in num_cols
            ],
            dtype=np.bool_,
        )
    combos = _combinations(prepared.n_rows, breakdowns)
    weights = _weight_matrix(prepared, combos.order)
    columns: list[Column] = [*num_cols, *den_cols]
    sums = _combination_sums(columns, combos, weights)  # (C, k + u, R + 2)
    squares = _combination_squares(num_cols, binary, combos, prepared.weights)  # (C, k)
    results: list[RatioEstimates] = []
    for b, n_cells in enumerate(combos.n_cells):
        cell_sums = group_sum(combos.cells[b], n_cells, sums.reshape(combos.count, -1))
        cell_sums = cell_sums.reshape(n_cells, len(columns), -1)
        q = group_sum(combos.cells[b], n_cells, squares)
        y = cell_sums[:, :k, :]
        x = cell_sums[:, k:, :][:, den_index, :]
        q = np.where(binary, y[:, :, _FULL], q)
        results.append(_finish(prepared, y, x, q, is_total))
    return tuple(results)


def _combination_sums(
    columns: Sequence[Column], combos: _Combinations, weights: FloatArray
) -> FloatArray:
    """Totals of every column under every weight column, by combination: one matrix product
    per combination and block of columns (NaN counts as 0)."""
    n_rows, n_weights = weights.shape
    out = np.empty((combos.count, len(columns), n_weights), dtype=np.float64)
    batch = max(1, min(len(columns), _BLOCK_VALUES // max(n_rows, 1)))
    for first in range(0, len(columns), batch):
        block_columns = columns[first : first + batch]
        block = np.empty((n_rows, len(block_columns)), order="F")
        for j, column in enumerate(block_columns):
            values = column if combos.order is None else column[combos.order]
            np.copyto(block[:, j], values)
            if column.dtype != np.bool_:
                np.nan_to_num(block[:, j], copy=False, nan=0.0)
        for c in range(combos.count):
            rows = slice(int(combos.starts[c]), int(combos.starts[c + 1]))
            out[c, first : first + len(block_columns), :] = block[rows].T @ weights[rows]
    return out


def _combination_squares(
    num_cols: Sequence[Column], binary: BoolArray, combos: _Combinations, weights: FloatArray
) -> FloatArray:
    """``sum w y²`` by combination for the numerators that are not 0/1 (for the deff)."""
    out = np.zeros((combos.count, len(num_cols)), dtype=np.float64)
    for j in np.flatnonzero(~np.asarray(binary, dtype=np.bool_)):
        values = np.nan_to_num(np.asarray(num_cols[int(j)], dtype=np.float64), nan=0.0)
        out[:, j] = np.bincount(
            combos.ids, weights=weights * values * values, minlength=combos.count
        )
    return out


def _finish(
    prepared: PreparedReplicates,
    y: FloatArray,
    x: FloatArray,
    q: FloatArray,
    is_total: BoolArray,
) -> RatioEstimates:
    """Estimates, replicate variances and the rest from cell totals ``(cells, k, R + 2)``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        theta = np.where(is_total[None, :, None], y, y / x)
    full = theta[:, :, _FULL]
    reps = theta[:, :, _LEAD:]
    centre = full if prepared.center == "estimate" else reps.mean(axis=2)
    deviation = reps - centre[:, :, None]
    variance = np.einsum("dkr,r->dk", deviation * deviation, prepared.multipliers)
    y0 = y[:, :, _FULL]
    x0 = x[:, :, _FULL]
    n = np.rint(x[:, :, _COUNT]).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(x0 > 0, y0 / x0, np.nan)
        estimate = np.where(is_total, y0, ratio)
        mean_square = q / x0 - ratio * ratio
        spread_srs = mean_square * n / (n - 1.0)
        srs = np.where(is_total, x0 * x0 * spread_srs / n, spread_srs / n)
        deff = np.where(srs > 0, variance / srs, np.nan)
    variance = np.where((x0 > 0) | is_total, variance, np.nan)
    return RatioEstimates(
        estimate=estimate,
        variance=variance,
        se=np.sqrt(variance),
        deff=deff,
        numerator_total=y0,
        denominator_total=x0,
        n=n,
        df=np.full(estimate.shape, prepared.df, dtype=np.int64),
    )
