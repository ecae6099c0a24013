"""Rows of the tidy table: an indicator's identity, its comparability flags, and the single
row of an indicator the survey cannot produce."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from copcore.stats.tabulate.cells import TOTAL, Cells
from copcore.stats.tabulate.indicators import IndicatorColumn, IndicatorSkipped
from copcore.stats.tabulate.table import Rows


def row_identity(
    column: IndicatorColumn | IndicatorSkipped, context: Mapping[str, str]
) -> dict[str, Any]:
    """The columns that say which survey, framework and indicator a row belongs to."""
    indicator = column.indicator
    age = column.age
    return {
        **context,
        "indicator": indicator.id,
        "group": indicator.group,
        "tier": indicator.tier,
        "statistic": indicator.statistic,
        "denominator": indicator.denominator or "",
        "age_min": age[0],
        "age_max": age[1],
    }


def row_flags(column: IndicatorColumn, cells: Cells, cell: int) -> str:
    """Comparability flags of one cell: the indicator's, and ``band_partial`` for age bands
    the indicator or the survey covers only in part."""
    flags = list(column.flags)
    if cells.bands:
        low, high = cells.bands[cell]
        if low < column.age[0] or high > column.age[1]:
            flags.append("band_partial")
    return ";".join(flags)


def skipped_rows(
    rows: Rows, skipped: Sequence[IndicatorSkipped], context: Mapping[str, str]
) -> None:
    """One row per indicator not computed, its reason in ``comparability``."""
    for item in skipped:
        rows.add(
            **row_identity(item, context),
            breakdown=TOTAL,
            breakdown_value=TOTAL,
            df=0,
            n=0,
            suppressed=False,
            comparability=item.reason,
        )
