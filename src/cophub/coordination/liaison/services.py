"""Writes for liaison statements: registering one (with its document) and moving it along
its states."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import FieldErrors

from ..documents.models import Document
from ..documents.services import document_submit
from ..errors import WrongState
from ..field_checks import language_checked, today
from ..meetings.models import Meeting
from .models import LIAISON_NEXT, LiaisonStatement


@dataclass(frozen=True)
class Addressee:
    """A body a liaison statement is addressed to and what it is asked for (one of
    ``ADDRESSEE_FOR``: action, comments or information)."""

    body: str
    purpose: str

    def stored(self) -> dict[str, str]:
        return {"body": self.body, "for": self.purpose}


@transaction.atomic
def liaison_create(
    *,
    user: User,
    meeting: Meeting,
    subject: str,
    origin: str,
    approval: str,
    contact: str,
    original_language: str,
    addressees: Sequence[Addressee],
    incoming: bool = False,
    origin_questions: str = "",
    deadline: date | None = None,
    reply_to: int | None = None,
    seq: int | None = None,
) -> LiaisonStatement:
    """A liaison statement and its document. Outgoing statements start as drafts; incoming
    ones as sent (to us), with a reply due when an addressee is asked for action or comments
    and there is a deadline. ``reply_to``: the id of the statement this one answers."""
    errors = FieldErrors()
    language_checked(errors, "original_language", original_language)
    if not addressees:
        errors.add("addressees", _("Name at least one addressee."), "required")
    answered = None
    if reply_to is not None:
        answered = LiaisonStatement.objects.filter(pk=reply_to).first()
        if answered is None:
            errors.add("reply_to", _("Unknown liaison statement."), "unknown")
    errors.raise_if_any()
    asks = any(entry.purpose in ("action", "comments") for entry in addressees)
    document = document_submit(
        user=user,
        meeting=meeting,
        as_manager=True,
        kind=Document.Kind.LIAISON_IN if incoming else Document.Kind.LIAISON_OUT,
        purpose=Document.Purpose.ACTION if asks else Document.Purpose.INFORMATION,
        title=subject,
        source=origin,
        original_language=original_language,
        contact=contact,
        seq=seq,
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
        origin=origin,
        origin_questions=origin_questions,
        addressees=[entry.stored() for entry in addressees],
        subject=subject,
        approval=approval,
        deadline=deadline,
        contact=contact,
        status=status,
        reply_to=answered,
        sent_on=today() if incoming else None,
    )
    if incoming and answered is not None:
        _mark_replied(answered)
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
