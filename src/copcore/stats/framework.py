"""COP indicator frameworks held as versioned data: load, validate, look up.

A framework file (YAML or JSON, format ``cop-indicator-framework/1``) declares harmonised
variables, denominator populations, breakdowns (single-year age and every age banding derived
from it) and indicators whose numerators and universes are conditions over the harmonised
variables. Loading checks the file against ``frameworks/framework.schema.json`` and then the
cross-references the schema cannot see; every problem names its key path
(``indicators[5].numerator.var``). The bundled starting set follows ITU's *Child Online
Protection: Statistical Framework and Indicators* (2010), Global Kids Online, EU Kids Online
2020 and Disrupting Harm.

>>> framework = framework_default()
>>> framework.indicator("R1").denominator
'internet_users'
>>> [b.label_of(b.bands[0]) for b in [framework.breakdown("age_eko2010")]]
['9-10']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import jsonschema
import yaml

from copcore.stats.errors import StatsError

LANGUAGES: tuple[str, ...] = ("ar", "zh-hans", "en", "fr", "ru", "es")
FORMAT = "cop-indicator-framework/1"
FRAMEWORKS_DIR = Path(__file__).parent / "frameworks"
DEFAULT_FRAMEWORK = FRAMEWORKS_DIR / "cop-core-2026.yaml"

VariableType = Literal["boolean", "integer", "category", "code"]
Value = bool | int | str
Statistic = Literal["proportion", "mean", "median", "total", "score", "binary", "rate", "count"]


class FrameworkError(StatsError):
    """A framework or mapping file is unreadable or invalid; ``path`` names the key path."""


# ----------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Text:
    """One text in the six UN languages, as ``(language, text)`` pairs in LANGUAGES order."""

    pairs: tuple[tuple[str, str], ...]

    def get(self, language: str) -> str:
        """The text in ``language`` (English when the language is not one of the six)."""
        for lang, text in self.pairs:
            if lang == language:
                return text
        return self.get("en") if language != "en" else ""

    def as_dict(self) -> dict[str, str]:
        """``{language: text}``."""
        return dict(self.pairs)


@dataclass(frozen=True)
class Compare:
    """``var`` equals ``values[0]`` (``eq``), is one of ``values`` (``in``) or lies within the
    inclusive range ``values[0]..values[1]`` (``between``)."""

    var: str
    op: Literal["eq", "in", "between"]
    values: tuple[Value, ...]


@dataclass(frozen=True)
class AllOf:
    """True when every part is true; false when one is false; unknown otherwise (Kleene)."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """True when one part is true; false when every part is false; unknown otherwise."""

    parts: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """Negation; unknown stays unknown."""

    part: Condition


Condition = Compare | AllOf | AnyOf | Not


@dataclass(frozen=True)
class Variable:
    """A harmonised variable. Booleans hold true/false; ``derived_any_of`` makes it a composite
    that is true when any component is true, false when all are false, missing otherwise."""

    id: str
    type: VariableType
    label: Text
    minimum: int | None = None
    maximum: int | None = None
    categories: tuple[str, ...] = ()
    derived_any_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class Population:
    """A denominator population; ``condition`` ``None`` means every child of the survey."""

    id: str
    label: Text
    condition: Condition | None


@dataclass(frozen=True)
class Breakdown:
    """A breakdown over one harmonised variable; ``bands`` (inclusive) derive an age banding."""

    id: str
    variable: str
    label: Text
    bands: tuple[tuple[int, int], ...] = ()

    @staticmethod
    def label_of(band: tuple[int, int]) -> str:
        """Level text of a band: ``"9-10"``."""
        return f"{band[0]}-{band[1]}"


@dataclass(frozen=True)
class Indicator:
    """One indicator. Survey indicators have a ``denominator`` population, an optional ``age``
    restriction, and a ``numerator`` condition (proportions) or a ``value`` variable (means,
    medians, totals). Administrative (national, country-year) indicators have neither."""

    id: str
    group: str
    tier: int
    source: Literal["survey", "administrative"]
    statistic: Statistic
    recall: str
    name: Text
    definition: Text
    comparability: Text
    numerator: Condition | None = None
    denominator: str | None = None
    value: str | None = None
    variables: tuple[str, ...] = ()
    age: tuple[int, int] | None = None
    breakdowns: tuple[str, ...] = ()
    national_only: bool = False
    scale: tuple[float, float] | None = None
    per: int | None = None
    measures: tuple[str, ...] = ()

    @property
    def is_survey(self) -> bool:
        """True for indicators computed from survey microdata."""
        return self.source == "survey"


@dataclass(frozen=True)
class ChangelogEntry:
    """One released version of the framework."""

    version: str
    date: str
    summary: Text


@dataclass(frozen=True)
class Framework:
    """A validated indicator framework. Lookups raise :class:`FrameworkError` ``*_unknown``.

    ``document`` is the validated file as JSON text: exporting it reproduces the file exactly.
    """

    id: str
    version: str
    title: Text
    age_range: tuple[int, int]
    changelog: tuple[ChangelogEntry, ...]
    tiers: tuple[tuple[int, Text], ...]
    groups: tuple[tuple[str, Text], ...]
    recall_periods: tuple[tuple[str, Text], ...]
    variables: tuple[Variable, ...]
    populations: tuple[Population, ...]
    breakdowns: tuple[Breakdown, ...]
    default_breakdowns: tuple[str, ...]
    indicators: tuple[Indicator, ...]
    document: str

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator ``indicator_id`` (``"R1"``)."""
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise FrameworkError("framework_indicator_unknown", indicator=indicator_id)

    def variable(self, variable_id: str) -> Variable:
        """The harmonised variable ``variable_id``."""
        for variable in self.variables:
            if variable.id == variable_id:
                return variable
        raise FrameworkError("framework_variable_unknown", variable=variable_id)

    def population(self, population_id: str) -> Population:
        """The denominator population ``population_id``."""
        for population in self.populations:
            if population.id == population_id:
                return population
        raise FrameworkError("framework_population_unknown", population=population_id)

    def breakdown(self, breakdown_id: str) -> Breakdown:
        """The breakdown ``breakdown_id``."""
        for breakdown in self.breakdowns:
            if breakdown.id == breakdown_id:
                return breakdown
        raise FrameworkError("framework_breakdown_unknown", breakdown=breakdown_id)

    def group_label(self, group_id: str) -> Text:
        """Label of an indicator group."""
        return dict(self.groups)[group_id]

    def select(
        self,
        *,
        group: str | None = None,
        tier: int | None = None,
        source: str | None = None,
    ) -> tuple[Indicator, ...]:
        """Indicators in file order, filtered; ``tier=1`` gives the short first tier."""
        return tuple(
            indicator
            for indicator in self.indicators
            if (group is None or indicator.group == group)
            and (tier is None or indicator.tier <= tier)
            and (source is None or indicator.source == source)
        )

    def indicator_breakdowns(self, indicator: Indicator) -> tuple[Breakdown, ...]:
        """The breakdowns published for ``indicator`` (its own list, else the defaults)."""
        ids = indicator.breakdowns or self.default_breakdowns
        return tuple(self.breakdown(b) for b in ids)


