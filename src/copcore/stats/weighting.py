"""Weighting: adjust survey weights to known population totals before estimation.

Four methods, as national statistics offices use them (and as ``svy`` and R's ``survey``
compute them):

- ``poststratify``: one variable; each category's weights scaled to its total.
- ``rake``: iterative proportional fitting over several categorical margins until every margin
  is met (largest relative misfit ≤ ``tolerance``).
- ``linear``: generalised regression (GREG) calibration, closed form: ``g = 1 + xᵀλ``;
  categorical margins and continuous totals (a margin without categories).
- ``logit``: Deville–Särndal bounded calibration: ``g`` kept within ``(L, U)`` by a logistic
  distance, solved by Newton's method.

Replicate weights, when given, are adjusted the same way, each to the same totals, so the
replicate variance reflects the calibration. Nothing here reads or writes files: the
``copstats weight`` command does (:mod:`copcore.stats.cli.weight`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from copcore.stats.columns import (
    KEY_RANGE_LIMIT,
    Factor,
    FloatArray,
    IntArray,
    Table,
    codes_compact,
    column_get,
    factorize,
    missing_mask,
)
from copcore.stats.errors import InputError, OptionError

if TYPE_CHECKING:
    import scipy.sparse as sp

METHODS = ("poststratify", "rake", "linear", "logit")
TOLERANCE = 1e-10
MAX_ITERATIONS = 1000


@dataclass(frozen=True)
class Margin:
    """A population total per category of ``variable`` (``totals``), or, for a continuous
    auxiliary (linear and logit calibration only), its population total (``total``)."""

    variable: str
    totals: dict[str, float] | None = None
    total: float | None = None


@dataclass(frozen=True)
class Weighting:
    """The adjusted weights, the adjusted replicate weights (``None`` when there were none),
    how the fit ended (iterations, largest relative misfit) and the adjustment factors."""

    weights: FloatArray
    replicates: FloatArray | None
    iterations: int
    misfit: float
    factors: FloatArray


def weights_adjust(
    table: Table,
    weights: FloatArray,
    margins: Sequence[Margin],
    *,
    method: str,
    bounds: tuple[float, float] | None = None,
    replicates: FloatArray | None = None,
) -> Weighting:
    """Adjust ``weights`` (and each column of ``replicates``, n × R) to ``margins``.

    Raises :class:`InputError` when a margin's variable is missing or has missing values, when
    the data and the margins do not list the same categories (both lists named), when totals
    are not positive or margins disagree on the population total (raking); :class:`OptionError`
    for a method that cannot take the margins given, bounds that do not contain 1, or a fit that
    does not converge or leaves factors outside the bounds."""
    if method not in METHODS:
        raise OptionError(
            "option_invalid", option="--method", value=method, allowed=", ".join(METHODS)
        )
    if not margins:
        raise InputError("weight_margins_empty")
    if bounds is not None and not bounds[0] < 1.0 < bounds[1]:
        raise OptionError("weight_bounds_invalid", low=bounds[0], high=bounds[1])
    if method == "logit" and bounds is None:
        raise OptionError("option_required", options="--bounds", help="copstats weight --help")
    if method == "poststratify" and len(margins) != 1:
        raise OptionError("weight_poststratify_one", count=len(margins))
    continuous = [m.variable for m in margins if m.totals is None]
    if continuous and method in ("poststratify", "rake"):
        raise OptionError("weight_continuous_method", variable=continuous[0], method=method)
    design = _design_matrix(table, margins, matrix=method in ("linear", "logit"))
    if method == "rake":
        _margins_agree(margins)
    solve = {
        "poststratify": _rake,
        "rake": _rake,
        "linear": _linear,
        "logit": _logit,
    }[method]
    columns = weights[:, None] if replicates is None else np.column_stack([weights, replicates])
    adjusted = np.empty_like(columns)
    iterations, misfit = 0, 0.0
    for j in range(columns.shape[1]):
        adjusted[:, j], used, left = solve(design, columns[:, j], bounds)
        if j == 0:
            iterations, misfit = used, left
    factors = adjusted[:, 0] / weights
    if bounds is not None and method != "logit":
        low, high = float(factors.min()), float(factors.max())
        if low < bounds[0] - 1e-9 or high > bounds[1] + 1e-9:
            raise OptionError(
                "weight_bounds_exceeded",
                low=low,
                high=high,
                bound_low=bounds[0],
                bound_high=bounds[1],
            )
    return Weighting(
        weights=adjusted[:, 0],
        replicates=None if replicates is None else adjusted[:, 1:],
        iterations=iterations,
        misfit=misfit,
        factors=factors,
    )


@dataclass(frozen=True)
class _Cells:
    """The cross-classification of the categorical margins: each row's cell (``of_row``,
    ``0 … count-1``, only combinations present in the data) and, per margin, each cell's
    category (``margin_codes``)."""

    of_row: IntArray
    count: int
    margin_codes: list[IntArray]


@dataclass(frozen=True)
class _Design:
    """Each categorical margin as codes (``groups``) and targets; the calibration matrix
    ``x`` (one column per category and per continuous auxiliary) with its ``totals``; for
    raking, the ``cells`` of the margins crossed."""

    groups: list[tuple[str, tuple[str, ...], IntArray, FloatArray]]
    x: sp.csr_matrix | None  # only for linear and logit: raking works on the codes alone
    totals: FloatArray
    cells: _Cells | None = None


def _design_matrix(table: Table, margins: Sequence[Margin], *, matrix: bool) -> _Design:
    groups: list[tuple[str, tuple[str, ...], IntArray, FloatArray]] = []
    columns: list[IntArray] = []  # the column of x each row's entry of a margin goes to
    entries: list[FloatArray] = []
    totals: list[float] = []
    for margin in margins:
        values = column_get(table, margin.variable)
        missing = missing_mask(values)
        if missing.any():
            row = int(np.argmax(missing))
            raise InputError("weight_variable_missing", column=margin.variable, row=row + 1)
        if margin.totals is None:
            if isinstance(values, Factor):
                raise InputError("weight_variable_not_numeric", column=margin.variable)
            numbers = np.asarray(values, dtype=np.float64)
            columns.append(np.full(len(numbers), len(totals), dtype=np.int64))
            entries.append(numbers)
            totals.append(float(margin.total or 0.0))
            continue
        factor = factorize(values)
        in_data = set(factor.levels)
        in_margins = set(margin.totals)
        if in_data != in_margins:
            raise InputError(
                "weight_categories_differ",
                column=margin.variable,
                only_data=", ".join(sorted(in_data - in_margins)) or "—",
                only_margins=", ".join(sorted(in_margins - in_data)) or "—",
            )
        for level, value in margin.totals.items():
            if not value > 0:
                raise InputError("weight_total_invalid", column=margin.variable, category=level)
        targets = np.array([margin.totals[level] for level in factor.levels], dtype=np.float64)
        codes = np.asarray(factor.codes, dtype=np.int64)
        groups.append((margin.variable, factor.levels, codes, targets))
        if matrix:
            columns.append(codes + len(totals))
            entries.append(np.ones(len(codes)))
        totals.extend(targets.tolist())
    if not matrix:
        return _Design(groups=groups, x=None, totals=np.asarray(totals), cells=_cells(groups))
    import scipy.sparse as sp  # here: importing it costs raking a third of a second

    n = len(columns[0])
    rows = np.tile(np.arange(n, dtype=np.int64), len(columns))
    x = sp.csr_matrix(
        (np.concatenate(entries), (rows, np.concatenate(columns))), shape=(n, len(totals))
    )
    return _Design(groups=groups, x=x, totals=np.asarray(totals))


def _cells(groups: list[tuple[str, tuple[str, ...], IntArray, FloatArray]]) -> _Cells:
    """Cross the margins' codes into cells (the key compacted before it could overflow)."""
    key, key_range = groups[0][2], len(groups[0][3])
    for _, _, codes, targets in groups[1:]:
        if key_range * len(targets) > KEY_RANGE_LIMIT:
            key, key_range = codes_compact(key, key_range)
        key = key * len(targets) + codes
        key_range *= len(targets)
    of_row, count = codes_compact(key, key_range)
    margin_codes = []
    for _, _, codes, _ in groups:
        per_cell = np.empty(count, dtype=np.int64)
        per_cell[of_row] = codes  # every row of a cell has the cell's category
        margin_codes.append(per_cell)
    return _Cells(of_row=of_row, count=count, margin_codes=margin_codes)


