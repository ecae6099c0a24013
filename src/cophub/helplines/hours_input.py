"""Opening hours as a person types them (the verification change form, the CSV template's
``hours`` column): ``copcore.helplines.hours_text``'s syntax, or the export's JSON, into the
open data format, with one translated message for what is not understood (decision 0045)."""

import json
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from copcore.helplines.hours_text import hours_from_text
from copcore.helplines.parse import FormatError, hours_to_json

HOURS_HELP = gettext_lazy(
    "24/7, or weekdays and times such as Mo-Fr 08:00-20:00; Sa 10:00-14:00 (a time closing "
    "before it opens ends the next day). Empty: not known."
)


class HoursNotUnderstood(ValueError):
    """``str()`` is the translated message naming the part not understood."""


def hours_from_input(text: str) -> Any:
    """``"24/7"``, a list of shifts, or None (empty: unknown)."""
    text = text.strip()
    try:
        if text.startswith(("[", '"')):  # the export's JSON: a list of shifts or "24/7"
            return json.loads(text)
        return hours_to_json(hours_from_text(text))
    except ValueError as error:
        part = error.params["part"] if isinstance(error, FormatError) else text
        raise HoursNotUnderstood(
            _(
                "Write 24/7, or weekdays (Mo Tu We Th Fr Sa Su) and times such as "
                "Mo-Fr 08:00-20:00; Sa 10:00-14:00. Not understood: “%(part)s”."
            )
            % {"part": part}
        ) from error
