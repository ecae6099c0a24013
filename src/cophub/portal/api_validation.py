"""The API's input problems in the user's language. Ninja checks a request against its schema
with pydantic, whose messages are English only; each problem is given here a translated
message and the same ``code`` the services' ``FieldErrors`` use (``required``,
``invalid_choice``, ``invalid_date`` …), so a client sees one vocabulary whichever layer
refused the value. Pydantic's own ``type`` is kept beside it."""

import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import StringConstraints

Message = Callable[[dict[str, Any]], tuple[str, str]]


def _required(ctx: dict[str, Any]) -> tuple[str, str]:
    return "required", _("This field is required.")


def _choice(ctx: dict[str, Any]) -> tuple[str, str]:
    # pydantic lists the choices in English: "'a', 'b' or 'c'"; only the values are kept.
    expected = str(ctx.get("expected", ""))
    choices = ", ".join(re.findall(r"'([^']*)'", expected)) or expected
    return "invalid_choice", _("Choose one of: %(choices)s.") % {"choices": choices}


def _date(ctx: dict[str, Any]) -> tuple[str, str]:
    return "invalid_date", _("Give a date as YYYY-MM-DD.")


def _datetime(ctx: dict[str, Any]) -> tuple[str, str]:
    return "invalid_datetime", _("Give a date and time as YYYY-MM-DDTHH:MM:SS±HH:MM.")


def _integer(ctx: dict[str, Any]) -> tuple[str, str]:
    return "invalid_integer", _("Give a whole number.")


def _number(ctx: dict[str, Any]) -> tuple[str, str]:
    return "invalid_number", _("Give a number.")


def _boolean(ctx: dict[str, Any]) -> tuple[str, str]:
    return "invalid_boolean", _("Give true or false.")


def _text(ctx: dict[str, Any]) -> tuple[str, str]:
    return "invalid_text", _("Give a text.")


def _list(ctx: dict[str, Any]) -> tuple[str, str]:
    return "invalid_list", _("Give a list.")


def _object(ctx: dict[str, Any]) -> tuple[str, str]:
    return "invalid_object", _("Give an object with named fields.")


def _too_short(ctx: dict[str, Any]) -> tuple[str, str]:
    least = int(ctx.get("min_length", 1))
    if least <= 1:
        return "required", _("This field is required.")
    return "too_short", _("Give at least %(count)s characters or items.") % {"count": least}


def _too_long(ctx: dict[str, Any]) -> tuple[str, str]:
    return "too_long", _("Give at most %(count)s characters or items.") % {
        "count": ctx.get("max_length", "")
    }


def _too_small(ctx: dict[str, Any]) -> tuple[str, str]:
    bound = ctx.get("ge", ctx.get("gt", ""))
    return "too_small", _("Give a value of at least %(bound)s.") % {"bound": bound}


def _too_large(ctx: dict[str, Any]) -> tuple[str, str]:
    bound = ctx.get("le", ctx.get("lt", ""))
    return "too_large", _("Give a value of at most %(bound)s.") % {"bound": bound}


def _unknown_field(ctx: dict[str, Any]) -> tuple[str, str]:
    return "unknown_field", _("This field is not accepted here.")


def _invalid_json(ctx: dict[str, Any]) -> tuple[str, str]:
    return "invalid_json", _("The body is not valid JSON.")


def _invalid(ctx: dict[str, Any]) -> tuple[str, str]:
    return "invalid", _("This value is not valid.")


MESSAGES: dict[str, Message] = {
    "missing": _required,
    "enum": _choice,
    "literal_error": _choice,
    "date_type": _date,
    "date_parsing": _date,
    "date_from_datetime_parsing": _date,
    "date_from_datetime_inexact": _date,
    "datetime_type": _datetime,
    "datetime_parsing": _datetime,
    "datetime_from_date_parsing": _datetime,
    "timezone_aware": _datetime,
    "int_type": _integer,
    "int_parsing": _integer,
    "int_parsing_size": _integer,
    "int_from_float": _integer,
    "float_type": _number,
    "float_parsing": _number,
    "finite_number": _number,
    "decimal_type": _number,
    "decimal_parsing": _number,
    "bool_type": _boolean,
    "bool_parsing": _boolean,
    "string_type": _text,
    "string_unicode": _text,
    "list_type": _list,
    "tuple_type": _list,
    "set_type": _list,
    "dict_type": _object,
    "model_type": _object,
    "model_attributes_type": _object,
    "string_too_short": _too_short,
    "too_short": _too_short,
    "string_too_long": _too_long,
    "too_long": _too_long,
    "greater_than": _too_small,
    "greater_than_equal": _too_small,
    "less_than": _too_large,
    "less_than_equal": _too_large,
    "extra_forbidden": _unknown_field,
    "json_invalid": _invalid_json,
}


def field_path(location: Iterable[Any]) -> str:
    """``("body", "payload", "contacts", 0, "value")`` -> ``"contacts.0.value"``: the path
    inside what the client sent, without Ninja's parameter source and name."""
    parts = list(location)
    if parts and parts[0] == "body":
        parts = parts[2:] or parts[1:]
    elif parts and parts[0] in {"query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
    return ".".join(str(part) for part in parts)


def translated_problems(errors: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    """Pydantic's error list as ``{"field", "code", "message", "type"}`` in the active
    language; a type without its own message says the value is not valid."""
    problems = []
    for error in errors:
        kind = str(error.get("type", ""))
        code, message = MESSAGES.get(kind, _invalid)(dict(error.get("ctx") or {}))
        problems.append(
            {
                "field": field_path(error.get("loc", ())),
                "code": code,
                "message": message,
                "type": kind,
            }
        )
    return problems


RequiredText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A text an API client must give: surrounding spaces are dropped, and an empty or blank
value is refused as ``required`` (the same as a missing one)."""
