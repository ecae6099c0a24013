"""Framework and mapping documents: reading YAML or JSON, and checking a bundled JSON Schema
with errors that name the key path (``indicators[5].numerator.var``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from copcore.stats.errors import FrameworkError

# The bundled frameworks, their schemas and the worked examples (data, not code).
FRAMEWORKS_DIR = Path(__file__).resolve().parent.parent / "frameworks"


def document_read(path: Path) -> Any:
    """Parse a YAML (``.yaml``/``.yml``) or JSON file; :class:`FrameworkError` on failure."""
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise FrameworkError("document_type_unknown", path=str(path), extension=suffix or "-")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError("file_unreadable", path=str(path), reason=str(exc)) from None
    try:
        return json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise FrameworkError("document_syntax", path=str(path), reason=str(exc)) from None


def key_path(parts: Iterable[str | int]) -> str:
    """``["indicators", 5, "name"]`` → ``"indicators[5].name"``; ``"(top level)"`` if empty."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


@cache
def schema_load(name: str) -> Mapping[str, Any]:
    """A bundled JSON Schema from ``frameworks/`` (cached)."""
    loaded: Mapping[str, Any] = json.loads((FRAMEWORKS_DIR / name).read_text(encoding="utf-8"))
    return loaded


def schema_check(data: Any, schema_name: str, source: str, *, code: str) -> None:
    """Validate ``data`` against a bundled schema; the most relevant error names its key path
    (:class:`FrameworkError` ``code`` with ``path``, ``key`` and ``reason``)."""
    validator = jsonschema.Draft202012Validator(schema_load(schema_name))
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        raise FrameworkError(
            code, path=source, key=key_path(error.absolute_path), reason=error.message
        )
