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
``0.5 ± t·se(F)``. Disclosure rules then apply to every cell; the differential-privacy option
replaces them (:mod:`copcore.stats.privacy`).

Each row carries comparability flags: ``age_range_differs:9-16`` when the survey covers only
part of the indicator's ages, ``band_partial`` on age bands the survey covers in part,
``composite_partial:tfse_any`` when a composite lacks components; indicators that cannot be
computed keep one row with ``not_collected:…`` or ``population_differs:internet_users``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from copcore.stats.ci import (
    ci_korn_graubard,
    ci_logit,
    ci_method_parse,
    ci_wald,
    level_parse,
    t_quantile,
)
from copcore.stats.columns import (
    BoolArray,
    Column,
    Factor,
    FloatArray,
    IntArray,
    Table,
    factorize,
    missing_mask,
)
from copcore.stats.design import design_prepare, design_weights
from copcore.stats.disclosure import disclosure_apply, disclosure_rule_parse
from copcore.stats.errors import InputError
from copcore.stats.estimate import EstimateResult
from copcore.stats.framework import (
    AllOf,
    AnyOf,
    Breakdown,
    Compare,
    Condition,
    Framework,
    Indicator,
    Not,
    Variable,
)
from copcore.stats.mapping import Harmonised, SurveyMapping, mapping_apply
from copcore.stats.privacy import SAMPLER_OPENDP, Calibration, dp_calibrate, dp_cell_counts
from copcore.stats.variance import Breakdown as KernelBreakdown
from copcore.stats.variance import ratio_estimate

TOTAL = "_T"
BOOLEAN_LEVELS = (("1", "yes"), ("0", "no"))
COLUMNS = (
    "country",
    "survey",
    "framework",
    "framework_version",
    "indicator",
    "group",
    "tier",
    "statistic",
    "denominator",
    "age_min",
    "age_max",
    "breakdown",
    "breakdown_value",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "deff",
    "df",
    "n",
    "suppressed",
    "flag",
    "comparability",
)
NUMERIC = ("estimate", "se", "ci_low", "ci_high", "deff")
INTEGER = ("tier", "age_min", "age_max", "df", "n")
DP_NUMERIC = ("dp_numerator", "dp_denominator", "dp_epsilon", "dp_scale", "dp_weight_cap")


@dataclass(frozen=True)
class TabulateOptions:
    """What to compute and how; ``tier=1`` keeps the short first tier."""

    country: str | None = None
    ci: str = "logit"
    level: float = 0.95
    singleton: str = "fail"
    tier: int | None = None
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tabulation:
    """The tidy table (``columns`` in :attr:`column_names` order) and its metadata."""

    columns: Mapping[str, NDArray[Any]]
    column_names: tuple[str, ...]
    metadata: Mapping[str, str] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return len(self.columns["indicator"])

    def rows(self) -> list[dict[str, Any]]:
        """Rows as plain dicts (blank numbers as ``None``)."""
        lists = {name: self.columns[name].tolist() for name in self.column_names}
        out: list[dict[str, Any]] = []
        for i in range(self.n_rows):
            row: dict[str, Any] = {}
            for name in self.column_names:
                value = lists[name][i]
                row[name] = None if isinstance(value, float) and np.isnan(value) else value
            out.append(row)
        return out

    def to_arrow(self) -> pa.Table:
        """The table as Arrow, blank numbers as nulls, metadata on the schema."""
        arrays: list[pa.Array] = []
        for name in self.column_names:
            values = self.columns[name]
            if values.dtype.kind == "f":
                arrays.append(pa.array(values, mask=np.isnan(values)))
            elif values.dtype == object:
                arrays.append(pa.array(values.tolist(), type=pa.string()))
            else:
                arrays.append(pa.array(values))
        table = pa.Table.from_arrays(arrays, names=list(self.column_names))
        return table.replace_schema_metadata(dict(self.metadata))


# ----------------------------------------------------------------------------- conditions


