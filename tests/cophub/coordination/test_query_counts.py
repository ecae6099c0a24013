"""Lists cost a fixed number of queries, whatever their length: every coordination list page
and API list, and compiling a report, on a platform with many meetings, documents, liaison
statements, registrations, partners, activities and helplines (a query per row would pass
each limit many times over)."""

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from cophub.accounts.models import User
from cophub.coordination.models import (
    Activity,
    Agreement,
    ClauseProgress,
    Document,
    DocumentVersion,
    LiaisonStatement,
    Meeting,
    Partner,
    Registration,
    Report,
    YouthConsultation,
)
from cophub.coordination.reports.services import report_approve, report_compile
from cophub.helplines.services import helplines_import
from cophub.reference.languages import UI_LANGUAGE_CODES

from .conftest import api

pytestmark = pytest.mark.django_db

MEETINGS = 6
DOCUMENTS = 5  # per meeting
HELPLINES = Path(__file__).parents[1] / "helplines" / "fixtures" / "directory.json"


@pytest.fixture
def busy(make_user: Callable[..., User], bdt_staff: User, chair: User) -> dict[str, Any]:
    """Many rows of every kind the lists show, all inside the current quarter."""
    today = timezone.localdate()
    delegates = [
        make_user(username=f"delegate-{code}", country=code)
        for code in ("FR", "ET", "BR", "KE", "JP", "FJ")
    ]
    meetings = []
    for ordinal in range(1, MEETINGS + 1):
        starts = today - timedelta(days=ordinal)
        meeting = Meeting.objects.create(
            body_id="cwg-cop",
            ordinal=ordinal,
            starts_on=starts,
            ends_on=starts,
            mode=Meeting.Mode.HYBRID,
            chair=chair,
            registration_closes_on=starts,
        )
        meetings.append(meeting)
        for delegate in delegates:
            Registration.objects.create(
                meeting=meeting,
                user=delegate,
                organisation=delegate.organisation,
                country_id=delegate.organisation.country_id,
                category=Registration.Category.MEMBER_STATE,
                attendance=Registration.Attendance.REMOTE,
                attended=True,
            )
        for seq in range(1, DOCUMENTS + 1):
            delegate = delegates[seq % len(delegates)]
            document = Document.objects.create(
                meeting=meeting,
                seq=seq,
                kind=Document.Kind.CONTRIBUTION,
                purpose=Document.Purpose.ACTION,
                title=f"Contribution {seq} to meeting {ordinal}",
                source=delegate.organisation.name,
                organisation=delegate.organisation,
                country_id=delegate.organisation.country_id,
                original_language="en",
                timeliness=Document.Timeliness.ON_TIME,
                status=Document.Status.PUBLISHED,
                submitted_by=delegate,
                received_at=timezone.now(),
                published_at=timezone.now(),
            )
            for language in UI_LANGUAGE_CODES:
                DocumentVersion.objects.create(document=document, language=language)
        for direction, seq in (("in", 90), ("out", 91)):
            document = Document.objects.create(
                meeting=meeting,
                seq=seq,
                kind=f"liaison_{direction}",
                purpose=Document.Purpose.ACTION,
                title=f"Liaison {direction} {ordinal}",
                source="ITU-D SG2",
                original_language="en",
                timeliness=Document.Timeliness.EXEMPT,
                status=Document.Status.PUBLISHED,
                received_at=timezone.now(),
                published_at=timezone.now(),
            )
            LiaisonStatement.objects.create(
                document=document,
                origin="ITU-D SG2",
                addressees=[{"body": "CWG-COP", "for": "action"}],
                subject=f"Liaison {direction} {ordinal}",
                approval="Meeting",
                contact="Secretariat <cwg-cop@example.org>",
                status=LiaisonStatement.Status.REPLY_DUE,
                deadline=today + timedelta(days=3),
                sent_on=today,
            )
    for number in range(8):
        partner = Partner.objects.create(name=f"Partner {number}", kind=Partner.Kind.INITIATIVE)
        Agreement.objects.create(partner=partner, title=f"MoU {number}", signed_on=today)
        activity = Activity.objects.create(
            kind=Activity.Kind.TRAINING,
            title=f"Training {number}",
            starts_on=today,
            ends_on=today,
            region_id="AFR",
            participants=10,
            recorded_by=bdt_staff,
        )
        activity.countries.set(["KE", "ET"])
        activity.clauses.set(["BDT-5", "BDT-7"])
        activity.partners.set([partner])
    for clause in ("BDT-5", "BDT-7", "BDT-9"):
        ClauseProgress.objects.create(clause_id=clause, status="on_track", progress=50)
    YouthConsultation.objects.create(
        title="Safer online games", question="What helps?", opens_on=today, closes_on=today
    )
    helplines_import(json.loads(HELPLINES.read_text(encoding="utf-8")))
    reports = [
        report_compile(user=bdt_staff, **_period()),
        report_compile(user=bdt_staff, **_period(), regions=["AFR"]),
    ]
    report_approve(user=bdt_staff, report=reports[0], meeting_id=meetings[-1].pk)
    return {"meeting": meetings[-1], "report": reports[0].pk}


