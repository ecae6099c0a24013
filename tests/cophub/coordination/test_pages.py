"""Every coordination page renders without JavaScript, in every language (Arabic right to
left), and the public sees the public pages and not the secretariat's."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from cophub.accounts.models import User
from cophub.coordination.activities import services as activity_services
from cophub.coordination.documents import services as document_services
from cophub.coordination.liaison import services as liaison_services
from cophub.coordination.liaison.services import Addressee
from cophub.coordination.models import (
    Activity,
    Document,
    LiaisonStatement,
    Meeting,
    Report,
    YouthConsultation,
)
from cophub.coordination.reports import services as reports

pytestmark = pytest.mark.django_db


LIAISON = {
    "subject": "COP statistics: request for comments",
    "origin": "CWG-COP",
    "addressees": [{"body": "ITU-D SG2 Q3/2", "for": "action"}],
    "approval": "CWG-COP meeting",
    "contact": "Secretariat <cwg-cop@example.org>",
    "original_language": "en",
}


def _html(response: Any) -> str:
    return str(response.content.decode())


def _activity(user: User, **changes: Any) -> Activity:
    data = {
        "kind": "workshop",
        "title": "Regional COP workshop",
        "starts_on": timezone.localdate(),
        "countries": ["KE"],
        "clauses": ["BDT-9"],
        "participants": 40,
        **changes,
    }
    return activity_services.activity_record(user=user, **data)


def _report(user: User) -> Report:
    _activity(user)
    today = timezone.localdate()
    return reports.report_compile(
        user=user,
        kind="quarterly",
        period_start=today - timedelta(days=30),
        period_end=today,
    )


@pytest.fixture
def consultation(db: None) -> YouthConsultation:
    today = timezone.localdate()
    return YouthConsultation.objects.create(
        title="Feeling safe online",
        question="What would make you feel safer online?",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=10),
    )


@pytest.fixture
def statement(meeting: Meeting, chair: User) -> LiaisonStatement:
    return liaison_services.liaison_create(
        user=chair,
        meeting=meeting,
        **{
            **LIAISON,
            "addressees": [Addressee(a["body"], a["for"]) for a in LIAISON["addressees"]],
        },
    )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_page_renders_with_one_heading_and_the_direction(
    client: Client,
    signed_in: Callable[[User], Client],
    language: str,
    meeting: Meeting,
    statement: LiaisonStatement,
    consultation: YouthConsultation,
    bdt_staff: User,
) -> None:
    report = _report(bdt_staff)
    base = f"/{language}/coordination/"
    public = [
        "",
        f"meetings/{meeting.pk}/",
        f"documents/{statement.document_id}/",
        "liaison/",
        "implementation/",
        "participation/",
        "reports/",
        f"consultations/{consultation.pk}/",
    ]
    staff = [*public, f"meetings/{meeting.pk}/submit/", "activities/", f"reports/{report.pk}/"]
    client = signed_in(bdt_staff)
    for path in staff:
        response = client.get(base + path)
        assert response.status_code == 200, path
        page = _html(response)
        root = re.search(r"<html[^>]*>", page)
        assert root is not None
        assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in root.group(0), path
        assert page.count("<h1") == 1, path


def test_the_public_sees_public_pages_and_not_the_secretariat_ones(
    client: Client, meeting: Meeting, statement: LiaisonStatement, bdt_staff: User
) -> None:
    index = _html(client.get("/en/coordination/"))
    assert f"/en/coordination/meetings/{meeting.pk}/" in index
    assert "/en/coordination/activities/" not in index
    # A draft liaison statement is not published: its document is not found.
    assert client.get(f"/en/coordination/documents/{statement.document_id}/").status_code == 404
    draft = _report(bdt_staff)
    assert client.get(f"/en/coordination/reports/{draft.pk}/").status_code == 404
    assert draft.title not in _html(client.get("/en/coordination/reports/"))


CONTRIBUTION = {
    "kind": "contribution",
    "purpose": "action",
    "title": "Helpline numbers in national numbering plans",
    "original_language": "fr",
    "abstract": "Proposes that 116 111 be reserved.",
}


@pytest.fixture
def document(meeting: Meeting, delegate_fr: User) -> Document:
    return document_services.document_submit(user=delegate_fr, meeting=meeting, **CONTRIBUTION)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_new_pages_render_with_one_heading_and_the_direction(
    signed_in: Callable[[User], Client],
    language: str,
    meeting: Meeting,
    document: Document,
    bdt_staff: User,
) -> None:
    meeting.starts_on = timezone.localdate()  # the attendance form shows from the first day
    meeting.save()
    client = signed_in(bdt_staff)
    base = f"/{language}/coordination/"
    pages = {
        "meetings/new/": 'name="ordinal"',
        f"meetings/{meeting.pk}/liaison/new/": 'name="addressee_for_3"',
        "partners/": 'name="agreement_signed_on"',
        f"meetings/{meeting.pk}/": 'name="manage-agenda"',
        f"documents/{document.pk}/": 'name="version-ar-status"',
        "implementation/": 'name="clause-BDT-9-progress"',
    }
    for path, form_field in pages.items():
        response = client.get(base + path)
        assert response.status_code == 200, path
        page = _html(response)
        root = re.search(r"<html[^>]*>", page)
        assert root is not None
        assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in root.group(0), path
        assert page.count("<h1") == 1, path
        assert form_field in page, path
        assert "csrfmiddlewaretoken" in page, path


def test_labels_taken_from_the_models_are_translated(
    signed_in: Callable[[User], Client], bdt_staff: User
) -> None:
    page = _html(signed_in(bdt_staff).get("/fr/coordination/meetings/new/"))
    with translation.override("fr"):
        last_day, number = capfirst(gettext("last day")), capfirst(gettext("number"))
    assert last_day != "Last day"
    assert f'<label for="id_ends_on">{last_day}' in page
    assert f'<label for="id_ordinal">{number}' in page


def test_the_meeting_page_pages_its_documents(client: Client, meeting: Meeting) -> None:
    """50 documents a page in number order, with links to the next and previous pages."""
    from cophub.coordination.models import Document

    for seq in range(1, 56):
        Document.objects.create(
            meeting=meeting, seq=seq, kind=Document.Kind.CONTRIBUTION,
            purpose=Document.Purpose.ACTION, title=f"Paged contribution {seq:02d}",
            source="Kenya", original_language="en", timeliness=Document.Timeliness.ON_TIME,
            status=Document.Status.PUBLISHED, received_at=timezone.now(),
            published_at=timezone.now(),
        )  # fmt: skip
    first = client.get(f"/en/coordination/meetings/{meeting.pk}/").content.decode()
    shown = re.findall(r"Paged contribution (\d\d)", first)
    assert shown == [f"{n:02d}" for n in range(1, 51)]
    (next_link,) = re.findall(r'<a class="pager-next" href="([^"]+)"', first)
    second = client.get(next_link.replace("&amp;", "&")).content.decode()
    assert re.findall(r"Paged contribution (\d\d)", second) == [f"{n:02d}" for n in range(51, 56)]
    assert 'rel="prev"' in second and "pager-next" not in second
