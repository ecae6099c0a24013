"""Loading a framework file: schema check, model building, cross-reference checks.

The bundled starting set (``frameworks/cop-core-2026.yaml``) follows ITU's *Child Online
Protection: Statistical Framework and Indicators* (2010), Global Kids Online, EU Kids Online
2020 and Disrupting Harm.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from copcore.stats.errors import FrameworkError
from copcore.stats.framework.checks import framework_problem
from copcore.stats.framework.conditions import condition_parse
from copcore.stats.framework.documents import FRAMEWORKS_DIR, document_read, schema_check
from copcore.stats.framework.model import (
    Breakdown,
    ChangelogEntry,
    Framework,
    Indicator,
    Population,
    Text,
    Variable,
)
from copcore.stats.messages import LANGUAGES

FORMAT = "cop-indicator-framework/1"
DEFAULT_FRAMEWORK = FRAMEWORKS_DIR / "cop-core-2026.yaml"


def _text(data: Mapping[str, str]) -> Text:
    return Text(tuple((lang, data[lang]) for lang in LANGUAGES))


def _labelled(data: Mapping[str, Mapping[str, str]]) -> tuple[tuple[str, Text], ...]:
    return tuple((key, _text(value)) for key, value in data.items())


def framework_parse(data: Any, source: str = "<data>") -> Framework:
    """Check a framework document (already parsed) and build the :class:`Framework`.

    Raises :class:`FrameworkError` ``framework_invalid`` with ``path`` (the file), ``key``
    (the key path) and ``reason``.
    """
    schema_check(data, "framework.schema.json", source, code="framework_invalid")
    variables = tuple(
        Variable(
            id=key,
            type=spec["type"],
            label=_text(spec["label"]),
            minimum=spec.get("min"),
            maximum=spec.get("max"),
            categories=tuple(spec.get("categories", ())),
            derived_any_of=tuple(spec.get("derived", {}).get("any_of", ())),
        )
        for key, spec in data["variables"].items()
    )
    populations = tuple(
        Population(
            id=key,
            label=_text(spec["label"]),
            condition=None if spec["condition"] is None else condition_parse(spec["condition"]),
        )
        for key, spec in data["populations"].items()
    )
    breakdowns = tuple(
        Breakdown(
            id=key,
            variable=spec["variable"],
            label=_text(spec["label"]),
            bands=tuple((int(lo), int(hi)) for lo, hi in spec.get("bands", ())),
        )
        for key, spec in data["breakdowns"].items()
    )
    framework = Framework(
        id=data["id"],
        version=data["version"],
        title=_text(data["title"]),
        age_range=(int(data["age_range"][0]), int(data["age_range"][1])),
        changelog=tuple(
            ChangelogEntry(e["version"], e["date"], _text(e["summary"])) for e in data["changelog"]
        ),
        tiers=tuple((int(k), _text(v)) for k, v in data["tiers"].items()),
        groups=_labelled(data["groups"]),
        recall_periods=_labelled(data["recall_periods"]),
        variables=variables,
        populations=populations,
        breakdowns=breakdowns,
        default_breakdowns=tuple(data["default_breakdowns"]),
        indicators=tuple(_indicator_parse(spec) for spec in data["indicators"]),
        document=json.dumps(data, ensure_ascii=False, sort_keys=False),
    )
    problem = framework_problem(framework)
    if problem is not None:
        key, reason = problem
        raise FrameworkError("framework_invalid", path=source, key=key, reason=reason)
    return framework


def _indicator_parse(spec: Mapping[str, Any]) -> Indicator:
    age = spec.get("age")
    scale = spec.get("scale")
    return Indicator(
        id=spec["id"],
        group=spec["group"],
        tier=int(spec["tier"]),
        source=spec["source"],
        statistic=spec["statistic"],
        recall=spec["recall"],
        name=_text(spec["name"]),
        definition=_text(spec["definition"]),
        comparability=_text(spec["comparability"]),
        numerator=condition_parse(spec["numerator"]) if "numerator" in spec else None,
        denominator=spec.get("denominator"),
        value=spec.get("value"),
        variables=tuple(spec.get("variables", ())),
        age=None if age is None else (int(age[0]), int(age[1])),
        breakdowns=tuple(spec.get("breakdowns", ())),
        national_only=bool(spec.get("national_only", False)),
        scale=None if scale is None else (float(scale[0]), float(scale[1])),
        per=spec.get("per"),
        measures=tuple(spec.get("measures", ())),
    )


def framework_load(path: Path | str) -> Framework:
    """Load and validate a framework file (YAML or JSON)."""
    file = Path(path)
    return framework_parse(document_read(file), str(file))


@cache
def framework_default() -> Framework:
    """The bundled starting framework (``frameworks/cop-core-2026.yaml``)."""
    return framework_load(DEFAULT_FRAMEWORK)


def framework_as_dict(framework: Framework) -> dict[str, Any]:
    """The validated document the framework was built from, as plain data (for export)."""
    document: dict[str, Any] = json.loads(framework.document)
    return document
