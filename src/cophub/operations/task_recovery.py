"""Background tasks that never finished are closed, so every task reaches a final state and
the object it worked on says so.

A task is abandoned when it is RUNNING and its worker is known to be gone (a worker of this
machine whose process no longer runs: ``cophub db_worker`` names itself ``host:pid:random``),
or when it started longer ago than a limit (a worker on another machine, or one that hangs).
It is marked FAILED, and its owner is told: an app's ``tasks.py`` may declare
``TASK_RECOVERY = {"task_name": handler}``; the handler gets the task's arguments and puts its
object in a visible state from which a person can retry (the statistics check: "check failed —
retry"). The same handlers run when a worker records that a task failed (``task_finished``).

Abandoned tasks are not run again by themselves: a task that stopped its worker (a file too
large for memory, a crash) would stop the next one, in a loop nobody sees; a person retries.
See docs/decisions/0019-concurrency-tasks-storage.md."""

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

DEFAULT_OLDER_THAN = timedelta(minutes=30)
HOST_LENGTH = 40
RECOVERY_ATTRIBUTE = "TASK_RECOVERY"
ABANDONED_CLASS_PATH = "cophub.operations.task_recovery.TaskAbandoned"


class TaskAbandoned(Exception):
    """Recorded as the failure of a task whose worker stopped or that ran past the limit."""


@dataclass(frozen=True)
class Recovered:
    task_id: str
    task_name: str
    reason: str  # "worker_gone" or "too_old"
    owner_updated: bool


def _host() -> str:
    return socket.gethostname()[:HOST_LENGTH].replace(":", "-")


def worker_id_new() -> str:
    """A worker id that tells which machine and process run the task: ``host:pid:random``."""
    return f"{_host()}:{os.getpid()}:{get_random_string(12)}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie has ended but not yet been waited for
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def worker_gone(worker_id: str) -> bool:
    """Whether ``worker_id`` names a worker of this machine whose process no longer runs
    (unknown forms and other machines: not known to be gone)."""
    parts = worker_id.split(":")
    if len(parts) != 3 or parts[0] != _host() or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    return pid != os.getpid() and not _process_alive(pid)


def recovery_handler(task_path: str) -> Callable[..., object] | None:
    """The handler an app declared for the task at ``task_path`` (a ``cophub`` module's
    ``TASK_RECOVERY``), if any."""
    module_path, _dot, name = task_path.rpartition(".")
    if not module_path.startswith("cophub."):
        return None
    try:
        module = import_module(module_path)
    except ImportError:
        return None
    handlers: dict[str, Callable[..., object]] = getattr(module, RECOVERY_ATTRIBUTE, {})
    return handlers.get(name)


def owner_tell(task_path: str, args: list[Any], kwargs: dict[str, Any]) -> bool:
    """Run the owner's handler for a task that died or failed; whether one ran and changed
    something. A handler that fails is logged, never raised: the next task must still run."""
    handler = recovery_handler(task_path)
    if handler is None:
        return False
    try:
        return bool(handler(*args, **kwargs))
    except Exception as error:  # noqa: BLE001
        logger.error("recovery of task %s failed: %s", task_path, type(error).__name__)
        return False


def _reason(result: "DBTaskResult[Any, Any]", started_before: datetime) -> str | None:
    if result.worker_ids and worker_gone(str(result.worker_ids[-1])):
        return "worker_gone"
    if result.started_at is None or result.started_at < started_before:
        return "too_old"
    return None


def tasks_recover(*, older_than: timedelta = DEFAULT_OLDER_THAN) -> list[Recovered]:
    """Mark every abandoned task FAILED and tell its owner; what was done, oldest first."""
    started_before = timezone.now() - older_than
    recovered = []
    for result in DBTaskResult.objects.running().order_by("started_at"):
        reason = _reason(result, started_before)
        if reason is None:
            continue
        error = TaskAbandoned(
            "The worker stopped before the task finished."
            if reason == "worker_gone"
            else f"The task was still running after {older_than}."
        )
        with transaction.atomic():  # only if no worker finished it in the meantime
            closed = DBTaskResult.objects.filter(
                pk=result.pk, status=TaskResultStatus.RUNNING
            ).update(
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                exception_class_path=ABANDONED_CLASS_PATH,
                traceback=f"{ABANDONED_CLASS_PATH}: {error}\n",
                return_value=None,
            )
        if not closed:
            continue
        arguments = result.args_kwargs or {}
        updated = owner_tell(
            result.task_path, list(arguments.get("args", [])), dict(arguments.get("kwargs", {}))
        )
        logger.warning("task %s (%s) closed: %s", result.pk, result.task_name, reason)
        recovered.append(
            Recovered(
                task_id=str(result.pk),
                task_name=result.task_name,
                reason=reason,
                owner_updated=updated,
            )
        )
    return recovered


def on_task_finished(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """The ``task_finished`` receiver: a task that failed tells its owner too."""
    if task_result.status != TaskResultStatus.FAILED:
        return
    owner_tell(task_result.task.module_path, list(task_result.args), dict(task_result.kwargs))
