"""Background work for statistics (Django's tasks API; the database backend runs it in
``cophub db_worker``, tests run it inline)."""

from django_tasks import task

from .aggregate_uploads import aggregate_check
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