def condition_evaluate(
    condition: Condition | None, columns: Table, n_rows: int
) -> tuple[BoolArray, BoolArray]:
    """Kleene three-valued evaluation: ``(true, known)`` masks over the harmonised table.

    A comparison is unknown where its variable is missing; ``all`` is false if one part is
    false, ``any`` true if one part is true (Kleene 1952 strong logic), so a composite
    universe never drops a row that one known part already decides.
    """
    if condition is None:
        every = np.ones(n_rows, dtype=np.bool_)
        return every, every
    if isinstance(condition, Not):
        true, known = condition_evaluate(condition.part, columns, n_rows)
        return known & ~true, known
    if isinstance(condition, AllOf | AnyOf):
        parts = [condition_evaluate(p, columns, n_rows) for p in condition.parts]
        if isinstance(condition, AllOf):
            false = np.logical_or.reduce([k & ~t for t, k in parts])
            true = np.logical_and.reduce([t for t, _ in parts])
        else:
            true = np.logical_or.reduce([t for t, _ in parts])
            false = np.logical_and.reduce([k & ~t for t, k in parts])
        return true, true | false
    return _compare(condition, columns[condition.var])


def _compare(condition: Compare, values: Column) -> tuple[BoolArray, BoolArray]:
    if isinstance(values, Factor):
        wanted = [
            i
            for i, level in enumerate(values.levels)
            if level in {str(v) for v in condition.values}
        ]
        known = values.codes >= 0
        return np.isin(values.codes, wanted), known
    if values.dtype.kind == "f":
        known = ~np.isnan(values)
        targets = [float(v) for v in condition.values]  # booleans become 1.0 / 0.0
        if condition.op == "between":
            true = known & (values >= targets[0]) & (values <= targets[1])
        else:
            true = known & np.isin(values, targets)
        return true, known
    known = ~missing_mask(values)
    true = known & np.isin(values, [str(v) for v in condition.values])
    return np.asarray(true, dtype=np.bool_), np.asarray(known, dtype=np.bool_)


def alternative_variables(condition: Condition | None) -> frozenset[str]:
    """Variables that occur only as alternatives (inside an ``any``): a survey lacking them
    can still decide the condition through the other alternatives."""
    required: set[str] = set()
    alternatives: set[str] = set()

    def walk(node: Condition | None, inside_any: bool) -> None:
        if node is None:
            return
        if isinstance(node, Compare):
            (alternatives if inside_any else required).add(node.var)
        elif isinstance(node, Not):
            walk(node.part, inside_any)
        else:
            for part in node.parts:
                walk(part, inside_any or isinstance(node, AnyOf))

    walk(condition, False)
    return frozenset(alternatives - required)


# ----------------------------------------------------------------------------- breakdowns


@dataclass(frozen=True)
class _Cells:
    """A breakdown coded for the kernel, with display labels in framework order."""

    breakdown: str
    codes: IntArray
    labels: tuple[str, ...]
    bands: tuple[tuple[int, int], ...] = ()


def _recode(values: Column, keys: Sequence[str]) -> IntArray:
    """Codes of ``values`` against level texts ``keys`` (``-1``: missing or not a key)."""
    factor = factorize(values)
    position = {key: i for i, key in enumerate(keys)}
    remap = np.array([*(position.get(lv, -1) for lv in factor.levels), -1], dtype=np.int64)
    return np.asarray(remap[factor.codes], dtype=np.int64)