def _margins_agree(margins: Sequence[Margin]) -> None:
    sums = {m.variable: sum((m.totals or {}).values()) for m in margins}
    first = next(iter(sums.values()))
    for variable, value in sums.items():
        if abs(value - first) > 1e-9 * max(abs(first), 1.0):
            names = list(sums)
            raise InputError(
                "weight_margins_disagree",
                column=variable,
                total=value,
                first_column=names[0],
                first_total=first,
            )


def _misfit(design: _Design, weights: FloatArray) -> float:
    """Largest relative distance of the achieved totals from the targets (linear, logit)."""
    achieved = _matrix(design).T @ weights
    scale = np.maximum(np.abs(design.totals), 1e-300)
    return float(np.max(np.abs(achieved - design.totals) / scale))


def _matrix(design: _Design) -> sp.csr_matrix:
    if design.x is None:
        raise ValueError("the calibration matrix was not built")
    return design.x


def _rake(
    design: _Design, weights: FloatArray, bounds: tuple[float, float] | None
) -> tuple[FloatArray, int, float]:
    """Iterative proportional fitting (one pass is exact poststratification).

    Every factor raking applies is constant within a cell of the margins crossed, so the
    fitting runs on the cells' weight totals (one pass over the rows) and each row's weight is
    multiplied once, at the end, by its cell's factor."""
    cells = design.cells
    if cells is None:
        raise ValueError("the cells of the margins were not built")
    base = np.bincount(cells.of_row, weights=weights, minlength=cells.count)
    factor = np.ones(cells.count)
    for iteration in range(1, MAX_ITERATIONS + 1):
        for (variable, levels, _, targets), codes in zip(
            design.groups, cells.margin_codes, strict=True
        ):
            current = np.bincount(codes, weights=base * factor, minlength=len(targets))
            if not current.all():
                empty = levels[int(np.argmin(current != 0))]
                raise InputError("weight_cell_empty", column=variable, category=empty)
            factor *= (targets / current)[codes]
        misfit = _misfit_cells(design, cells, base * factor)
        if misfit <= TOLERANCE:
            return weights * factor[cells.of_row], iteration, misfit
    raise OptionError("weight_not_converged", iterations=MAX_ITERATIONS, misfit=misfit)


