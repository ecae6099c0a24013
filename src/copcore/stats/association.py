"""Rao–Scott tests of independence in a two-way table of a complex survey.

A Pearson χ² computed on weighted counts as if they came from a simple random sample rejects
far too often under clustering. Rao and Scott (1981, 1984) correct it with the design effects of
the table's independence contrasts: the *first-order* correction divides by their mean, the
*second-order* one gives an F statistic with Satterthwaite degrees of freedom. The arithmetic
follows R's ``survey::svychisq`` (statistics ``"Chisq"`` and ``"F"``), whose second-order F
``svy`` reproduces; the covariance of the cell proportions is Taylor-linearised over the same
prepared design as every copstats estimate (strata, nested PSUs, FPC, singleton rules).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats as distributions

from copcore.stats.columns import FloatArray, Table, column_get, factorize
from copcore.stats.design import Design, PreparedDesign, design_prepare
from copcore.stats.errors import InputError


@dataclass(frozen=True)
class RaoScott:
    """The two-way table's test: Pearson's χ² on the table scaled to the sample size, its
    first-order correction (χ² with (R−1)(C−1) df) and second-order F (``df_num`` = d₀,
    ``df_den`` = d₀ × design df)."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    proportions: FloatArray  # rows × columns, share of the table total
    standard_errors: FloatArray  # rows × columns, Taylor-linearised
    n: int
    design_df: int
    pearson: float
    chisq: float
    chisq_df: int
    chisq_p: float
    f: float
    df_num: float
    df_den: float
    f_p: float


def rao_scott(
    table: Table, design: Design, row: str, column: str, singleton: str = "fail"
) -> RaoScott:
    """Test the independence of ``row`` and ``column``. Rows missing either variable stay in
    the design with no part in the table (a domain, as in every copstats estimate).

    :class:`InputError` ``table_too_small`` when either variable has fewer than two categories
    among the rows that have both."""
    prepared = design_prepare(table, design, singleton)
    row_factor = factorize(column_get(table, row))
    column_factor = factorize(column_get(table, column))
    present = (row_factor.codes >= 0) & (column_factor.codes >= 0)
    n_rows, n_columns = len(row_factor.levels), len(column_factor.levels)
    if n_rows < 2 or n_columns < 2:
        raise InputError("table_too_small", row=row, column=column)
    # Cells in R's order (expand.grid: the row category varies fastest).
    cell = np.where(present, row_factor.codes + n_rows * column_factor.codes, -1)
    k = n_rows * n_columns
    weights = np.where(present, prepared.weights, 0.0)
    total = float(weights.sum())
    p = np.bincount(cell[present], weights=weights[present], minlength=k) / total
    covariance = _proportion_covariance(prepared, cell, weights, p, total)
    n = int(present.sum())
    design_df = _design_df(prepared, present)

    p_row = p.reshape(n_columns, n_rows).sum(axis=0)
    p_column = p.reshape(n_columns, n_rows).sum(axis=1)
    expected = np.outer(p_column, p_row).reshape(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = float(n * np.sum(np.where(expected > 0, (p - expected) ** 2 / expected, 0.0)))
        inverse = np.where(p > 0, 1.0 / p, 0.0)
    contrasts = _independence_contrasts(n_rows, n_columns)
    denominator = contrasts.T @ (inverse[:, None] / n * contrasts)
    numerator = contrasts.T @ (inverse[:, None] * covariance * inverse[None, :]) @ contrasts
    delta = np.linalg.solve(denominator, numerator)
    trace = float(np.trace(delta))
    d0 = trace * trace / float(np.trace(delta @ delta))
    df = (n_rows - 1) * (n_columns - 1)
    chisq = pearson / (trace / df)
    f = pearson / trace
    return RaoScott(
        rows=row_factor.levels,
        columns=column_factor.levels,
        proportions=p.reshape(n_columns, n_rows).T.copy(),
        standard_errors=np.sqrt(np.maximum(np.diag(covariance), 0.0))
        .reshape(n_columns, n_rows)
        .T.copy(),
        n=n,
        design_df=design_df,
        pearson=pearson,
        chisq=chisq,
        chisq_df=df,
        chisq_p=float(distributions.chi2.sf(chisq, df)),
        f=f,
        df_num=d0,
        df_den=d0 * design_df,
        f_p=float(distributions.f.sf(f, d0, d0 * design_df)),
    )


def _independence_contrasts(n_rows: int, n_columns: int) -> FloatArray:
    """The interaction columns of the saturated model, made orthogonal to the main effects
    (R's ``qr.resid(qr(X1), X12[, -(1:(nr+nc-1))])``)."""
    r = np.tile(np.arange(n_rows), n_columns)
    c = np.repeat(np.arange(n_columns), n_rows)
    main = np.column_stack(
        [np.ones(len(r))]
        + [(r == i).astype(float) for i in range(1, n_rows)]
        + [(c == j).astype(float) for j in range(1, n_columns)]
    )
    interaction = np.column_stack(
        [((r == i) & (c == j)).astype(float) for j in range(1, n_columns) for i in range(1, n_rows)]
    )
    fitted = main @ np.linalg.lstsq(main, interaction, rcond=None)[0]
    residual: FloatArray = interaction - fitted
    return residual


def _proportion_covariance(
    prepared: PreparedDesign, cell: np.ndarray, weights: FloatArray, p: FloatArray, total: float
) -> FloatArray:
    """Taylor-linearised covariance of the cell proportions: PSU totals of
    ``w (1[cell] − p) / W``, centred within strata, with the design's stratum factors."""
    k = len(p)
    unit = prepared.psu if prepared.psu is not None else np.arange(prepared.n_rows)
    n_units = prepared.n_psu
    unit_stratum = prepared.psu_stratum
    if prepared.psu is None:
        unit_stratum = prepared.stratum
    totals = np.empty((n_units, k))
    weight_by_unit = np.bincount(unit, weights=weights, minlength=n_units)
    in_cell = cell >= 0
    for j in range(k):
        chosen = in_cell & (cell == j)
        own = np.bincount(unit[chosen], weights=weights[chosen], minlength=n_units)
        totals[:, j] = (own - p[j] * weight_by_unit) / total
    n_strata = prepared.n_strata
    count = np.bincount(unit_stratum, minlength=n_strata).astype(np.float64)
    sums = np.zeros((n_strata, k))
    np.add.at(sums, unit_stratum, totals)
    with np.errstate(divide="ignore", invalid="ignore"):
        means = np.where(count[:, None] > 0, sums / count[:, None], 0.0)
    centred = totals - means[unit_stratum]
    lonely = prepared.singleton_mask[unit_stratum]
    if prepared.singleton == "center" and lonely.any():
        centred[lonely] = totals[lonely] - totals.mean(axis=0)
    factor = prepared.stratum_factor[unit_stratum]
    if prepared.singleton != "center":
        factor = np.where(lonely, 0.0, factor)
    covariance: FloatArray = (centred * factor[:, None]).T @ centred
    if prepared.singleton == "scale" and prepared.singleton_mask.any():
        strata = float((count > 0).sum())
        covariance *= strata / (strata - float(prepared.singleton_mask.sum()))
    return covariance


def _design_df(prepared: PreparedDesign, present: np.ndarray) -> int:
    """PSUs holding rows of the table − strata holding them (svy's domain rule)."""
    if prepared.psu is None:
        units = int(present.sum())
        strata = len(np.unique(prepared.stratum[present]))
        return max(units - strata, 1)
    holding = np.unique(prepared.psu[present])
    strata = len(np.unique(prepared.psu_stratum[holding]))
    return max(len(holding) - strata, 1)
