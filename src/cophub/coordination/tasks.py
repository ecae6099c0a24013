"""Background work for coordination (Django's tasks API; the database backend runs it in
``cophub db_worker``, tests run it inline). Each task is defined next to the work it does;
this module names them for the queue (tasks queued before they moved are found here)."""

from .liaison.reminders import liaison_reminder_send as liaison_reminder_send
from .reports.summaries import summaries_refresh as summaries_refresh
