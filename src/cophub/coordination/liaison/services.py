"""Writes for liaison statements: registering one (with its document) and moving it along
its states."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import FieldErrors

from ..documents.models import Document
from ..documents.services import document_submit
from ..errors import WrongState
from ..field_checks import (
    date_checked,
    language_checked,
    required,
    today,
)
from ..meetings.models import Meeting
from .models import ADDRESSEE_FOR, LIAISON_NEXT, LiaisonStatement


def _addressees(errors: FieldErrors, value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        errors.add("addressees", _("Name at least one addressee."), "required")
        return []
    cleaned = []
    for index, entry in enumerate(value):
        body = str((entry or {}).get("body", "")).strip() if isinstance(entry, dict) else ""
        purpose = entry.get("for") if isinstance(entry, dict) else None
        if not body:
            errors.add(f"addressees[{index}].body", _("This field is required."), "required")
        if purpose not in ADDRESSEE_FOR:
            errors.add(
                f"addressees[{index}].for",
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(ADDRESSEE_FOR)},
                "invalid_choice",
            )
        cleaned.append({"body": body, "for": str(purpose)})
    return cleaned


@transaction.atomic
def liaison_create(*, user: User, meeting: Meeting, data: dict[str, Any]) -> LiaisonStatement:
    """A liaison statement and its document. Outgoing statements start as drafts; incoming
    ones as sent (to us), with a reply due when an addressee is asked for action or comments
    and there is a deadline. ``reply_to``: the id of the statement this one answers."""
    incoming = data.get("direction") == "in"
    errors = FieldErrors()
    required(errors, data, "subject", "origin", "approval", "contact", "original_language")
    language_checked(errors, "original_language", data.get("original_language"))
    addressees = _addressees(errors, data.get("addressees"))
    deadline = date_checked(errors, data, "deadline")
    reply_to = None
    if data.get("reply_to"):
        reply_to = LiaisonStatement.objects.filter(pk=data["reply_to"]).first()
        if reply_to is None:
            errors.add("reply_to", _("Unknown liaison statement."), "unknown")
    errors.raise_if_any()
    asks = any(entry["for"] in ("action", "comments") for entry in addressees)
    document = document_submit(
        user=user,
        meeting=meeting,
        as_manager=True,
        data={
            "kind": Document.Kind.LIAISON_IN if incoming else Document.Kind.LIAISON_OUT,
            "purpose": Document.Purpose.ACTION if asks else Document.Purpose.INFORMATION,
            "title": data["subject"],
            "source": data["origin"],
            "original_language": data["original_language"],
            "contact": data["contact"],
            "seq": data.get("seq"),
        },
    )
    status = LiaisonStatement.Status.DRAFT
    if incoming:
        # Received statements are published at once: they are the other body's documents.
        document.status = Document.Status.PUBLISHED
        document.published_at = document.received_at
        document.save(update_fields=["status", "published_at"])
        status = (
            LiaisonStatement.Status.REPLY_DUE if asks and deadline else LiaisonStatement.Status.SENT
        )
    statement = LiaisonStatement.objects.create(
        document=document,
        origin=data["origin"],
        origin_questions=data.get("origin_questions", ""),
        addressees=addressees,
        subject=data["subject"],
        approval=data["approval"],
        deadline=deadline,
        contact=data["contact"],
        status=status,
        reply_to=reply_to,
        sent_on=today() if incoming else None,
    )
    if incoming and reply_to is not None:
        _mark_replied(reply_to)
    return statement


def _mark_replied(statement: LiaisonStatement) -> None:
    if statement.status in (LiaisonStatement.Status.SENT, LiaisonStatement.Status.REPLY_DUE):
        statement.status = LiaisonStatement.Status.REPLIED
        statement.save(update_fields=["status"])


@transaction.atomic
def liaison_advance(*, user: User, statement: LiaisonStatement, status: str) -> LiaisonStatement:
    """Move an outgoing statement along draft → agreed → sent (→ reply due) → replied.
    Sending one that asks for action or comments with a deadline makes a reply due; sending a
    reply marks the statement it answers as replied."""
    if status not in LIAISON_NEXT.get(statement.status, set()):
        raise WrongState(
            _("A statement that is “%(current)s” cannot become “%(next)s”.")
            % {
                "current": statement.get_status_display(),
                "next": dict(LiaisonStatement.Status.choices).get(status, status),
            }
        )
    if status == LiaisonStatement.Status.SENT:
        statement.sent_on = today()
        asks = any(entry["for"] in ("action", "comments") for entry in statement.addressees)
        if asks and statement.deadline:
            status = LiaisonStatement.Status.REPLY_DUE
        if statement.reply_to is not None:
            _mark_replied(statement.reply_to)
        document = statement.document
        if document.status == Document.Status.SUBMITTED:
            document.status = Document.Status.PUBLISHED
            document.published_at = timezone.now()
            document.save(update_fields=["status", "published_at"])
    statement.status = status
    statement.save()
    return statement
