"""Meeting pages: the deadline rules, registration and fellowships, creating a meeting (BDT
staff), the chair's changes and attendance."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from cophub.accounts.models import User
from cophub.coordination.meetings import services as meeting_services
from cophub.coordination.models import (
    Meeting,
    Registration,
)

pytestmark = pytest.mark.django_db


def _html(response: Any) -> str:
    return str(response.content.decode())


def test_the_meeting_page_shows_the_deadline_rules(client: Client, meeting: Meeting) -> None:
    page = _html(client.get(f"/en/coordination/meetings/{meeting.pk}/"))
    # CWG-COP works in one language: Council Decision 556 (test_deadline_rules.py).
    for days, after in ((12, "(12 days before the meeting): accepted"), (7, "(7 days before")):
        with translation.override("en"):
            shown = date_format(meeting.starts_on - timedelta(days=days), "DATE_FORMAT")
        assert f" by {shown} {after}" in page
    assert "A contribution submitted today: On time." in page
    assert f"/api/v1/coordination/meetings/{meeting.pk}/calendar.ics" in page


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


def _field_errors(response: Any, form: str = "form") -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context[form].errors.items()}


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
        user=delegate_fr, meeting=meeting, attendance="in_person"
    )
    absent = meeting_services.registration_create(
        user=delegate_et, meeting=meeting, attendance="remote"
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