def _misfit_cells(design: _Design, cells: _Cells, sums: FloatArray) -> float:
    """:func:`_misfit` for raking, from the cells' adjusted weight totals."""
    achieved = np.concatenate(
        [
            np.bincount(codes, weights=sums, minlength=len(t))
            for (_, _, _, t), codes in zip(design.groups, cells.margin_codes, strict=True)
        ]
    )
    scale = np.maximum(np.abs(design.totals), 1e-300)
    return float(np.max(np.abs(achieved - design.totals) / scale))


def _linear(
    design: _Design, weights: FloatArray, bounds: tuple[float, float] | None
) -> tuple[FloatArray, int, float]:
    """GREG: ``w (1 + xᵀλ)`` with ``(Xᵀ W X) λ = T − Xᵀw`` (least-squares solution, so the
    dummies of several categorical margins, collinear by construction, are fine)."""
    x = _matrix(design)
    gram = (x.T @ x.multiply(weights[:, None])).toarray()
    lam = np.linalg.lstsq(gram, design.totals - x.T @ weights, rcond=None)[0]
    adjusted = weights * (1.0 + x @ lam)
    misfit = _misfit(design, adjusted)
    if misfit > 1e-8:
        raise OptionError("weight_not_converged", iterations=1, misfit=misfit)
    return adjusted, 1, misfit


def _logit(
    design: _Design, weights: FloatArray, bounds: tuple[float, float] | None
) -> tuple[FloatArray, int, float]:
    """Deville & Särndal (1992) logit distance: ``g(u)`` stays within ``(L, U)``; Newton's
    method on λ (step halving keeps it from overshooting)."""
    low, high = bounds if bounds is not None else (0.0, np.inf)  # weights_adjust requires them
    a = (high - low) / ((1.0 - low) * (high - 1.0))
    x = _matrix(design)

    def g(u: FloatArray) -> tuple[FloatArray, FloatArray]:
        e = np.exp(np.clip(a * u, -700.0, 700.0))
        top = low * (high - 1.0) + high * (1.0 - low) * e
        bottom = (high - 1.0) + (1.0 - low) * e
        value = top / bottom
        slope = a * (high - low) * (1.0 - low) * (high - 1.0) * e / bottom**2
        return value, slope

    lam = np.zeros(x.shape[1])
    residual = design.totals - x.T @ weights
    for iteration in range(1, MAX_ITERATIONS + 1):
        slope = g(x @ lam)[1]
        jacobian = (x.T @ x.multiply((weights * slope)[:, None])).toarray()
        step = np.linalg.lstsq(jacobian, residual, rcond=None)[0]
        before = float(np.abs(residual).max())
        for _ in range(60):
            trial = lam + step
            trial_residual = design.totals - x.T @ (weights * g(x @ trial)[0])
            if float(np.abs(trial_residual).max()) < before:
                break
            step = step / 2.0
        else:
            break  # no step improves the fit: the bounds cannot be met
        lam, residual = trial, trial_residual
        adjusted = weights * g(x @ lam)[0]
        misfit = _misfit(design, adjusted)
        if misfit <= TOLERANCE:
            return adjusted, iteration, misfit
    misfit = _misfit(design, weights * g(x @ lam)[0])
    raise OptionError("weight_not_converged", iterations=iteration, misfit=misfit)


def factor_summary(weighting: Weighting) -> dict[str, float]:
    """Distribution of the adjustment factors, and Kish's weighting effect 1 + CV² of the
    adjusted weights (how much unequal weights alone inflate variances)."""
    quantiles = np.quantile(weighting.factors, [0.0, 0.05, 0.5, 0.95, 1.0])
    mean = float(weighting.weights.mean())
    return {
        "min": float(quantiles[0]),
        "p05": float(quantiles[1]),
        "median": float(quantiles[2]),
        "p95": float(quantiles[3]),
        "max": float(quantiles[4]),
        "effect": 1.0 + float(weighting.weights.var()) / (mean * mean),
    }
