"""Survey mappings: a national survey's own names and codes → the framework's harmonised variables.

A mapping file (YAML or JSON, format ``cop-survey-mapping/1``, schema
``frameworks/mapping.schema.json``) says, for each harmonised variable, which source column
holds it and how its codes recode (``{1: true, 2: false}``, ``missing: [8, 9]``), or that it is
a constant (a survey of internet users only: ``internet_use_3m: {constant: true}``), or that it
is *any of* several source items (Kleene "or": true if one is true, false if all are false,
missing otherwise). Framework composites (``tfse_any``) are derived from their components the
same way; single-year age yields every age banding the framework defines.

:func:`validate` checks a table against a mapping before anything is computed and returns a
frozen :class:`ValidationReport` listing unmapped and out-of-range values by variable, with
counts and the first rows (numbered from 1, the first data row). :func:`mapping_apply` refuses
to build the harmonised table while the report has errors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from copcore.stats.columns import (
    Column,
    Factor,
    FloatArray,
    Table,
    factorize,
    level_label,
    missing_mask,
    table_length,
)
from copcore.stats.design import Design, design_prepare
from copcore.stats.errors import StatsError
from copcore.stats.framework import (
    Framework,
    FrameworkError,
    Variable,
    document_read,
    schema_check,
    value_fits,
)

FORMAT = "cop-survey-mapping/1"
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


# ----------------------------------------------------------------------------- loading


def _code_text(key: Any) -> str:
    """Normalised text of a code: numbers as :func:`level_label` writes them (``1.0`` → ``1``)."""
    if isinstance(key, bool):
        return str(key).lower()
    if isinstance(key, int | float):
        return level_label(float(key))
    text = str(key).strip()
    try:
        number = float(text)
    except ValueError:
        return text
    return level_label(number) if math.isfinite(number) else text


def _item_parse(spec: Mapping[str, Any]) -> SourceItem:
    codes = tuple((_code_text(k), v) for k, v in spec.get("codes", {}).items())
    return SourceItem(
        source=spec["source"],
        codes=codes,
        missing=tuple(_code_text(m) for m in spec.get("missing", ())),
    )


def mapping_parse(data: Any, source: str = "<data>") -> SurveyMapping:
    """Check a mapping document against its schema and build the :class:`SurveyMapping`."""
    schema_check(data, "mapping.schema.json", source, "mapping_invalid")
    survey = data["survey"]
    if survey["age"][0] > survey["age"][1]:
        raise FrameworkError(
            "mapping_invalid", file=source, path="survey.age", reason="the age range is reversed"
        )
    variables: list[VariableMap] = []
    for name, spec in data["variables"].items():
        if "constant" in spec:
            variables.append(VariableMap(name, constant=spec["constant"]))
        elif "any_of" in spec:
            variables.append(VariableMap(name, items=tuple(_item_parse(s) for s in spec["any_of"])))
        else:
            variables.append(VariableMap(name, items=(_item_parse(spec),)))
    design = data["design"]
    return SurveyMapping(
        framework=data["framework"],
        framework_version=data.get("framework_version"),
        survey=Survey(
            name=survey["name"],
            population=survey["population"],
            age=(int(survey["age"][0]), int(survey["age"][1])),
            country=survey.get("country"),
            year=survey.get("year"),
            country_column=survey.get("country_column"),
        ),
        design=Design(
            weight=design.get("weight"),
            strata=design.get("strata"),
            psu=design.get("psu"),
            fpc=design.get("fpc"),
        ),
        variables=tuple(variables),
    )


def mapping_load(path: Path | str) -> SurveyMapping:
    """Load and schema-check a mapping file (YAML or JSON)."""
    file = Path(path)
    return mapping_parse(document_read(file), str(file))


# ----------------------------------------------------------------------------- recoding


@dataclass(frozen=True)
class _Recoded:
    """One source item recoded: harmonised values plus the problems found."""

    values: Column
    problems: tuple[MappingProblem, ...]


def _first_rows(mask: NDArray[np.bool_]) -> tuple[int, ...]:
    return tuple(int(r) + 1 for r in np.flatnonzero(mask)[:ROWS_SHOWN])


def _empty(variable: Variable, n_rows: int) -> Column:
    if variable.type in ("boolean", "integer"):
        return np.full(n_rows, np.nan)
    return Factor(codes=np.full(n_rows, -1, dtype=np.int64), levels=())


def _store(variable: Variable, target: Target) -> float | str:
    if variable.type == "boolean":
        return 1.0 if target else 0.0
    if variable.type == "integer":
        return float(target)
    return target if isinstance(target, str) else level_label(float(target))


def _recode_with_codes(
    variable: Variable, item: SourceItem, factor: Factor, n_rows: int
) -> _Recoded:
    codes = dict(item.codes)
    missing = set(item.missing)
    targets: list[float | str | None] = []
    problems: list[MappingProblem] = []
    for index, level in enumerate(factor.levels):
        target = codes.get(level)
        if level in missing or target is None:
            targets.append(None)
        else:
            targets.append(_store(variable, target))
        if level not in missing and level not in codes:
            hit = factor.codes == index
            problems.append(
                MappingProblem(
                    "mapping_value_unmapped",
                    "error",
                    variable=variable.id,
                    column=item.source,
                    value=level,
                    count=int(hit.sum()),
                    rows=_first_rows(hit),
                )
            )
    targets.append(None)  # factor code -1 (blank source value) indexes this: missing
    if variable.type in ("boolean", "integer"):
        lookup = np.array([np.nan if t is None else t for t in targets], dtype=np.float64)
        return _Recoded(lookup[factor.codes], tuple(problems))
    # Text variables stay coded: levels are the distinct targets in first-seen order.
    levels = tuple(dict.fromkeys(str(t) for t in targets if t is not None))
    position = {level: i for i, level in enumerate(levels)}
    remap = np.array([-1 if t is None else position[str(t)] for t in targets], dtype=np.int64)
    return _Recoded(Factor(codes=remap[factor.codes], levels=levels), tuple(problems))


def _numbers(raw: Column, missing: tuple[str, ...]) -> tuple[FloatArray, Factor | None]:
    """Source values as float64 (NaN: blank or a missing code) and, for text sources, the
    factor whose levels did not parse as numbers are reported by the caller."""
    if not isinstance(raw, Factor) and raw.dtype.kind in "fiub":
        numbers = np.asarray(raw, dtype=np.float64).copy()
        for code in missing:
            if _is_number(code):
                numbers[numbers == float(code)] = np.nan
        return numbers, None
    factor = factorize(raw)
    parsed = [
        float(level) if _is_number(level) and level not in missing else np.nan
        for level in factor.levels
    ]
    lookup = np.array([*parsed, np.nan], dtype=np.float64)
    return lookup[factor.codes], factor


def _not_numeric(
    factor: Factor | None, missing: tuple[str, ...], variable: str, column: str, code: str
) -> list[MappingProblem]:
    if factor is None:
        return []
    problems: list[MappingProblem] = []
    for index, level in enumerate(factor.levels):
        if level in missing or _is_number(level):
            continue
        hit = factor.codes == index
        problems.append(
            MappingProblem(
                code,
                "error",
                variable=variable,
                column=column,
                value=level,
                count=int(hit.sum()),
                rows=_first_rows(hit),
            )
        )
    return problems


def _recode_numeric(
    variable: Variable, item: SourceItem, raw: Column, limits: tuple[int, int]
) -> _Recoded:
    """Integer variable without a code list: the source number itself, checked."""
    numbers, factor = _numbers(raw, item.missing)
    problems = _not_numeric(
        factor, item.missing, variable.id, item.source, "mapping_value_not_numeric"
    )
    valid = ~np.isnan(numbers)
    fractional = valid & (numbers != np.floor(numbers))
    low, high = limits
    outside = valid & ~fractional & ((numbers < low) | (numbers > high))
    checks = (("mapping_value_not_integer", fractional), ("mapping_value_out_of_range", outside))
    for code, mask in checks:
        for value in np.unique(numbers[mask]):
            hit = mask & (numbers == value)
            problems.append(
                MappingProblem(
                    code,
                    "error",
                    variable=variable.id,
                    column=item.source,
                    value=level_label(float(value)),
                    count=int(hit.sum()),
                    rows=_first_rows(hit),
                    detail=f"{low}-{high}",
                )
            )
    numbers[fractional | outside] = np.nan
    return _Recoded(numbers, tuple(problems))


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def _any_of(parts: Sequence[Column]) -> FloatArray:
    """Kleene "or" of 1/0/NaN arrays: 1 if any is 1, 0 if all are 0, NaN otherwise.

    Parts are boolean items (float); a coded part (a mapping error already reported) counts
    as missing.
    """
    length = len(parts[0])
    stacked = np.vstack(
        [np.full(length, np.nan) if isinstance(p, Factor) else np.asarray(p) for p in parts]
    )
    out = np.full(stacked.shape[1], np.nan)
    out[np.all(stacked == 0.0, axis=0)] = 0.0
    out[np.any(stacked == 1.0, axis=0)] = 1.0
    return out


def _limits(variable: Variable, mapping: SurveyMapping) -> tuple[int, int]:
    if variable.id == "age":
        return mapping.survey.age
    return (variable.minimum or 0, variable.maximum or 0)


def _variable_values(
    variable: Variable, spec: VariableMap, table: Table, mapping: SurveyMapping, n_rows: int
) -> _Recoded:
    if spec.constant is not None:
        return _Recoded(np.full(n_rows, _store(variable, spec.constant)), ())
    parts: list[Column] = []
    problems: list[MappingProblem] = []
    for item in spec.items:
        if item.source not in table:
            problems.append(
                MappingProblem(
                    "mapping_column_missing", "error", variable=variable.id, column=item.source
                )
            )
            parts.append(_empty(variable, n_rows))
            continue
        raw = table[item.source]
        if item.codes:
            recoded = _recode_with_codes(variable, item, factorize(raw), n_rows)
        elif variable.type == "integer":
            recoded = _recode_numeric(variable, item, raw, _limits(variable, mapping))
        else:
            factor = factorize(raw)
            identity = SourceItem(
                item.source, tuple((lv, lv) for lv in factor.levels), item.missing
            )
            recoded = _recode_with_codes(variable, identity, factor, n_rows)
        parts.append(recoded.values)
        problems.extend(recoded.problems)
    values = parts[0] if len(parts) == 1 or variable.type != "boolean" else _any_of(parts)
    return _Recoded(values, tuple(problems))


# ----------------------------------------------------------------------------- checks


def _spec_problems(mapping: SurveyMapping, framework: Framework) -> list[MappingProblem]:
    """Problems of the mapping itself: unknown variables, targets that are not values."""
    problems: list[MappingProblem] = []
    if mapping.framework != framework.id:
        problems.append(
            MappingProblem(
                "mapping_framework_mismatch", "error", value=mapping.framework, detail=framework.id
            )
        )
    elif mapping.framework_version not in (None, framework.version):
        problems.append(
            MappingProblem(
                "mapping_framework_version",
                "warning",
                value=mapping.framework_version or "",
                detail=framework.version,
            )
        )
    known = {v.id: v for v in framework.variables}
    for spec in mapping.variables:
        variable = known.get(spec.variable)
        if variable is None:
            problems.append(
                MappingProblem("mapping_variable_unknown", "error", variable=spec.variable)
            )
            continue
        targets: list[Target] = [] if spec.constant is None else [spec.constant]
        for item in spec.items:
            targets.extend(t for _, t in item.codes if t is not None)
            if not item.codes and variable.type in ("boolean", "category"):
                problems.append(
                    MappingProblem(
                        "mapping_codes_required",
                        "error",
                        variable=spec.variable,
                        column=item.source,
                    )
                )
        for target in targets:
            if not value_fits(variable, target):
                problems.append(
                    MappingProblem(
                        "mapping_target_invalid",
                        "error",
                        variable=spec.variable,
                        value=str(target),
                        detail=_allowed(variable),
                    )
                )
        if len(spec.items) > 1 and variable.type != "boolean":
            problems.append(
                MappingProblem("mapping_any_of_not_boolean", "error", variable=spec.variable)
            )
    if mapping.of("age") is None:
        problems.append(MappingProblem("mapping_age_required", "error", variable="age"))
    return problems


def _allowed(variable: Variable) -> str:
    if variable.type == "boolean":
        return "true, false"
    if variable.type == "category":
        return ", ".join(variable.categories)
    if variable.type == "integer":
        return f"{variable.minimum}-{variable.maximum}"
    return "text"


def _design_problems(table: Table, design: Design) -> list[MappingProblem]:
    problems: list[MappingProblem] = []
    for role in ("weight", "strata", "psu", "fpc"):
        column = getattr(design, role)
        if column is None:
            continue
        if column not in table:
            problems.append(
                MappingProblem("mapping_design_column_missing", "error", column=column, detail=role)
            )
            continue
        values = table[column]
        blank = missing_mask(values)
        if blank.any():
            problems.append(
                MappingProblem(
                    "mapping_design_value_missing",
                    "error",
                    column=column,
                    count=int(blank.sum()),
                    rows=_first_rows(blank),
                    detail=role,
                )
            )
        if role == "weight":
            weights, factor = _numbers(values, ())
            problems.extend(_not_numeric(factor, (), "", column, "mapping_weight_not_numeric"))
            bad = ~np.isnan(weights) & ~((weights > 0) & np.isfinite(weights))
            if bad.any():
                problems.append(
                    MappingProblem(
                        "mapping_weight_not_positive",
                        "error",
                        column=column,
                        count=int(bad.sum()),
                        rows=_first_rows(bad),
                    )
                )
    return problems


def _design_structure(table: Table, design: Design) -> list[MappingProblem]:
    """The engine's own design checks (a PSU in two strata, an inconsistent FPC), run before
    anything is computed; singleton strata are left to the ``--singleton`` rule."""
    try:
        design_prepare(table, design, singleton="certainty")
    except StatsError as error:
        column = str(error.params.get("column", ""))
        return [
            MappingProblem(error.code, "error", column=column, params=tuple(error.params.items()))
        ]
    return []


def _harmonise(
    table: Table, mapping: SurveyMapping, framework: Framework
) -> tuple[dict[str, Column], list[MappingProblem], frozenset[str]]:
    n_rows = table_length(table)
    known = {v.id: v for v in framework.variables}
    columns: dict[str, Column] = {}
    problems: list[MappingProblem] = []
    for spec in mapping.variables:
        variable = known.get(spec.variable)
        if variable is None:
            continue
        recoded = _variable_values(variable, spec, table, mapping, n_rows)
        columns[spec.variable] = recoded.values
        problems.extend(recoded.problems)
        if not recoded.problems and n_rows and _all_missing(recoded.values):
            problems.append(MappingProblem("mapping_no_valid_value", "error", variable=variable.id))
    partial: set[str] = set()
    for variable in framework.variables:
        if not variable.derived_any_of or variable.id in columns:
            continue
        present = [columns[c] for c in variable.derived_any_of if c in columns]
        if not present:
            continue
        if len(present) < len(variable.derived_any_of):
            partial.add(variable.id)
            problems.append(
                MappingProblem(
                    "mapping_composite_partial",
                    "warning",
                    variable=variable.id,
                    detail=", ".join(c for c in variable.derived_any_of if c not in columns),
                )
            )
        columns[variable.id] = _any_of(present)
    return columns, problems, frozenset(partial)


def _all_missing(values: Column) -> bool:
    return bool(missing_mask(values).all())


def _bands(framework: Framework, age: FloatArray) -> dict[str, Column]:
    """One coded column per age banding, levels ``"9-10"``…; missing outside every band."""
    out: dict[str, Column] = {}
    for breakdown in framework.breakdowns:
        if not breakdown.bands:
            continue
        codes = np.full(len(age), -1, dtype=np.int64)
        for index, band in enumerate(breakdown.bands):
            codes[(age >= band[0]) & (age <= band[1])] = index
        levels = tuple(breakdown.label_of(band) for band in breakdown.bands)
        out[breakdown.id] = Factor(codes=codes, levels=levels)
    return out


def _report(
    table: Table,
    mapping: SurveyMapping,
    framework: Framework,
    columns: Mapping[str, Column],
    problems: list[MappingProblem],
) -> ValidationReport:
    available = set(columns)
    not_computable: list[tuple[str, tuple[str, ...]]] = []
    for indicator in framework.select(source="survey"):
        lacking = tuple(v for v in indicator.variables if v not in available)
        if lacking:
            not_computable.append((indicator.id, lacking))
    missing_counts = tuple((name, int(missing_mask(v).sum())) for name, v in columns.items())
    return ValidationReport(
        n_rows=table_length(table),
        problems=tuple(problems),
        mapped=tuple(columns),
        missing_counts=missing_counts,
        not_computable=tuple(not_computable),
    )


def validate(table: Table, mapping: SurveyMapping, framework: Framework) -> ValidationReport:
    """Check ``table`` against ``mapping`` and ``framework``; compute nothing.

    Reports (stable codes) mapping problems (``mapping_variable_unknown``,
    ``mapping_target_invalid``, ``mapping_codes_required``, ``mapping_framework_mismatch``),
    data problems by variable with counts and first rows (``mapping_column_missing``,
    ``mapping_value_unmapped``, ``mapping_value_out_of_range``, ``mapping_value_not_integer``,
    ``mapping_value_not_numeric``, ``mapping_no_valid_value``) and design problems
    (``mapping_design_column_missing``, ``mapping_design_value_missing``,
    ``mapping_weight_not_positive``, ``mapping_weight_not_numeric``).
    """
    problems = _spec_problems(mapping, framework)
    problems.extend(
        _design_problems(table, mapping.design) or _design_structure(table, mapping.design)
    )
    columns, found, _ = _harmonise(table, mapping, framework)
    problems.extend(found)
    return _report(table, mapping, framework, columns, problems)


def mapping_apply(table: Table, mapping: SurveyMapping, framework: Framework) -> Harmonised:
    """Validate, then build the harmonised table; :class:`MappingInvalid` if anything is wrong."""
    problems = _spec_problems(mapping, framework)
    problems.extend(
        _design_problems(table, mapping.design) or _design_structure(table, mapping.design)
    )
    columns, found, partial = _harmonise(table, mapping, framework)
    problems.extend(found)
    report = _report(table, mapping, framework, columns, problems)
    if not report.ok:
        raise MappingInvalid(report)
    available = frozenset(columns)
    columns.update(_bands(framework, np.asarray(columns["age"], dtype=np.float64)))
    design_kwargs: dict[str, str | None] = {}
    for role, fallback in DESIGN_COLUMNS.items():
        source = getattr(mapping.design, role)
        # Keep the survey's own name, so design errors name the user's column.
        name = fallback if source in columns else source
        if source is not None:
            columns[name] = table[source]
        design_kwargs[role] = None if source is None else name
    return Harmonised(
        columns=columns,
        design=Design(**design_kwargs),
        survey=mapping.survey,
        available=available,
        partial_composites=partial,
        declared_levels=_declared_levels(mapping, framework),
    )


def _declared_levels(mapping: SurveyMapping, framework: Framework) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for spec in mapping.variables:
        codes = [t for item in spec.items for _, t in item.codes if t is not None]
        known = {v.id: v for v in framework.variables}
        if spec.variable in known and known[spec.variable].type == "code" and codes:
            texts = [t if isinstance(t, str) else level_label(float(t)) for t in codes]
            out[spec.variable] = tuple(dict.fromkeys(texts))
    return out
