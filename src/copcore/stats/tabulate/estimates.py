"""Every indicator × breakdown of a framework, from one survey, in one tidy table.

:func:`tabulate` harmonises the survey through its mapping (refusing data that do not
validate), turns every survey indicator into one kernel column (its numerator, or value, over
its universe: denominator population × age restriction × known value), and estimates all of
them in all cells of all breakdowns with one call of the reduction kernel
(:func:`copcore.stats.variance.ratio_estimate`: Taylor linearisation, with-replacement PSUs
within strata, domains on the full design). Proportions get logit or Korn–Graubard intervals,
means Wald intervals, all on ``t`` with the domain's design degrees of freedom. Medians use
Woodruff's method (Woodruff 1952; R ``survey::svyquantile`` with ``qrule="math"``,
``interval.type="mean"``): the design-based CDF at every observed value comes from the same
kernel, the median is the smallest value with ``F ≥ 0.5`` and its interval inverts
``0.5 ± t·se(F)``. With replicate weights in the mapping's design (``design.replicates``) the
same columns go to :func:`copcore.stats.replication.replicate_ratio_estimate` instead: the
variances (and so the medians' ``se(F)``) come from the replicates, df from the replicate
design. Disclosure rules then apply to every cell.

Each row carries comparability flags: ``age_range_differs:9-16`` when the survey covers only
part of the indicator's ages, ``band_partial`` on age bands the survey covers in part,
``composite_partial:tfse_any`` when a composite lacks components; indicators that cannot be
computed keep one row with ``not_collected:…`` or ``population_differs:internet_users``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from copcore.stats.ci import (
    ci_korn_graubard,
    ci_logit,
    ci_method_parse,
    ci_wald,
    level_parse,
    t_quantile,
)
from copcore.stats.columns import FloatArray, Table
from copcore.stats.design import design_prepare
from copcore.stats.disclosure import disclosure_rule_parse
from copcore.stats.errors import OptionError
from copcore.stats.framework import Framework
from copcore.stats.mapping import Harmonised, SurveyMapping, mapping_apply
from copcore.stats.replication import (
    replicate_columns_resolve,
    replicate_ratio_estimate,
    replicates_prepare,
)
from copcore.stats.tabulate.audit import AUDIT_VALUE, tabulation_audit
from copcore.stats.tabulate.cells import TOTAL, Cells, cells_code
from copcore.stats.tabulate.countries import survey_countries
from copcore.stats.tabulate.disclosure import tabulation_disclose
from copcore.stats.tabulate.indicators import IndicatorColumn, indicator_columns
from copcore.stats.tabulate.rows import row_flags, row_identity, skipped_rows
from copcore.stats.tabulate.table import (
    COLUMNS,
    DEFAULT_OPTIONS,
    Rows,
    TabulateOptions,
    Tabulation,
    row_context,
    rows_as_arrays,
    table_metadata,
)
from copcore.stats.variance import Breakdown as KernelBreakdown
from copcore.stats.variance import ratio_estimate


def tabulate(
    table: Table,
    mapping: SurveyMapping,
    framework: Framework,
    options: TabulateOptions = DEFAULT_OPTIONS,
    *,
    disclosure: str = "none",
    protection: float | None = None,
) -> Tabulation:
    """Every survey indicator × breakdown of ``framework`` in one tidy table.

    Validates and harmonises ``table`` through ``mapping`` first (:class:`MappingInvalid`
    when the data do not fit), estimates everything in one kernel pass per country (see the
    module docstring for the methods), then applies the named disclosure rule (``none``,
    ``min-n:N``, ``dhs``, ``nchs``) with complementary suppression to every row. With a
    ``protection`` level (and a rule other than ``none``) it then audits the suppressions and
    suppresses more cells until every one is protected (:mod:`copcore.stats.tabulate.audit`);
    the metadata reports the audit (``audit_*``).
    """
    method = ci_method_parse(options.ci)
    level = level_parse(options.level)
    rows = Rows((*COLUMNS, AUDIT_VALUE))
    unavailable: set[str] = set()
    for country, part in survey_countries(table, mapping, options.country):
        harmonised = mapping_apply(part, mapping, framework)
        n_rows = len(harmonised.columns["age"])
        columns, skipped = indicator_columns(framework, harmonised, options, n_rows)
        context = row_context(mapping, framework, country)
        cells = cells_code(framework, harmonised, columns, n_rows, fixed=False)
        unavailable |= {b for b in framework.default_breakdowns if b not in cells}
        if columns:
            estimate_rows(rows, columns, cells, harmonised, options, context)
        skipped_rows(rows, skipped, context)
    intervals_fill(rows.data, method, level)
    arrays = tabulation_disclose(rows_as_arrays(rows.data), disclosure, level)
    extra = {
        "ci": method,
        "level": str(level),
        "disclosure": disclosure,
        "breakdowns_not_available": ",".join(sorted(unavailable)),
    }
    if protection is not None and disclosure_rule_parse(disclosure).name != "none":
        if not (np.isfinite(protection) and 0.0 <= protection < 1.0):
            raise OptionError(
                "option_invalid", option="--protection", value=str(protection), allowed="[0, 1)"
            )
        arrays, report = tabulation_audit(arrays, framework, protection)
        extra.update(report.metadata())
    arrays.pop(AUDIT_VALUE)
    if mapping.design.replicates is not None:
        spec = mapping.design.replicates
        extra.update(
            variance="replication",
            replication_method=spec.method,
            replicates=str(len(replicate_columns_resolve(spec.columns, list(table)))),
        )
    metadata = table_metadata(framework, mapping, extra)
    return Tabulation(columns=arrays, column_names=COLUMNS, metadata=metadata)


def median_woodruff(
    xs: FloatArray, cdf: FloatArray, se: FloatArray, df: int, level: float
) -> tuple[float, float, float, float]:
    """Woodruff (1952) median and interval from the design-based CDF at the values ``xs``:
    ``inf{x: F(x) ≥ p}`` at ``p = 0.5`` and at ``0.5 ± t·se(F(median))``; the SE is the
    interval's half-width over ``t`` (Francisco & Fuller 1991)."""

    def quantile(p: float) -> float:
        at = np.flatnonzero(cdf >= p - 1e-12)
        return float(xs[at[0]]) if len(at) else float(xs[-1])

    median = quantile(0.5)
    position = int(np.flatnonzero(xs == median)[0])
    t = float(t_quantile(level, np.asarray([df]))[0])
    if not np.isfinite(t):
        return median, np.nan, np.nan, np.nan
    half = t * float(se[position])
    low, high = quantile(max(0.5 - half, 0.0)), quantile(min(0.5 + half, 1.0))
    return median, (high - low) / (2.0 * t), low, high


