"""Every background task reaches a final state: ``cophub tasks_recover`` (and ``cophub
db_worker`` at start-up) closes the tasks whose worker stopped or that ran past the limit, and
the dataset they were checking shows "check failed — retry"; a task that fails tells its owner
the same way."""

import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from cophub.accounts.models import User
from cophub.operations import task_recovery
from cophub.statistics import checking
from cophub.statistics.models import Dataset, DatasetEvent
from tests.cophub.statistics.conftest import dataset_make, survey_bytes

pytestmark = pytest.mark.django_db

CHECK_TASK = "cophub.statistics.tasks.dataset_check_task"
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def pending_check(focal_ke: User) -> Dataset:
    """A survey uploaded, its check queued but never run (as when a worker dies on it)."""
    from cophub.statistics import microdata, services
    from cophub.statistics.demo import synthetic_mapping

    dataset = dataset_make(focal_ke)
    services.dataset_mapping_set(actor=focal_ke, dataset=dataset, document=synthetic_mapping())
    with override_settings(TASKS=DUMMY_TASKS):
        uploaded = microdata.microdata_upload(
            actor=focal_ke,
            dataset=Dataset.objects.get(pk=dataset.pk),
            name="survey.parquet",
            content=survey_bytes(),
        )
    assert uploaded.check_status == Dataset.Check.PENDING
    return uploaded


@pytest.fixture
def live_process() -> Iterator[int]:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        yield process.pid
    finally:
        process.kill()
        process.wait()


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _running(
    dataset: Dataset, *, started_ago: timedelta, worker: str, task_path: str = CHECK_TASK
) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [dataset.pk, dataset.check_generation], "kwargs": {}},
        task_path=task_path,
        backend_name="default",
        run_after=get_date_max(),
        started_at=timezone.now() - started_ago,
        worker_ids=[worker],
    )


def _recover(*args: str) -> str:
    output = StringIO()
    call_command("tasks_recover", *args, stdout=output)
    return output.getvalue()


def test_a_task_running_past_the_limit_is_failed_and_its_dataset_says_retry(
    pending_check: Dataset,
) -> None:
    stuck = _running(pending_check, started_ago=timedelta(hours=2), worker="elsewhere:12:abc")

    output = _recover("--older-than", "30")

    stuck.refresh_from_db()
    assert stuck.status == TaskResultStatus.FAILED and stuck.finished_at is not None
    assert stuck.exception_class_path == task_recovery.ABANDONED_CLASS_PATH
    dataset = Dataset.objects.get(pk=pending_check.pk)
    assert dataset.check_status == Dataset.Check.ERROR
    assert dataset.events.filter(action=DatasetEvent.Action.CHECK_INTERRUPTED).exists()
    assert "it ran past the limit" in output
    assert "Tasks recovered: 1 (their objects updated: 1)." in output


def test_a_recent_task_of_a_live_worker_is_left_running(
    pending_check: Dataset, live_process: int
) -> None:
    worker = f"{task_recovery._host()}:{live_process}:abc"
    running = _running(pending_check, started_ago=timedelta(minutes=1), worker=worker)

    assert "Tasks recovered: 0" in _recover()

    running.refresh_from_db()
    assert running.status == TaskResultStatus.RUNNING
    assert Dataset.objects.get(pk=pending_check.pk).check_status == Dataset.Check.PENDING
    # The limit is the operator's: with none, every running task is abandoned.
    assert "Tasks recovered: 1" in _recover("--older-than", "0")


def test_a_task_whose_worker_process_is_gone_is_failed_at_once(pending_check: Dataset) -> None:
    worker = f"{task_recovery._host()}:{_dead_pid()}:abc"
    orphan = _running(pending_check, started_ago=timedelta(seconds=5), worker=worker)

    output = _recover()

    orphan.refresh_from_db()
    assert orphan.status == TaskResultStatus.FAILED
    assert "its worker stopped" in output
    assert Dataset.objects.get(pk=pending_check.pk).check_status == Dataset.Check.ERROR


def test_a_task_of_an_older_upload_changes_nothing_of_the_newer_one(
    pending_check: Dataset,
) -> None:
    stuck = _running(pending_check, started_ago=timedelta(hours=2), worker="elsewhere:1:a")
    newer = pending_check.check_generation + 1  # a new upload came in meanwhile
    Dataset.objects.filter(pk=pending_check.pk).update(check_generation=newer)

    assert "their objects updated: 0" in _recover()

    stuck.refresh_from_db()
    assert stuck.status == TaskResultStatus.FAILED
    assert Dataset.objects.get(pk=pending_check.pk).check_status == Dataset.Check.PENDING


def test_a_task_without_an_owner_to_tell_is_only_closed(pending_check: Dataset) -> None:
    stuck = _running(
        pending_check,
        started_ago=timedelta(hours=2),
        worker="elsewhere:1:a",
        task_path="cophub.reference.tasks.reference_refresh",
    )

    assert "Tasks recovered: 1 (their objects updated: 0)." in _recover()
    stuck.refresh_from_db()
    assert stuck.status == TaskResultStatus.FAILED


@pytest.fixture
def _reference(transactional_db: None) -> None:
    """Transactional tests may start after another emptied every table."""
    from cophub.reference.services import reference_load

    reference_load()


# The worker closes its connection between tasks, as Django does between requests: the test
# cannot run inside a transaction that would be closed under it.
@pytest.mark.django_db(transaction=True)
def test_the_worker_recovers_abandoned_tasks_when_it_starts(
    _reference: None, pending_check: Dataset
) -> None:
    stuck = _running(pending_check, started_ago=timedelta(hours=2), worker="elsewhere:1:a")
    output = StringIO()
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        call_command(
            "db_worker",
            batch=True,
            no_startup_delay=True,
            recover_every=0,
            verbosity=0,
            stdout=output,
        )
    stuck.refresh_from_db()
    assert stuck.status == TaskResultStatus.FAILED
    assert "Tasks recovered at start-up: 1." in output.getvalue()
    assert Dataset.objects.get(pk=pending_check.pk).check_status == Dataset.Check.ERROR


def test_worker_ids_name_the_machine_and_the_process() -> None:
    host, pid, _random = task_recovery.worker_id_new().split(":")
    assert host == task_recovery._host() and pid.isdigit()
    assert not task_recovery.worker_gone(task_recovery.worker_id_new())  # this very process
    assert not task_recovery.worker_gone("a-worker-id-of-another-form")


def test_a_check_task_that_fails_tells_its_dataset(
    focal_ke: User, monkeypatch: pytest.MonkeyPatch, pending_check: Dataset
) -> None:
    """The check's own failure handler could not write (the database still locked): the task
    fails, and the worker's failure signal puts the dataset in its retryable state."""
    from cophub.statistics import microdata
    from cophub.statistics.tasks import dataset_check_task

    calls: list[int] = []
    real = checking.check_interrupted

    def locked_once(dataset_id: int, generation: int) -> bool:
        calls.append(dataset_id)
        if len(calls) == 1:
            raise RuntimeError("database is locked")
        return real(dataset_id, generation)

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("engine bug")

    monkeypatch.setattr(checking, "check_interrupted", locked_once)
    monkeypatch.setattr(microdata, "_compute", crash)
    result = dataset_check_task.enqueue(pending_check.pk, pending_check.check_generation)

    assert result.status == TaskResultStatus.FAILED
    assert len(calls) == 2
    assert Dataset.objects.get(pk=pending_check.pk).check_status == Dataset.Check.ERROR
