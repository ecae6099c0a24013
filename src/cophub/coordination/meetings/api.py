"""The API of bodies, meetings, registrations, fellowships, attendance and participation
(mounted under ``/api/v1/coordination/`` by ``coordination/api.py``)."""

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from cophub.portal.api_auth import AUTHENTICATED, api_user
from cophub.portal.paging import keyset_paginate

from .. import access
from ..calendar import meetings_ics
from ..deadlines import deadlines_json
from ..participation import meeting_participation
from . import selectors, services
from .models import Body, Meeting, Registration

router = Router()


class MeetingIn(Schema):
    body: str
    ordinal: int = Field(ge=1)
    starts_on: date
    ends_on: date
    mode: Meeting.Mode
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
    attendance: Registration.Attendance
    country: str | None = None
    fellowship: bool = False


class FellowshipIn(Schema):
    granted: bool


class AttendanceIn(Schema):
    attended: list[int]


class RuleSetOut(Schema):
    code: str
    name: str
    source: str
    source_url: str
    translated_days: int | None
    accepted_days: int | None
    posted_days: int | None
    exempt_kinds: list[str]
    exempt_posted_days: int | None
    unconfirmed: list[str]


class MeetingDeadlinesOut(Schema):
    rule_set: RuleSetOut | None
    translated_by: date | None
    accepted_by: date | None
    posted_by: date | None
    rule_today: str


class MeetingOut(Schema):
    id: int
    body: str
    name: str
    ordinal: int
    starts_on: date
    ends_on: date
    mode: str
    venue: str
    chair: str | None
    vice_chairs: list[str]
    agenda: str
    outcome: str
    registration_closes_on: date
    registration_open: bool
    deadlines: MeetingDeadlinesOut


class RegistrationOut(Schema):
    id: int
    meeting: int
    organisation: str | None
    country: str
    category: str
    attendance: str
    fellowship: str
    attended: bool | None


class BodyOut(Schema):
    code: str
    kind: str
    names: dict[str, str]
    prefix: str


class AttendanceOut(Schema):
    attended: int


class ParticipationRowOut(Schema):
    meeting: int
    name: str
    starts_on: str
    registrations: int
    attended: int
    remote: int
    developing: int
    developing_share: float | None
    fellowships_requested: int
    fellowships_granted: int
    contributions: int
    contributions_developing: int
    by_category: dict[str, int]
    by_region: dict[str, int]
    by_grouping: dict[str, int]
    contributions_by_region: dict[str, int]
    contributions_by_grouping: dict[str, int]


def meeting_out(meeting: Meeting) -> MeetingOut:
    return MeetingOut(
        id=meeting.pk,
        body=meeting.body_id,
        name=str(meeting),
        ordinal=meeting.ordinal,
        starts_on=meeting.starts_on,
        ends_on=meeting.ends_on,
        mode=meeting.mode,
        venue=meeting.venue,
        chair=meeting.chair.get_full_name() if meeting.chair else None,
        vice_chairs=meeting.vice_chairs,
        agenda=meeting.agenda,
        outcome=meeting.outcome,
        registration_closes_on=meeting.registration_closes_on,
        registration_open=services.meeting_registration_open(meeting),
        deadlines=MeetingDeadlinesOut(**deadlines_json(meeting, timezone.localdate())),
    )


def registration_out(registration: Registration) -> RegistrationOut:
    return RegistrationOut(
        id=registration.pk,
        meeting=registration.meeting_id,
        organisation=registration.organisation.name if registration.organisation else None,
        country=registration.country_id,
        category=registration.category,
        attendance=registration.attendance,
        fellowship=registration.fellowship,
        attended=registration.attended,
    )


def _body(body: Body) -> BodyOut:
    return BodyOut(code=body.code, kind=body.kind, names=body.names, prefix=body.document_prefix)


@router.get("/bodies", response=list[BodyOut])
@keyset_paginate(row=_body)
def body_list(request: HttpRequest) -> QuerySet[Body]:
    return selectors.body_list()


