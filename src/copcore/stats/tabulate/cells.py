"""Breakdowns coded for the kernel: cells with display labels in framework order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from copcore.stats.columns import Column, IntArray, factorize
from copcore.stats.framework import Breakdown, Framework, Variable
from copcore.stats.mapping import Harmonised
from copcore.stats.tabulate.indicators import IndicatorColumn

TOTAL = "_T"
BOOLEAN_LEVELS = (("1", "yes"), ("0", "no"))


@dataclass(frozen=True)
class Cells:
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
) -> Cells | None:
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
        return Cells(
            breakdown.id, _recode(harmonised.columns[breakdown.id], labels), labels, breakdown.bands
        )
    if variable.type == "boolean":
        keys = tuple(k for k, _ in BOOLEAN_LEVELS)
        return Cells(breakdown.id, _recode(values, keys), tuple(v for _, v in BOOLEAN_LEVELS))
    if variable.type == "category":
        return Cells(breakdown.id, _recode(values, variable.categories), variable.categories)
    if fixed and variable.type == "integer":
        low, high = (
            harmonised.survey.age if variable.id == "age" else (variable.minimum, variable.maximum)
        )
        keys = tuple(str(v) for v in range(int(low or 0), int(high or 0) + 1))
        return Cells(breakdown.id, _recode(values, keys), keys)
    if fixed:
        # Region codes must come from the mapping; levels read from the data would leak.
        keys = harmonised.declared_levels.get(variable.id, ())
        return Cells(breakdown.id, _recode(values, keys), keys) if keys else None
    factor = factorize(values)
    return Cells(breakdown.id, factor.codes, factor.levels)


def total_cells(n_rows: int) -> Cells:
    """The single cell of the total (``_T``) holding every row."""
    return Cells(TOTAL, np.zeros(n_rows, dtype=np.int64), (TOTAL,))


def cells_code(
    framework: Framework,
    harmonised: Harmonised,
    columns: Sequence[IndicatorColumn],
    n_rows: int,
    *,
    fixed: bool,
) -> dict[str, Cells]:
    """Every breakdown the indicator columns publish, coded once (the total first)."""
    cells: dict[str, Cells] = {TOTAL: total_cells(n_rows)}
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