def breakdown_cells(
    harmonised: Harmonised, breakdown: Breakdown, variable: Variable, *, fixed: bool
) -> _Cells | None:
    """Code one breakdown; ``None`` when the survey lacks its variable.

    Levels follow the framework (bands, categories, yes/no); integers and region codes take
    the observed values, or with ``fixed`` (differential privacy: cells must not depend on
    the data) the full integer range and the mapping's region codes (no breakdown at all
    when the mapping lists none).
    """
    if breakdown.variable not in harmonised.available:
        return None
    values = harmonised.columns[breakdown.variable]
    if breakdown.bands:
        labels = tuple(breakdown.label_of(b) for b in breakdown.bands)
        return _Cells(
            breakdown.id, _recode(harmonised.columns[breakdown.id], labels), labels, breakdown.bands
        )
    if variable.type == "boolean":
        keys = tuple(k for k, _ in BOOLEAN_LEVELS)
        return _Cells(breakdown.id, _recode(values, keys), tuple(v for _, v in BOOLEAN_LEVELS))
    if variable.type == "category":
        return _Cells(breakdown.id, _recode(values, variable.categories), variable.categories)
    if fixed and variable.type == "integer":
        low, high = (
            harmonised.survey.age if variable.id == "age" else (variable.minimum, variable.maximum)
        )
        keys = tuple(str(v) for v in range(int(low or 0), int(high or 0) + 1))
        return _Cells(breakdown.id, _recode(values, keys), keys)
    if fixed:
        # Region codes must come from the mapping; levels read from the data would leak.
        keys = harmonised.declared_levels.get(variable.id, ())
        return _Cells(breakdown.id, _recode(values, keys), keys) if keys else None
    factor = factorize(values)
    return _Cells(breakdown.id, factor.codes, factor.levels)


def _total_cells(n_rows: int) -> _Cells:
    return _Cells(TOTAL, np.zeros(n_rows, dtype=np.int64), (TOTAL,))


# ----------------------------------------------------------------------------- indicators


@dataclass(frozen=True)
class _Column:
    """One indicator ready for the kernel: its value (0/1 for proportions) where ``valid``."""

    indicator: Indicator
    values: FloatArray
    valid: BoolArray
    age: tuple[int, int]
    flags: tuple[str, ...]
    breakdowns: tuple[str, ...]


@dataclass(frozen=True)
class _Skipped:
    """An indicator the survey cannot produce, and why (a comparability code)."""

    indicator: Indicator
    reason: str
    age: tuple[int, int]


def _indicator_column(
    indicator: Indicator,
    harmonised: Harmonised,
    framework: Framework,
    n_rows: int,
    *,
    private: bool = False,
) -> _Column | _Skipped:
    wanted = indicator.age or framework.age_range
    population = framework.population(indicator.denominator or "")
    lacking = [v for v in indicator.variables if v not in harmonised.available]
    optional = [v for v in lacking if v in alternative_variables(population.condition)]
    if len(optional) < len(lacking):
        return _Skipped(indicator, "not_collected:" + ",".join(lacking), wanted)
    survey = harmonised.survey
    if population.condition is None and survey.population != "all_children":
        return _Skipped(indicator, f"population_differs:{survey.population}", wanted)
    age = (max(wanted[0], survey.age[0]), min(wanted[1], survey.age[1]))
    if age[0] > age[1]:
        return _Skipped(indicator, f"age_out_of_survey:{survey.age[0]}-{survey.age[1]}", wanted)
    flags: list[str] = []
    if age != wanted:
        flags.append(f"age_range_differs:{age[0]}-{age[1]}")
    flags.extend(
        f"composite_partial:{v}" for v in indicator.variables if v in harmonised.partial_composites
    )
    columns: dict[str, Column] = dict(harmonised.columns)
    if optional:
        # The survey lacks one alternative of the denominator (C1-C3 without R9 items): the
        # others still decide, the missing one counts as unknown, and the rows say so.
        flags.append("denominator_partial:" + ",".join(optional))
        columns.update({v: np.full(n_rows, np.nan) for v in optional})
    in_population, _ = condition_evaluate(population.condition, columns, n_rows)
    ages = np.asarray(columns["age"], dtype=np.float64)
    universe = in_population & (ages >= age[0]) & (ages <= age[1])
    if indicator.numerator is not None:
        true, known = condition_evaluate(indicator.numerator, columns, n_rows)
        valid = universe & known
        values = np.where(valid & true, 1.0, 0.0)
    else:
        raw = np.asarray(columns[indicator.value or ""], dtype=np.float64)
        valid = universe & ~np.isnan(raw)
        values = np.where(valid, raw, 0.0)
    if not valid.any() and not private:
        # Under differential privacy even this must not depend on the data: release noise.
        return _Skipped(indicator, "no_valid_value", age)
    breakdowns = tuple(b.id for b in framework.indicator_breakdowns(indicator))
    return _Column(indicator, values, valid, age, tuple(flags), breakdowns)


