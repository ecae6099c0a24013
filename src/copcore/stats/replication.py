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

How it is fast: rows are coded by *combination*, the distinct (cell of every breakdown)
tuples. In blocks of rows, ordered by combination, the weights are laid out as a
``rows × (R + 2)`` matrix (full-sample weight, a column of ones for the counts, the
replicates) and the numerator and universe columns beside it; each combination's totals of
all those columns under every weight column are one matrix product (BLAS). The work is
``n × columns × R`` multiply-adds in a few products per block, never a Python loop over
replicates × columns. Any breakdown's cell totals are sums of combination totals; everything
after that works on ``cells × columns × R`` numbers.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from copcore.stats.columns import BoolArray, FloatArray, IntArray, Table, numeric_column
from copcore.stats.design import (
    REP_CENTERS,
    REP_METHODS,
    Design,
    Replicates,
    design_prepare,
    design_weights,
)
from copcore.stats.errors import InputError, OptionError
from copcore.stats.group_sums import Breakdown, fine_groups, group_sum
from copcore.stats.variance import (
    RatioEstimates,
    denominators_general,
    denominators_unique,
    ratio_estimates,
)

__all__ = [
    "PreparedReplicates",
    "replicate_columns_resolve",
    "replicate_ratio_estimate",
    "replicates_prepare",
]

Column = NDArray[np.float64] | NDArray[np.bool_]
# Rows gathered and multiplied at once (reused buffers of this many rows).
_BLOCK_ROWS = 1 << 16
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


def replicate_column(table: Table, name: str) -> FloatArray:
    values = numeric_column(table, name, code="rep_weight_invalid")
    # Two reductions, no temporaries: NaN makes the minimum NaN, infinity the maximum.
    if len(values) and (not float(values.min()) >= 0.0 or not np.isfinite(values.max())):
        bad = ~np.isfinite(values) | (values < 0)
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
    columns = tuple(replicate_column(table, name) for name in names)
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
    if spec.method not in REP_METHODS:
        raise OptionError(
            "option_invalid",
            option="--rep-method",
            value=spec.method,
            allowed=", ".join(REP_METHODS),
        )
    if spec.center not in REP_CENTERS:
        raise OptionError(
            "option_invalid",
            option="--rep-center",
            value=spec.center,
            allowed=", ".join(REP_CENTERS),
        )
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
    """``ids[i]``: the combination (cells of every breakdown) of row ``i``, of ``count``;
    ``cells[b][c]``: the cell of combination ``c`` in breakdown ``b`` (``-1``: none)."""

    ids: IntArray
    count: int
    cells: tuple[IntArray, ...]
    n_cells: tuple[int, ...]


