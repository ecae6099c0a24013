"""Validation and harmonisation: the survey's table checked against its mapping, then turned
into the framework's harmonised variables, age bandings and design columns.

:func:`validate` checks a table against a mapping before anything is computed and returns a
frozen :class:`ValidationReport` listing unmapped and out-of-range values by variable, with
counts and the first rows (numbered from 1, the first data row). :func:`mapping_apply` refuses
to build the harmonised table while the report has errors.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from copcore.stats.columns import (
    Column,
    Factor,
    FloatArray,
    Table,
    level_label,
    missing_mask,
    table_length,
)
from copcore.stats.design import Design
from copcore.stats.framework import Framework
from copcore.stats.mapping.checks import (
    design_problems,
    design_structure_problems,
    mapping_problems,
)
from copcore.stats.mapping.model import (
    DESIGN_COLUMNS,
    Harmonised,
    MappingInvalid,
    MappingProblem,
    SurveyMapping,
    ValidationReport,
)
from copcore.stats.mapping.recode import any_of_values, variable_values
from copcore.stats.replication import replicate_columns_resolve


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
        recoded = variable_values(variable, spec, table, mapping, n_rows)
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
        columns[variable.id] = any_of_values(present)
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
    problems = mapping_problems(mapping, framework)
    problems.extend(
        design_problems(table, mapping.design) or design_structure_problems(table, mapping.design)
    )
    columns, found, _ = _harmonise(table, mapping, framework)
    problems.extend(found)
    return _report(table, mapping, framework, columns, problems)


def mapping_apply(table: Table, mapping: SurveyMapping, framework: Framework) -> Harmonised:
    """Validate, then build the harmonised table; :class:`MappingInvalid` if anything is wrong."""
    problems = mapping_problems(mapping, framework)
    problems.extend(
        design_problems(table, mapping.design) or design_structure_problems(table, mapping.design)
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
    replicates = mapping.design.replicates
    if replicates is not None:
        # Replicate weights keep the survey's names (errors name the user's columns).
        names = replicate_columns_resolve(replicates.columns, list(table))
        columns.update({name: table[name] for name in names})
        replicates = dataclasses.replace(replicates, columns=names)
    return Harmonised(
        columns=columns,
        design=Design(
            weight=design_kwargs.get("weight"),
            strata=design_kwargs.get("strata"),
            psu=design_kwargs.get("psu"),
            fpc=design_kwargs.get("fpc"),
            psu_unique=mapping.design.psu_unique,
            replicates=replicates,
        ),
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
