"""The indicator framework's model: texts in six languages, variables, populations,
breakdowns, indicators, and the :class:`Framework` that holds them with its lookups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from copcore.stats.errors import FrameworkError
from copcore.stats.framework.conditions import Condition

VariableType = Literal["boolean", "integer", "category", "code"]
Statistic = Literal["proportion", "mean", "median", "total", "score", "binary", "rate", "count"]


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
