"""Background work for reference data (Django's tasks API; the database backend runs it in
`cophub db_worker`)."""

from dataclasses import asdict

from django_tasks import task

from .services import reference_load


@task()
def reference_refresh() -> dict[str, int]:
    """Reload every reference set from its files; returns the counts loaded."""
    return asdict(reference_load())
