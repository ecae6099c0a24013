"""The statistics API under /api/v1/statistics/: the framework, open data (observations as
JSON, CSV or SDMX-CSV, and DHIS2 dataValueSets), templates, and (``api_datasets``) the
signed-in workspace."""

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from cophub.portal.errors import InvalidInput, ObjectNotFound
from cophub.portal.paging import cursor_page, keyset_paginate

from . import aggregates, contact_counts, selectors
from .api_datasets import router as workspace_router
from .contact_api import router as contact_router
from .mappings import mapping_template
from .models import LICENCE, Release
from .open_data import (
    FIELDS,
    csv_lines,
    dhis2_data_value_set_chunks,
    observation_record,
    sdmx_csv_lines,
)

router = Router(tags=["statistics"])
router.add_router("", workspace_router)
router.add_router("", contact_router)
Document = dict[str, Any]
FORMATS = ("json", "csv", "sdmx-csv")
PAGE_MAX = 10_000


@router.get("/framework", response=Document)
def framework(request: HttpRequest) -> Document:
    """The indicator framework (version, changelog, indicators by group) in the request's
    language (``Accept-Language``: ar, zh-hans, en, fr, ru, es)."""
    return selectors.framework_overview()


@router.get("/framework/indicators/{indicator_id}", response=Document)
def framework_indicator(request: HttpRequest, indicator_id: str) -> Document:
    detail = selectors.indicator_detail(indicator_id)
    if detail is None:
        raise ObjectNotFound()
    return detail


class ObservationFilters(Schema):
    indicator: str | None = None
    country: str | None = None
    breakdown: str | None = None
    year: int | None = None
    release: str | None = None
    include_withdrawn: bool = False
    format: str = "json"
    limit: int = 1000
    cursor: str | None = None
    offset: int = 0


def _observations(filters: ObservationFilters) -> Any:
    return selectors.observations_query(
        indicator=filters.indicator,
        country=filters.country,
        breakdown=filters.breakdown,
        year=filters.year,
        release=filters.release,
        include_withdrawn=filters.include_withdrawn,
    )


@router.get("/observations", response=Document)
def observations(
    request: HttpRequest, filters: Query[ObservationFilters]
) -> HttpResponse | StreamingHttpResponse:
    """Published, disclosure-controlled observations. Each row: release id, country, year,
    indicator, breakdown and level, estimate, SE, CI, unweighted n, suppressed, flags,
    method, source and licence. ``format=json`` is paged by cursor in the order rows were
    published (``limit`` ≤ 10,000, default 1,000; follow ``next``; ``count`` on the first
    page only); ``csv`` and ``sdmx-csv`` stream every matching row (the bulk download)."""
    if filters.format not in FORMATS:
        message = _("Unknown format %(format)s; use json, csv or sdmx-csv.") % {
            "format": filters.format
        }
        raise InvalidInput(message, details={"errors": [{"field": "format", "message": message}]})
    rows = _observations(filters)
    if filters.format == "csv":
        response = StreamingHttpResponse(csv_lines(rows.iterator()), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="cop-observations.csv"'
        return response
    if filters.format == "sdmx-csv":
        response = StreamingHttpResponse(
            sdmx_csv_lines(rows.iterator()),
            content_type="application/vnd.sdmx.data+csv; version=2.0.0",
        )
        response["Content-Disposition"] = 'attachment; filename="cop-observations-sdmx.csv"'
        return response
    if not 1 <= filters.limit <= PAGE_MAX:
        message = _("limit must be between 1 and %(max)s.") % {"max": PAGE_MAX}
        raise InvalidInput(message, details={"errors": [{"field": "limit", "message": message}]})
    if filters.offset:
        message = _("Pages are no longer found by offset: follow the next link (cursor).")
        raise InvalidInput(message, details={"errors": [{"field": "offset", "message": message}]})
    page = cursor_page(
        rows.order_by("pk"),
        request=request,
        cursor=filters.cursor,
        page_size=filters.limit,
        max_page_size=PAGE_MAX,
    )
    body = {
        "licence": LICENCE,
        # Counting every matching row costs what reading them does: only the first page does.
        "count": None if filters.cursor else rows.count(),
        "fields": list(FIELDS),
        "next": page["next"],
        "previous": page["previous"],
        "results": [observation_record(row) for row in page["results"]],
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _release(r: Release) -> Document:
    return {
        "release": r.code,
        "country": r.country_id,
        "year": r.year,
        "kind": r.kind,
        "source": r.source,
        "licence": r.licence,
        "method": r.method_note,
        "variance": r.variance or None,
        "variance_text": r.variance_text,
        "synthetic": r.synthetic,
        "published_at": r.published_at,
        "withdrawn_at": r.withdrawn_at,
        "withdrawal_reason": r.withdrawal_reason,
        "replaced_by": r.replaced_by.code if r.replaced_by else None,
    }


@router.get("/releases", response=list[Document])
@keyset_paginate(ordering=("-published_at", "-pk"), row=_release)
def releases(request: HttpRequest) -> QuerySet[Release]:
    """Every release, withdrawn ones included (with why and what replaced them), newest
    first."""
    return selectors.release_list()


class Dhis2Filters(Schema):
    indicator: str | None = None
    country: str | None = None
    year: int | None = None


@router.get("/dhis2/dataValueSets", response=Document)
def dhis2(request: HttpRequest, filters: Query[Dhis2Filters]) -> StreamingHttpResponse:
    """Current observations as a DHIS2 ``dataValueSets`` payload (identifiers by code),
    streamed: memory stays flat however many rows match. Suppressed cells are left out;
    ``X-Cophub-Suppressed-Omitted`` says how many."""
    rows = selectors.observations_query(
        indicator=filters.indicator, country=filters.country, year=filters.year
    )
    omitted = rows.filter(Q(suppressed=True) | Q(estimate__isnull=True)).count()
    response = StreamingHttpResponse(
        dhis2_data_value_set_chunks(rows.iterator(chunk_size=2000)),
        content_type="application/json",
    )
    response["X-Cophub-Suppressed-Omitted"] = str(omitted)
    return response


class TemplateFilters(Schema):
    country: str
    year: int


def _template_country(country: str) -> str:
    found = selectors.country_get(country)
    if found is None:
        message = _("There is no country with the code %(code)s.") % {"code": country}
        raise InvalidInput(message, details={"errors": [{"field": "country", "message": message}]})
    return found.iso2


@router.get("/templates/aggregate.xlsx")
def aggregate_template(request: HttpRequest, filters: Query[TemplateFilters]) -> HttpResponse:
    """The XLSX aggregate template of a country and year (N1–N7, survey indicators with SE
    and n)."""
    country = _template_country(filters.country)
    content = aggregates.template_build(
        country=country, year=filters.year, language=get_language() or "en"
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="cop-aggregates-{country}-{filters.year}.xlsx"'
    )
    return response


@router.get("/templates/mapping.yaml")
def mapping_template_download(
    request: HttpRequest, filters: Query[TemplateFilters]
) -> HttpResponse:
    """A variable-mapping file to fill in for a country's survey."""
    country = _template_country(filters.country)
    text = mapping_template(country=country, year=filters.year, language=get_language() or "en")
    response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="mapping-{country}-{filters.year}.yaml"'
    )
    return response


@router.get("/templates/contacts.csv")
def contacts_template(request: HttpRequest) -> HttpResponse:
    """The CSV layout of helpline contact counts."""
    response = HttpResponse(contact_counts.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="helpline-contacts.csv"'
    return response
