"""Problems of a mapping itself and of the survey's design columns, found before anything
is computed."""

from __future__ import annotations

import numpy as np

from copcore.stats.columns import Table, missing_mask
from copcore.stats.design import Design, design_prepare
from copcore.stats.errors import StatsError
from copcore.stats.framework import Framework, Variable, value_fits
from copcore.stats.mapping.model import MappingProblem, SurveyMapping, Target
from copcore.stats.mapping.recode import first_rows, non_numeric_problems, source_numbers
from copcore.stats.replication import replicate_columns_resolve


def mapping_problems(mapping: SurveyMapping, framework: Framework) -> list[MappingProblem]:
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


def _replicate_problems(table: Table, design: Design) -> list[MappingProblem]:
    if design.replicates is None:
        return []
    try:
        names = replicate_columns_resolve(design.replicates.columns, list(table))
    except StatsError as error:
        column = error.params.get("column") or f"{error.params.get('prefix', '')}1"
        return [
            MappingProblem(
                "mapping_design_column_missing", "error", column=str(column), detail="replicates"
            )
        ]
    problems: list[MappingProblem] = []
    for name in names:
        blank = missing_mask(table[name])
        if blank.any():
            problems.append(
                MappingProblem(
                    "mapping_design_value_missing",
                    "error",
                    column=name,
                    count=int(blank.sum()),
                    rows=first_rows(blank),
                    detail="replicates",
                )
            )
    return problems


def design_problems(table: Table, design: Design) -> list[MappingProblem]:
    """Problems of the design columns: missing, blank, non-numeric or non-positive weights;
    replicate weight columns missing or blank."""
    problems: list[MappingProblem] = _replicate_problems(table, design)
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
                    rows=first_rows(blank),
                    detail=role,
                )
            )
        if role == "weight":
            weights, factor = source_numbers(values, ())
            problems.extend(
                non_numeric_problems(factor, (), "", column, code="mapping_weight_not_numeric")
            )
            bad = ~np.isnan(weights) & ~((weights > 0) & np.isfinite(weights))
            if bad.any():
                problems.append(
                    MappingProblem(
                        "mapping_weight_not_positive",
                        "error",
                        column=column,
                        count=int(bad.sum()),
                        rows=first_rows(bad),
                    )
                )
    return problems


def design_structure_problems(table: Table, design: Design) -> list[MappingProblem]:
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
