"""COP indicator frameworks held as versioned data: load, validate, look up.

A framework file (YAML or JSON, format ``cop-indicator-framework/1``) declares harmonised
variables, denominator populations, breakdowns (single-year age and every age banding derived
from it) and indicators whose numerators and universes are conditions over the harmonised
variables. Loading checks the file against ``frameworks/framework.schema.json`` and then the
cross-references the schema cannot see; every problem names its key path
(``indicators[5].numerator.var``).

Modules: :mod:`.model` (the dataclasses and lookups), :mod:`.conditions` (conditions over
harmonised variables), :mod:`.documents` (YAML/JSON files and schemas), :mod:`.parse`
(loading), :mod:`.checks` (cross-references).

>>> framework = framework_default()
>>> framework.indicator("R1").denominator
'internet_users'
>>> [b.label_of(b.bands[0]) for b in [framework.breakdown("age_eko2010")]]
['9-10']
"""

from copcore.stats.framework.checks import indicator_variables, value_fits
from copcore.stats.framework.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Not,
    Value,
    alternative_variables,
    condition_variables,
)
from copcore.stats.framework.documents import FRAMEWORKS_DIR, document_read, schema_check
from copcore.stats.framework.model import (
    Breakdown,
    ChangelogEntry,
    Framework,
    Indicator,
    Population,
    Statistic,
    Text,
    Variable,
    VariableType,
)
from copcore.stats.framework.parse import (
    DEFAULT_FRAMEWORK,
    FORMAT,
    framework_as_dict,
    framework_default,
    framework_load,
    framework_parse,
)

__all__ = [
    "DEFAULT_FRAMEWORK",
    "FORMAT",
    "FRAMEWORKS_DIR",
    "AllOf",
    "AnyOf",
    "Breakdown",
    "ChangelogEntry",
    "Compare",
    "Condition",
    "Framework",
    "Indicator",
    "Not",
    "Population",
    "Statistic",
    "Text",
    "Value",
    "Variable",
    "VariableType",
    "alternative_variables",
    "condition_variables",
    "document_read",
    "framework_as_dict",
    "framework_default",
    "framework_load",
    "framework_parse",
    "indicator_variables",
    "schema_check",
    "value_fits",
]