def _columns(
    framework: Framework,
    harmonised: Harmonised,
    options: TabulateOptions,
    n_rows: int,
    *,
    private: bool = False,
) -> tuple[list[_Column], list[_Skipped]]:
    chosen = [
        i
        for i in framework.select(source="survey", tier=options.tier)
        if not options.indicators or i.id in options.indicators
    ]
    unknown = set(options.indicators) - {i.id for i in framework.indicators}
    if unknown:
        framework.indicator(sorted(unknown)[0])  # raises framework_indicator_unknown
    computed: list[_Column] = []
    skipped: list[_Skipped] = []
    for indicator in chosen:
        if private and indicator.statistic != "proportion":
            reason = f"dp_not_supported:{indicator.statistic}"
            skipped.append(_Skipped(indicator, reason, indicator.age or framework.age_range))
            continue
        outcome = _indicator_column(indicator, harmonised, framework, n_rows, private=private)
        if isinstance(outcome, _Column):
            computed.append(outcome)
        else:
            skipped.append(outcome)
    return computed, skipped


# ----------------------------------------------------------------------------- rows


class _Rows:
    """Column lists of the output table, filled row by row (a few thousand rows at most)."""

    def __init__(self, names: Sequence[str]) -> None:
        self.data: dict[str, list[Any]] = {name: [] for name in names}

    def add(self, **values: Any) -> None:
        for name, column in self.data.items():
            column.append(values.get(name, np.nan if name in (*NUMERIC, *DP_NUMERIC) else ""))


def _identity(column: _Column | _Skipped, context: Mapping[str, str]) -> dict[str, Any]:
    indicator = column.indicator
    age = column.age
    return {
        **context,
        "indicator": indicator.id,
        "group": indicator.group,
        "tier": indicator.tier,
        "statistic": indicator.statistic,
        "denominator": indicator.denominator or "",
        "age_min": age[0],
        "age_max": age[1],
    }


def _row_flags(column: _Column, cells: _Cells, cell: int) -> str:
    flags = list(column.flags)
    if cells.bands:
        low, high = cells.bands[cell]
        if low < column.age[0] or high > column.age[1]:
            flags.append("band_partial")
    return ";".join(flags)


def _skipped_rows(rows: _Rows, skipped: Sequence[_Skipped], context: Mapping[str, str]) -> None:
    for item in skipped:
        rows.add(
            **_identity(item, context),
            breakdown=TOTAL,
            breakdown_value=TOTAL,
            df=0,
            n=0,
            suppressed=False,
            comparability=item.reason,
        )


def _median(
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


def _estimate_rows(
    rows: _Rows,
    columns: Sequence[_Column],
    cells: Mapping[str, _Cells],
    harmonised: Harmonised,
    options: TabulateOptions,
    context: Mapping[str, str],
) -> None:
    prepared = design_prepare(harmonised.columns, harmonised.design, options.singleton)
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
    kernel = ratio_estimate(
        prepared,
        numerators,
        denominators,
        [KernelBreakdown(cells[b].codes, len(cells[b].labels)) for b in order],
        totals=np.asarray(totals, dtype=np.bool_),
    )
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
                }
                df = int(result.df[cell, j])
                if column.indicator.statistic == "median":
                    xs = support[index]
                    span = slice(j, j + len(xs))
                    median, se, low, high = _median(
                        xs, result.estimate[cell, span], result.se[cell, span], df, options.level
                    )
                    values = {"estimate": median, "se": se, "ci_low": low, "ci_high": high}
                    values["deff"] = float(result.deff[cell, j + int(np.searchsorted(xs, median))])
                rows.add(
                    **_identity(column, context),
                    **values,
                    breakdown=breakdown,
                    breakdown_value=label,
                    df=df,
                    n=n,
                    suppressed=False,
                    comparability=_row_flags(column, cell_set, cell),
                )


def _intervals(data: dict[str, list[Any]], method: str, level: float) -> None:
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


