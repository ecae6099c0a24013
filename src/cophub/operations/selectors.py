"""Reads for running a deployment: the background task queues, as ``/metrics`` reports them."""

import logging
from dataclasses import dataclass

from django.db import DatabaseError
from django.db.models import Count, Min
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# The queue every task goes to unless it names another (Django's tasks API).
DEFAULT_QUEUE = "default"


@dataclass(frozen=True)
class TaskQueue:
    name: str
    ready: int  # due and waiting for a worker
    running: int
    oldest_ready_age_seconds: float  # 0 when none waits


def task_queues() -> list[TaskQueue] | None:
    """Every queue that has waiting or running tasks, and ``default`` always; ``None`` when the
    database does not answer. Two grouped queries on the status index."""
    now = timezone.now()
    try:
        ready = {
            row["queue_name"]: row
            for row in DBTaskResult.objects.ready()
            .order_by()
            .values("queue_name")
            .annotate(count=Count("id"), oldest=Min("enqueued_at"))
        }
        running = dict(
            DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
            .order_by()
            .values("queue_name")
            .annotate(count=Count("id"))
            .values_list("queue_name", "count")
        )
    except DatabaseError as error:
        logger.warning("task queues not read (%s)", type(error).__name__)
        return None
    names = sorted({DEFAULT_QUEUE, *ready, *running})
    return [
        TaskQueue(
            name=name,
            ready=ready[name]["count"] if name in ready else 0,
            running=running.get(name, 0),
            oldest_ready_age_seconds=(
                max((now - ready[name]["oldest"]).total_seconds(), 0.0) if name in ready else 0.0
            ),
        )
        for name in names
    ]
