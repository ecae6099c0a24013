"""Reading mapping files (YAML or JSON, format ``cop-survey-mapping/1``, schema
``frameworks/mapping.schema.json``)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from copcore.stats.columns import level_label
from copcore.stats.design import Design, Replicates
from copcore.stats.errors import FrameworkError
from copcore.stats.framework import document_read, schema_check
from copcore.stats.mapping.model import SourceItem, Survey, SurveyMapping, VariableMap

FORMAT = "cop-survey-mapping/1"


def code_text(key: Any) -> str:
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
    codes = tuple((code_text(k), v) for k, v in spec.get("codes", {}).items())
    return SourceItem(
        source=spec["source"],
        codes=codes,
        missing=tuple(code_text(m) for m in spec.get("missing", ())),
    )


def mapping_parse(data: Any, source: str = "<data>") -> SurveyMapping:
    """Check a mapping document against its schema and build the :class:`SurveyMapping`."""
    schema_check(data, "mapping.schema.json", source, code="mapping_invalid")
    survey = data["survey"]
    if survey["age"][0] > survey["age"][1]:
        raise FrameworkError(
            "mapping_invalid", path=source, key="survey.age", reason="the age range is reversed"
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
            psu_unique=bool(design.get("psu_unique", False)),
            replicates=_replicates_parse(design.get("replicates")),
        ),
        variables=tuple(variables),
    )


def _replicates_parse(spec: Any) -> Replicates | None:
    """The ``design.replicates`` block (schema-checked already), columns not yet resolved."""
    if spec is None:
        return None
    columns = spec["columns"]
    multipliers = spec.get("multipliers")
    if isinstance(multipliers, int | float):
        multipliers = [multipliers]
    return Replicates(
        columns=(columns,) if isinstance(columns, str) else tuple(str(c) for c in columns),
        method=spec["method"],
        fay=float(spec.get("fay", 0.0)),
        multipliers=None if multipliers is None else tuple(float(m) for m in multipliers),
        df=spec.get("df"),
        center=spec.get("center", "estimate"),
    )


def mapping_load(path: Path | str) -> SurveyMapping:
    """Load and schema-check a mapping file (YAML or JSON)."""
    file = Path(path)
    return mapping_parse(document_read(file), str(file))
