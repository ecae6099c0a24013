"""The API of bodies, meetings, registrations, fellowships, attendance and participation
(mounted under ``/api/v1/coordination/`` by ``coordination/api.py``)."""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status

from cophub.portal.api_auth import AUTHENTICATED, api_user

from .. import access
from ..calendar import meetings_ics
from ..deadlines import deadlines_json
from . import selectors, services
from .models import Meeting, Registration

router = Router()
Data = dict[str, Any]


class MeetingIn(Schema):
    body: str
    ordinal: int
    starts_on: date
    ends_on: date
    mode: str
    venue: str = ""
    chair: int | None = None
    vice_chairs: list[str] = []
    agenda: str = ""
    registration_closes_on: date | None = None


class MeetingPatch(Schema):
    agenda: str | None = None
    outcome: str | None = None
    venue: str | None = None
    vice_chairs: list[str] | None = None


class RegistrationIn(Schema):
    attendance: str
    country: str | None = None
    fellowship: bool = False


class FellowshipIn(Schema):
    granted: bool


class AttendanceIn(Schema):
    attended: list[int]


def meeting_out(meeting: Meeting) -> Data:
    return {
        "id": meeting.pk,
        "body": meeting.body_id,
        "name": str(meeting),
        "ordinal": meeting.ordinal,
        "starts_on": meeting.starts_on,
        "ends_on": meeting.ends_on,
        "mode": meeting.mode,
        "venue": meeting.venue,
        "chair": meeting.chair.get_full_name() if meeting.chair else None,
        "vice_chairs": meeting.vice_chairs,
        "agenda": meeting.agenda,
        "outcome": meeting.outcome,
        "registration_closes_on": meeting.registration_closes_on,
        "registration_open": services.meeting_registration_open(meeting),
        "deadlines": deadlines_json(meeting, timezone.localdate()),
    }


def registration_out(registration: Registration) -> Data:
    return {
        "id": registration.pk,
        "meeting": registration.meeting_id,
        "organisation": registration.organisation.name if registration.organisation else None,
        "country": registration.country_id,
        "category": registration.category,
        "attendance": registration.attendance,
        "fellowship": registration.fellowship,
        "attended": registration.attended,
    }


@router.get("/bodies")
def body_list(request: HttpRequest) -> list[Data]:
    return [
        {"code": body.code, "kind": body.kind, "names": body.names, "prefix": body.document_prefix}
        for body in selectors.body_list()
    ]


@router.get("/meetings")
def meeting_list(request: HttpRequest, body: str | None = None) -> list[Data]:
    return [meeting_out(meeting) for meeting in selectors.meeting_list(body=body)]


@router.post("/meetings", response={201: Data}, auth=AUTHENTICATED)
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Status[Data]:
    user = api_user(request)
    access.access_meetings_for_create(user)
    meeting = services.meeting_create(user=user, data=payload.model_dump())
    return Status(201, meeting_out(meeting))


@router.get("/meetings/{meeting_id}")
def meeting_detail(request: HttpRequest, meeting_id: int) -> Data:
    return meeting_out(access.access_meeting(request.user, meeting_id))


@router.patch("/meetings/{meeting_id}", auth=AUTHENTICATED)
def meeting_update(request: HttpRequest, meeting_id: int, payload: MeetingPatch) -> Data:
    user = api_user(request)
    meeting = access.access_meeting_for_manage(user, meeting_id)
    meeting = services.meeting_update(user=user, meeting=meeting, data=payload.model_dump())
    return meeting_out(meeting)


@router.get("/calendar.ics")
def calendar_all(request: HttpRequest) -> HttpResponse:
    return _ics(request, list(access.meetings_visible_to(request.user)), "cophub-meetings.ics")


@router.get("/meetings/{meeting_id}/calendar.ics")
def calendar_one(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = access.access_meeting(request.user, meeting_id)
    return _ics(request, [meeting], f"meeting-{meeting.pk}.ics")


def _ics(request: HttpRequest, meetings: list[Meeting], name: str) -> HttpResponse:
    response = HttpResponse(
        meetings_ics(meetings, host=request.get_host()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.post("/meetings/{meeting_id}/registrations", response={201: Data}, auth=AUTHENTICATED)
def registration_create(
    request: HttpRequest, meeting_id: int, payload: RegistrationIn
) -> Status[Data]:
    user = api_user(request)
    meeting = access.access_meeting_for_register(user, meeting_id)
    registration = services.registration_create(
        user=user, meeting=meeting, data=payload.model_dump()
    )
    return Status(201, registration_out(registration))


@router.get("/meetings/{meeting_id}/registrations", auth=AUTHENTICATED)
def registration_list(request: HttpRequest, meeting_id: int) -> list[Data]:
    meeting = access.access_meeting_for_manage(api_user(request), meeting_id)
    return [registration_out(r) for r in selectors.registrations(meeting)]


@router.post("/registrations/{registration_id}/fellowship", auth=AUTHENTICATED)
def fellowship_decide(request: HttpRequest, registration_id: int, payload: FellowshipIn) -> Data:
    user = api_user(request)
    registration = access.access_registration_for_decide(user, registration_id)
    decided = services.fellowship_decide(
        user=user, registration=registration, granted=payload.granted
    )
    return registration_out(decided)


@router.post("/meetings/{meeting_id}/attendance", auth=AUTHENTICATED)
def attendance_record(request: HttpRequest, meeting_id: int, payload: AttendanceIn) -> Data:
    user = api_user(request)
    meeting = access.access_meeting_for_manage(user, meeting_id)
    count = services.attendance_record(user=user, meeting=meeting, attended_ids=payload.attended)
    return {"attended": count}


@router.get("/participation")
def participation(request: HttpRequest, body: str = "cwg-cop") -> list[Data]:
    """Registrations, attendance and contributions per meeting, by region and development
    grouping (counts only: no names)."""
    return selectors.participation_rows(body=body)