def _combinations(n_rows: int, breakdowns: Sequence[Breakdown]) -> _Combinations:
    groups = fine_groups(np.zeros(n_rows, dtype=np.int64), 1, breakdowns)
    return _Combinations(
        ids=groups.ids, count=groups.count, cells=groups.cells, n_cells=groups.n_cells
    )


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
    general: BoolArray | None = None,
) -> tuple[RatioEstimates, ...]:
    """Estimate ``k`` domain ratios (or totals) in every cell of every breakdown, with
    replicate-weight variances. Arguments and output as
    :func:`copcore.stats.variance.ratio_estimate` (ratio estimators included: ``general``
    marks the denominators holding a ratio's values); ``df`` is the replicate design's for
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
    if general is None:
        general = denominators_general(den_cols)
    combos = _combinations(prepared.n_rows, breakdowns)
    columns: list[Column] = [*num_cols, *den_cols]
    with _blas_single_thread():
        sums = _combination_sums(prepared, columns, combos)  # (C, k + u, R + 2)
    squares = _combination_squares(num_cols, binary, combos, prepared.weights)  # (C, k)
    ratio_cols = np.flatnonzero(np.asarray(general, dtype=np.bool_)[den_index])
    terms = _ratio_terms(num_cols, den_cols, den_index, ratio_cols, combos, prepared.weights)
    results: list[RatioEstimates] = []
    for b, n_cells in enumerate(combos.n_cells):
        cell_sums = group_sum(combos.cells[b], n_cells, sums.reshape(combos.count, -1))
        cell_sums = cell_sums.reshape(n_cells, len(columns), -1)
        q = group_sum(combos.cells[b], n_cells, squares)
        y = cell_sums[:, :k, :]
        x = cell_sums[:, k:, :][:, den_index, :]
        q = np.where(binary, y[:, :, _FULL], q)
        counts = x[:, :, _COUNT].copy()
        cross, xx, wu = y[:, :, _FULL].copy(), x[:, :, _FULL].copy(), x[:, :, _FULL].copy()
        if len(ratio_cols):
            cell_terms = group_sum(combos.cells[b], n_cells, terms).reshape(n_cells, 4, -1)
            counts[:, ratio_cols] = cell_terms[:, 0]
            cross[:, ratio_cols] = cell_terms[:, 1]
            xx[:, ratio_cols] = cell_terms[:, 2]
            wu[:, ratio_cols] = cell_terms[:, 3]
        results.append(_finish(prepared, y, x, q, counts, (cross, xx, wu), is_total))
    return tuple(results)


def _ratio_terms(
    num_cols: Sequence[Column],
    den_cols: Sequence[Column],
    den_index: IntArray,
    ratio_cols: IntArray,
    combos: _Combinations,
    weights: FloatArray,
) -> FloatArray:
    """For the numerators over a ratio's denominator (NaN outside the universe), by
    combination: rows in the universe, ``sum w x y``, ``sum w x²`` and ``sum w`` over the
    universe (for ``n`` and the deff), as ``(C, 4 × len(ratio_cols))``."""
    out = np.zeros((combos.count, 4, len(ratio_cols)), dtype=np.float64)
    for at, j in enumerate(ratio_cols):
        x = np.asarray(den_cols[int(den_index[j])], dtype=np.float64)
        y = np.nan_to_num(np.asarray(num_cols[int(j)], dtype=np.float64), nan=0.0)
        universe = ~np.isnan(x)
        x = np.where(universe, x, 0.0)
        for kind, values in enumerate(
            (universe.astype(np.float64), weights * x * y, weights * x * x, weights * universe)
        ):
            out[:, kind, at] = np.bincount(combos.ids, weights=values, minlength=combos.count)
    return out.reshape(combos.count, -1)


@cache
def _openblas_threads() -> tuple[Callable[[int], object], Callable[[], int]] | None:
    """Setter and getter of the thread count of the OpenBLAS NumPy is linked with (the one
    NumPy wheels bundle), or ``None`` when it cannot be found (then nothing is changed)."""
    libs = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    names = (
        ("scipy_openblas_set_num_threads64_", "scipy_openblas_get_num_threads64_"),
        ("scipy_openblas_set_num_threads", "scipy_openblas_get_num_threads"),
        ("openblas_set_num_threads64_", "openblas_get_num_threads64_"),
        ("openblas_set_num_threads", "openblas_get_num_threads"),
    )
    for path in sorted(libs.glob("lib*openblas*.so*")):
        try:
            library = ctypes.CDLL(str(path))
        except OSError:
            continue
        for setter, getter in names:
            if hasattr(library, setter) and hasattr(library, getter):
                set_threads = getattr(library, setter)
                set_threads.argtypes = [ctypes.c_int]
                get_threads = getattr(library, getter)
                get_threads.restype = ctypes.c_int
                return set_threads, get_threads
    return None


@contextmanager
def _blas_single_thread() -> Iterator[None]:
    """Run BLAS on one thread. OpenBLAS's threads spin while they wait: on a shared server
    whose cores are busy (the engine runs beside web and task workers), two threads made the
    replicate products 5-30 times slower than one in our measurements; one thread is
    predictable (see docs/decisions/0027-replicate-weights.md)."""
    hooks = _openblas_threads()
    if hooks is None:
        yield
        return
    set_threads, get_threads = hooks
    before = int(get_threads())
    set_threads(1)
    try:
        yield
    finally:
        set_threads(before)


def _combination_sums(
    prepared: PreparedReplicates, columns: Sequence[Column], combos: _Combinations
) -> FloatArray:
    """Totals of every column under every weight column (full-sample, ones, replicates), by
    combination (NaN counts as 0).

    Rows go in blocks of :data:`_BLOCK_ROWS`; in each, the rows are ordered by combination
    and gathered into two reused column-major buffers (weights ``B × (R + 2)``, columns
    ``B × m``), and each combination's slice is one matrix product ``Yᵀ W``. Reusing the
    buffers matters: a fresh ``n × R`` matrix costs more in page faults than the arithmetic.
    """
    n_rows = prepared.n_rows
    n_weights = _LEAD + prepared.n_replicates
    block_rows = min(_BLOCK_ROWS, max(n_rows, 1))
    weight_buffer = np.empty((block_rows, n_weights), order="F")
    column_buffer = np.empty((block_rows, len(columns)), order="F")
    weight_buffer[:, _COUNT] = 1.0
    floats = [j for j, column in enumerate(columns) if column.dtype != np.bool_]
    out = np.zeros((combos.count, len(columns), n_weights), dtype=np.float64)
    for start in range(0, n_rows, block_rows):
        stop = min(start + block_rows, n_rows)
        size = stop - start
        ids = combos.ids[start:stop]
        rows = np.argsort(ids, kind="stable") + start if combos.count > 1 else None
        sizes = np.bincount(ids, minlength=combos.count)
        bounds = np.concatenate([[0], np.cumsum(sizes)])
        weights = weight_buffer[:size]
        block = column_buffer[:size]
        _gather(prepared.weights, rows, start, stop, weights[:, _FULL])
        for r, replicate in enumerate(prepared.columns):
            _gather(replicate, rows, start, stop, weights[:, _LEAD + r])
        for j, column in enumerate(columns):
            _gather(column, rows, start, stop, block[:, j])
        for j in floats:
            np.nan_to_num(block[:, j], copy=False, nan=0.0)
        for c in np.flatnonzero(sizes):
            part = slice(int(bounds[c]), int(bounds[c + 1]))
            out[c] += block[part].T @ weights[part]
    return out


def _gather(
    source: NDArray[np.generic], rows: IntArray | None, start: int, stop: int, into: FloatArray
) -> None:
    """``source`` at ``rows`` (or ``start:stop`` in order) into the buffer column ``into``."""
    if rows is None:
        np.copyto(into, source[start:stop], casting="unsafe")
    elif source.dtype == np.float64:
        np.take(source, rows, out=into)
    else:
        np.copyto(into, source[rows], casting="unsafe")


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
    counts: FloatArray,
    terms: tuple[FloatArray, FloatArray, FloatArray],
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
    df = np.full(y0.shape, prepared.df, dtype=np.int64)
    return ratio_estimates(y0, x[:, :, _FULL], q, counts, variance, is_total, df, terms=terms)
