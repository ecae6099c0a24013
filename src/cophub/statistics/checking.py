"""Running a dataset's check (survey microdata or an aggregate template) so that it never
leaves things half-done, and retrying one that did not finish.

A check runs in one transaction with the dataset locked. The outcomes it expects (passed; or
failed, with its report) it records itself. Anything else — a bug, a database that stayed
locked, a worker stopped mid-way — rolls that transaction back whole: no estimate, no report,
the encrypted file kept. The dataset is then marked ``error`` ("check failed — retry") in a
transaction of its own, since the first may be unusable after a database error (writing in it
is what raised ``TransactionManagementError`` before). A check whose worker died is marked the
same way by ``cophub tasks_recover`` (``on_task_died``, this app's ``TASK_RECOVERY``).
Files are erased only after the transaction that deletes their row has committed: a row never
names a file that is gone.
See docs/decisions/0019-concurrency-tasks-storage.md."""

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.models import User

from . import encryption
from .errors import WrongState
from .events import event_record
from .models import Dataset, DatasetEvent, Microdata

logger = logging.getLogger(__name__)

STALE = "stale"
CheckBody = Callable[[Dataset, Microdata], str]


def microdata_discard(microdata: Microdata) -> None:
    """Delete the file's row now and the file once that is committed (never the reverse)."""
    storage_name = microdata.storage_name
    microdata.delete()
    transaction.on_commit(partial(encryption.microdata_erase, storage_name))


def check_fail(dataset: Dataset, report: dict[str, Any], microdata: Microdata | None) -> None:
    """Keep the report, discard the file: nothing of a failed upload stays."""
    if microdata is not None:
        microdata_discard(microdata)
    dataset.check_status = Dataset.Check.FAILED
    dataset.check_report = report
    dataset.checked_at = timezone.now()
    dataset.estimates.all().delete()
    dataset.save()
    event_record(dataset=dataset, action=DatasetEvent.Action.CHECK_FAILED, actor=None)


def check_run(dataset_id: int, generation: int, body: CheckBody) -> str:
    """Run ``body`` on the dataset and its stored file, the dataset locked; returns the check
    status, or ``stale`` when a newer upload (``generation``) made this run pointless. A file
    missing from storage fails the check (upload again); an unexpected error leaves the
    dataset in ``error``, retryable."""
    try:
        with transaction.atomic():
            dataset = Dataset.objects.select_for_update().filter(pk=dataset_id).first()
            if dataset is None or dataset.check_generation != generation:
                return STALE
            stored = Microdata.objects.filter(dataset=dataset).first()
            if stored is None:
                return STALE
            if not encryption.microdata_exists(stored.storage_name):
                check_fail(dataset, {"error": {"code": "microdata_missing", "params": {}}}, stored)
                return dataset.check_status
            return body(dataset, stored)
    except Exception as error:  # noqa: BLE001 - whatever it was, the dataset must say so
        logger.error("statistics check of dataset %s stopped: %s", dataset_id, type(error).__name__)
    return Dataset.Check.ERROR if check_interrupted(dataset_id, generation) else STALE


def check_interrupted(dataset_id: int, generation: int) -> bool:
    """Mark the dataset's check of ``generation`` as not finished (``error``), in a transaction
    of its own; whether it changed anything (not when a newer upload or a result came in)."""
    with transaction.atomic():
        dataset = (
            Dataset.objects.select_for_update()
            .filter(pk=dataset_id, check_generation=generation, check_status=Dataset.Check.PENDING)
            .first()
        )
        if dataset is None:
            return False
        dataset.check_status = Dataset.Check.ERROR
        dataset.check_report = {"error": {"code": "check_interrupted", "params": {}}}
        dataset.checked_at = timezone.now()
        dataset.save()
        event_record(dataset=dataset, action=DatasetEvent.Action.CHECK_INTERRUPTED, actor=None)
    return True


def on_task_died(dataset_id: int, generation: int) -> bool:
    """What ``cophub tasks_recover`` and the worker do when a check task died or failed
    (``check_interrupted``, looked up when called, not when ``TASK_RECOVERY`` is built)."""
    return check_interrupted(dataset_id, generation)


# The tasks that run a check, by dataset kind (``Dataset.Kind.AGGREGATE``, and ``""`` for
# every other kind). ``tasks.py`` registers them when it is imported (the app's ``ready()``
# imports it): the tasks import the checks, so checking cannot import the tasks.
CHECK_TASKS: dict[str, Any] = {}


def check_tasks_register(*, aggregate: Any, other: Any) -> None:
    CHECK_TASKS.update({Dataset.Kind.AGGREGATE: aggregate, "": other})


def check_schedule(dataset: Dataset) -> None:
    """Queue the check that fits the dataset's kind (the database task backend; inline in
    tests)."""
    task = CHECK_TASKS.get(dataset.kind) or CHECK_TASKS[""]
    task.enqueue(dataset.pk, dataset.check_generation)


def dataset_check_retry(*, actor: User, dataset: Dataset) -> Dataset:
    """Check the stored file again after a check that did not finish; refused (409) in any
    other state, or when the file is no longer stored."""
    with transaction.atomic():
        locked = Dataset.objects.select_for_update().get(pk=dataset.pk)
        if locked.status != Dataset.Status.DRAFT or locked.check_status != Dataset.Check.ERROR:
            raise WrongState(_("Only a check that did not finish can be retried."))
        if not Microdata.objects.filter(dataset=locked).exists():
            raise WrongState(_("The file is no longer stored; upload it again."))
        locked.check_status = Dataset.Check.PENDING
        locked.check_generation += 1
        locked.check_report = {}
        locked.checked_at = None
        locked.save()
        event_record(dataset=locked, action=DatasetEvent.Action.CHECK_RETRIED, actor=actor)
    check_schedule(locked)
    locked.refresh_from_db()
    return locked


def microdata_missing_record(microdata_id: int) -> bool:
    """A ``Microdata`` row whose file is gone from storage (``cophub check_storage --repair``):
    the row goes, and the dataset says so — a check waiting for the file fails ("upload it
    again"), otherwise its history records that the microdata are gone. Whether it changed
    anything (not when the file is back, or the row already gone)."""
    with transaction.atomic():
        stored = Microdata.objects.select_for_update().filter(pk=microdata_id).first()
        if stored is None or encryption.microdata_exists(stored.storage_name):
            return False
        dataset = Dataset.objects.select_for_update().get(pk=stored.dataset_id)
        stored.delete()
        if dataset.check_status in (Dataset.Check.PENDING, Dataset.Check.ERROR):
            dataset.check_generation += 1  # a check still queued for the file finds it stale
            check_fail(dataset, {"error": {"code": "microdata_missing", "params": {}}}, None)
        else:
            event_record(
                dataset=dataset,
                action=DatasetEvent.Action.MICRODATA_DELETED,
                actor=None,
                comment=_("The file was missing from storage."),
            )
    return True
