"""Reminders of liaison-statement replies that fall due (``cophub coordination remind``, run
daily): the contact and the meeting's chair are e-mailed once per statement, a week before its
deadline. Each statement is marked reminded in its own transaction and its e-mail is queued
(Django's tasks API) when that transaction commits, so a failure leaves a statement neither
marked nor mailed, and no e-mail waits on a slow mail server inside the loop."""

from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .models import LiaisonStatement

REMINDER_DAYS = 7


def _statements() -> QuerySet[LiaisonStatement]:
    return LiaisonStatement.objects.select_related(
        "document__meeting__chair", "document__meeting__body"
    )


def reminder_recipients(statement: LiaisonStatement) -> list[str]:
    """The chair of the statement's meeting and its contact, where they have an address."""
    chair = statement.document.meeting.chair
    recipients = [chair.email] if chair and chair.email else []
    if "@" in statement.contact:
        recipients.append(statement.contact.split()[-1].strip("<>"))
    return recipients


def liaison_reminders(today: date | None = None) -> int:
    """Queue a reminder for each reply due within ``REMINDER_DAYS`` days that was not reminded
    yet; returns how many e-mails were queued."""
    today = today or timezone.localdate()
    due = LiaisonStatement.objects.filter(
        status=LiaisonStatement.Status.REPLY_DUE,
        deadline__isnull=False,
        deadline__lte=today + timedelta(days=REMINDER_DAYS),
        reminded_on__isnull=True,
    ).values_list("pk", flat=True)
    return sum(_remind(statement_id, today) for statement_id in list(due))


@transaction.atomic
def _remind(statement_id: int, today: date) -> int:
    statement = (
        _statements()
        .select_for_update(of=("self",))
        .filter(
            pk=statement_id,
            status=LiaisonStatement.Status.REPLY_DUE,
            reminded_on__isnull=True,
        )
        .first()
    )
    if statement is None:  # replied to or reminded since the list was read
        return 0
    statement.reminded_on = today
    statement.save(update_fields=["reminded_on"])
    if not reminder_recipients(statement):
        return 0
    transaction.on_commit(partial(liaison_reminder_send.enqueue, statement_id=statement_id))
    return 1


def reminder_send(statement_id: int) -> int:
    """E-mail the reminder of one statement (run by the task queue); returns the number of
    recipients."""
    statement = _statements().filter(pk=statement_id).first()
    if statement is None or statement.deadline is None:
        return 0
    recipients = reminder_recipients(statement)
    if not recipients:
        return 0
    deadline = statement.deadline.isoformat()
    send_mail(
        _("Reply due by %(date)s: %(subject)s") % {"date": deadline, "subject": statement.subject},
        _("The reply to liaison statement %(number)s is due by %(date)s.")
        % {"number": statement.document.number(), "date": deadline},
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )
    return len(recipients)


@task()
def liaison_reminder_send(statement_id: int) -> int:
    """E-mail the reminder that a liaison statement's reply is due (queued by
    ``liaison_reminders``); returns the number of recipients."""
    return reminder_send(statement_id)
