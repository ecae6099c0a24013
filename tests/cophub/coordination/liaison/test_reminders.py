"""Reminders of replies due: one per statement, marked in the statement's own transaction,
the e-mail queued for the task worker only once that transaction commits, and a bounded number
of queries for each statement."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cophub.accounts.models import User
from cophub.coordination.liaison.reminders import liaison_reminders
from cophub.coordination.models import Document, LiaisonStatement, Meeting

pytestmark = pytest.mark.django_db


def _due(meeting: Meeting, number: int, contact: str, days: int = 5) -> LiaisonStatement:
    document = Document.objects.create(
        meeting=meeting,
        seq=number,
        kind=Document.Kind.LIAISON_IN,
        purpose=Document.Purpose.ACTION,
        title=f"Statement {number}",
        source="ITU-D SG2",
        original_language="en",
        timeliness=Document.Timeliness.EXEMPT,
        status=Document.Status.PUBLISHED,
        received_at=timezone.now(),
    )
    return LiaisonStatement.objects.create(
        document=document,
        origin="ITU-D SG2",
        addressees=[{"body": "CWG-COP", "for": "action"}],
        subject=f"Request for comments {number}",
        approval="Meeting",
        contact=contact,
        status=LiaisonStatement.Status.REPLY_DUE,
        deadline=timezone.localdate() + timedelta(days=days),
    )


@pytest.fixture
def statements(meeting: Meeting, chair: User) -> list[LiaisonStatement]:
    chair.email = "chair@example.org"
    chair.save()
    return [
        _due(meeting, number, f"Rapporteur {number} <q{number}@example.org>")
        for number in range(1, 7)
    ]


def test_each_reminder_is_queued_when_its_statement_is_marked(  # type: ignore[no-untyped-def]
    statements, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        assert liaison_reminders() == len(statements)
    # Nothing is sent inside the loop: one e-mail waits for each statement's commit.
    assert mail.outbox == [] and len(queued) == len(statements)
    assert not LiaisonStatement.objects.filter(reminded_on__isnull=True).exists()
    for callback in queued:
        callback()  # the commit: the task runs (inline in the tests' task backend)
    assert len(mail.outbox) == len(statements)
    first = mail.outbox[0]
    assert set(first.to) == {"chair@example.org", "q1@example.org"}
    assert first.subject.startswith("Reply due by ")
    assert "CWG-COP-25/1-E" in first.body
    with django_capture_on_commit_callbacks(execute=True):
        assert liaison_reminders() == 0  # once per statement


def test_a_statement_without_an_address_is_marked_and_not_mailed(  # type: ignore[no-untyped-def]
    meeting, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=meeting.chair_id).update(email="")
    statement = _due(meeting, 1, "the secretariat")
    later = _due(meeting, 2, "Rapporteur <q2@example.org>", days=30)  # not due this week
    with django_capture_on_commit_callbacks(execute=True):
        assert liaison_reminders() == 0
    statement.refresh_from_db()
    later.refresh_from_db()
    assert statement.reminded_on == timezone.localdate() and later.reminded_on is None
    assert mail.outbox == []


def test_the_command_costs_a_few_queries_per_statement(  # type: ignore[no-untyped-def]
    statements, django_assert_max_num_queries, django_capture_on_commit_callbacks, capsys
):
    # The list, then per statement: savepoint, locked read with its meeting, chair and body,
    # the audit log's read and entry, update, release; the e-mail task reads it once more.
    with django_assert_max_num_queries(1 + 7 * len(statements)):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("coordination", "remind")
    assert capsys.readouterr().out.strip() == f"{len(statements)} reminders queued."
    assert len(mail.outbox) == len(statements)
