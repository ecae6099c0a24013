"""Statistics uploads that would expand without bound: refused in the request by what the
file declares (packing, rows, columns), with a message naming the limit and nothing stored;
the aggregate template is read only in the background, and a file that hides its size is
still held to the limits there."""

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django_tasks import default_task_backend

from cophub.accounts.models import User
from cophub.statistics import encryption
from cophub.statistics.models import Dataset, DatasetEvent, Estimate, Microdata
from tests.cophub.portal.hostile_files import (
    lying_zip,
    table_xlsx,
    with_repeated_rows,
    without_dimension,
)

from .conftest import dataset_make, survey_bytes
from .test_aggregates import filled, send, template

Headers = Callable[[User], dict[str, str]]
pytestmark = pytest.mark.django_db


def _stored_files() -> set[str]:
    """The encrypted files in storage (which tests share: compare before and after)."""
    try:
        return set(default_storage.listdir(encryption.STORAGE_FOLDER)[1])
    except FileNotFoundError:
        return set()


@pytest.fixture
def stored_before() -> set[str]:
    return _stored_files()


def _nothing_written(dataset: Dataset, stored_before: set[str]) -> None:
    fresh = Dataset.objects.get(pk=dataset.pk)
    assert fresh.check_status == Dataset.Check.NONE and fresh.check_report == {}
    assert not Microdata.objects.filter(dataset=dataset).exists()
    assert not Estimate.objects.filter(dataset=dataset).exists()
    assert not fresh.events.filter(action=DatasetEvent.Action.UPLOADED).exists()
    assert _stored_files() == stored_before


def _refusal(response: Any) -> str:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "file_rejected"
    [error] = body["details"]["errors"]
    assert error["field"] == "file"
    return str(error["message"])


def _template_bytes(client: Client) -> bytes:
    response = client.get("/api/v1/statistics/templates/aggregate.xlsx?country=KE&year=2024")
    return bytes(response.content)


def test_the_aggregate_zip_bomb_is_refused_in_the_request_naming_the_limit(
    client: Client, focal_ke: User, token_for: Headers, stored_before: set[str]
) -> None:
    dataset = dataset_make(focal_ke, kind=Dataset.Kind.AGGREGATE)
    bomb = with_repeated_rows(_template_bytes(client), 420_000)  # ~210 KB → 55 MB of XML
    assert len(bomb) < 300 * 1024
    started = time.perf_counter()
    message = _refusal(send(client, dataset, bomb, token_for(focal_ke)))
    assert time.perf_counter() - started < 5  # it used to take the worker 30 s and more
    assert re.fullmatch(
        r"The file unpacks to [\d,]+ times its packed size; the limit is 100\. "
        r"Save it again without unusual compression\.",
        message,
    ), message
    _nothing_written(dataset, stored_before)


def test_the_upload_page_refuses_the_bomb_with_its_message_in_the_readers_language(
    client: Client, focal_ke: User, stored_before: set[str]
) -> None:
    dataset = dataset_make(focal_ke, kind=Dataset.Kind.AGGREGATE)
    bomb = with_repeated_rows(_template_bytes(client), 420_000)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(focal_ke, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/fr/statistics/datasets/{dataset.pk}/upload/"
    form = browser.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode())
    assert token is not None
    page = browser.post(
        url, {"csrfmiddlewaretoken": token.group(1), "file": SimpleUploadedFile("t.xlsx", bomb)}
    )
    assert page.status_code == 200
    assert "fois sa taille compressée ; la limite est de 100." in page.content.decode()
    _nothing_written(dataset, stored_before)


def test_an_aggregate_template_with_too_many_rows_is_refused_at_once(
    client: Client, focal_ke: User, token_for: Headers, stored_before: set[str]
) -> None:
    dataset = dataset_make(focal_ke, kind=Dataset.Kind.AGGREGATE)
    long_sheet = table_xlsx(1_500, columns=8, sheet="COP statistics")
    message = _refusal(send(client, dataset, long_sheet, token_for(focal_ke)))
    assert message == "The file has 1,500 rows; the limit is 1,000."
    _nothing_written(dataset, stored_before)


