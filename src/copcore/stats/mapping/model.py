"""The mapping model: how each harmonised variable comes from a survey's own columns and
codes, the problems validation finds, and the harmonised table it builds."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from copcore.stats.columns import Column
from copcore.stats.design import Design
from copcore.stats.errors import FrameworkError

# Validation problems list this many of their rows.
ROWS_SHOWN = 5
# Design columns travel in the harmonised table under their own names, or under these when a
# harmonised variable already has that name.
DESIGN_COLUMNS = {"weight": "_weight", "strata": "_strata", "psu": "_psu", "fpc": "_fpc"}

Target = bool | int | str


@dataclass(frozen=True)
class SourceItem:
    """One source column with its recodes; ``codes`` keys are normalised level texts."""

    source: str
    codes: tuple[tuple[str, Target | None], ...] = ()
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class VariableMap:
    """How one harmonised variable is obtained: one item, any of several, or a constant."""

    variable: str
    items: tuple[SourceItem, ...] = ()
    constant: Target | None = None


@dataclass(frozen=True)
class Survey:
    """What the survey covers: its population (all children or internet users) and ages.

    ``country_column`` names a column holding each row's country when one file pools the
    surveys of several countries (each is then tabulated on its own design).
    """

    name: str
    population: Literal["all_children", "internet_users"]
    age: tuple[int, int]
    country: str | None = None
    year: int | None = None
    country_column: str | None = None


@dataclass(frozen=True)
class SurveyMapping:
    """A parsed mapping file."""

    framework: str
    framework_version: str | None
    survey: Survey
    design: Design
    variables: tuple[VariableMap, ...]

    def of(self, variable: str) -> VariableMap | None:
        """The map of a harmonised variable, if the survey has it."""
        return next((v for v in self.variables if v.variable == variable), None)


@dataclass(frozen=True)
class MappingProblem:
    """One problem found by :func:`validate`; ``code`` is stable, ``rows`` the first rows.

    Design errors found by the estimation engine keep its code and ``params``."""

    code: str
    severity: Literal["error", "warning"]
    variable: str = ""
    column: str = ""
    value: str = ""
    count: int = 0
    rows: tuple[int, ...] = ()
    detail: str = ""
    params: tuple[tuple[str, str | int | float], ...] = ()


@dataclass(frozen=True)
class ValidationReport:
    """Everything :func:`validate` found; ``ok`` when there is no error."""

    n_rows: int
    problems: tuple[MappingProblem, ...]
    mapped: tuple[str, ...]
    missing_counts: tuple[tuple[str, int], ...]
    not_computable: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def errors(self) -> tuple[MappingProblem, ...]:
        """Problems that stop computation."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[MappingProblem, ...]:
        """Problems worth reading that do not stop computation."""
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when nothing stops computation."""
        return not self.errors


class MappingInvalid(FrameworkError):
    """The data do not fit the mapping; ``report`` says where."""

    def __init__(self, report: ValidationReport) -> None:
        first = report.errors[0]
        super().__init__(
            "mapping_data_invalid",
            errors=len(report.errors),
            problem=first.code,
            variable=first.variable or "-",
            column=first.column or "-",
        )
        self.report = report


@dataclass(frozen=True)
class Harmonised:
    """The harmonised table and what the engine needs to estimate from it.

    One float64 column (boolean 1/0, integers) or coded column per mapped or derived variable,
    one coded column per age banding, and the design columns under their own names (or those
    of :data:`DESIGN_COLUMNS` when a harmonised variable has the name). ``partial_composites``
    lists composites derived from only some of their components; ``declared_levels`` the
    levels a ``code`` variable's code list declares (cells fixed in advance, as differential
    privacy needs)."""

    columns: Mapping[str, Column]
    design: Design
    survey: Survey
    available: frozenset[str]
    partial_composites: frozenset[str] = field(default_factory=frozenset)
    declared_levels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
