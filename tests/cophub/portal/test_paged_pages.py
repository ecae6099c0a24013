"""List pages show a page of rows at a time (issue 17, item 1; decisions 0036 and 0044):
following "Next page" reaches every row once, a page holds at most its size, and the links
are translated. One test per page whose table grows with the data (the COP numbers page is
in tests/cophub/helplines/test_pages.py; the partners page is driven in Chromium too)."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cophub.accounts.models import User
from cophub.coordination.activities.models import Partner
from cophub.coordination.models import Meeting, Report
from cophub.helplines.models import VerificationCampaign
from cophub.resources.models import TrackedItem

pytestmark = pytest.mark.django_db
ROWS = 57  # more than a page (50), less than two


def _walk(client: Client, url: str, row: str, *, page_size: int = 50) -> list[str]:
    """The rows (``row``: a regular expression with one group) of every page, following the
    "Next page" links from ``url``; each page holds at most ``page_size``."""
    seen: list[str] = []
    link, pages = url, 0
    while link:
        response = client.get(link)
        assert response.status_code == 200, (link, response.status_code)
        html = response.content.decode()
        rows = re.findall(row, html)
        assert len(rows) <= page_size, link
        if pages:
            assert 'rel="prev"' in html, link
        seen += rows
        found = re.search(r'href="([^"]+)" rel="next">Next page<', html)
        link = found.group(1).replace("&amp;", "&") if found else ""
        pages += 1
    assert pages > 1, url
    return seen


def _arabic(client: Client, url: str) -> None:
    html = client.get(url.replace("/en/", "/ar/", 1)).content.decode()
    assert 'dir="rtl"' in html and "الصفحة التالية" in html


def test_partners_page_by_name(client: Client) -> None:
    Partner.objects.bulk_create(
        Partner(name=f"Partner {n:03d}", kind=Partner.Kind.choices[0][0]) for n in range(ROWS)
    )
    seen = _walk(client, "/en/coordination/partners/", r'<tr id="partner-(\d+)">')
    assert len(seen) == ROWS == len(set(seen))
    _arabic(client, "/en/coordination/partners/")
    forged = client.get("/en/coordination/partners/", {"cursor": "cD1hYmM="})
    assert forged.status_code == 422


def test_coming_meetings_page_on_the_coordination_front_page(client: Client) -> None:
    today = timezone.localdate()
    Meeting.objects.bulk_create(
        Meeting(
            body_id="cwg-cop",
            ordinal=100 + n,
            starts_on=today + timedelta(days=n),
            ends_on=today + timedelta(days=n),
            mode=Meeting.Mode.HYBRID,
            registration_closes_on=today + timedelta(days=n),
        )
        for n in range(ROWS)
    )
    seen = _walk(client, "/en/coordination/", r'href="/en/coordination/meetings/(\d+)/"')
    assert len(seen) == ROWS == len(set(seen))
    _arabic(client, "/en/coordination/")


def test_reports_page_latest_period_first(client: Client, bdt_staff: User) -> None:
    snapshot = {"records": [], "clauses": [], "figures": {}, "regions": {}}
    Report.objects.bulk_create(
        Report(
            kind=Report.Kind.QUARTERLY,
            title=f"Report {n:03d}",
            period_start=date(2020, 1, 1) + timedelta(days=7 * n),
            period_end=date(2020, 1, 5) + timedelta(days=7 * n),
            snapshot=snapshot,
            status=Report.Status.APPROVED,
        )
        for n in range(ROWS)
    )
    client.force_login(bdt_staff, backend="django.contrib.auth.backends.ModelBackend")
    seen = _walk(client, "/en/coordination/reports/", r"(Report \d{3})")
    assert seen == [f"Report {n:03d}" for n in reversed(range(ROWS))]
    _arabic(client, "/en/coordination/reports/")


def test_verification_campaigns_page_newest_first(client: Client, bdt_staff: User) -> None:
    VerificationCampaign.objects.bulk_create(
        VerificationCampaign(started_by=bdt_staff) for _n in range(ROWS)
    )
    client.force_login(bdt_staff, backend="django.contrib.auth.backends.ModelBackend")
    url = "/en/help/verification/"
    seen = _walk(client, url, r'<th scope="row"><a href="/en/help/verification/(\d+)/"')
    assert [int(pk) for pk in seen] == sorted(
        VerificationCampaign.objects.values_list("pk", flat=True), reverse=True
    )
    _arabic(client, url)


def test_translation_matrix_pages_by_item(client: Client, bdt_staff: User) -> None:
    now = timezone.now()
    TrackedItem.objects.bulk_create(
        TrackedItem(
            kind=TrackedItem.Kind.RECORD,
            key=f"bench-{n:03d}",
            title=f"Tracked {n:03d}",
            source_language="en",
            source_hash="0" * 64,
            source_changed_at=now,
        )
        for n in range(ROWS)
    )
    client.force_login(bdt_staff, backend="django.contrib.auth.backends.ModelBackend")
    url = "/en/resources/translations/?kind=record"
    seen = _walk(client, url, r"(Tracked \d{3})")
    assert seen == [f"Tracked {n:03d}" for n in range(ROWS)]
