"""The meetings API: creating meetings, registration, fellowships, participation, calendar."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from cophub.coordination.models import Meeting, Registration

from ..conftest import api

pytestmark = pytest.mark.django_db


def _errors(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {e["field"]: e["message"] for e in response.json()["details"]["errors"]}


def test_bdt_staff_create_a_meeting_and_numbers_are_unique(client, bdt_staff, token_for, chair):
    headers = token_for(bdt_staff)
    body = {
        "body": "cwg-cop",
        "ordinal": 30,
        "starts_on": "2027-03-01",
        "ends_on": "2027-03-02",
        "mode": "hybrid",
        "venue": "Geneva",
        "chair": chair.pk,
    }
    created = api(client, headers, "post", "meetings", body)
    assert created.status_code == 201, created.content
    assert created.json()["name"] == "CWG-COP 30"
    assert created.json()["registration_closes_on"] == "2027-02-28"
    again = api(client, headers, "post", "meetings", {**body, "ends_on": "2027-02-01"})
    assert again.status_code == 422
    errors = _errors(again)
    assert errors["ordinal"] == "CWG-COP already has a meeting number 30."
    assert errors["ends_on"] == "The last day is before the first day."
    assert Meeting.objects.filter(ordinal=30).count() == 1


def test_only_bdt_staff_create_meetings(client, delegate_fr, token_for):
    body = {
        "body": "cwg-cop",
        "ordinal": 31,
        "starts_on": "2027-03-01",
        "ends_on": "2027-03-01",
        "mode": "remote",
    }
    assert api(client, token_for(delegate_fr), "post", "meetings", body).status_code == 403


def test_meeting_shows_the_deadlines(client, meeting):
    data = client.get(f"/api/v1/coordination/meetings/{meeting.pk}").json()
    # CWG-COP works in one language: no translation deadline, 12 days (Council Decision 556).
    assert data["deadlines"]["translated_by"] is None
    assert data["deadlines"]["accepted_by"] == (meeting.starts_on - timedelta(days=12)).isoformat()
    assert data["deadlines"]["posted_by"] == (meeting.starts_on - timedelta(days=7)).isoformat()
    assert data["deadlines"]["rule_set"]["code"] == "council-d556"
    assert data["deadlines"]["rule_today"] == "on_time"
    assert data["registration_open"] is True


def test_registration_fellowship_and_participation(
    client, meeting, delegate_fr, delegate_et, chair, expert, token_for
):
    fr = api(
        client,
        token_for(delegate_fr),
        "post",
        f"meetings/{meeting.pk}/registrations",
        {"attendance": "in_person"},
    )
    assert fr.status_code == 201, fr.content
    assert fr.json()["category"] == "member_state" and fr.json()["country"] == "FR"
    # A fellowship is for delegates of developing countries only.
    refused = api(
        client,
        token_for(expert),
        "post",
        f"meetings/{meeting.pk}/registrations",
        {"attendance": "remote", "country": "CH", "fellowship": True},
    )
    assert refused.status_code == 422
    assert "fellowship" in _errors(refused)
    et = api(
        client,
        token_for(delegate_et),
        "post",
        f"meetings/{meeting.pk}/registrations",
        {"attendance": "in_person", "fellowship": True},
    )
    assert et.status_code == 201 and et.json()["fellowship"] == "requested"
    twice = api(
        client,
        token_for(delegate_et),
        "post",
        f"meetings/{meeting.pk}/registrations",
        {"attendance": "remote"},
    )
    assert _errors(twice)["meeting"] == "You are already registered for this meeting."
    # The delegate cannot decide; the chair can.
    path = f"registrations/{et.json()['id']}/fellowship"
    assert api(client, token_for(delegate_et), "post", path, {"granted": True}).status_code == 403
    granted = api(client, token_for(chair), "post", path, {"granted": True})
    assert granted.json()["fellowship"] == "granted"
    expert_ok = api(
        client,
        token_for(expert),
        "post",
        f"meetings/{meeting.pk}/registrations",
        {"attendance": "remote", "country": "CH"},
    )
    assert expert_ok.json()["category"] == "expert"
    api(
        client,
        token_for(chair),
        "post",
        f"meetings/{meeting.pk}/attendance",
        {"attended": [fr.json()["id"], et.json()["id"]]},
    )

    rows = client.get("/api/v1/coordination/participation").json()["results"]
    row = next(r for r in rows if r["meeting"] == meeting.pk)
    assert row["registrations"] == 3 and row["attended"] == 2 and row["remote"] == 1
    assert row["developing"] == 1 and row["fellowships_granted"] == 1
    assert row["by_region"] == {"EUR": 2, "AFR": 1}
    assert row["by_grouping"] == {"LDC": 1, "LLDC": 1}
    assert row["by_category"] == {"member_state": 2, "expert": 1}
    # Registrations themselves (names, organisations) are for the meeting's managers only.
    path = f"meetings/{meeting.pk}/registrations"
    assert api(client, token_for(delegate_fr), "get", path).status_code == 403
    assert len(api(client, token_for(chair), "get", path).json()) == 3


def test_registration_for_a_closed_meeting_is_refused(client, meeting, delegate_fr, token_for):
    meeting.registration_closes_on = timezone.localdate() - timedelta(days=1)
    meeting.save()
    response = api(
        client,
        token_for(delegate_fr),
        "post",
        f"meetings/{meeting.pk}/registrations",
        {"attendance": "remote"},
    )
    assert response.status_code == 409
    assert response.json()["message"].startswith("Registration for this meeting closed on ")
    assert not Registration.objects.exists()


def test_registration_errors_are_translated(client, meeting, delegate_fr, token_for):
    response = api(
        client,
        {**token_for(delegate_fr), "Accept-Language": "fr"},
        "post",
        f"meetings/{meeting.pk}/registrations",
        {"attendance": "by_pigeon", "country": "XX"},
    )
    errors = _errors(response)
    assert errors == {"attendance": "Choisissez l'une des valeurs suivantes : in_person, remote."}
    response = api(
        client,
        {**token_for(delegate_fr), "Accept-Language": "fr"},
        "post",
        f"meetings/{meeting.pk}/registrations",
        {"attendance": "remote", "country": "XX"},
    )
    errors = _errors(response)
    assert set(errors) == {"country"}
    assert errors["country"] != "Unknown country code."  # French, not English


def test_calendar_export(client, meeting):
    response = client.get(f"/api/v1/coordination/meetings/{meeting.pk}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert "CWG-COP 25" in str(event["summary"])
    assert event.decoded("dtstart") == meeting.starts_on
    assert event.decoded("dtend") == meeting.ends_on + timedelta(days=1)
    assert str(event["location"]) == "Geneva"
