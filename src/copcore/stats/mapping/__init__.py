"""Survey mappings: a national survey's own names and codes → the framework's harmonised variables.

A mapping file (YAML or JSON, format ``cop-survey-mapping/1``, schema
``frameworks/mapping.schema.json``) says, for each harmonised variable, which source column
holds it and how its codes recode (``{1: true, 2: false}``, ``missing: [8, 9]``), or that it is
a constant (a survey of internet users only: ``internet_use_3m: {constant: true}``), or that it
is *any of* several source items (Kleene "or": true if one is true, false if all are false,
missing otherwise). Framework composites (``tfse_any``) are derived from their components the
same way; single-year age yields every age banding the framework defines.

Modules: :mod:`.model` (dataclasses), :mod:`.parse` (files), :mod:`.recode` (one variable
from its source items), :mod:`.checks` (the mapping and the design columns),
:mod:`.harmonise` (:func:`validate` and :func:`mapping_apply`).
"""

from copcore.stats.mapping.harmonise import mapping_apply, validate
from copcore.stats.mapping.model import (
    DESIGN_COLUMNS,
    Harmonised,
    MappingInvalid,
    MappingProblem,
    SourceItem,
    Survey,
    SurveyMapping,
    Target,
    ValidationReport,
    VariableMap,
)
from copcore.stats.mapping.parse import FORMAT, mapping_load, mapping_parse

__all__ = [
    "DESIGN_COLUMNS",
    "FORMAT",
    "Harmonised",
    "MappingInvalid",
    "MappingProblem",
    "SourceItem",
    "Survey",
    "SurveyMapping",
    "Target",
    "ValidationReport",
    "VariableMap",
    "mapping_apply",
    "mapping_load",
    "mapping_parse",
    "validate",
]
