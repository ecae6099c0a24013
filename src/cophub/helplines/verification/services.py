"""Writes of verification campaigns: contacts, starting a campaign, the answers given through
a link, BDT's review of proposed changes, and reminders. Every mail is queued (Django's tasks
API) when the transaction that decided it commits, never sent inside the request or loop."""

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import FieldErrors, InvalidInput
from cophub.reference.models import Region

from ..directory_format import FORMAT, directory_validate, helpline_document
from ..errors import ReviewClosed
from ..models import Helpline, VerificationCampaign, VerificationContact, VerificationRequest
from ..services import helpline_update
from .score import CHECKS, OPERATOR_CONFIRMED
from .tasks import verification_mail_send

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
Answer = VerificationRequest.Answer
Review = VerificationRequest.Review


@transaction.atomic
def contacts_set(*, helpline: Helpline, contacts: list[dict[str, str]]) -> int:
    """Replace the verification contacts of ``helpline`` (all or none; errors name
    ``contacts[i].email`` or ``contacts[i].language``)."""
    errors = FieldErrors()
    seen: set[str] = set()
    for i, contact in enumerate(contacts):
        email = str(contact.get("email", "")).strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.add(f"contacts[{i}].email", _("Enter a valid e-mail address."), "invalid")
        if email in seen:
            errors.add(f"contacts[{i}].email", _("This address is listed twice."), "duplicate")
        seen.add(email)
        if contact.get("language", "en") not in LANGUAGE_CODES:
            errors.add(
                f"contacts[{i}].language",
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(LANGUAGE_CODES)},
                "invalid_choice",
            )
    errors.raise_if_any()
    helpline.verification_contacts.all().delete()
    VerificationContact.objects.bulk_create(
        VerificationContact(
            helpline=helpline,
            email=str(c["email"]).strip().lower(),
            language=c.get("language", "en"),
        )
        for c in contacts
    )
    return len(contacts)


@transaction.atomic
def campaign_start(
    *, user: User | None, region: str | None, remind_after_days: int = 14, link_days: int = 30
) -> VerificationCampaign:
    """Ask every verification contact of the region's entries (every region's when
    ``region`` is empty) to confirm their entry; one mail each, queued on commit."""
    errors = FieldErrors()
    if region and not Region.objects.filter(code=region).exists():
        errors.add("region", _("Unknown region %(value)s.") % {"value": region}, "unknown")
    if not 1 <= remind_after_days <= 90:
        errors.add("remind_after_days", _("Enter a number from 1 to 90."), "out_of_range")
    if not 1 <= link_days <= 90:
        errors.add("link_days", _("Enter a number from 1 to 90."), "out_of_range")
    errors.raise_if_any()
    contacts = VerificationContact.objects.select_related("helpline")
    if region:
        contacts = contacts.filter(helpline__country__region_id=region)
    contacts = contacts.order_by("helpline__slug", "email")
    if not contacts.exists():
        errors.add("region", _("No entry of this region has a verification contact."), "empty")
        errors.raise_if_any()
    campaign = VerificationCampaign.objects.create(
        region_id=region or None,
        started_by=user,
        remind_after_days=remind_after_days,
        link_days=link_days,
    )
    VerificationRequest.objects.bulk_create(
        VerificationRequest(
            campaign=campaign, helpline=c.helpline, email=c.email, language=c.language
        )
        for c in contacts
    )
    for request in VerificationRequest.objects.filter(campaign=campaign).values_list(
        "pk", flat=True
    ):
        transaction.on_commit(partial(verification_mail_send.enqueue, request, False))
    return campaign


def _close_others(request: VerificationRequest) -> None:
    """One answer per entry and campaign: the other contacts' links stop working."""
    VerificationRequest.objects.filter(
        campaign_id=request.campaign_id, helpline_id=request.helpline_id, answer=Answer.PENDING
    ).exclude(pk=request.pk).update(answer=Answer.CLOSED)


def _locked_pending(request: VerificationRequest) -> VerificationRequest:
    locked = VerificationRequest.objects.select_for_update().get(pk=request.pk)
    if locked.answer != Answer.PENDING:
        raise ReviewClosed(_("This entry was already answered."))
    return locked


def _confirm(helpline: Helpline, by: str, at: datetime) -> None:
    day = timezone.localdate(at)
    helpline.refresh_from_db()
    helpline.verified_at = day
    helpline.verified_by = by
    helpline.verification_checks = {
        **(helpline.verification_checks or {}),
        OPERATOR_CONFIRMED: day.isoformat(),
    }
    helpline.save(update_fields=["verified_at", "verified_by", "verification_checks"])


def _name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 200:
        errors = FieldErrors()
        errors.add("name", _("Give your name (at most 200 characters)."), "required")
        errors.raise_if_any()
    return name


