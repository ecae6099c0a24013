"""Checks of codes the coordination services share (countries, regions, clauses, languages):
each looks the code up and adds a problem named by its field to a ``FieldErrors`` (nothing is
written until every field has been checked). Types, required fields and choices are checked
once at the edge, by the page's form or the API's schema."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.portal.errors import FieldErrors
from cophub.reference.models import Clause, Country, Region


def today() -> date:
    return timezone.localdate()


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
