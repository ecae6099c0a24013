"""A check that does not finish leaves nothing half-done: no figures, no report, the file and
its row kept together; the dataset says "check failed — retry", and those who may upload to it
retry it (page and API). A row never names a file that is gone."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.db import OperationalError
from django.test import Client

from cophub.accounts.models import Role, User
from cophub.statistics import encryption, microdata, services
from cophub.statistics.models import Dataset, DatasetEvent, Estimate, Microdata

from .conftest import dataset_make, survey_bytes, upload

Headers = Callable[[User], dict[str, str]]
pytestmark = pytest.mark.django_db


def _locked(*args: Any, **kwargs: Any) -> None:
    raise OperationalError("database is locked")


@pytest.fixture
def interrupted(
    focal_ke: User, mapping: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> Dataset:
    """A survey whose check stopped on a database error while it wrote its figures."""
    with monkeypatch.context() as patched:
        patched.setattr(microdata, "estimates_insert", _locked)
        return upload(focal_ke, dataset_make(focal_ke), mapping)


def _retry(client: Client, dataset: Dataset, headers: dict[str, str]) -> Any:
    return client.post(f"/api/v1/statistics/datasets/{dataset.pk}/check/retry", headers=headers)


def test_a_check_stopped_by_a_database_error_keeps_the_file_and_says_retry(
    client: Client, focal_ke: User, token_for: Headers, interrupted: Dataset
) -> None:
    assert interrupted.check_status == Dataset.Check.ERROR
    stored = Microdata.objects.get(dataset=interrupted)
    assert default_storage.exists(stored.storage_name)  # the row and its file, together
    assert not Estimate.objects.filter(dataset=interrupted).exists()
    actions = list(interrupted.events.values_list("action", flat=True))
    assert actions[-2:] == [DatasetEvent.Action.UPLOADED, DatasetEvent.Action.CHECK_INTERRUPTED]

    body = client.get(
        f"/api/v1/statistics/datasets/{interrupted.pk}",
        headers={**token_for(focal_ke), "Accept-Language": "fr"},
    ).json()
    assert body["check"] == "error" and body["has_microdata"]
    assert body["report"]["error"].startswith("La vérification ne s’est pas terminée")


def test_the_api_retries_the_check_and_records_who_did(
    client: Client, focal_ke: User, token_for: Headers, interrupted: Dataset
) -> None:
    response = _retry(client, interrupted, token_for(focal_ke))

    assert response.status_code == 202, response.content
    body = response.json()
    assert body["check"] == "passed" and body["has_microdata"]
    assert Estimate.objects.filter(dataset=interrupted).exists()
    retried = [e for e in body["history"] if e["action"] == "check_retried"]
    assert [e["by"] for e in retried] == ["focal-ke"]


def test_a_check_that_is_not_interrupted_cannot_be_retried(
    client: Client, focal_ke: User, token_for: Headers, checked_survey: Dataset
) -> None:
    response = _retry(client, checked_survey, token_for(focal_ke))

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"
    assert Dataset.objects.get(pk=checked_survey.pk).check_status == Dataset.Check.PASSED


def test_retry_is_for_those_who_may_upload_to_the_dataset(
    client: Client,
    token_for: Headers,
    interrupted: Dataset,
    focal_ke: User,
    stats_office: User,
    outsider: User,
    make_user: Callable[..., User],
) -> None:
    focal_br = make_user(Role.FOCAL_POINT, username="focal-br-retry", country="BR")
    assert _retry(client, interrupted, token_for(outsider)).status_code == 404
    assert _retry(client, interrupted, token_for(focal_br)).status_code == 404
    assert _retry(client, interrupted, {}).status_code == 401
    assert Dataset.objects.get(pk=interrupted.pk).check_status == Dataset.Check.ERROR

    services.dataset_grant(actor=focal_ke, dataset=interrupted, username=stats_office.username)
    response = _retry(client, interrupted, token_for(stats_office))
    assert response.status_code == 202 and response.json()["check"] == "passed"


def test_who_sees_a_dataset_but_may_not_upload_to_it_is_refused(
    client: Client, token_for: Headers, focal_ke: User, helpline_setup: dict[str, Any]
) -> None:
    from cophub.helplines.models import Helpline

    helpline = Helpline.objects.get(slug="ke-test-line")
    dataset = services.dataset_create(
        actor=helpline_setup["ke-test-line"],
        kind=Dataset.Kind.HELPLINE,
        country=helpline.country,
        year=2024,
        title="Contacts",
        helpline=helpline,
    )
    assert (
        client.get(
            f"/api/v1/statistics/datasets/{dataset.pk}", headers=token_for(focal_ke)
        ).status_code
        == 200
    )

    assert _retry(client, dataset, token_for(focal_ke)).status_code == 403


def test_the_page_shows_the_state_and_retries(
    signed_in: Callable[[User], Client], focal_ke: User, interrupted: Dataset
) -> None:
    client = signed_in(focal_ke)
    page = client.get(f"/en/statistics/datasets/{interrupted.pk}/").content.decode()
    assert "Check failed — retry" in page and "Retry the check" in page

    response = client.post(f"/en/statistics/datasets/{interrupted.pk}/retry/", follow=True)

    assert "The file is being checked again." in response.content.decode()
    assert Dataset.objects.get(pk=interrupted.pk).check_status == Dataset.Check.PASSED


def test_a_file_missing_from_storage_fails_the_check_and_its_row_goes(
    focal_ke: User, mapping: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = dataset_make(focal_ke)
    services.dataset_mapping_set(actor=focal_ke, dataset=dataset, document=mapping)
    # The file vanishes between the upload and its check (a disk restored from an old copy).
    original = encryption.microdata_store

    def store_then_lose(content: bytes) -> str:
        name = original(content)
        default_storage.delete(name)
        return name

    monkeypatch.setattr(encryption, "microdata_store", store_then_lose)
    checked = microdata.microdata_upload(
        actor=focal_ke,
        dataset=Dataset.objects.get(pk=dataset.pk),
        name="survey.parquet",
        content=survey_bytes(),
    )

    assert checked.check_status == Dataset.Check.FAILED
    assert checked.check_report == {"error": {"code": "microdata_missing", "params": {}}}
    assert not Microdata.objects.filter(dataset=dataset).exists()


def test_a_file_is_erased_only_once_the_deletion_of_its_row_is_committed(
    focal_ke: User, checked_survey: Dataset, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    stored = Microdata.objects.get(dataset=checked_survey)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        assert microdata.microdata_delete(dataset=checked_survey, actor=focal_ke)
        assert not Microdata.objects.filter(dataset=checked_survey).exists()
        assert default_storage.exists(stored.storage_name)  # a rollback would keep both
    for callback in pending:
        callback()
    assert not default_storage.exists(stored.storage_name)
