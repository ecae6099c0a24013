"""Background work for statistics (Django's tasks API; the database backend runs it in
``cophub db_worker``, tests run it inline)."""

from collections.abc import Callable

from django_tasks import task

from .aggregate_uploads import aggregate_check
from .checking import check_tasks_register, on_task_died
from .microdata import dataset_check


@task()
def dataset_check_task(dataset_id: int, generation: int) -> str:
    """Validate a dataset's microdata against its mapping and compute its preview; returns
    the check status (``passed``, ``failed`` or ``stale`` when a newer upload came in)."""
    return dataset_check(dataset_id, generation)


@task()
def aggregate_check_task(dataset_id: int, generation: int) -> str:
    """Read a dataset's filled-in aggregate template and compute its figures; returns the
    check status (``passed``, ``failed`` or ``stale`` when a newer upload came in)."""
    return aggregate_check(dataset_id, generation)


check_tasks_register(aggregate=aggregate_check_task, other=dataset_check_task)

# What to do when one of these tasks died (its worker stopped) or failed: read by
# ``cophub tasks_recover`` and the worker (cophub.operations.task_recovery), called with the
# task's arguments.
TASK_RECOVERY: dict[str, Callable[..., object]] = {
    "dataset_check_task": on_task_died,
    "aggregate_check_task": on_task_died,
}
