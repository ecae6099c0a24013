"""``cophub db_worker``: django-tasks-db's worker, which first closes the tasks that never
finished (``tasks_recover``), then again every ``--recover-every`` seconds while it waits for
work, and names itself ``host:pid:random`` so that a stopped worker's tasks are recognised."""

import threading
import time
from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _
from django_tasks_db.management.commands import db_worker

from cophub.operations.task_recovery import DEFAULT_OLDER_THAN, tasks_recover, worker_id_new


class Command(db_worker.Command):
    help = (
        "Run a database background worker; tasks left running by a stopped worker, or for "
        "longer than --recover-older-than minutes, are marked failed first and then "
        "regularly."
    )

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=worker_id_new())
        parser.add_argument(
            "--recover-older-than",
            type=int,
            default=int(DEFAULT_OLDER_THAN.total_seconds() // 60),
            metavar="MINUTES",
            help="A task running for longer than this is abandoned (default: %(default)s).",
        )
        parser.add_argument(
            "--recover-every",
            type=int,
            default=60,
            metavar="SECONDS",
            help="How often to look for abandoned tasks; 0: only at start-up (default: 60).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        older_than = timedelta(minutes=max(0, options.pop("recover_older_than")))
        every = max(0, options.pop("recover_every"))
        recovered = tasks_recover(older_than=older_than)
        self.stdout.write(_("Tasks recovered at start-up: %(count)s.") % {"count": len(recovered)})
        if every:
            thread = threading.Thread(
                target=_recover_regularly,
                args=(every, older_than),
                name="tasks-recover",
                daemon=True,
            )
            thread.start()
        super().handle(*args, **options)


def _recover_regularly(every: int, older_than: timedelta) -> None:
    """In the worker's own thread: look for abandoned tasks every ``every`` seconds (its own
    database connection, closed after each look)."""
    from django.db import connection

    while True:
        time.sleep(every)
        try:
            tasks_recover(older_than=older_than)
        except Exception as error:  # noqa: BLE001 - try again next time
            db_worker.logger.warning("task recovery failed: %s", type(error).__name__)
        finally:
            connection.close()
