"""Requests to ITU for support on gaps (Res. 67 BDT-5, BDT-7): a focal point asks; the request
routes to the regional office of the country's ITU-D region and to BDT; both sides add dated
notes; ITU's side moves it on to closure. Reports read the requests through
``selectors.records_in_period``."""

from datetime import date
from typing import cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.reference.models import Country

from .errors import FieldErrors
from .models import Assessment, AssistanceNote, AssistanceRequest, Item


@transaction.atomic
def assistance_request_create(
    *,
    user: User,
    country: Country,
    title: str,
    description: str,
    assessment: Assessment | None = None,
    item_keys: list[str] | None = None,
) -> AssistanceRequest:
    """The caller has checked that ``user`` is a focal point of ``country``."""
    errors = FieldErrors()
    if not title.strip():
        errors.add("title", _("Give the request a title."), "required")
    if not description.strip():
        errors.add("description", _("Describe the support needed."), "required")
    if country.region_id is None:
        errors.add("country", _("This country has no ITU-D region to route the request to."))
    if assessment is not None and assessment.country_id != country.iso2:
        errors.add("assessment", _("Choose an assessment of the same country."))
    items: list[Item] = []
    if item_keys:
        if assessment is None:
            errors.add("items", _("Choose the assessment whose gaps these are."))
        else:
            items = list(Item.objects.filter(framework=assessment.framework, key__in=item_keys))
            for key in sorted(set(item_keys) - {item.key for item in items}):
                errors.add("items", _("Unknown question %(key)s.") % {"key": key})
    errors.raise_if_any()
    request = AssistanceRequest.objects.create(
        country=country,
        region_id=cast(str, country.region_id),  # checked above
        assessment=assessment,
        title=title.strip()[:300],
        description=description.strip(),
        requested_by=user,
    )
    request.items.set(items)
    return request


ALLOWED_MOVES: dict[str, set[str]] = {
    AssistanceRequest.Status.SUBMITTED: {
        AssistanceRequest.Status.ACKNOWLEDGED,
        AssistanceRequest.Status.IN_PROGRESS,
        AssistanceRequest.Status.CLOSED,
    },
    AssistanceRequest.Status.ACKNOWLEDGED: {
        AssistanceRequest.Status.IN_PROGRESS,
        AssistanceRequest.Status.CLOSED,
    },
    AssistanceRequest.Status.IN_PROGRESS: {AssistanceRequest.Status.CLOSED},
    AssistanceRequest.Status.CLOSED: {AssistanceRequest.Status.IN_PROGRESS},
}


@transaction.atomic
def assistance_note_add(
    *,
    request: AssistanceRequest,
    user: User,
    on: date | None,
    text: str,
    status: str = "",
    may_change_status: bool = False,
) -> AssistanceNote:
    """A dated note; with ``status`` (ITU's side only) it also moves the request on. Closing
    needs a note saying how the request was closed."""
    errors = FieldErrors()
    if on is None:
        errors.add("on", _("Give the date of the note."), "required")
    elif on > timezone.localdate():
        errors.add("on", _("The date is in the future."))
    if not text.strip():
        errors.add("text", _("Write the note."), "required")
    if status:
        if not may_change_status:
            errors.add("status", _("Only ITU staff change the status of a request."), "forbidden")
        elif status not in ALLOWED_MOVES.get(request.status, set()):
            errors.add(
                "status",
                _("A request that is %(current)s cannot become %(new)s.")
                % {
                    "current": request.get_status_display(),
                    "new": dict(AssistanceRequest.Status.choices).get(status, status),
                },
            )
    errors.raise_if_any()
    note = AssistanceNote.objects.create(
        request=request, on=cast(date, on), text=text.strip(), status=status, author=user
    )
    if status:
        request.status = status
        request.closed_at = timezone.now() if status == AssistanceRequest.Status.CLOSED else None
        request.save(update_fields=["status", "closed_at"])
    return note
