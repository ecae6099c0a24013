"""Cross-reference checks of a framework, beyond what its JSON Schema can see.

Every check returns the first problem as ``(key path, reason)`` or ``None``: unknown
variables, populations and breakdowns, values a variable cannot take, overlapping age bands,
indicators whose listed variables differ from those they use.
"""

from __future__ import annotations

from copcore.stats.framework.conditions import (
    AllOf,
    AnyOf,
    Condition,
    Not,
    Value,
    condition_variables,
)
from copcore.stats.framework.model import Framework, Indicator, Population, Variable

Problem = tuple[str, str]


def framework_problem(framework: Framework) -> Problem | None:
    """The first cross-reference problem as ``(key path, reason)``, or ``None``."""
    checks = (
        _variables_problem(framework),
        _populations_problem(framework),
        _breakdowns_problem(framework),
        _indicators_problem(framework),
    )
    return next((problem for problem in checks if problem is not None), None)


def value_fits(variable: Variable, value: Value, exact: bool = True) -> bool:
    """Whether ``value`` is a possible value of ``variable`` (a bound when ``exact`` is false)."""
    if variable.type == "boolean":
        return isinstance(value, bool)
    if variable.type == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return not exact or (variable.minimum or 0) <= value <= (variable.maximum or 0)
    if variable.type == "category":
        return isinstance(value, str) and value in variable.categories
    return isinstance(value, str | int) and not isinstance(value, bool)


def indicator_variables(indicator: Indicator, population: Population) -> tuple[str, ...]:
    """Harmonised variables an indicator reads (breakdowns aside): numerator or value,
    population, and ``age`` when the indicator is age-restricted."""
    used = list(condition_variables(indicator.numerator))
    if indicator.value is not None:
        used.append(indicator.value)
    for name in condition_variables(population.condition):
        if name not in used:
            used.append(name)
    if indicator.age is not None and "age" not in used:
        used.append("age")
    return tuple(used)


def _variables_problem(framework: Framework) -> Problem | None:
    known = {v.id: v for v in framework.variables}
    if "age" not in known or known["age"].type != "integer":
        return "variables.age", "the framework needs an integer variable 'age'"
    for variable in framework.variables:
        where = f"variables.{variable.id}"
        if variable.type == "integer" and (variable.minimum or 0) > (variable.maximum or 0):
            return where, "min is greater than max"
        for part in variable.derived_any_of:
            if part not in known:
                return f"{where}.derived.any_of", f"unknown variable '{part}'"
            if known[part].type != "boolean" or known[part].derived_any_of:
                return f"{where}.derived.any_of", f"'{part}' is not a plain boolean variable"
        if variable.derived_any_of and variable.type != "boolean":
            return f"{where}.type", "a derived any_of variable must be boolean"
    return None


def _condition_problem(
    framework: Framework, condition: Condition | None, where: str
) -> Problem | None:
    known = {v.id: v for v in framework.variables}

    def walk(node: Condition | None, path: str) -> Problem | None:
        if node is None:
            return None
        if isinstance(node, Not):
            return walk(node.part, f"{path}.not")
        if isinstance(node, AllOf | AnyOf):
            key = "all" if isinstance(node, AllOf) else "any"
            for i, part in enumerate(node.parts):
                found = walk(part, f"{path}.{key}[{i}]")
                if found is not None:
                    return found
            return None
        variable = known.get(node.var)
        if variable is None:
            return f"{path}.var", f"unknown variable '{node.var}'"
        for value in node.values:
            if not value_fits(variable, value, exact=node.op != "between"):
                return f"{path}.{node.op}", f"{value!r} is not a value of '{variable.id}'"
        return None

    return walk(condition, where)


def _populations_problem(framework: Framework) -> Problem | None:
    for population in framework.populations:
        found = _condition_problem(
            framework, population.condition, f"populations.{population.id}.condition"
        )
        if found is not None:
            return found
    return None


def _breakdowns_problem(framework: Framework) -> Problem | None:
    known = {v.id: v for v in framework.variables}
    for breakdown in framework.breakdowns:
        where = f"breakdowns.{breakdown.id}"
        variable = known.get(breakdown.variable)
        if variable is None:
            return f"{where}.variable", f"unknown variable '{breakdown.variable}'"
        if breakdown.bands and variable.type != "integer":
            return f"{where}.bands", "bands need an integer variable"
        previous = -1
        for i, (lo, hi) in enumerate(breakdown.bands):
            if lo > hi or lo <= previous:
                return f"{where}.bands[{i}]", "bands must be increasing and must not overlap"
            previous = hi
    ids = {b.id for b in framework.breakdowns}
    for i, name in enumerate(framework.default_breakdowns):
        if name not in ids:
            return f"default_breakdowns[{i}]", f"unknown breakdown '{name}'"
    return None


def _indicators_problem(framework: Framework) -> Problem | None:
    seen: set[str] = set()
    groups = dict(framework.groups)
    recalls = dict(framework.recall_periods)
    tiers = dict(framework.tiers)
    for i, indicator in enumerate(framework.indicators):
        where = f"indicators[{i}]"
        checks: list[tuple[bool, str, str]] = [
            (indicator.id in seen, f"{where}.id", f"duplicate indicator id '{indicator.id}'"),
            (indicator.group not in groups, f"{where}.group", f"unknown group '{indicator.group}'"),
            (indicator.tier not in tiers, f"{where}.tier", f"unknown tier {indicator.tier}"),
            (indicator.recall not in recalls, f"{where}.recall", "unknown recall period"),
        ]
        seen.add(indicator.id)
        for failed, path, reason in checks:
            if failed:
                return path, reason
        if indicator.is_survey:
            found = _survey_indicator_problem(framework, indicator, where)
            if found is not None:
                return found
    return None


def _survey_indicator_problem(
    framework: Framework, indicator: Indicator, where: str
) -> Problem | None:
    known = {v.id: v for v in framework.variables}
    populations = {p.id: p for p in framework.populations}
    breakdown_ids = {b.id for b in framework.breakdowns}
    population = populations.get(indicator.denominator or "")
    if population is None:
        return f"{where}.denominator", f"unknown population '{indicator.denominator}'"
    found = _condition_problem(framework, indicator.numerator, f"{where}.numerator")
    if found is not None:
        return found
    if indicator.value is not None:
        value_var = known.get(indicator.value)
        if value_var is None or value_var.type != "integer":
            return f"{where}.value", f"'{indicator.value}' is not an integer variable"
    if indicator.age is not None and not (
        framework.age_range[0] <= indicator.age[0] <= indicator.age[1] <= framework.age_range[1]
    ):
        return f"{where}.age", "the age restriction must lie within the framework age_range"
    for j, name in enumerate(indicator.breakdowns):
        if name not in breakdown_ids:
            return f"{where}.breakdowns[{j}]", f"unknown breakdown '{name}'"
    used = indicator_variables(indicator, population)
    if set(indicator.variables) != set(used):
        listed = ", ".join(indicator.variables)
        return f"{where}.variables", f"lists [{listed}] but uses [{', '.join(used)}]"
    return None
