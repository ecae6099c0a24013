"""Every indicator × breakdown of a framework, from one survey, in one tidy table.

Modules: :mod:`.estimates` (:func:`tabulate`: design-based estimates, medians, intervals),
:mod:`.private` (:func:`tabulate_private`: differential privacy), :mod:`.indicators`
(indicators as kernel columns over their universes), :mod:`.cells` (breakdowns coded),
:mod:`.conditions` (Kleene evaluation over the harmonised table), :mod:`.countries` (pooled
files), :mod:`.disclosure` (the engine's rules on a tabulation), :mod:`.table` and
:mod:`.rows` (the output table).
"""

from copcore.stats.tabulate.cells import TOTAL
from copcore.stats.tabulate.conditions import condition_evaluate
from copcore.stats.tabulate.countries import survey_countries, table_subset
from copcore.stats.tabulate.estimates import tabulate
from copcore.stats.tabulate.private import tabulate_private
from copcore.stats.tabulate.table import COLUMNS, DP_COLUMNS, TabulateOptions, Tabulation

__all__ = [
    "COLUMNS",
    "DP_COLUMNS",
    "TOTAL",
    "TabulateOptions",
    "Tabulation",
    "condition_evaluate",
    "survey_countries",
    "table_subset",
    "tabulate",
    "tabulate_private",
]
