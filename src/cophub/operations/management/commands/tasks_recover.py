"""``cophub tasks_recover [--older-than MINUTES]``: close the background tasks that never
finished, and put what they worked on in its retryable state."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from cophub.operations.task_recovery import DEFAULT_OLDER_THAN, tasks_recover


class Command(BaseCommand):
    help = (
        "Mark as failed the tasks still running whose worker stopped, or that started more "
        "than --older-than minutes ago, and tell their owners (a dataset shows 'check failed "
        "— retry')."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=int(DEFAULT_OLDER_THAN.total_seconds() // 60),
            metavar="MINUTES",
            help="Running for longer than this is abandoned (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        recovered = tasks_recover(older_than=timedelta(minutes=max(0, options["older_than"])))
        for item in recovered:
            self.stdout.write(
                _("Task %(id)s (%(name)s) marked failed: %(reason)s.")
                % {"id": item.task_id, "name": item.task_name, "reason": _reason_text(item.reason)}
            )
        self.stdout.write(
            _("Tasks recovered: %(count)s (their objects updated: %(owners)s).")
            % {"count": len(recovered), "owners": sum(1 for r in recovered if r.owner_updated)}
        )


def _reason_text(reason: str) -> str:
    if reason == "worker_gone":
        return _("its worker stopped")
    return _("it ran past the limit")
