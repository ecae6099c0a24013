"""Writes for meetings: creating and changing a meeting, registrations, fellowships and
attendance. Every function is atomic and refuses bad input with every problem named by field."""

from datetime import date, timedelta
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.models import Organisation, User
from cophub.portal.errors import FieldErrors
from cophub.reference.models import Country

from ..errors import WrongState
from ..field_checks import (
    choice_checked,
    country_checked,
    date_checked,
    required,
)
from ..participation import DEVELOPING_GROUPINGS
from .models import Body, Meeting, Registration


@transaction.atomic
def meeting_create(*, user: User, data: dict[str, Any]) -> Meeting:
    """A meeting of a body (BDT staff). ``data``: body, ordinal, starts_on, ends_on, mode,
    venue, chair (user id), vice_chairs, agenda, registration_closes_on."""
    errors = FieldErrors()
    required(errors, data, "body", "ordinal", "starts_on", "ends_on", "mode")
    choice_checked(errors, data, "mode", Meeting.Mode)
    body = Body.objects.filter(pk=data.get("body")).first()
    if data.get("body") and body is None:
        errors.add("body", _("Unknown body."), "unknown_body")
    starts, ends = date_checked(errors, data, "starts_on"), date_checked(errors, data, "ends_on")
    closes = date_checked(errors, data, "registration_closes_on")
    if starts and ends and ends < starts:
        errors.add("ends_on", _("The last day is before the first day."), "invalid_date")
    if body and data.get("ordinal") and body.meetings.filter(ordinal=data["ordinal"]).exists():
        errors.add(
            "ordinal",
            _("%(body)s already has a meeting number %(number)s.")
            % {"body": body.document_prefix, "number": data["ordinal"]},
            "duplicate",
        )
    chair = None
    if data.get("chair"):
        chair = User.objects.filter(pk=data["chair"], is_active=True).first()
        if chair is None:
            errors.add("chair", _("Unknown user."), "unknown_user")
    errors.raise_if_any()
    return Meeting.objects.create(
        body=cast(Body, body),
        ordinal=int(data["ordinal"]),
        starts_on=cast(date, starts),
        ends_on=cast(date, ends),
        mode=data["mode"],
        venue=data.get("venue", ""),
        chair=chair,
        vice_chairs=list(data.get("vice_chairs") or []),
        agenda=data.get("agenda", ""),
        registration_closes_on=closes or cast(date, starts) - timedelta(days=1),
    )


@transaction.atomic
def meeting_update(*, user: User, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """The chair or BDT staff set the agenda, the outcome, the venue or the vice-chairs."""
    for name in ("agenda", "outcome", "venue"):
        if name in data and data[name] is not None:
            setattr(meeting, name, str(data[name]))
    if data.get("vice_chairs") is not None:
        meeting.vice_chairs = list(data["vice_chairs"])
    meeting.save()
    return meeting


def meeting_registration_open(meeting: Meeting, today: date | None = None) -> bool:
    return (today or timezone.localdate()) <= meeting.registration_closes_on


def _category(organisation: Organisation | None) -> str:
    kinds: dict[str, str] = {
        Organisation.Kind.MEMBER_STATE: Registration.Category.MEMBER_STATE,
        Organisation.Kind.SECTOR_MEMBER: Registration.Category.SECTOR_MEMBER,
        Organisation.Kind.ACADEMIA: Registration.Category.ACADEMIA,
    }
    kind = organisation.kind if organisation else ""
    return str(kinds.get(kind, Registration.Category.EXPERT))


@transaction.atomic
def registration_create(*, user: User, meeting: Meeting, data: dict[str, Any]) -> Registration:
    """Register ``user`` for ``meeting`` for their organisation. ``data``: attendance,
    country (defaults to the organisation's), fellowship (bool: ask for a fellowship, for
    delegates of developing countries)."""
    if not meeting_registration_open(meeting):
        message = _("Registration for this meeting closed on %(date)s.") % {
            "date": meeting.registration_closes_on.isoformat()
        }
        raise WrongState(
            message,
            details={"errors": [{"field": "meeting", "code": "closed", "message": message}]},
        )
    organisation = user.organisation
    errors = FieldErrors()
    required(errors, data, "attendance")
    choice_checked(errors, data, "attendance", Registration.Attendance)
    country = country_checked(errors, "country", data.get("country")) or (
        organisation.country if organisation else None
    )
    if country is None and "country" not in {e["field"] for e in errors.errors}:
        errors.add("country", _("This field is required."), "required")
    if Registration.objects.filter(meeting=meeting, user=user).exists():
        errors.add("meeting", _("You are already registered for this meeting."), "duplicate")
    fellowship = bool(data.get("fellowship"))
    if fellowship and country is not None and not country_is_developing(country):
        errors.add(
            "fellowship",
            _(
                "Fellowships are for delegates of developing countries (LDC, LLDC, SIDS or "
                "economy in transition)."
            ),
            "not_eligible",
        )
    errors.raise_if_any()
    return Registration.objects.create(
        meeting=meeting,
        user=user,
        organisation=organisation,
        country=cast(Country, country),
        category=_category(organisation),
        attendance=data["attendance"],
        fellowship=(
            Registration.Fellowship.REQUESTED if fellowship else Registration.Fellowship.NONE
        ),
    )


def country_is_developing(country: Country) -> bool:
    return country.groupings.filter(code__in=DEVELOPING_GROUPINGS).exists()


@transaction.atomic
def fellowship_decide(*, user: User, registration: Registration, granted: bool) -> Registration:
    if registration.fellowship == Registration.Fellowship.NONE:
        raise WrongState(_("No fellowship was requested for this registration."))
    registration.fellowship = (
        Registration.Fellowship.GRANTED if granted else Registration.Fellowship.REFUSED
    )
    registration.fellowship_decided_by = user
    registration.save(update_fields=["fellowship", "fellowship_decided_by"])
    return registration


@transaction.atomic
def attendance_record(*, user: User, meeting: Meeting, attended_ids: list[int]) -> int:
    """After the meeting, its manager marks who attended (the others did not)."""
    registrations = meeting.registrations.all()
    registrations.update(attended=False)
    return registrations.filter(pk__in=attended_ids).update(attended=True)