@router.get("/meetings", response=list[MeetingOut])
@keyset_paginate(ordering=("-starts_on", "-pk"), row=meeting_out)
def meeting_list(request: HttpRequest, body: str | None = None) -> QuerySet[Meeting]:
    """Meetings, the latest first."""
    return selectors.meeting_list(body=body)


@router.post("/meetings", response={201: MeetingOut}, auth=AUTHENTICATED)
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Status[MeetingOut]:
    user = api_user(request)
    access.access_meetings_for_create(user)
    meeting = services.meeting_create(
        user=user,
        body=payload.body,
        ordinal=payload.ordinal,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        mode=payload.mode,
        venue=payload.venue,
        chair=payload.chair,
        vice_chairs=payload.vice_chairs,
        agenda=payload.agenda,
        registration_closes_on=payload.registration_closes_on,
    )
    return Status(201, meeting_out(meeting))


@router.get("/meetings/{meeting_id}", response=MeetingOut)
def meeting_detail(request: HttpRequest, meeting_id: int) -> MeetingOut:
    return meeting_out(access.access_meeting(request.user, meeting_id))


@router.patch("/meetings/{meeting_id}", response=MeetingOut, auth=AUTHENTICATED)
def meeting_update(request: HttpRequest, meeting_id: int, payload: MeetingPatch) -> MeetingOut:
    user = api_user(request)
    meeting = access.access_meeting_for_manage(user, meeting_id)
    meeting = services.meeting_update(
        user=user,
        meeting=meeting,
        agenda=payload.agenda,
        outcome=payload.outcome,
        venue=payload.venue,
        vice_chairs=payload.vice_chairs,
    )
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


@router.post(
    "/meetings/{meeting_id}/registrations", response={201: RegistrationOut}, auth=AUTHENTICATED
)
def registration_create(
    request: HttpRequest, meeting_id: int, payload: RegistrationIn
) -> Status[RegistrationOut]:
    user = api_user(request)
    meeting = access.access_meeting_for_register(user, meeting_id)
    registration = services.registration_create(
        user=user,
        meeting=meeting,
        attendance=payload.attendance,
        country=payload.country,
        fellowship=payload.fellowship,
    )
    return Status(201, registration_out(registration))


@router.get(
    "/meetings/{meeting_id}/registrations", response=list[RegistrationOut], auth=AUTHENTICATED
)
@keyset_paginate(ordering=("registered_at",), row=registration_out)
def registration_list(request: HttpRequest, meeting_id: int) -> QuerySet[Registration]:
    """In the order people registered."""
    meeting = access.access_meeting_for_manage(api_user(request), meeting_id)
    return selectors.registrations(meeting)


@router.post(
    "/registrations/{registration_id}/fellowship", response=RegistrationOut, auth=AUTHENTICATED
)
def fellowship_decide(
    request: HttpRequest, registration_id: int, payload: FellowshipIn
) -> RegistrationOut:
    user = api_user(request)
    registration = access.access_registration_for_decide(user, registration_id)
    decided = services.fellowship_decide(
        user=user, registration=registration, granted=payload.granted
    )
    return registration_out(decided)


@router.post("/meetings/{meeting_id}/attendance", response=AttendanceOut, auth=AUTHENTICATED)
def attendance_record(
    request: HttpRequest, meeting_id: int, payload: AttendanceIn
) -> AttendanceOut:
    user = api_user(request)
    meeting = access.access_meeting_for_manage(user, meeting_id)
    count = services.attendance_record(user=user, meeting=meeting, attended_ids=payload.attended)
    return AttendanceOut(attended=count)


def _participation(page: list[Meeting], params: dict[str, Any]) -> list[ParticipationRowOut]:
    return [ParticipationRowOut(**row.as_json()) for row in meeting_participation(page)]


@router.get("/participation", response=list[ParticipationRowOut])
@keyset_paginate(ordering=("starts_on",), rows=_participation)
def participation(request: HttpRequest, body: str = "cwg-cop") -> QuerySet[Meeting]:
    """Registrations, attendance and contributions per meeting, by region and development
    grouping (counts only: no names), the earliest meeting first."""
    return selectors.meeting_list(body=body)