def test_an_ordinary_template_is_read_in_the_background_then_previewed(
    client: Client,
    focal_ke: User,
    token_for: Headers,
    signed_in: Callable[[User], Client],
    stored_before: set[str],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    from cophub.statistics.tasks import aggregate_check_task

    dataset = dataset_make(focal_ke, kind=Dataset.Kind.AGGREGATE, disclosure="dhs")
    content = filled(template(client), {("N1", ""): (4,), ("R1", ""): (0.31, 0.02, 800)})
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        response = send(client, dataset, content, token_for(focal_ke))
        assert response.status_code == 202, response.content
        body = response.json()
        # The request stored the file (encrypted) and queued its check; nothing was read yet.
        assert body["check"] == "pending" and body["has_microdata"]
        assert not Estimate.objects.filter(dataset=dataset).exists()
        [stored] = _stored_files() - stored_before
        assert content not in default_storage.open(f"{encryption.STORAGE_FOLDER}/{stored}").read()
        [queued] = default_task_backend.results  # type: ignore[attr-defined]
        assert queued.task.name == aggregate_check_task.name
    with django_capture_on_commit_callbacks(execute=True):  # as the worker's commit would
        assert aggregate_check_task.call(*queued.args) == "passed"
    checked = client.get(f"/api/v1/statistics/datasets/{dataset.pk}", headers=token_for(focal_ke))
    assert checked.json()["check"] == "passed" and not checked.json()["has_microdata"]
    assert _stored_files() == stored_before  # the template is erased once read
    preview = signed_in(focal_ke).get(f"/en/statistics/datasets/{dataset.pk}/preview/?indicator=R1")
    assert preview.status_code == 200 and "31.0" in preview.content.decode()
    assert Estimate.objects.get(dataset=dataset, indicator="N1").estimate == 4


def test_an_ordinary_template_goes_through_the_page_with_csrf(
    client: Client, focal_ke: User
) -> None:
    dataset = dataset_make(focal_ke, kind=Dataset.Kind.AGGREGATE)
    content = filled(template(client), {("N1", ""): (3,)})
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(focal_ke, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/en/statistics/datasets/{dataset.pk}/upload/"
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.get(url).content.decode()
    )
    assert token is not None
    done = browser.post(
        url, {"csrfmiddlewaretoken": token.group(1), "file": SimpleUploadedFile("t.xlsx", content)}
    )
    assert done.status_code == 302
    page = browser.get(f"/en/statistics/datasets/{dataset.pk}/").content.decode()
    assert "Passed" in page and "Preview every indicator" in page


def test_a_template_whose_directory_lies_fails_its_check_quickly(
    client: Client,
    focal_ke: User,
    token_for: Headers,
    stored_before: set[str],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    dataset = dataset_make(focal_ke, kind=Dataset.Kind.AGGREGATE)
    bomb = with_repeated_rows(_template_bytes(client), 420_000)
    liar = lying_zip(bomb, "xl/worksheets/sheet1.xml", 100_000)  # 55 MB declared as 100 KB
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once committed
        response = send(client, dataset, liar, token_for(focal_ke))
    assert time.perf_counter() - started < 5
    assert response.status_code == 202 and response.json()["check"] == "failed"
    [error] = response.json()["report"]["errors"]
    assert error["text"] == "The file is not an XLSX workbook."
    assert (
        _stored_files() == stored_before and not Estimate.objects.filter(dataset=dataset).exists()
    )


@pytest.mark.parametrize("kind", ["csv", "parquet", "sav", "dta", "xlsx"])
def test_survey_microdata_beyond_the_row_limit_are_refused_at_once(
    client: Client,
    focal_ke: User,
    token_for: Headers,
    mapping: dict[str, Any],
    kind: str,
    stored_before: set[str],
) -> None:
    dataset = dataset_make(focal_ke)
    with override_settings(COPHUB_UPLOAD_MAX_ROWS=500):
        response = client.post(
            f"/api/v1/statistics/datasets/{dataset.pk}/microdata",
            {
                "file": SimpleUploadedFile(f"survey.{kind}", survey_bytes(kind)),
                "mapping_file": SimpleUploadedFile("m.json", _json(mapping)),
            },
            headers=token_for(focal_ke),
        )
    assert _refusal(response) == "The file has 600 rows; the limit is 500."
    _nothing_written(dataset, stored_before)


def test_survey_microdata_beyond_the_column_limit_are_refused_at_once(
    client: Client,
    focal_ke: User,
    token_for: Headers,
    mapping: dict[str, Any],
    stored_before: set[str],
) -> None:
    dataset = dataset_make(focal_ke)
    with override_settings(COPHUB_UPLOAD_MAX_COLUMNS=10):
        response = client.post(
            f"/api/v1/statistics/datasets/{dataset.pk}/microdata",
            {
                "file": SimpleUploadedFile("survey.parquet", survey_bytes("parquet")),
                "mapping_file": SimpleUploadedFile("m.json", _json(mapping)),
            },
            headers=token_for(focal_ke),
        )
    assert re.fullmatch(r"The file has \d+ columns; the limit is 10\.", _refusal(response))
    _nothing_written(dataset, stored_before)


def test_a_survey_sheet_that_hides_its_rows_fails_its_check_naming_the_limit(
    client: Client,
    focal_ke: User,
    token_for: Headers,
    mapping: dict[str, Any],
    stored_before: set[str],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    dataset = dataset_make(focal_ke)
    hidden = without_dimension(survey_bytes("xlsx"))
    with (
        override_settings(COPHUB_UPLOAD_MAX_ROWS=500),
        django_capture_on_commit_callbacks(execute=True),  # the file goes once committed
    ):
        response = client.post(
            f"/api/v1/statistics/datasets/{dataset.pk}/microdata",
            {
                "file": SimpleUploadedFile("survey.xlsx", hidden),
                "mapping_file": SimpleUploadedFile("m.json", _json(mapping)),
            },
            headers=token_for(focal_ke),
        )
        assert response.status_code == 202
        body = response.json()
        assert body["check"] == "failed" and not body["has_microdata"]
        assert body["report"]["error"] == "The file has 600 rows; the limit is 500."
        french = client.get(
            f"/api/v1/statistics/datasets/{dataset.pk}",
            headers={**token_for(focal_ke), "Accept-Language": "fr"},
        ).json()
    assert french["report"]["error"] == "Le fichier a 600 lignes ; la limite est de 500."
    assert (
        _stored_files() == stored_before and not Estimate.objects.filter(dataset=dataset).exists()
    )


def test_contact_counts_beyond_their_rows_are_refused_before_they_are_parsed(
    client: Client,
    helpline_setup: dict[str, Any],
    signed_in: Callable[[User], Client],
    token_for: Headers,
    stored_before: set[str],
) -> None:
    editor = helpline_setup["ke-test-line"]
    browser = signed_in(editor)
    created = client.post(
        "/api/v1/statistics/datasets",
        data={"kind": "helpline", "helpline": "ke-test-line", "year": 2024, "title": "Q"},
        content_type="application/json",
        headers=token_for(editor),
    )
    dataset = Dataset.objects.get(pk=created.json()["id"])
    rows = "quarter,reason,channel,age_band,sex,contacts\n" + "1,x,voice,12-14,female,1\n" * 20_001
    page = browser.post(
        f"/en/statistics/datasets/{dataset.pk}/upload/",
        {"file": SimpleUploadedFile("counts.csv", rows.encode())},
    )
    assert "The file has 20,001 rows; the limit is 20,000." in page.content.decode()
    _nothing_written(dataset, stored_before)


def _json(document: dict[str, Any]) -> bytes:
    import json

    return json.dumps(document).encode()