# ----------------------------------------------------------------------------- conditions


def condition_variables(condition: Condition | None) -> tuple[str, ...]:
    """Harmonised variables a condition reads, in first-use order."""
    out: list[str] = []

    def walk(node: Condition | None) -> None:
        if node is None:
            return
        if isinstance(node, Compare):
            if node.var not in out:
                out.append(node.var)
        elif isinstance(node, Not):
            walk(node.part)
        else:
            for part in node.parts:
                walk(part)

    walk(condition)
    return tuple(out)


def _condition_parse(data: Any) -> Condition:
    if "all" in data:
        return AllOf(tuple(_condition_parse(p) for p in data["all"]))
    if "any" in data:
        return AnyOf(tuple(_condition_parse(p) for p in data["any"]))
    if "not" in data:
        return Not(_condition_parse(data["not"]))
    if "eq" in data:
        return Compare(data["var"], "eq", (data["eq"],))
    if "in" in data:
        return Compare(data["var"], "in", tuple(data["in"]))
    return Compare(data["var"], "between", (data["between"][0], data["between"][1]))


# ----------------------------------------------------------------------------- loading


def document_read(path: Path) -> Any:
    """Parse a YAML (``.yaml``/``.yml``) or JSON file; :class:`FrameworkError` on failure."""
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise FrameworkError("document_type_unknown", file=str(path), extension=suffix or "-")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError("document_unreadable", file=str(path), reason=str(exc)) from None
    try:
        return json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise FrameworkError("document_syntax", file=str(path), reason=str(exc)) from None