def _as_arrays(data: Mapping[str, list[Any]]) -> dict[str, NDArray[Any]]:
    out: dict[str, NDArray[Any]] = {}
    for name, values in data.items():
        if name in NUMERIC or (
            name.startswith("dp_") and name not in ("dp_mechanism", "dp_sampler")
        ):
            out[name] = np.asarray(values, dtype=np.float64)
        elif name in INTEGER:
            out[name] = np.asarray(values, dtype=np.int64)
        elif name == "suppressed":
            out[name] = np.asarray(values, dtype=np.bool_)
        else:
            out[name] = np.asarray(values, dtype=object)
    return out


# ----------------------------------------------------------------------------- entry points


def _context(mapping: SurveyMapping, framework: Framework, country: str) -> dict[str, str]:
    return {
        "country": country,
        "survey": mapping.survey.name,
        "framework": framework.id,
        "framework_version": framework.version,
    }


def _cells(
    framework: Framework,
    harmonised: Harmonised,
    columns: Sequence[_Column],
    n_rows: int,
    *,
    fixed: bool,
) -> dict[str, _Cells]:
    cells: dict[str, _Cells] = {TOTAL: _total_cells(n_rows)}
    for column in columns:
        for breakdown_id in column.breakdowns:
            if breakdown_id in cells:
                continue
            breakdown = framework.breakdown(breakdown_id)
            coded = breakdown_cells(
                harmonised, breakdown, framework.variable(breakdown.variable), fixed=fixed
            )
            if coded is not None:
                cells[breakdown_id] = coded
    return cells


def _metadata(
    framework: Framework, mapping: SurveyMapping, extra: Mapping[str, str]
) -> dict[str, str]:
    return {
        "framework": framework.id,
        "framework_version": framework.version,
        "survey": mapping.survey.name,
        "survey_population": mapping.survey.population,
        "survey_age": f"{mapping.survey.age[0]}-{mapping.survey.age[1]}",
        **extra,
    }


def table_subset(table: Table, rows: BoolArray) -> dict[str, Column]:
    """The rows of ``table`` where ``rows`` is true (coded columns stay coded)."""
    out: dict[str, Column] = {}
    for name, values in table.items():
        if isinstance(values, Factor):
            out[name] = Factor(codes=values.codes[rows], levels=values.levels)
        else:
            out[name] = values[rows]
    return out


def survey_countries(
    table: Table, mapping: SurveyMapping, country: str | None
) -> list[tuple[str, Table]]:
    """The table of each country: one pooled file is split on ``survey.country_column``
    (separate national surveys with their own designs, so splitting is not domain
    estimation); otherwise the whole table under ``country`` or the mapping's country."""
    column = mapping.survey.country_column
    if column is None:
        return [(country or mapping.survey.country or "", table)]
    if column not in table:
        raise InputError("column_missing", column=column)
    factor = factorize(table[column])
    if country is not None and country not in factor.levels:
        raise InputError("country_not_in_data", column=column, value=country)
    chosen = [country] if country is not None else list(factor.levels)
    out: list[tuple[str, Table]] = []
    for name in chosen:
        rows = factor.codes == factor.levels.index(name)
        out.append((name, table if rows.all() else table_subset(table, rows)))
    return out


def tabulate(
    table: Table,
    mapping: SurveyMapping,
    framework: Framework,
    options: TabulateOptions = TabulateOptions(),
    *,
    disclosure: str = "none",
) -> Tabulation:
    """Every survey indicator × breakdown of ``framework`` in one tidy table.

    Validates and harmonises ``table`` through ``mapping`` first (:class:`MappingInvalid`
    when the data do not fit), estimates everything in one kernel pass per country (see the
    module docstring for the methods), then applies the named disclosure rule (``none``,
    ``min-n:N``, ``dhs``, ``nchs``) with complementary suppression to every row.
    """
    method = ci_method_parse(options.ci)
    level = level_parse(options.level)
    rows = _Rows(COLUMNS)
    unavailable: set[str] = set()
    for country, part in survey_countries(table, mapping, options.country):
        harmonised = mapping_apply(part, mapping, framework)
        n_rows = len(harmonised.columns["age"])
        columns, skipped = _columns(framework, harmonised, options, n_rows)
        context = _context(mapping, framework, country)
        cells = _cells(framework, harmonised, columns, n_rows, fixed=False)
        unavailable |= {b for b in framework.default_breakdowns if b not in cells}
        if columns:
            _estimate_rows(rows, columns, cells, harmonised, options, context)
        _skipped_rows(rows, skipped, context)
    _intervals(rows.data, method, level)
    arrays = disclosure_adapter(_as_arrays(rows.data), disclosure, level)
    metadata = _metadata(
        framework,
        mapping,
        {
            "ci": method,
            "level": str(level),
            "disclosure": disclosure,
            "breakdowns_not_available": ",".join(sorted(unavailable)),
        },
    )
    return Tabulation(columns=arrays, column_names=COLUMNS, metadata=metadata)


