"""Checks of typed-in values the coordination services share; each adds a problem named by
its field to a ``FieldErrors`` (nothing is written until every field has been checked)."""

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.portal.errors import FieldErrors
from cophub.reference.models import Clause, Country, Region


def today() -> date:
    return timezone.localdate()


def required(errors: FieldErrors, data: dict[str, Any], *names: str) -> None:
    for name in names:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.add(name, _("This field is required."), "required")


def choice_checked(errors: FieldErrors, data: dict[str, Any], name: str, choices: Any) -> None:
    value = data.get(name)
    if value is not None and value not in choices.values:
        errors.add(
            name,
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)},
            "invalid_choice",
        )


def date_checked(errors: FieldErrors, data: dict[str, Any], name: str) -> date | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add(name, _("Give a date as YYYY-MM-DD."), "invalid_date")
        return None


def country_checked(errors: FieldErrors, name: str, code: str | None) -> Country | None:
    if not code:
        return None
    country = Country.objects.filter(iso2=str(code).upper()).first()
    if country is None:
        errors.add(name, _("Unknown country code."), "unknown_country")
    return country


def region_checked(errors: FieldErrors, name: str, code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=str(code).upper()).first()
    if region is None:
        errors.add(name, _("Unknown ITU-D region."), "unknown_region")
    return region


def clauses_checked(errors: FieldErrors, name: str, codes: list[str]) -> list[Clause]:
    clauses = list(Clause.objects.filter(pk__in=codes))
    unknown = sorted(set(codes) - {clause.pk for clause in clauses})
    if unknown:
        errors.add(
            name,
            _("Unknown clauses: %(clauses)s.") % {"clauses": ", ".join(unknown)},
            "unknown_clause",
        )
    return clauses


def language_checked(errors: FieldErrors, name: str, value: str | None) -> None:
    if value:  # a missing value is reported as required
        errors.add_unless_language(name, value)