def key_path(parts: Iterable[str | int]) -> str:
    """``["indicators", 5, "name"]`` → ``"indicators[5].name"``; ``"(top level)"`` if empty."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


@cache
def schema_load(name: str) -> Mapping[str, Any]:
    """A bundled JSON Schema from ``frameworks/`` (cached)."""
    loaded: Mapping[str, Any] = json.loads((FRAMEWORKS_DIR / name).read_text(encoding="utf-8"))
    return loaded


def schema_check(data: Any, schema_name: str, source: str, code: str) -> None:
    """Validate ``data`` against a bundled schema; the most relevant error names its key path."""
    validator = jsonschema.Draft202012Validator(schema_load(schema_name))
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        raise FrameworkError(
            code, file=source, path=key_path(error.absolute_path), reason=error.message
        )


def _text(data: Mapping[str, str]) -> Text:
    return Text(tuple((lang, data[lang]) for lang in LANGUAGES))


def _labelled(data: Mapping[str, Mapping[str, str]]) -> tuple[tuple[str, Text], ...]:
    return tuple((key, _text(value)) for key, value in data.items())


def framework_parse(data: Any, source: str = "<data>") -> Framework:
    """Check a framework document (already parsed) and build the :class:`Framework`.

    Raises :class:`FrameworkError` ``framework_invalid`` with ``path`` (the key path) and
    ``reason``.
    """
    schema_check(data, "framework.schema.json", source, "framework_invalid")
    variables = tuple(
        Variable(
            id=key,
            type=spec["type"],
            label=_text(spec["label"]),
            minimum=spec.get("min"),
            maximum=spec.get("max"),
            categories=tuple(spec.get("categories", ())),
            derived_any_of=tuple(spec.get("derived", {}).get("any_of", ())),
        )
        for key, spec in data["variables"].items()
    )
    populations = tuple(
        Population(
            id=key,
            label=_text(spec["label"]),
            condition=None if spec["condition"] is None else _condition_parse(spec["condition"]),
        )
        for key, spec in data["populations"].items()
    )
    breakdowns = tuple(
        Breakdown(
            id=key,
            variable=spec["variable"],
            label=_text(spec["label"]),
            bands=tuple((int(lo), int(hi)) for lo, hi in spec.get("bands", ())),
        )
        for key, spec in data["breakdowns"].items()
    )
    indicators = tuple(_indicator_parse(spec) for spec in data["indicators"])
    framework = Framework(
        id=data["id"],
        version=data["version"],
        title=_text(data["title"]),
        age_range=(int(data["age_range"][0]), int(data["age_range"][1])),
        changelog=tuple(
            ChangelogEntry(e["version"], e["date"], _text(e["summary"])) for e in data["changelog"]
        ),
        tiers=tuple((int(k), _text(v)) for k, v in data["tiers"].items()),
        groups=_labelled(data["groups"]),
        recall_periods=_labelled(data["recall_periods"]),
        variables=variables,
        populations=populations,
        breakdowns=breakdowns,
        default_breakdowns=tuple(data["default_breakdowns"]),
        indicators=indicators,
        document=json.dumps(data, ensure_ascii=False, sort_keys=False),
    )
    problem = framework_problem(framework)
    if problem is not None:
        path, reason = problem
        raise FrameworkError("framework_invalid", file=source, path=path, reason=reason)
    return framework


def _indicator_parse(spec: Mapping[str, Any]) -> Indicator:
    age = spec.get("age")
    scale = spec.get("scale")
    return Indicator(
        id=spec["id"],
        group=spec["group"],
        tier=int(spec["tier"]),
        source=spec["source"],
        statistic=spec["statistic"],
        recall=spec["recall"],
        name=_text(spec["name"]),
        definition=_text(spec["definition"]),
        comparability=_text(spec["comparability"]),
        numerator=_condition_parse(spec["numerator"]) if "numerator" in spec else None,
        denominator=spec.get("denominator"),
        value=spec.get("value"),
        variables=tuple(spec.get("variables", ())),
        age=None if age is None else (int(age[0]), int(age[1])),
        breakdowns=tuple(spec.get("breakdowns", ())),
        national_only=bool(spec.get("national_only", False)),
        scale=None if scale is None else (float(scale[0]), float(scale[1])),
        per=spec.get("per"),
        measures=tuple(spec.get("measures", ())),
    )


def framework_problem(framework: Framework) -> tuple[str, str] | None:
    """The first cross-reference problem as ``(key path, reason)``, or ``None``."""
    checks = (
        _variables_problem(framework),
        _populations_problem(framework),
        _breakdowns_problem(framework),
        _indicators_problem(framework),
    )
    return next((problem for problem in checks if problem is not None), None)


def _variables_problem(framework: Framework) -> tuple[str, str] | None:
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
) -> tuple[str, str] | None:
    known = {v.id: v for v in framework.variables}

    def walk(node: Condition | None, path: str) -> tuple[str, str] | None:
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


def _populations_problem(framework: Framework) -> tuple[str, str] | None:
    for population in framework.populations:
        found = _condition_problem(
            framework, population.condition, f"populations.{population.id}.condition"
        )
        if found is not None:
            return found
    return None


def _breakdowns_problem(framework: Framework) -> tuple[str, str] | None:
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


def _indicators_problem(framework: Framework) -> tuple[str, str] | None:
    seen: set[str] = set()
    groups = dict(framework.groups)
    recalls = dict(framework.recall_periods)
    tiers = dict(framework.tiers)
    known = {v.id: v for v in framework.variables}
    populations = {p.id: p for p in framework.populations}
    breakdown_ids = {b.id for b in framework.breakdowns}
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
        if not indicator.is_survey:
            continue
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


def framework_load(path: Path | str) -> Framework:
    """Load and validate a framework file (YAML or JSON)."""
    file = Path(path)
    return framework_parse(document_read(file), str(file))


@cache
def framework_default() -> Framework:
    """The bundled starting framework (``frameworks/cop-core-2026.yaml``)."""
    return framework_load(DEFAULT_FRAMEWORK)


def framework_as_dict(framework: Framework) -> dict[str, Any]:
    """The validated document the framework was built from, as plain data (for export)."""
    document: dict[str, Any] = json.loads(framework.document)
    return document