def estimate_rows(
    rows: Rows,
    columns: Sequence[IndicatorColumn],
    cells: Mapping[str, Cells],
    harmonised: Harmonised,
    options: TabulateOptions,
    context: Mapping[str, str],
) -> None:
    """Estimate every indicator column in every cell with one kernel call; add the rows."""
    numerators: list[FloatArray] = []
    denominators: list[FloatArray] = []
    totals: list[bool] = []
    starts: list[int] = []
    support: list[FloatArray] = []
    for column in columns:
        starts.append(len(numerators))
        valid = column.valid.astype(np.float64)
        if column.indicator.statistic == "median":
            xs = np.unique(column.values[column.valid])
            support.append(xs)
            for x in xs:
                numerators.append(np.where(column.valid & (column.values <= x), 1.0, 0.0))
                denominators.append(valid)
                totals.append(False)
        else:
            support.append(np.zeros(0))
            numerators.append(column.values)
            denominators.append(valid)
            totals.append(column.indicator.statistic == "total")
    order = list(cells)
    breakdowns = [KernelBreakdown(cells[b].codes, len(cells[b].labels)) for b in order]
    is_total = np.asarray(totals, dtype=np.bool_)
    if harmonised.design.replicates is not None:
        replicated = replicates_prepare(harmonised.columns, harmonised.design)
        kernel = replicate_ratio_estimate(
            replicated, numerators, denominators, breakdowns, totals=is_total
        )
    else:
        prepared = design_prepare(harmonised.columns, harmonised.design, options.singleton)
        kernel = ratio_estimate(prepared, numerators, denominators, breakdowns, totals=is_total)
    by_breakdown = dict(zip(order, kernel, strict=True))
    for index, column in enumerate(columns):
        j = starts[index]
        for breakdown in (TOTAL, *column.breakdowns):
            if breakdown not in cells:
                continue
            result, cell_set = by_breakdown[breakdown], cells[breakdown]
            for cell, label in enumerate(cell_set.labels):
                n = int(result.n[cell, j])
                if n == 0:
                    continue
                values: dict[str, Any] = {
                    "estimate": float(result.estimate[cell, j]),
                    "se": float(result.se[cell, j]),
                    "deff": float(result.deff[cell, j]),
                    AUDIT_VALUE: float(result.numerator_total[cell, j]),
                }
                df = int(result.df[cell, j])
                if column.indicator.statistic == "median":
                    xs = support[index]
                    span = slice(j, j + len(xs))
                    median, se, low, high = median_woodruff(
                        xs, result.estimate[cell, span], result.se[cell, span], df, options.level
                    )
                    values = {"estimate": median, "se": se, "ci_low": low, "ci_high": high}
                    values["deff"] = float(result.deff[cell, j + int(np.searchsorted(xs, median))])
                rows.add(
                    **row_identity(column, context),
                    **values,
                    breakdown=breakdown,
                    breakdown_value=label,
                    df=df,
                    n=n,
                    suppressed=False,
                    comparability=row_flags(column, cell_set, cell),
                )


def intervals_fill(data: dict[str, list[Any]], method: str, level: float) -> None:
    """Fill ``ci_low``/``ci_high``: proportions by ``method``, means and totals Wald (medians
    already have theirs)."""
    statistic = np.asarray(data["statistic"], dtype=object)
    est = np.asarray(data["estimate"], dtype=np.float64)
    se = np.asarray(data["se"], dtype=np.float64)
    df = np.asarray(data["df"], dtype=np.int64)
    n = np.asarray(data["n"], dtype=np.int64)
    low = np.asarray(data["ci_low"], dtype=np.float64)
    high = np.asarray(data["ci_high"], dtype=np.float64)
    prop = statistic == "proportion"
    other = np.isin(statistic, ["mean", "total"])
    if method == "logit":
        low[prop], high[prop] = ci_logit(est[prop], se[prop], df[prop], level)
    elif method == "korn-graubard":
        low[prop], high[prop] = ci_korn_graubard(est[prop], se[prop], df[prop], n[prop], level)
    else:
        plow, phigh = ci_wald(est[prop], se[prop], df[prop], level)
        low[prop], high[prop] = np.clip(plow, 0.0, 1.0), np.clip(phigh, 0.0, 1.0)
    low[other], high[other] = ci_wald(est[other], se[other], df[other], level)
    data["ci_low"], data["ci_high"] = low.tolist(), high.tolist()
