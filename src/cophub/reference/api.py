from django.http import HttpRequest
from ninja import Router, Schema

from . import selectors

router = Router(tags=["reference"])


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


@router.get("/countries", response=list[CountryOut])
def countries(
    request: HttpRequest, itu_member: bool | None = None, region: str | None = None
) -> list[CountryOut]:
    return [
        CountryOut(
            iso2=c.iso2,
            iso3=c.iso3,
            numeric=c.numeric,
            names=c.names,
            itu_member=c.itu_member,
            region=c.region_id,
            groupings=[g.code for g in c.groupings.all()],
        )
        for c in selectors.country_list(itu_member=itu_member, region=region)
    ]


@router.get("/regions", response=list[RegionOut])
def regions(request: HttpRequest) -> list[RegionOut]:
    return [RegionOut(code=r.code, names=r.names) for r in selectors.region_list()]


@router.get("/groupings", response=list[GroupingOut])
def groupings(request: HttpRequest) -> list[GroupingOut]:
    return [
        GroupingOut(
            code=g.code,
            names=g.names,
            list_year=g.list_year,
            source=g.source_id,
            countries=sorted(c.iso2 for c in g.countries.all()),
        )
        for g in selectors.grouping_list()
    ]


@router.get("/languages", response=list[LanguageOut])
def languages(request: HttpRequest, itu_official: bool | None = None) -> list[LanguageOut]:
    return [
        LanguageOut(
            code=lang.code, iso639_3=lang.iso639_3, names=lang.names, itu_official=lang.itu_official
        )
        for lang in selectors.language_list(itu_official=itu_official)
    ]


@router.get("/clauses", response=list[ClauseOut])
def clauses(request: HttpRequest) -> list[ClauseOut]:
    return [
        ClauseOut(
            id=c.id,
            section=c.section,
            number=c.number,
            texts=c.texts,
            official_languages=c.official_languages,
        )
        for c in selectors.clause_list()
    ]


@router.get("/sources", response=list[SourceOut])
def sources(request: HttpRequest) -> list[SourceOut]:
    return [
        SourceOut(key=s.key, title=s.title, url=s.url, edition=s.edition)
        for s in selectors.source_list()
    ]