def disclosure_adapter(
    columns: dict[str, NDArray[Any]], rule_text: str, level: float
) -> dict[str, NDArray[Any]]:
    """Apply the core's disclosure rule set (:func:`copcore.stats.disclosure.disclosure_apply`,
    primary rule then complementary suppression) to the tidy table.

    The rows are laid out as the core's estimate result: one by column per breakdown holding
    the cell's level and ``_T`` elsewhere, each country's indicator as its own variable,
    proportions as ``prop`` (NCHS proportion standard) and means, medians and totals as
    ``mean`` (``n >= 30``). Rows of indicators not computed (``n = 0``) are left alone.
    """
    rule = disclosure_rule_parse(rule_text)
    if rule.name == "none":
        return columns
    computed = np.flatnonzero(columns["n"] > 0)
    breakdowns = tuple(dict.fromkeys(b for b in columns["breakdown"][computed] if b != TOTAL))
    by: dict[str, NDArray[Any]] = {}
    for name in breakdowns:
        values = np.full(len(computed), TOTAL, dtype=object)
        here = columns["breakdown"][computed] == name
        values[here] = columns["breakdown_value"][computed][here]
        by[f"by_{name}"] = values
    proportion = columns["statistic"][computed] == "proportion"
    variable = np.array(
        [
            f"{c}|{i}"
            for c, i in zip(
                columns["country"][computed], columns["indicator"][computed], strict=True
            )
        ],
        dtype=object,
    )
    estimate_columns: dict[str, NDArray[Any]] = {
        "statistic": np.where(proportion, "prop", "mean").astype(object),
        "variable": variable,
        "category": np.where(proportion, "1", "").astype(object),
        **by,
        **{
            name: columns[name][computed]
            for name in ("estimate", "se", "ci_low", "ci_high", "deff", "df", "n")
        },
        "suppressed": np.zeros(len(computed), dtype=np.bool_),
        "flag": np.full(len(computed), "", dtype=object),
    }
    result = EstimateResult(columns=estimate_columns, by_columns=tuple(by), level=level, ci="logit")
    disclosed = disclosure_apply(result, rule).columns
    out = {name: values.copy() for name, values in columns.items()}
    for name in ("estimate", "se", "ci_low", "ci_high", "deff", "suppressed", "flag"):
        out[name][computed] = disclosed[name]
    return out


# ----------------------------------------------------------------------------- privacy

DP_COLUMNS = (
    *COLUMNS[: COLUMNS.index("breakdown_value") + 1],
    "estimate",
    "dp_numerator",
    "dp_denominator",
    "comparability",
    "dp_mechanism",
    "dp_sampler",
    "dp_epsilon",
    "dp_scale",
    "dp_weight_cap",
)


def _outside_ages(column: _Column, cells: _Cells, cell: int) -> bool:
    """Whether a cell of an age breakdown lies wholly outside the indicator's ages."""
    if cells.bands:
        low, high = cells.bands[cell]
    elif cells.breakdown == "age":
        low = high = int(cells.labels[cell])
    else:
        return False
    return high < column.age[0] or low > column.age[1]


