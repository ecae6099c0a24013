"""The coordination pages work without JavaScript, in every language (Arabic right to left),
through the same services as the API: registration, document submission under the deadline
rules, liaison statements, activities, reports and anonymous youth consultations."""

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from cophub.accounts.models import Role, User
from cophub.coordination.activities import services as activity_services
from cophub.coordination.liaison import services as liaison_services
from cophub.coordination.models import (
    Activity,
    Document,
    DocumentVersion,
    LiaisonStatement,
    Meeting,
    Registration,
    Report,
    YouthConsultation,
    YouthSubmission,
)
from cophub.coordination.reports import services as reports
from cophub.coordination.youth import services as youth_services
from cophub.reference.selectors import operative_clauses

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CONTRIBUTION = {
    "kind": "contribution",
    "purpose": "action",
    "title": "Helpline numbers in national numbering plans",
    "original_language": "fr",
    "abstract": "Proposes that 116 111 be reserved.",
}
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
        "starts_on": timezone.localdate().isoformat(),
        "countries": ["KE"],
        "clauses": ["BDT-9"],
        "participants": 40,
        **changes,
    }
    return activity_services.activity_record(user=user, data=data)


def _report(user: User) -> Report:
    _activity(user)
    today = timezone.localdate()
    return reports.report_compile(
        user=user,
        data={
            "kind": "quarterly",
            "period_start": (today - timedelta(days=30)).isoformat(),
            "period_end": today.isoformat(),
        },
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
    return liaison_services.liaison_create(user=chair, meeting=meeting, data=LIAISON)


# --- every page renders, left to right and right to left ------------------------------------


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


def test_the_meeting_page_shows_the_deadline_rules(client: Client, meeting: Meeting) -> None:
    page = _html(client.get(f"/en/coordination/meetings/{meeting.pk}/"))
    # CWG-COP works in one language: Council Decision 556 (test_deadline_rules.py).
    for days, after in ((12, "(12 days before the meeting): accepted"), (7, "(7 days before")):
        with translation.override("en"):
            shown = date_format(meeting.starts_on - timedelta(days=days), "DATE_FORMAT")
        assert f" by {shown} {after}" in page
    assert "A contribution submitted today: On time." in page
    assert f"/api/v1/coordination/meetings/{meeting.pk}/calendar.ics" in page


def test_implementation_lists_the_operative_clauses(client: Client) -> None:
    page = _html(client.get("/en/coordination/implementation/"))
    assert len(re.findall(r'<tr id="clause-', page)) == len(operative_clauses())
    assert '<th scope="row">BDT-9</th>' in page


# --- registration ---------------------------------------------------------------------------


def test_registration_and_fellowship_through_the_page(
    signed_in: Callable[[User], Client],
    meeting: Meeting,
    delegate_et: User,
    delegate_fr: User,
    chair: User,
) -> None:
    url = f"/en/coordination/meetings/{meeting.pk}/"
    client = signed_in(delegate_fr)
    refused = client.post(url, {"attendance": "remote", "fellowship": "on"})
    assert refused.status_code == 200
    assert "Fellowships are for delegates of developing countries" in _html(refused)
    assert not Registration.objects.exists()

    client = signed_in(delegate_et)
    done = client.post(url, {"attendance": "in_person", "fellowship": "on"}, follow=True)
    assert done.redirect_chain[-1][0] == url
    assert "You are registered for CWG-COP 25." in _html(done)
    registration = Registration.objects.get()
    assert registration.fellowship == Registration.Fellowship.REQUESTED
    assert registration.country_id == "ET"
    # Only the meeting's managers see the registrations and decide on fellowships.
    fellowship = f"/en/coordination/registrations/{registration.pk}/fellowship/"
    assert client.post(fellowship, {"granted": "yes"}).status_code == 403
    client = signed_in(chair)
    assert "delegate-et" in _html(client.get(url))
    refused_once = client.post(fellowship, {"granted": "no"}, follow=True)
    assert "The fellowship has been refused." in _html(refused_once)
    registration.refresh_from_db()
    assert registration.fellowship == Registration.Fellowship.REFUSED
    client.post(fellowship, {"granted": "yes"})
    registration.refresh_from_db()
    assert registration.fellowship == Registration.Fellowship.GRANTED


# --- documents ------------------------------------------------------------------------------


def test_document_submission_through_the_page_and_the_deadline(
    signed_in: Callable[[User], Client], meeting: Meeting, delegate_fr: User, chair: User
) -> None:
    client = signed_in(delegate_fr)
    url = f"/en/coordination/meetings/{meeting.pk}/submit/"
    form_page = _html(client.get(url))
    assert "A contribution submitted today: On time." in form_page
    upload = SimpleUploadedFile("contribution.pdf", PDF, "application/pdf")
    done = client.post(url, {**CONTRIBUTION, "file": upload}, follow=True)
    document = Document.objects.get()
    assert done.redirect_chain[-1][0] == f"/en/coordination/documents/{document.pk}/"
    page = _html(done)
    assert "Your document has been registered as CWG-COP-25/1-F." in page
    assert f"/api/v1/coordination/documents/{document.pk}/versions/fr/file" in page
    assert f"/api/v1/coordination/documents/{document.pk}/versions/en/file" not in page
    assert document.versions.get(language="fr").file

    # The chair publishes it from the meeting page.
    signed_in(chair).post(f"/en/coordination/documents/{document.pk}/publish/", {"back": "meeting"})
    document.refresh_from_db()
    assert document.status == Document.Status.PUBLISHED

    meeting.starts_on = timezone.localdate() + timedelta(days=11)
    meeting.ends_on = meeting.starts_on
    meeting.save()
    client = signed_in(delegate_fr)
    late = client.post(url, {**CONTRIBUTION, "title": "Too late"})
    assert late.status_code == 200
    html = _html(late)
    assert "Late: held for the next meeting" in html  # the rule, shown before submitting
    assert "The deadline for this meeting was" in html
    assert 'class="errorlist' in html
    assert Document.objects.count() == 1
    assert DocumentVersion.objects.count() == 6


def test_a_delegate_cannot_submit_a_secretariat_document_type(
    signed_in: Callable[[User], Client], meeting: Meeting, delegate_fr: User
) -> None:
    client = signed_in(delegate_fr)
    response = client.post(
        f"/en/coordination/meetings/{meeting.pk}/submit/", {**CONTRIBUTION, "kind": "agenda"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in _html(response)  # not offered to delegates
    assert not Document.objects.exists()


# --- liaison statements ---------------------------------------------------------------------


def test_liaison_statement_advances_through_the_page(
    signed_in: Callable[[User], Client],
    statement: LiaisonStatement,
    chair: User,
    delegate_fr: User,
) -> None:
    url = f"/en/coordination/liaison/{statement.pk}/status/"
    # Not published yet: a delegate does not even see it.
    assert signed_in(delegate_fr).post(url, {"status": "agreed"}).status_code == 404
    client = signed_in(chair)
    page = _html(client.get(f"/en/coordination/documents/{statement.document_id}/"))
    assert "Mark as: Agreed" in page and "Mark as: Sent" not in page
    assert "ITU-D SG2 Q3/2: For action" in page
    wrong = client.post(url, {"status": "sent"}, follow=True)
    assert "A statement that is “Draft” cannot become “Sent”." in _html(wrong)
    statement.refresh_from_db()
    assert statement.status == LiaisonStatement.Status.DRAFT
    agreed = client.post(url, {"status": "agreed"}, follow=True)
    assert "The liaison statement is now “Agreed”." in _html(agreed)
    client.post(url, {"status": "sent"})
    statement.refresh_from_db()
    assert statement.status == LiaisonStatement.Status.SENT
    assert statement.document.status == Document.Status.PUBLISHED
    listed = _html(signed_in(delegate_fr).get("/en/coordination/liaison/"))
    assert statement.subject in listed


# --- activities -----------------------------------------------------------------------------


ACTIVITY_FORM = {
    "kind": "training",
    "title": "Training of trainers",
    "starts_on": "",
    "countries": "ke, br",
    "clauses": ["BDT-9", "BDT-11"],
    "participants": "25",
}


def test_bdt_staff_record_an_activity_and_see_it_in_the_feed(
    signed_in: Callable[[User], Client], bdt_staff: User
) -> None:
    client = signed_in(bdt_staff)
    today = timezone.localdate().isoformat()
    bad = client.post("/en/coordination/activities/", {**ACTIVITY_FORM, "starts_on": today,
                                                        "countries": "KE, XX"})  # fmt: skip
    assert bad.status_code == 200 and "Unknown country code." in _html(bad)
    assert not Activity.objects.exists()
    done = client.post(
        "/en/coordination/activities/", {**ACTIVITY_FORM, "starts_on": today}, follow=True
    )
    assert "The activity “Training of trainers” has been recorded." in _html(done)
    activity = Activity.objects.get()
    assert sorted(c.iso2 for c in activity.countries.all()) == ["BR", "KE"]
    assert sorted(c.pk for c in activity.clauses.all()) == ["BDT-11", "BDT-9"]
    feed = _html(done)  # the default period is the current quarter
    assert f"coordination.activity:{activity.pk}" in feed
    assert "BR, KE" in feed
    old = _html(client.get("/en/coordination/activities/?start=2001-01-01&end=2001-03-31"))
    assert f"coordination.activity:{activity.pk}" not in old


def test_activities_are_for_the_secretariat_only(
    signed_in: Callable[[User], Client], make_user: Callable[..., User], delegate_fr: User
) -> None:
    today = timezone.localdate().isoformat()
    client = signed_in(delegate_fr)
    # Forbidden (403), as the feed is in the API (decision 0024); it was 404 on the page.
    assert client.get("/en/coordination/activities/").status_code == 403
    form = {**ACTIVITY_FORM, "starts_on": today}
    assert client.post("/en/coordination/activities/", form).status_code == 403
    # A regional officer records for their own region only.
    officer = make_user(Role.REGIONAL_OFFICER, username="officer-afr", region="AFR")
    client = signed_in(officer)
    assert client.post("/en/coordination/activities/", {**form, "region": "EUR"}).status_code == 403
    assert client.post("/en/coordination/activities/", {**form, "region": "AFR"}).status_code == 302
    assert Activity.objects.get().region_id == "AFR"


# --- reports --------------------------------------------------------------------------------


def test_report_compile_text_and_approval_through_the_pages(
    signed_in: Callable[[User], Client], bdt_staff: User, meeting: Meeting, delegate_fr: User
) -> None:
    client = signed_in(bdt_staff)
    empty = client.post(
        "/en/coordination/reports/",
        {"kind": "quarterly", "period_start": "2001-01-01", "period_end": "2001-03-31"},
    )
    assert empty.status_code == 200
    assert "Nothing was recorded between 2001-01-01 and 2001-03-31" in _html(empty)
    assert not Report.objects.exists()

    _activity(bdt_staff)
    today = timezone.localdate()
    compiled = client.post(
        "/en/coordination/reports/",
        {
            "kind": "quarterly",
            "period_start": (today - timedelta(days=10)).isoformat(),
            "period_end": today.isoformat(),
            "regions": ["AFR"],
        },
        follow=True,
    )
    report = Report.objects.get()
    assert compiled.redirect_chain[-1][0] == f"/en/coordination/reports/{report.pk}/"
    page = _html(compiled)
    assert "Regional COP workshop" in page and "<svg" in page
    assert f"/api/v1/coordination/reports/{report.pk}/export?format=pdf&amp;lang=en" in page

    texts = f"/en/coordination/reports/{report.pk}/texts/"
    # A translation before the source text is refused, on the language field.
    early = client.post(texts, {"section": "summary", "text-summary-language": "fr",
                                "text-summary-text": "Résumé"})  # fmt: skip
    assert early.status_code == 200 and "source language (en) first" in _html(early)
    client.post(texts, {"section": "summary", "text-summary-language": "en",
                        "text-summary-text": "A busy quarter."})  # fmt: skip
    client.post(texts, {"section": "summary", "text-summary-language": "fr",
                        "text-summary-text": "Un trimestre chargé."})  # fmt: skip
    report.refresh_from_db()
    assert reports.text_status(report, "summary", "fr").value == "approved"
    assert "Un trimestre chargé." in _html(
        client.get(f"/en/coordination/reports/{report.pk}/?lang=fr")
    )
    matrix = _html(client.get(f"/en/coordination/reports/{report.pk}/"))
    assert '<span class="status status-source">Source</span>' in matrix

    # A delegate cannot see the draft, nor approve it.
    other = signed_in(delegate_fr)
    assert other.get(f"/en/coordination/reports/{report.pk}/").status_code == 404
    approve = f"/en/coordination/reports/{report.pk}/approve/"
    assert other.post(approve, {"meeting": meeting.pk}).status_code == 404
    client = signed_in(bdt_staff)
    client.post(approve, {"meeting": meeting.pk})
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert report.document is not None and report.document.meeting_id == meeting.pk
    approved = _html(signed_in(delegate_fr).get(f"/ar/coordination/reports/{report.pk}/"))
    assert report.document.number("ar") in approved
    assert "text-summary-text" not in approved  # nothing to edit any more


# --- youth consultations --------------------------------------------------------------------


def test_youth_answers_are_anonymous_and_contact_details_never_shown(
    client: Client,
    signed_in: Callable[[User], Client],
    consultation: YouthConsultation,
    bdt_staff: User,
) -> None:
    url = f"/en/coordination/consultations/{consultation.pk}/"
    page = _html(client.get(url))
    assert "Do not write your name" in page and "we keep nothing about you" in page
    done = client.post(url, {"text": "More help in school.", "age_band": "13_15"}, follow=True)
    assert "Thank you!" in _html(done)
    client.post(url, {"text": "Write to me at kid@example.com", "age_band": "under_13",
                      "region": "AFR"})  # fmt: skip
    fields = {field.name for field in YouthSubmission._meta.get_fields()}
    assert fields == {
        "id", "consultation", "text", "age_band", "region", "status", "flagged", "submitted_on"
    }  # fmt: skip
    answers = list(YouthSubmission.objects.order_by("pk"))
    assert [a.flagged for a in answers] == [False, True]
    assert answers[1].region_id == "AFR"

    # The public never sees the answers; the secretariat sees them, flagged ones hidden.
    assert "More help in school." not in _html(client.get(url))
    staff = signed_in(bdt_staff)
    moderation = _html(staff.get(url))
    assert "More help in school." in moderation
    assert "kid@example.com" not in moderation
    assert "Contains contact details: the text is not shown." in moderation
    staff.post(f"/en/coordination/answers/{answers[0].pk}/moderation/", {"accept": "yes"})
    refused = staff.post(
        f"/en/coordination/answers/{answers[1].pk}/moderation/", {"accept": "yes"}, follow=True
    )
    assert "it cannot be accepted" in _html(refused)
    staff.post(f"/en/coordination/answers/{answers[1].pk}/moderation/", {"accept": "no"})
    statuses = list(YouthSubmission.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["accepted", "hidden"]
    staff.post(f"/en/coordination/consultations/{consultation.pk}/summary/",
               {"summary": "Children asked for more help in school."})  # fmt: skip
    assert "Children asked for more help in school." in _html(client.get(url))


def test_only_the_secretariat_moderates(
    signed_in: Callable[[User], Client], consultation: YouthConsultation, delegate_fr: User
) -> None:
    answer = youth_services.youth_submit(
        consultation=consultation, text="Less pressure.", age_band="16_17", region=None
    )
    client = signed_in(delegate_fr)
    url = f"/en/coordination/consultations/{consultation.pk}/"
    assert "Less pressure." not in _html(client.get(url))
    response = client.post(f"/en/coordination/answers/{answer.pk}/moderation/", {"accept": "yes"})
    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.status == YouthSubmission.Status.PENDING


def test_a_closed_consultation_takes_no_answer(
    client: Client, consultation: YouthConsultation
) -> None:
    consultation.closes_on = date(2001, 1, 1)
    consultation.opens_on = date(2000, 12, 1)
    consultation.save()
    url = f"/en/coordination/consultations/{consultation.pk}/"
    assert "not open for answers now" in _html(client.get(url))
    response = client.post(url, {"text": "Hello", "age_band": "13_15"})
    assert response.status_code == 200
    assert not YouthSubmission.objects.exists()
