"""Survey indicators turned into kernel columns: a value (0/1 for proportions) over the
indicator's universe (denominator population × age restriction × answered), or the
comparability reason why the survey cannot produce it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from copcore.stats.columns import BoolArray, Column, FloatArray
from copcore.stats.framework import Framework, Indicator, alternative_variables
from copcore.stats.mapping import Harmonised
from copcore.stats.tabulate.conditions import condition_evaluate
from copcore.stats.tabulate.table import TabulateOptions


@dataclass(frozen=True)
class IndicatorColumn:
    """One indicator ready for the kernel: its value (0/1 for proportions) where ``valid``."""

    indicator: Indicator
    values: FloatArray
    valid: BoolArray
    age: tuple[int, int]
    flags: tuple[str, ...]
    breakdowns: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorSkipped:
    """An indicator the survey cannot produce, and why (a comparability code)."""

    indicator: Indicator
    reason: str
    age: tuple[int, int]


def indicator_column(
    indicator: Indicator,
    harmonised: Harmonised,
    framework: Framework,
    n_rows: int,
    *,
    private: bool = False,
) -> IndicatorColumn | IndicatorSkipped:
    """An indicator as a kernel column over its universe, or why the survey cannot give it."""
    wanted = indicator.age or framework.age_range
    population = framework.population(indicator.denominator or "")
    lacking = [v for v in indicator.variables if v not in harmonised.available]
    optional = [v for v in lacking if v in alternative_variables(population.condition)]
    if len(optional) < len(lacking):
        return IndicatorSkipped(indicator, "not_collected:" + ",".join(lacking), wanted)
    survey = harmonised.survey
    if population.condition is None and survey.population != "all_children":
        return IndicatorSkipped(indicator, f"population_differs:{survey.population}", wanted)
    age = (max(wanted[0], survey.age[0]), min(wanted[1], survey.age[1]))
    if age[0] > age[1]:
        return IndicatorSkipped(
            indicator, f"age_out_of_survey:{survey.age[0]}-{survey.age[1]}", wanted
        )
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
        return IndicatorSkipped(indicator, "no_valid_value", age)
    breakdowns = tuple(b.id for b in framework.indicator_breakdowns(indicator))
    return IndicatorColumn(indicator, values, valid, age, tuple(flags), breakdowns)


def indicator_columns(
    framework: Framework,
    harmonised: Harmonised,
    options: TabulateOptions,
    n_rows: int,
    *,
    private: bool = False,
) -> tuple[list[IndicatorColumn], list[IndicatorSkipped]]:
    """The chosen survey indicators as kernel columns, and those the survey cannot give."""
    chosen = [
        i
        for i in framework.select(source="survey", tier=options.tier)
        if not options.indicators or i.id in options.indicators
    ]
    unknown = set(options.indicators) - {i.id for i in framework.indicators}
    if unknown:
        framework.indicator(sorted(unknown)[0])  # raises framework_indicator_unknown
    computed: list[IndicatorColumn] = []
    skipped: list[IndicatorSkipped] = []
    for indicator in chosen:
        if private and indicator.statistic != "proportion":
            reason = f"dp_not_supported:{indicator.statistic}"
            skipped.append(
                IndicatorSkipped(indicator, reason, indicator.age or framework.age_range)
            )
            continue
        outcome = indicator_column(indicator, harmonised, framework, n_rows, private=private)
        if isinstance(outcome, IndicatorColumn):
            computed.append(outcome)
        else:
            skipped.append(outcome)
    return computed, skipped