@transaction.atomic
def answer_correct(*, request: VerificationRequest, name: str) -> VerificationRequest:
    """The contact confirms the entry as published: it is verified today, by them."""
    name = _name(name)
    request = _locked_pending(request)
    now = timezone.now()
    request.answer, request.answered_at, request.answered_by = Answer.CORRECT, now, name
    request.save(update_fields=["answer", "answered_at", "answered_by"])
    _close_others(request)
    _confirm(request.helpline, name, now)
    return request


def proposed_entry(helpline: Helpline, changes: dict[str, Any]) -> dict[str, Any]:
    """The entry as published with ``changes`` applied, without what a contact does not
    decide (owner, pairs: left out, they stay as they are)."""
    document = helpline_document(helpline)
    for key in ("owner", "paired_with", "verification"):
        document.pop(key, None)
    document.update(changes)
    return document


@transaction.atomic
def answer_changed(
    *, request: VerificationRequest, name: str, document: dict[str, Any], note: str
) -> VerificationRequest:
    """The contact proposes ``document`` (the entry in the open data format) for BDT review;
    nothing changes in the directory until it is accepted. Checked now, all or nothing."""
    name = _name(name)
    try:
        directory_validate({"format": FORMAT, "helplines": [document]})
    except InvalidInput as rejected:
        for error in rejected.details.get("errors", []):
            error["field"] = "$" + error["field"].removeprefix("$.helplines[0]")
        raise
    if document.get("id") != request.helpline.slug:
        raise InvalidInput(_("The identifier and country of an entry cannot be changed."))
    request = _locked_pending(request)
    request.answer, request.answered_at, request.answered_by = Answer.CHANGED, timezone.now(), name
    request.proposed, request.note, request.review = document, note.strip()[:2000], Review.PENDING
    request.save(
        update_fields=["answer", "answered_at", "answered_by", "proposed", "note", "review"]
    )
    _close_others(request)
    return request


def _reviewable(request: VerificationRequest) -> VerificationRequest:
    locked = VerificationRequest.objects.select_for_update().get(pk=request.pk)
    if locked.review != Review.PENDING:
        raise ReviewClosed()
    return locked


@transaction.atomic
def change_accept(*, user: User, request: VerificationRequest, note: str = "") -> Helpline:
    """Apply the proposed entry through :func:`helpline_update` (all or nothing, as any edit)
    and record that the operator confirmed it; the audit log keeps who decided."""
    request = _reviewable(request)
    helpline = Helpline.objects.select_for_update().get(pk=request.helpline_id)
    if request.answered_at and helpline.updated_at > request.answered_at:
        raise ReviewClosed(
            _("The entry was edited after this change was proposed: reject it and ask again.")
        )
    helpline_update(helpline=helpline, document=request.proposed or {})
    now = timezone.now()
    _confirm(helpline, request.answered_by, now)
    request.review, request.reviewed_by, request.reviewed_at = Review.ACCEPTED, user, now
    request.review_note = note.strip()[:2000]
    request.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note"])
    return helpline


@transaction.atomic
def change_reject(*, user: User, request: VerificationRequest, note: str = "") -> None:
    """Leave the entry as it is; the reply keeps who rejected it and why."""
    request = _reviewable(request)
    request.review, request.reviewed_by, request.reviewed_at = (
        Review.REJECTED,
        user,
        timezone.now(),
    )
    request.review_note = note.strip()[:2000]
    request.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note"])


def reminders_send(now: datetime | None = None) -> int:
    """Queue one reminder for each request unanswered ``remind_after_days`` after its mail
    (``cophub helplines campaign remind``, run daily); returns how many were queued. Each is
    marked in its own transaction, the mail queued when it commits."""
    now = now or timezone.now()
    due = [
        pk
        for pk, sent_at, days in VerificationRequest.objects.filter(
            answer=Answer.PENDING, sent_at__isnull=False, reminded_at__isnull=True
        ).values_list("pk", "sent_at", "campaign__remind_after_days")
        if sent_at is not None and sent_at <= now - timedelta(days=days)
    ]
    return sum(_remind(pk, now) for pk in due)


@transaction.atomic
def _remind(pk: int, now: datetime) -> int:
    marked = VerificationRequest.objects.filter(
        pk=pk, answer=Answer.PENDING, reminded_at__isnull=True
    ).update(reminded_at=now)
    if marked:
        transaction.on_commit(partial(verification_mail_send.enqueue, pk, True))
    return marked


@transaction.atomic
def checks_record(*, helpline: Helpline, checks: list[str], on: str) -> Helpline:
    """BDT staff record checks they made on day ``on`` (ISO) — number dialled, hours
    confirmed, source reachable — for the entry's verification score."""
    errors = FieldErrors()
    for i, code in enumerate(checks):
        if code not in CHECKS:
            errors.add(
                f"checks[{i}]",
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(CHECKS)},
                "invalid_choice",
            )
    errors.raise_if_any()
    helpline.verification_checks = {
        **(helpline.verification_checks or {}),
        **dict.fromkeys(checks, on),
    }
    helpline.save(update_fields=["verification_checks", "updated_at"])
    return helpline
