from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema

from cophub.portal.paging import keyset_paginate

from . import selectors
from .models import Clause, Country, DataSource, Grouping, Language, Region

router = Router(tags=["reference"])

# Reference lists are bounded by the world (249 countries, a few hundred languages): one
# default page holds any of them, and they page like every other list.
REFERENCE_PAGE = 300
REFERENCE_MAX = 500


class SourceOut(Schema):
    key: str
    title: str
    url: str
    edition: str


class RegionOut(Schema):
    code: str
    names: dict[str, str]


class CountryOut(Schema):
    iso2: str
    iso3: str
    numeric: str
    names: dict[str, str]
    itu_member: bool
    region: str | None
    groupings: list[str]


class GroupingOut(Schema):
    code: str
    names: dict[str, str]
    list_year: int
    source: str
    countries: list[str]


class LanguageOut(Schema):
    code: str
    iso639_3: str
    names: dict[str, str]
    itu_official: bool


class ClauseOut(Schema):
    id: str
    section: str
    number: str
    texts: dict[str, str]
    official_languages: list[str]


def _country(c: Country) -> CountryOut:
    return CountryOut(
        iso2=c.iso2,
        iso3=c.iso3,
        numeric=c.numeric,
        names=c.names,
        itu_member=c.itu_member,
        region=c.region_id,
        groupings=[g.code for g in c.groupings.all()],
    )


@router.get("/countries", response=list[CountryOut])
@keyset_paginate(page_size=REFERENCE_PAGE, max_page_size=REFERENCE_MAX, row=_country)
def countries(
    request: HttpRequest, itu_member: bool | None = None, region: str | None = None
) -> QuerySet[Country]:
    return selectors.country_list(itu_member=itu_member, region=region)


@router.get("/regions", response=list[RegionOut])
@keyset_paginate(page_size=REFERENCE_PAGE, max_page_size=REFERENCE_MAX)
def regions(request: HttpRequest) -> QuerySet[Region]:
    return selectors.region_list()


def _grouping(g: Grouping) -> GroupingOut:
    return GroupingOut(
        code=g.code,
        names=g.names,
        list_year=g.list_year,
        source=g.source_id,
        countries=sorted(c.iso2 for c in g.countries.all()),
    )


@router.get("/groupings", response=list[GroupingOut])
@keyset_paginate(page_size=REFERENCE_PAGE, max_page_size=REFERENCE_MAX, row=_grouping)
def groupings(request: HttpRequest) -> QuerySet[Grouping]:
    return selectors.grouping_list()


@router.get("/languages", response=list[LanguageOut])
@keyset_paginate(page_size=REFERENCE_PAGE, max_page_size=REFERENCE_MAX)
def languages(request: HttpRequest, itu_official: bool | None = None) -> QuerySet[Language]:
    return selectors.language_list(itu_official=itu_official)


@router.get("/clauses", response=list[ClauseOut])
@keyset_paginate(page_size=REFERENCE_PAGE, max_page_size=REFERENCE_MAX, ordering=("position",))
def clauses(request: HttpRequest) -> QuerySet[Clause]:
    """In the resolution's order."""
    return selectors.clause_list()


@router.get("/sources", response=list[SourceOut])
@keyset_paginate(page_size=REFERENCE_PAGE, max_page_size=REFERENCE_MAX)
def sources(request: HttpRequest) -> QuerySet[DataSource]:
    return selectors.source_list()
