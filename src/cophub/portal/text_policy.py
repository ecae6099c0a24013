"""One policy for every piece of free text the platform accepts — API bodies and parameters,
form fields, gateway callbacks and imported files (decision 0016).

Refused, wherever they come from:
- NUL and the other C0 control characters except tab, line feed and carriage return (browsers
  send a textarea's line breaks as CR LF), DEL and the C1 controls: no one types them, they
  break USSD screens, CSV files and PostgreSQL text columns;
- lone surrogates (``"\\ud800"`` in JSON): they are not characters and cannot be stored as UTF-8;
- the bidirectional *override* characters LRO and RLO (U+202D, U+202E): they make a name read
  differently from what it is ("Trojan Source"). Marks (LRM, RLM, ALM), embeddings and isolates
  stay allowed, since Arabic text mixed with Latin digits and names legitimately needs them.

JSON is parsed with a nesting limit, and its integers must fit a signed 64-bit column."""

import json
import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from .errors import FieldErrors, InvalidInput

FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202d\u202e\ud800-\udfff]")
MAX_JSON_DEPTH = 64
MAX_INTEGER = 2**63 - 1
LONG_INTEGER = re.compile(r"[+-]?[0-9]{19,4300}")


def text_problem(value: str) -> str | None:
    """A translated sentence saying which character of ``value`` is refused, or None."""
    found = FORBIDDEN_CHARACTER.search(value)
    if found is None:
        return None
    return _("Holds a character that is not allowed: %(character)s at position %(position)s.") % {
        "character": f"U+{ord(found.group()):04X}",
        "position": found.start() + 1,
    }


def texts_check(fields: Iterable[tuple[str, str]], errors: FieldErrors) -> None:
    """Add an ``invalid_text`` error for every (field, value) pair whose value is refused."""
    for field, value in fields:
        problem = text_problem(field) or text_problem(value)
        if problem:
            errors.add(_printable(field), problem, "invalid_text")


def numbers_check(fields: Iterable[tuple[str, str]], errors: FieldErrors) -> None:
    """Add an ``out_of_range`` error for every value written as an integer that does not fit a
    signed 64-bit column (an id of 10^20 in a path or query of the API)."""
    for field, value in fields:
        if LONG_INTEGER.fullmatch(value) and not -MAX_INTEGER - 1 <= int(value) <= MAX_INTEGER:
            errors.add(_printable(field), _("The number is out of range."), "out_of_range")


def _printable(field: str) -> str:
    """A field name safe to echo back (the name itself may hold the refused character)."""
    return FORBIDDEN_CHARACTER.sub("\ufffd", field)


def json_parse(raw: bytes | str, *, source: str = "") -> Any:
    """Parse JSON text under the policy: nesting limit, bounded integers, clean strings and
    keys. Raises ``InvalidInput`` naming every offending path: ``contacts.0.value`` as the
    API's validation errors name fields, or ``$.contacts[0].value`` (as the import formats
    name them) when ``source`` is ``"$"``."""
    try:
        document = json.loads(raw)
    except RecursionError as deep:
        raise _too_deep(source) from deep
    except (json.JSONDecodeError, UnicodeDecodeError) as invalid:
        problem = {"field": source, "code": "invalid_json", "message": str(invalid)}
        raise InvalidInput(
            _("This is not valid JSON: %(detail)s") % {"detail": invalid},
            details={"errors": [problem]},
        ) from invalid
    document_check(document, source=source)
    return document


def document_check(document: Any, *, source: str = "") -> None:
    """The policy on an already parsed document (an import's JSON, a form's cleaned data)."""
    errors = FieldErrors()
    if not _walk(document, source, 0, errors, set()):
        raise _too_deep(source)
    errors.raise_if_any()


def _too_deep(source: str) -> InvalidInput:
    message = _("The JSON is nested more than %(depth)s levels deep.") % {"depth": MAX_JSON_DEPTH}
    return InvalidInput(
        message, details={"errors": [{"field": source, "code": "too_deep", "message": message}]}
    )


def _walk(value: Any, path: str, depth: int, errors: FieldErrors, seen: set[int]) -> bool:
    """Check ``value`` and what it holds; False when it nests deeper than the limit. A
    container is checked once however often it is referred to (YAML aliases), so a
    "billion laughs" document costs no more than its distinct parts."""
    if depth > MAX_JSON_DEPTH:
        return False
    if isinstance(value, dict | list):
        if id(value) in seen:
            return True
        seen.add(id(value))
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            errors.add(path, problem, "invalid_text")
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int):
        if not -MAX_INTEGER - 1 <= value <= MAX_INTEGER:
            errors.add(path, _("The number is out of range."), "out_of_range")
    elif isinstance(value, dict):
        for key, item in value.items():
            child = _child(path, _printable(key))
            problem = text_problem(key)
            if problem:
                errors.add(child, problem, "invalid_text")
            if not _walk(item, child, depth + 1, errors, seen):
                return False
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if not _walk(item, _child(path, index), depth + 1, errors, seen):
                return False
    return True


def _child(path: str, key: str | int) -> str:
    if path.startswith("$"):
        return f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}"
    return f"{path}.{key}" if path else str(key)
