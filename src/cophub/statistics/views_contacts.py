"""The public page of helpline contact counts: one table per helpline and year, by reason for
contact (the CHI data framework's categories) or by helpline topic through the crosswalk,
categories by quarter. Only published, disclosure-controlled values; no JavaScript."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cophub.portal.pages import page_errors
from cophub.portal.paging import rows_page

from . import reasons
from .contact_api import filters_check
from .contact_tables import QUARTERS, RELEASE_ORDER, contact_releases, contact_tables

TABLES_PER_PAGE = 10


def _year(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) == 4 else None


@require_GET
@page_errors
def helpline_contacts(request: HttpRequest) -> HttpResponse:
    view = request.GET.get("view", "reason")
    filters_check(view, "json")
    country = request.GET.get("country", "").strip().upper()[:2] or None
    year = _year(request.GET.get("year", "").strip())
    page = rows_page(
        request,
        contact_releases(country=country, year=year),
        ordering=RELEASE_ORDER,
        page_size=TABLES_PER_PAGE,
    )
    return render(
        request,
        "statistics/contacts.html",
        {
            "view": view,
            "country": country or "",
            "year": year or "",
            "quarters": QUARTERS,
            "tables": contact_tables(view=view, releases=page.rows),
            "page": page,
            "versions": reasons.versions(),
        },
    )
