"""Recoding one harmonised variable from its source items: code lists, missing codes,
integers passed through and checked, and Kleene "or" of several items (``any_of``).

Every value that does not fit becomes a :class:`MappingProblem` with its count and first rows
(numbered from 1, the first data row).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from copcore.stats.columns import Column, Factor, FloatArray, Table, factorize, level_label
from copcore.stats.framework import Variable
from copcore.stats.mapping.model import (
    ROWS_SHOWN,
    MappingProblem,
    SourceItem,
    SurveyMapping,
    Target,
    VariableMap,
)


@dataclass(frozen=True)
class Recoded:
    """One source item recoded: harmonised values plus the problems found."""

    values: Column
    problems: tuple[MappingProblem, ...]


def first_rows(mask: NDArray[np.bool_]) -> tuple[int, ...]:
    """The first rows (numbered from 1) where ``mask`` holds, as many as a problem lists."""
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
) -> Recoded:
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
                    rows=first_rows(hit),
                )
            )
    targets.append(None)  # factor code -1 (blank source value) indexes this: missing
    if variable.type in ("boolean", "integer"):
        lookup = np.array([np.nan if t is None else t for t in targets], dtype=np.float64)
        return Recoded(lookup[factor.codes], tuple(problems))
    # Text variables stay coded: levels are the distinct targets in first-seen order.
    levels = tuple(dict.fromkeys(str(t) for t in targets if t is not None))
    position = {level: i for i, level in enumerate(levels)}
    remap = np.array([-1 if t is None else position[str(t)] for t in targets], dtype=np.int64)
    return Recoded(Factor(codes=remap[factor.codes], levels=levels), tuple(problems))


def source_numbers(raw: Column, missing: tuple[str, ...]) -> tuple[FloatArray, Factor | None]:
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


def non_numeric_problems(
    factor: Factor | None, missing: tuple[str, ...], variable: str, column: str, *, code: str
) -> list[MappingProblem]:
    """A problem ``code`` for each text level of ``factor`` that is neither a number nor a
    missing code."""
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
                rows=first_rows(hit),
            )
        )
    return problems


def _recode_numeric(
    variable: Variable, item: SourceItem, raw: Column, limits: tuple[int, int]
) -> Recoded:
    """Integer variable without a code list: the source number itself, checked."""
    numbers, factor = source_numbers(raw, item.missing)
    problems = non_numeric_problems(
        factor, item.missing, variable.id, item.source, code="mapping_value_not_numeric"
    )
    valid = ~np.isnan(numbers)
    fractional = valid & (numbers != np.floor(numbers))
    low, high = limits
    outside = valid & ~fractional & ((numbers < low) | (numbers > high))
    where = (variable.id, item.source, f"{low}-{high}")
    problems += _value_problems(numbers, fractional, *where, code="mapping_value_not_integer")
    problems += _value_problems(numbers, outside, *where, code="mapping_value_out_of_range")
    numbers[fractional | outside] = np.nan
    return Recoded(numbers, tuple(problems))


def _value_problems(
    numbers: FloatArray,
    mask: NDArray[np.bool_],
    variable: str,
    column: str,
    detail: str,
    *,
    code: str,
) -> list[MappingProblem]:
    """A problem ``code`` for each distinct value where ``mask`` holds."""
    problems: list[MappingProblem] = []
    for value in np.unique(numbers[mask]):
        hit = mask & (numbers == value)
        problems.append(
            MappingProblem(
                code,
                "error",
                variable=variable,
                column=column,
                value=level_label(float(value)),
                count=int(hit.sum()),
                rows=first_rows(hit),
                detail=detail,
            )
        )
    return problems


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def any_of_values(parts: Sequence[Column]) -> FloatArray:
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


def variable_values(
    variable: Variable, spec: VariableMap, table: Table, mapping: SurveyMapping, n_rows: int
) -> Recoded:
    """One harmonised variable from its source items (or constant), with its problems."""
    if spec.constant is not None:
        return Recoded(np.full(n_rows, _store(variable, spec.constant)), ())
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
    values = parts[0] if len(parts) == 1 or variable.type != "boolean" else any_of_values(parts)
    return Recoded(values, tuple(problems))
