"""Background work for coordination (Django's tasks API; the database backend runs it in
``cophub db_worker``, tests run it inline)."""

from django_tasks import task

from .liaison_reminders import reminder_send


@task()
def liaison_reminder_send(statement_id: int) -> int:
    """E-mail the reminder that a liaison statement's reply is due (queued by
    ``liaison_reminders``); returns the number of recipients."""
    return reminder_send(statement_id)
