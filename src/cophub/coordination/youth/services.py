"""Writes for consultations with children and young people: anonymous answers, their
moderation and the secretariat's summary."""

from django.db import transaction
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import FieldErrors
from cophub.practices.safeguarding import contact_details_masked

from ..errors import WrongState
from ..field_checks import (
    region_checked,
    today,
)
from .models import YouthConsultation, YouthSubmission


@transaction.atomic
def youth_submit(
    *, consultation: YouthConsultation, text: str, age_band: str, region: str | None
) -> YouthSubmission:
    """An anonymous answer: nothing about the sender is kept (no account, no IP, no time of
    day). E-mail addresses and phone numbers in the text are masked before it is stored and
    the answer is flagged; every answer waits for a moderator."""
    on = today()
    if not consultation.opens_on <= on <= consultation.closes_on:
        raise WrongState(_("This consultation is not open."))
    errors = FieldErrors()
    cleaned = (text or "").strip()
    if not cleaned:
        errors.add("text", _("This field is required."), "required")
    elif len(cleaned) > 2000:
        errors.add("text", _("Write at most 2,000 characters."), "too_long")
    if age_band not in YouthSubmission.AgeBand.values:
        errors.add(
            "age_band",
            _("Choose one of: %(choices)s.")
            % {"choices": ", ".join(YouthSubmission.AgeBand.values)},
            "invalid_choice",
        )
    found_region = region_checked(errors, "region", region)
    errors.raise_if_any()
    # Contact details a child writes by mistake are masked before anything is stored.
    masked, flagged = contact_details_masked(cleaned)
    return YouthSubmission.objects.create(
        consultation=consultation,
        text=masked,
        age_band=age_band,
        region=found_region,
        flagged=flagged,
        submitted_on=on,
    )


@transaction.atomic
def youth_moderate(*, user: User, submission: YouthSubmission, accept: bool) -> YouthSubmission:
    if accept and submission.flagged:
        raise WrongState(_("This answer seems to contain contact details; it cannot be accepted."))
    submission.status = YouthSubmission.Status.ACCEPTED if accept else YouthSubmission.Status.HIDDEN
    submission.save(update_fields=["status"])
    return submission


@transaction.atomic
def youth_summary_set(
    *, user: User, consultation: YouthConsultation, summary: str
) -> YouthConsultation:
    consultation.summary = summary
    consultation.save(update_fields=["summary"])
    return consultation
