"""Writes for meetings: creating and changing a meeting, registrations, fellowships and
attendance. Every function is atomic and refuses bad input with every problem named by field."""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.models import Organisation, User
from cophub.portal.errors import FieldErrors
from cophub.reference.models import Country

from ..errors import WrongState
from ..field_checks import country_checked
from ..participation import DEVELOPING_GROUPINGS
from .models import Body, Meeting, Registration


@transaction.atomic
def meeting_create(
    *,
    user: User,
    body: str,
    ordinal: int,
    starts_on: date,
    ends_on: date,
    mode: Meeting.Mode,
    venue: str = "",
    chair: int | None = None,
    vice_chairs: Sequence[str] = (),
    agenda: str = "",
    registration_closes_on: date | None = None,
) -> Meeting:
    """A meeting of a body (BDT staff); ``chair`` is a user id. Registration closes the day
    before the meeting unless ``registration_closes_on`` says otherwise."""
    errors = FieldErrors()
    found = Body.objects.filter(pk=body).first()
    if found is None:
        errors.add("body", _("Unknown body."), "unknown_body")
    if ends_on < starts_on:
        errors.add("ends_on", _("The last day is before the first day."), "invalid_date")
    if found and found.meetings.filter(ordinal=ordinal).exists():
        errors.add(
            "ordinal",
            _("%(body)s already has a meeting number %(number)s.")
            % {"body": found.document_prefix, "number": ordinal},
            "duplicate",
        )
    chair_user = None
    if chair is not None:
        chair_user = User.objects.filter(pk=chair, is_active=True).first()
        if chair_user is None:
            errors.add("chair", _("Unknown user."), "unknown_user")
    errors.raise_if_any()
    return Meeting.objects.create(
        body=cast(Body, found),
        ordinal=ordinal,
        starts_on=starts_on,
        ends_on=ends_on,
        mode=mode,
        venue=venue,
        chair=chair_user,
        vice_chairs=list(vice_chairs),
        agenda=agenda,
        registration_closes_on=registration_closes_on or starts_on - timedelta(days=1),
    )


@transaction.atomic
def meeting_update(
    *,
    user: User,
    meeting: Meeting,
    agenda: str | None = None,
    outcome: str | None = None,
    venue: str | None = None,
    vice_chairs: Sequence[str] | None = None,
) -> Meeting:
    """The chair or BDT staff set the agenda, the outcome, the venue or the vice-chairs (what
    is None stays as it is)."""
    if agenda is not None:
        meeting.agenda = agenda
    if outcome is not None:
        meeting.outcome = outcome
    if venue is not None:
        meeting.venue = venue
    if vice_chairs is not None:
        meeting.vice_chairs = list(vice_chairs)
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
def registration_create(
    *,
    user: User,
    meeting: Meeting,
    attendance: Registration.Attendance,
    country: str | None = None,
    fellowship: bool = False,
) -> Registration:
    """Register ``user`` for ``meeting`` for their organisation: ``country`` (ISO code)
    defaults to the organisation's; ``fellowship`` asks for a fellowship (delegates of
    developing countries)."""
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
    represented = country_checked(errors, "country", country) or (
        organisation.country if organisation else None
    )
    if represented is None and "country" not in {e["field"] for e in errors.errors}:
        errors.add("country", _("This field is required."), "required")
    if Registration.objects.filter(meeting=meeting, user=user).exists():
        errors.add("meeting", _("You are already registered for this meeting."), "duplicate")
    if fellowship and represented is not None and not country_is_developing(represented):
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
        country=cast(Country, represented),
        category=_category(organisation),
        attendance=attendance,
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
