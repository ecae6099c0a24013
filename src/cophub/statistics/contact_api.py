"""``/api/v1/statistics/contact-reasons`` (the reasons for contact and their crosswalk to the
helpline topics, with their versions) and ``/api/v1/statistics/helpline-contacts`` (published
helpline contact counts by reason or by topic, JSON or CSV)."""

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from cophub.portal.errors import FieldErrors
from cophub.portal.paging import CURSOR_HELP, NEXT_HELP, PREVIOUS_HELP, cursor_page

from . import reasons
from .contact_tables import (
    QUARTERS,
    RELEASE_ORDER,
    VIEWS,
    Table,
    Value,
    contact_releases,
    contact_tables,
)

router = Router(tags=["statistics"])
CSV_FIELDS = (
    "release",
    "country",
    "year",
    "helpline",
    "view",
    "code",
    "name",
    "level",
    *QUARTERS,
    "total",
)
CONFIDENTIAL = "C"  # a suppressed cell in the CSV (SDMX CONF_STATUS "confidential")


class ReasonOut(Schema):
    code: str
    parent: str | None
    name: str
    names: dict[str, str]
    provenance: str
    source: str
    countable: bool
    topic: str


class ReasonsOut(Schema):
    reasons_version: str
    crosswalk_version: str
    source: str
    reasons: list[ReasonOut]


class ValueOut(Schema):
    value: int | None
    suppressed: bool


class ContactRowOut(Schema):
    code: str
    name: str
    level: str
    quarters: list[ValueOut]
    total: ValueOut


class ContactTableOut(Schema):
    release: str
    country: str
    year: int
    helpline: str
    view: str
    reasons_version: str
    crosswalk_version: str
    total: ValueOut
    rows: list[ContactRowOut]


class ContactTablesPage(Schema):
    previous: str | None = Field(..., description=PREVIOUS_HELP)
    next: str | None = Field(..., description=NEXT_HELP)
    results: list[ContactTableOut]


PAGE_SIZE, MAX_PAGE_SIZE = 20, 100  # tables (a table is a helpline's year: ~60 rows)


class ContactFilters(Schema):
    view: str = "reason"
    country: str | None = None
    year: int | None = None
    format: str = "json"
    page_size: int = Field(
        PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"Tables per page: {PAGE_SIZE} unless given, at most {MAX_PAGE_SIZE}.",
    )
    cursor: str | None = Field(None, description=CURSOR_HELP)


@router.get("/contact-reasons", response=ReasonsOut, url_name="statistics_contact_reasons")
def contact_reasons(request: HttpRequest) -> ReasonsOut:
    """The reasons for contact (categories, then their sub-categories; contacts are counted on
    the ``countable`` ones), each with its names in the six languages, where it comes from
    (``provenance``: ``issue``, ``report``, ``assumed`` or ``platform``; ``source``: the
    report cited, or what was found for an unconfirmed one) and its helpline topic."""
    loaded = reasons.versions()
    return ReasonsOut(
        reasons_version=loaded["reasons_version"],
        crosswalk_version=loaded["crosswalk_version"],
        source=loaded["source"],
        reasons=[
            ReasonOut(
                code=reason.code,
                parent=None if reason.group == reason.code else reason.group,
                name=reason.name,
                names=reason.names,
                provenance=reason.provenance,
                source=reason.source,
                countable=reason.countable,
                topic=reason.topic,
            )
            for reason in reasons.reason_list()
        ],
    )


def _value_out(value: Value) -> ValueOut:
    return ValueOut(value=value.value, suppressed=value.suppressed)


def table_out(table: Table) -> ContactTableOut:
    return ContactTableOut(
        release=table.release,
        country=table.country,
        year=table.year,
        helpline=table.helpline,
        view=table.view,
        reasons_version=table.reasons_version,
        crosswalk_version=table.crosswalk_version,
        total=_value_out(table.total),
        rows=[
            ContactRowOut(
                code=row.code,
                name=row.name,
                level=row.level,
                quarters=[_value_out(v) for v in row.quarters],
                total=_value_out(row.total),
            )
            for row in table.rows
        ],
    )


def _cell(value: Value) -> str:
    return CONFIDENTIAL if value.suppressed else ("" if value.value is None else str(value.value))


def tables_csv(tables: list[Table]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for table in tables:
        head = [table.release, table.country, table.year, table.helpline, table.view]
        for row in table.rows:
            quarters = [_cell(v) for v in row.quarters] or [""] * len(QUARTERS)
            writer.writerow([*head, row.code, row.name, row.level, *quarters, _cell(row.total)])
    return buffer.getvalue()


def filters_check(view: str, format: str) -> None:
    errors = FieldErrors()
    if view not in VIEWS:
        errors.add(
            "view",
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(VIEWS)},
            "invalid_choice",
        )
    if format not in ("json", "csv"):
        errors.add(
            "format", _("Choose one of: %(choices)s.") % {"choices": "json, csv"}, "invalid_choice"
        )
    errors.raise_if_any()


@router.get(
    "/helpline-contacts", response=ContactTablesPage, url_name="statistics_helpline_contacts"
)
def helpline_contacts(
    request: HttpRequest, filters: Query[ContactFilters]
) -> HttpResponse | dict[str, object]:
    """Published helpline contact counts, one table per helpline and year (by country, newest
    year first), paged by cursor (follow ``next``): ``view=reason`` (the CHI reasons for
    contact) or ``view=topic`` (the helpline topics, through the crosswalk); categories by
    quarter and for the year, sub-categories for the year. A suppressed cell has ``value``
    null and ``suppressed`` true (``C`` in ``format=csv``, which gives every table)."""
    filters_check(filters.view, filters.format)
    if filters.format == "json":
        page = cursor_page(
            contact_releases(country=filters.country, year=filters.year),
            request=request,
            cursor=filters.cursor,
            page_size=filters.page_size,
            max_page_size=MAX_PAGE_SIZE,
            ordering=RELEASE_ORDER,
        )
        tables = contact_tables(view=filters.view, releases=list(page["results"]))
        return {**page, "results": [table_out(table) for table in tables]}
    tables = contact_tables(view=filters.view, country=filters.country, year=filters.year)
    response = HttpResponse(tables_csv(tables), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="helpline-contacts-{filters.view}.csv"'
    return response
