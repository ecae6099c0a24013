"""Reads of reference data."""

import pycountry
from django.db.models import QuerySet

from .models import Clause, Country, DataSource, Grouping, Language, Region


def clause_list() -> QuerySet[Clause]:
    return Clause.objects.all()


def operative_clauses() -> list[Clause]:
    """The 22 operative clauses (not the considerations), in the resolution's order."""
    return list(Clause.objects.exclude(section=Clause.Section.CONSIDERING).order_by("position"))


def country_list(*, itu_member: bool | None = None, region: str | None = None) -> QuerySet[Country]:
    countries = Country.objects.select_related("region").prefetch_related("groupings")
    if itu_member is not None:
        countries = countries.filter(itu_member=itu_member)
    if region is not None:
        countries = countries.filter(region_id=region)
    return countries


def region_list() -> QuerySet[Region]:
    return Region.objects.all()


def grouping_list() -> QuerySet[Grouping]:
    return Grouping.objects.prefetch_related("countries")


def language_list(*, itu_official: bool | None = None) -> QuerySet[Language]:
    languages = Language.objects.all()
    if itu_official is not None:
        languages = languages.filter(itu_official=itu_official)
    return languages


def source_list() -> QuerySet[DataSource]:
    return DataSource.objects.all()


def subdivision_country(code: str) -> str | None:
    """The ISO 3166-1 country of an ISO 3166-2 subdivision code, or None if unknown."""
    subdivision = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    return str(subdivision.country_code) if subdivision is not None else None