def _period() -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "kind": Report.Kind.QUARTERLY,
        "period_start": today - timedelta(days=30),
        "period_end": today + timedelta(days=30),
    }


# (path, most queries allowed), measured with the rows above plus a margin of two or three.
PUBLIC_PAGES = [
    ("/en/coordination/", 5),
    ("/en/coordination/liaison/", 4),
    ("/en/coordination/partners/", 5),
    ("/en/coordination/participation/", 8),
    ("/en/coordination/implementation/", 21),
    ("/en/coordination/reports/", 4),
]
PUBLIC_API = [
    ("meetings", 3),
    ("liaison-statements", 4),
    ("partners", 5),
    ("participation", 7),
    ("implementation", 21),
    ("consultations", 3),
    ("reports", 4),
    ("bodies", 3),
]


@pytest.mark.parametrize(("path", "limit"), PUBLIC_PAGES)
def test_public_pages(  # type: ignore[no-untyped-def]
    client, busy, django_assert_max_num_queries, path, limit
):
    with django_assert_max_num_queries(limit):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize(("path", "limit"), PUBLIC_API)
def test_public_api_lists(  # type: ignore[no-untyped-def]
    client, busy, django_assert_max_num_queries, path, limit
):
    with django_assert_max_num_queries(limit):
        response = client.get(f"/api/v1/coordination/{path}")
    assert response.status_code == 200 and response.json()


def test_meeting_page_and_its_lists(  # type: ignore[no-untyped-def]
    client, busy, chair, django_assert_max_num_queries
):
    """The chair sees every document, version and registration of the meeting."""
    meeting = busy["meeting"]
    client.force_login(chair)
    for path, limit in (
        (f"/en/coordination/meetings/{meeting.pk}/", 13),
        (f"/api/v1/coordination/meetings/{meeting.pk}/documents", 9),
        (f"/api/v1/coordination/meetings/{meeting.pk}/registrations", 7),
    ):
        with django_assert_max_num_queries(limit):
            assert client.get(path).status_code == 200, path


def test_the_secretariat_feed_and_report_pages(  # type: ignore[no-untyped-def]
    client, busy, bdt_staff, token_for, django_assert_max_num_queries
):
    period = _period()
    feed = {"start": period["period_start"], "end": period["period_end"]}
    headers = token_for(bdt_staff)
    client.force_login(bdt_staff)
    for path, query, limit, auth in (
        ("/en/coordination/activities/", feed, 26, {}),
        ("/api/v1/coordination/activities", feed, 22, headers),
        (f"/en/coordination/reports/{busy['report']}/", {}, 12, {}),
        (f"/api/v1/coordination/reports/{busy['report']}", {}, 6, headers),
    ):
        with django_assert_max_num_queries(limit):
            assert client.get(path, query, headers=auth).status_code == 200, path


def test_compiling_a_report(  # type: ignore[no-untyped-def]
    client, busy, bdt_staff, token_for, django_assert_max_num_queries
):
    headers = token_for(bdt_staff)
    with django_assert_max_num_queries(38):
        response = api(client, headers, "post", "reports", _period())
    assert response.status_code == 201, response.content
    assert response.json()["records_count"] > MEETINGS * DOCUMENTS