def tabulate_private(
    table: Table,
    mapping: SurveyMapping,
    framework: Framework,
    options: TabulateOptions = TabulateOptions(),
    *,
    epsilon: float,
    weight_cap: float,
    rng: np.random.Generator | None = None,
) -> tuple[Tabulation, Calibration]:
    """Every proportion indicator × breakdown under ``epsilon``-differential privacy.

    For each indicator and breakdown, two queries: the capped weighted count of its
    numerator and of its universe in every cell (cells fixed in advance: framework levels,
    the survey's age range, the mapping's region codes). The proportion is their ratio,
    clipped to [0, 1]; no SE, interval or unweighted n is released (they would spend budget
    too). Countries of a pooled file are disjoint, so each gets the whole ``epsilon``
    (parallel composition) and the release costs ``epsilon``. Returns the table and the
    calibration to record in the ledger (:func:`copcore.stats.privacy.ledger_charge`).
    Means and medians are listed as ``dp_not_supported``.
    """
    rows = _Rows(DP_COLUMNS)
    calibrations: list[Calibration] = []
    sampler = SAMPLER_OPENDP
    for country, part in survey_countries(table, mapping, options.country):
        harmonised = mapping_apply(part, mapping, framework)
        n_rows = len(harmonised.columns["age"])
        columns, skipped = _columns(framework, harmonised, options, n_rows, private=True)
        context = _context(mapping, framework, country)
        cells = _cells(framework, harmonised, columns, n_rows, fixed=True)
        _skipped_rows(rows, skipped, context)
        if not columns:
            continue
        masks: list[BoolArray] = []
        query_cells: list[tuple[IntArray, int]] = []
        plan: list[tuple[_Column, str]] = []
        for column in columns:
            for breakdown in (TOTAL, *column.breakdowns):
                if breakdown not in cells:
                    continue
                coded = (cells[breakdown].codes, len(cells[breakdown].labels))
                masks.extend([column.valid & (column.values == 1.0), column.valid])
                query_cells.extend([coded, coded])
                plan.append((column, breakdown))
        weights = design_weights(harmonised.columns, harmonised.design)
        noisy = dp_cell_counts(
            weights, masks, query_cells, epsilon=epsilon, weight_cap=weight_cap, rng=rng
        )
        calibrations.append(noisy.calibration)
        sampler = noisy.sampler
        release = {
            "dp_mechanism": noisy.calibration.mechanism,
            "dp_sampler": noisy.sampler,
            "dp_epsilon": noisy.calibration.epsilon,
            "dp_scale": noisy.calibration.scale,
            "dp_weight_cap": noisy.calibration.weight_cap,
        }
        for q, (column, breakdown) in enumerate(plan):
            numerator, denominator = noisy.sums[2 * q], noisy.sums[2 * q + 1]
            for cell, label in enumerate(cells[breakdown].labels):
                if _outside_ages(column, cells[breakdown], cell):
                    continue
                den = float(denominator[cell])
                ratio = float(np.clip(numerator[cell] / den, 0.0, 1.0)) if den > 0 else np.nan
                rows.add(
                    **_identity(column, context),
                    **release,
                    breakdown=breakdown,
                    breakdown_value=label,
                    estimate=ratio,
                    dp_numerator=float(numerator[cell]),
                    dp_denominator=den,
                    comparability=_row_flags(column, cells[breakdown], cell),
                )
    worst = max(calibrations, key=lambda c: c.epsilon) if calibrations else None
    calibration = worst or dp_calibrate(epsilon, weight_cap, 1)
    metadata = _metadata(
        framework,
        mapping,
        {
            "dp_mechanism": calibration.mechanism,
            "dp_sampler": sampler,
            "dp_epsilon": repr(calibration.epsilon),
            "dp_epsilon_query": repr(calibration.epsilon_query),
            "dp_queries": str(calibration.queries),
            "dp_scale": repr(calibration.scale),
            "dp_sensitivity": repr(calibration.sensitivity),
            "dp_weight_cap": repr(calibration.weight_cap),
        },
    )
    arrays = _as_arrays(rows.data)
    return Tabulation(columns=arrays, column_names=DP_COLUMNS, metadata=metadata), calibration
