"""The secretariat's actions that the API had alone now have pages (no JavaScript, in every
language, Arabic right to left): creating and managing a meeting, attendance, liaison
statements, language versions, revisions and withdrawals, clause progress and partners. The
pages call the same services, so the services' refusals show on the forms' fields."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from cophub.accounts.models import User
from cophub.coordination.activities import services as activity_services
from cophub.coordination.documents import services as document_services
from cophub.coordination.meetings import services as meeting_services
from cophub.coordination.models import (
    Agreement,
    ClauseProgress,
    Document,
    DocumentVersion,
    LiaisonStatement,
    Meeting,
    Partner,
    Registration,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CONTRIBUTION = {
    "kind": "contribution",
    "purpose": "action",
    "title": "Helpline numbers in national numbering plans",
    "original_language": "fr",
    "abstract": "Proposes that 116 111 be reserved.",
}


def _html(response: Any) -> str:
    return str(response.content.decode())


def _field_errors(response: Any, form: str = "form") -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context[form].errors.items()}


@pytest.fixture
def document(meeting: Meeting, delegate_fr: User) -> Document:
    return document_services.document_submit(user=delegate_fr, meeting=meeting, data=CONTRIBUTION)


# --- pages render, left to right and right to left ------------------------------------------


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


# --- creating a meeting ---------------------------------------------------------------------


def _meeting_form(chair: User, **changes: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "body": "cwg-cop",
        "ordinal": "26",
        "starts_on": (today + timedelta(days=90)).isoformat(),
        "ends_on": (today + timedelta(days=91)).isoformat(),
        "mode": "in_person",
        "venue": "Kigali",
        "chair": str(chair.pk),
        "vice_chairs": "Ms A. Vice\n\n  Mr B. Vice  \n",
        "agenda": "1. Opening",
        "registration_closes_on": "",
        **changes,
    }


def test_bdt_staff_create_a_meeting_through_the_page(
    signed_in: Callable[[User], Client], bdt_staff: User, chair: User, meeting: Meeting
) -> None:
    client = signed_in(bdt_staff)
    assert "/en/coordination/meetings/new/" in _html(client.get("/en/coordination/"))
    done = client.post("/en/coordination/meetings/new/", _meeting_form(chair), follow=True)
    created = Meeting.objects.get(ordinal=26)
    assert done.redirect_chain[-1][0] == f"/en/coordination/meetings/{created.pk}/"
    assert "The meeting CWG-COP 26 has been created." in _html(done)
    assert created.chair == chair
    assert created.vice_chairs == ["Ms A. Vice", "Mr B. Vice"]
    assert created.registration_closes_on == created.starts_on - timedelta(days=1)

    # The number is taken: the service's refusal shows on the number field; nothing saved.
    again = client.post("/en/coordination/meetings/new/", _meeting_form(chair, venue="Doha"))
    assert again.status_code == 200
    assert _field_errors(again) == {"ordinal": ["CWG-COP already has a meeting number 26."]}
    assert 'class="errorlist' in _html(again)
    assert Meeting.objects.count() == 2
    assert not Meeting.objects.filter(venue="Doha").exists()


def test_only_bdt_staff_create_meetings(
    client: Client, signed_in: Callable[[User], Client], chair: User, delegate_fr: User
) -> None:
    assert "/en/coordination/meetings/new/" not in _html(client.get("/en/coordination/"))
    anonymous = client.post("/en/coordination/meetings/new/", _meeting_form(chair))
    assert anonymous.status_code == 302 and "/accounts/" in anonymous["Location"]
    for user in (delegate_fr, chair):  # chairing a meeting is not creating them
        other = signed_in(user)  # forbidden (403) as in the API (decision 0024); it was 404
        assert other.get("/en/coordination/meetings/new/").status_code == 403
        assert other.post("/en/coordination/meetings/new/", _meeting_form(chair)).status_code == 403
    assert not Meeting.objects.exists()


# --- managing a meeting ---------------------------------------------------------------------


def test_the_chair_edits_the_meeting_and_records_attendance(
    signed_in: Callable[[User], Client],
    meeting: Meeting,
    chair: User,
    delegate_fr: User,
    delegate_et: User,
) -> None:
    url = f"/en/coordination/meetings/{meeting.pk}/"
    manage = {
        "manage-agenda": "1. Opening\n2. Liaison statements",
        "manage-outcome": "Agreed to reply to SG17.",
        "manage-venue": "Geneva, CICG",
        "manage-vice_chairs": "Ms A. Vice",
    }
    assert signed_in(delegate_fr).post(f"{url}manage/", manage).status_code == 403
    client = signed_in(chair)
    done = client.post(f"{url}manage/", manage, follow=True)
    assert done.redirect_chain[-1][0] == url
    assert "Your changes have been saved." in _html(done)
    meeting.refresh_from_db()
    assert meeting.agenda == "1. Opening\n2. Liaison statements"
    assert meeting.outcome == "Agreed to reply to SG17."
    assert meeting.venue == "Geneva, CICG"
    assert meeting.vice_chairs == ["Ms A. Vice"]

    present = meeting_services.registration_create(
        user=delegate_fr, meeting=meeting, data={"attendance": "in_person"}
    )
    absent = meeting_services.registration_create(
        user=delegate_et, meeting=meeting, data={"attendance": "remote"}
    )
    assert 'name="attendance-attended"' not in _html(client.get(url))  # not before it starts
    meeting.starts_on = meeting.ends_on = timezone.localdate()
    meeting.save()
    page = _html(client.get(url))
    assert page.count('name="attendance-attended"') == 2
    assert "<fieldset" in page and "<legend" in page
    attendance = f"{url}attendance/"
    assert (
        signed_in(delegate_fr).post(attendance, {"attendance-attended": [present.pk]}).status_code
        == 403
    )
    client = signed_in(chair)  # one test client: sign the chair in again
    recorded = client.post(attendance, {"attendance-attended": [present.pk]}, follow=True)
    assert "1 participant is recorded as present." in _html(recorded)
    present.refresh_from_db()
    absent.refresh_from_db()
    assert (present.attended, absent.attended) == (True, False)
    unknown = client.post(attendance, {"attendance-attended": ["999999"]})
    assert unknown.status_code == 200 and "attended" in _field_errors(unknown, "attendance_form")
    present.refresh_from_db()
    assert present.attended is True
    assert Registration.objects.filter(attended=True).count() == 1


# --- liaison statements ---------------------------------------------------------------------


def _liaison_form(**changes: Any) -> dict[str, Any]:
    return {
        "direction": "in",
        "subject": "Age verification: request for comments",
        "origin": "ITU-T SG17",
        "origin_questions": "Q10/17",
        "addressee_body_0": "CWG-COP",
        "addressee_for_0": "comments",
        "addressee_body_2": "ITU-D SG2",
        "addressee_for_2": "information",
        "approval": "SG17 meeting",
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "contact": "SG17 secretariat <tsbsg17@example.org>",
        "original_language": "en",
        "reply_to": "",
        "seq": "",
        **changes,
    }


def test_an_incoming_statement_and_its_reply_through_the_pages(
    signed_in: Callable[[User], Client], meeting: Meeting, chair: User, delegate_fr: User
) -> None:
    url = f"/en/coordination/meetings/{meeting.pk}/liaison/new/"
    assert signed_in(delegate_fr).get(url).status_code == 403
    assert url not in _html(signed_in(delegate_fr).get("/en/coordination/liaison/"))
    client = signed_in(chair)
    assert url in _html(client.get(f"/en/coordination/meetings/{meeting.pk}/"))
    assert url in _html(client.get("/en/coordination/liaison/"))

    # A row with a body and no purpose is refused on that row: rows 1, 3 and 4 are filled, so
    # the service's third addressee is row 4. Nothing is saved.
    bad = client.post(url, _liaison_form(addressee_body_3="ITU-T SG2"))
    assert bad.status_code == 200
    assert list(_field_errors(bad)) == ["addressee_for_3"]
    none = client.post(url, _liaison_form(addressee_body_0="", addressee_for_0="",
                                          addressee_body_2="", addressee_for_2=""))  # fmt: skip
    assert _field_errors(none) == {"addressee_body_0": ["Name at least one addressee."]}
    assert not LiaisonStatement.objects.exists() and not Document.objects.exists()

    done = client.post(url, _liaison_form(), follow=True)
    incoming = LiaisonStatement.objects.get()
    assert done.redirect_chain[-1][0] == f"/en/coordination/documents/{incoming.document_id}/"
    assert "The liaison statement has been registered as CWG-COP-25/1-E." in _html(done)
    assert incoming.addressees == [
        {"body": "CWG-COP", "for": "comments"},
        {"body": "ITU-D SG2", "for": "information"},
    ]  # the empty rows are left out
    assert incoming.status == LiaisonStatement.Status.REPLY_DUE
    assert incoming.document.kind == Document.Kind.LIAISON_IN
    assert incoming.document.status == Document.Status.PUBLISHED

    reply_form = _liaison_form(
        direction="out",
        subject="Reply: age verification",
        origin="CWG-COP",
        origin_questions="",
        addressee_body_0="ITU-T SG17",
        addressee_for_0="information",
        addressee_body_2="",
        addressee_for_2="",
        approval="CWG-COP meeting",
        deadline="",
        reply_to=str(incoming.pk),
        seq="7",
    )
    client.post(url, reply_form)
    reply = LiaisonStatement.objects.get(reply_to=incoming)
    assert reply.status == LiaisonStatement.Status.DRAFT
    assert reply.document.seq == 7 and reply.document.kind == Document.Kind.LIAISON_OUT
    taken = client.post(url, {**reply_form, "subject": "Another reply"})
    assert list(_field_errors(taken)) == ["seq"]
    assert LiaisonStatement.objects.count() == 2

    advance = f"/en/coordination/liaison/{reply.pk}/status/"
    client.post(advance, {"status": "agreed"})
    incoming.refresh_from_db()
    assert incoming.status == LiaisonStatement.Status.REPLY_DUE  # agreed is not sent
    client.post(advance, {"status": "sent"})
    incoming.refresh_from_db()
    assert incoming.status == LiaisonStatement.Status.REPLIED


# --- documents ------------------------------------------------------------------------------


def test_the_chair_sets_a_version_with_its_file_and_a_fake_pdf_is_refused(
    signed_in: Callable[[User], Client], document: Document, chair: User, delegate_fr: User
) -> None:
    url = f"/en/coordination/documents/{document.pk}/versions/"
    form = {"language": "ar", "version-ar-status": "in_review"}
    submitter = signed_in(delegate_fr)
    assert 'name="version-ar-status"' not in _html(
        submitter.get(f"/en/coordination/documents/{document.pk}/")
    )
    assert submitter.post(url, form).status_code == 403

    client = signed_in(chair)
    upload = SimpleUploadedFile("traduction.pdf", PDF, "application/pdf")
    done = client.post(url, {**form, "version-ar-file": upload}, follow=True)
    assert done.redirect_chain[-1][0] == f"/en/coordination/documents/{document.pk}/"
    assert "CWG-COP-25/1-A has been saved." in _html(done)
    arabic = document.versions.get(language="ar")
    assert arabic.status == DocumentVersion.Status.IN_REVIEW
    assert arabic.file and arabic.file_name == "traduction.pdf"
    assert f"/api/v1/coordination/documents/{document.pk}/versions/ar/file" in _html(done)

    fake = SimpleUploadedFile("fausse.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    refused = client.post(
        url, {"language": "es", "version-es-status": "approved", "version-es-file": fake}
    )
    assert refused.status_code == 200
    spanish_form = next(
        v["form"] for v in refused.context["version_forms"] if v["language"] == "es"
    )
    assert list(spanish_form.errors) == ["file"]
    assert 'class="errorlist' in _html(refused)
    spanish = document.versions.get(language="es")
    assert spanish.status == DocumentVersion.Status.MISSING and not spanish.file


def test_the_submitter_revises_and_withdraws(
    signed_in: Callable[[User], Client],
    document: Document,
    chair: User,
    delegate_fr: User,
    delegate_et: User,
) -> None:
    document_services.document_publish(user=chair, document=document)
    base = f"/en/coordination/documents/{document.pk}/"
    other = signed_in(delegate_et)
    assert 'name="revise-title"' not in _html(other.get(base))
    assert other.post(f"{base}revise/", {"revise-title": "Mine"}).status_code == 403
    assert other.post(f"{base}withdraw/").status_code == 403

    client = signed_in(delegate_fr)
    fake = SimpleUploadedFile("rev.pdf", b"not a pdf at all", "application/pdf")
    refused = client.post(f"{base}revise/", {"revise-title": "Revised", "revise-file": fake})
    assert refused.status_code == 200 and list(_field_errors(refused, "revise_form")) == ["file"]
    assert Document.objects.count() == 1

    upload = SimpleUploadedFile("rev.pdf", PDF, "application/pdf")
    done = client.post(
        f"{base}revise/",
        {
            "revise-title": "Helpline numbers (revised)",
            "revise-abstract": "",
            "revise-file": upload,
        },
        follow=True,
    )
    revised = Document.objects.get(revision=1)
    assert done.redirect_chain[-1][0] == f"/en/coordination/documents/{revised.pk}/"
    assert "Your document has been registered as CWG-COP-25/1(Rev.1)-F." in _html(done)
    assert revised.seq == document.seq and revised.title == "Helpline numbers (revised)"
    assert revised.versions.get(language="fr").file

    withdrawn = client.post(f"{base}withdraw/", follow=True)
    assert "CWG-COP-25/1-F has been withdrawn." in _html(withdrawn)
    document.refresh_from_db()
    assert document.status == Document.Status.WITHDRAWN
    assert f'action="{base}withdraw/"' not in _html(client.get(base))


# --- clause progress ------------------------------------------------------------------------


def test_bdt_staff_set_clause_progress_on_the_implementation_page(
    client: Client,
    signed_in: Callable[[User], Client],
    bdt_staff: User,
    chair: User,
) -> None:
    url = "/en/coordination/implementation/BDT-9/"
    form = {
        "clause-BDT-9-status": "on_track",
        "clause-BDT-9-progress": "60",
        "clause-BDT-9-timeline": "By WTDC-25",
        "clause-BDT-9-note": "Three regional workshops held.",
    }
    assert 'name="clause-BDT-9-progress"' not in _html(
        client.get("/en/coordination/implementation/")
    )
    assert signed_in(chair).post(url, form).status_code == 403
    assert not ClauseProgress.objects.exists()

    staff = signed_in(bdt_staff)
    too_much = staff.post(url, {**form, "clause-BDT-9-progress": "150"})
    assert too_much.status_code == 200
    row = next(r for r in too_much.context["rows"] if r["clause"] == "BDT-9")
    assert dict(row["form"].errors) == {"progress": ["Give a percentage from 0 to 100."]}
    assert not ClauseProgress.objects.exists()

    done = staff.post(url, form, follow=True)
    assert done.redirect_chain[-1][0] == "/en/coordination/implementation/#clause-BDT-9"
    assert "Your changes have been saved." in _html(done)
    record = ClauseProgress.objects.get(clause_id="BDT-9")
    assert (record.status, record.progress, record.timeline) == ("on_track", 60, "By WTDC-25")
    assert record.note == "Three regional workshops held."
    page = _html(client.get("/en/coordination/implementation/"))
    assert "By WTDC-25" in page and "60 %" in page


# --- partners -------------------------------------------------------------------------------


def test_partners_are_listed_and_the_secretariat_adds_them(
    client: Client, signed_in: Callable[[User], Client], bdt_staff: User, delegate_fr: User
) -> None:
    url = "/en/coordination/partners/"
    assert url in _html(client.get("/en/coordination/"))
    form = {
        "name": "Global Partnership to End Violence",
        "kind": "initiative",
        "url": "https://example.org/end-violence",
        "description": "",
        "agreement_title": "Memorandum of understanding",
        "agreement_signed_on": "2024-03-01",
    }
    public = client.get(url)
    assert public.status_code == 200 and 'name="agreement_title"' not in _html(public)
    assert client.post(url, form).status_code == 302  # to sign in
    assert signed_in(delegate_fr).post(url, form).status_code == 403
    assert not Partner.objects.exists()

    staff = signed_in(bdt_staff)
    undated = staff.post(url, {**form, "agreement_signed_on": ""})
    assert undated.status_code == 200
    assert list(_field_errors(undated)) == ["agreement_title"]
    assert not Partner.objects.exists()  # nothing half-written

    done = staff.post(url, form, follow=True)
    assert done.redirect_chain[-1][0] == url
    assert "The partner “Global Partnership to End Violence” has been saved." in _html(done)
    partner = Partner.objects.get()
    assert Agreement.objects.get(partner=partner).title == "Memorandum of understanding"
    activity_services.activity_record(
        user=bdt_staff,
        data={
            "kind": "joint_activity",
            "title": "Joint campaign",
            "starts_on": timezone.localdate().isoformat(),
            "clauses": ["BDT-9"],
            "partners": [partner.pk],
        },
    )
    listed = _html(client.get("/ar/coordination/partners/"))
    row = re.search(rf'<tr id="partner-{partner.pk}">(.*?)</tr>', listed, re.S)
    assert row is not None
    assert "Global Partnership to End Violence" in row.group(1)
    assert "Memorandum of understanding" in row.group(1)
    assert "<td>1</td>" in row.group(1)  # one linked activity
