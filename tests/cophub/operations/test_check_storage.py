"""Files and rows never disagree: ``cophub check_storage`` lists files without a row and rows
without their file, exits 1 while any is left, and ``--repair`` fixes them by rule (old orphan
files deleted; a dataset whose microdata are gone says so; others reported)."""

import os
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test.utils import override_settings

from cophub.accounts.models import User
from cophub.statistics import microdata, services
from cophub.statistics.demo import synthetic_mapping
from cophub.statistics.models import Dataset, DatasetEvent, Microdata
from tests.cophub.statistics.conftest import dataset_make, survey_bytes

pytestmark = pytest.mark.django_db
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def disk_storage(tmp_path: Path) -> Iterator[Path]:
    """A media folder of its own on disk, so file ages are real and no other test's files
    are in it."""
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, MEDIA_ROOT=str(tmp_path)):
        yield tmp_path


def _check(*args: str) -> tuple[int, str]:
    output = StringIO()
    try:
        call_command("check_storage", *args, stdout=output)
    except SystemExit as exit_:
        return int(exit_.code or 0), output.getvalue()
    return 0, output.getvalue()


def _survey(user: User, *, checked: bool) -> Dataset:
    dataset = dataset_make(user)
    services.dataset_mapping_set(actor=user, dataset=dataset, document=synthetic_mapping())
    tasks = {} if checked else {"TASKS": DUMMY_TASKS}
    with override_settings(**tasks):
        return microdata.microdata_upload(
            actor=user,
            dataset=Dataset.objects.get(pk=dataset.pk),
            name="survey.parquet",
            content=survey_bytes(),
        )


def _stray(folder: Path, name: str, *, age_seconds: int) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"left behind")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return name


def test_files_and_rows_that_agree_are_no_problem(focal_ke: User) -> None:
    from wagtail.documents import get_document_model

    _survey(focal_ke, checked=True)
    get_document_model().objects.create(title="Guide", file=ContentFile(b"%PDF-", name="g.pdf"))

    code, output = _check()

    assert code == 0, output
    assert "Stored files: 2; rows naming a file: 2; files without a row: 0" in output
    assert "problems left: 0." in output


def test_an_old_file_without_a_row_is_listed_then_deleted_by_repair(disk_storage: Path) -> None:
    name = _stray(disk_storage, "statistics/microdata/stray.enc", age_seconds=2 * 3600)

    code, output = _check()
    assert code == 1
    assert f"File without a row: {name}" in output

    code, output = _check("--repair")
    assert code == 0, output
    assert f"File without a row, deleted: {name}" in output
    assert not (disk_storage / name).exists()
    assert _check()[0] == 0


def test_a_recent_file_without_a_row_is_left_alone(disk_storage: Path) -> None:
    name = _stray(disk_storage, "practices/in-progress.pdf", age_seconds=60)

    code, output = _check("--repair")

    assert code == 0, output
    assert f"younger than an hour (an upload in progress?): {name}" in output
    assert (disk_storage / name).exists()


def test_microdata_whose_file_is_gone_fail_their_pending_check_on_repair(focal_ke: User) -> None:
    dataset = _survey(focal_ke, checked=False)
    stored = Microdata.objects.get(dataset=dataset)
    default_storage.delete(stored.storage_name)

    code, output = _check()
    assert code == 1
    assert f"Row without its file: statistics.microdata #{stored.pk}" in output
    assert Microdata.objects.filter(pk=stored.pk).exists()  # listing changes nothing

    code, output = _check("--repair")
    assert code == 0, output
    assert "Row without its file, repaired: statistics.microdata" in output
    fresh = Dataset.objects.get(pk=dataset.pk)
    assert not Microdata.objects.filter(pk=stored.pk).exists()
    assert fresh.check_status == Dataset.Check.FAILED
    assert fresh.check_report == {"error": {"code": "microdata_missing", "params": {}}}
    assert fresh.check_generation == dataset.check_generation + 1  # the queued check is stale


def test_a_checked_dataset_records_that_its_microdata_are_gone(focal_ke: User) -> None:
    dataset = _survey(focal_ke, checked=True)
    stored = Microdata.objects.get(dataset=dataset)
    default_storage.delete(stored.storage_name)

    assert _check("--repair")[0] == 0

    fresh = Dataset.objects.get(pk=dataset.pk)
    assert fresh.check_status == Dataset.Check.PASSED  # its figures are still good
    event = fresh.events.last()
    assert event is not None and event.action == DatasetEvent.Action.MICRODATA_DELETED
    assert event.comment == "The file was missing from storage."


def test_a_row_without_a_repair_is_reported_and_left(disk_storage: Path) -> None:
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(
        title="Guide", file=ContentFile(b"%PDF-", name="g.pdf")
    )
    (disk_storage / document.file.name).unlink()

    code, output = _check("--repair")

    assert code == 1
    assert f"Row without its file: wagtaildocs.document.file #{document.pk}" in output
    assert get_document_model().objects.filter(pk=document.pk).exists()
