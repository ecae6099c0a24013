import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from django_tasks import TaskResultStatus

from cophub.reference.tasks import reference_refresh


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_reference_refresh_runs_in_the_database_backed_worker() -> None:
    from cophub.reference.services import reference_load

    reference_load()  # transactional tests start from an empty database
    result = reference_refresh.enqueue()
    assert result.status == TaskResultStatus.READY
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["countries"] == 249
