"""Helpline contact data: quarterly aggregate counts by topic (online-harm categories kept
distinct), channel, age band and sex; small counts suppressed; every problem names its row
and column."""

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cophub.accounts.models import User
from cophub.statistics.models import ContactCount, Dataset, Estimate

from .conftest import api

Headers = Callable[[User], dict[str, str]]


def helpline_dataset(client: Client, editor: User, headers: dict[str, str]) -> int:
    body = {
        "kind": "helpline",
        "helpline": "ke-test-line",
        "year": 2024,
        "title": "Contacts",
        "disclosure": "min-n:5",
    }
    return int(api(client, "post", "/api/v1/statistics/datasets", headers, body).json()["id"])


def row(**values: Any) -> dict[str, Any]:
    return {
        "quarter": 1,
        "topic": "grooming",
        "channel": "voice",
        "age_band": "12-14",
        "sex": "female",
        "contacts": 30,
        **values,
    }


def test_counts_are_published_as_disclosure_controlled_totals(
    client: Client, helpline_setup: dict[str, User], token_for: Headers
) -> None:
    editor = helpline_setup["ke-test-line"]
    headers = token_for(editor)
    pk = helpline_dataset(client, editor, headers)
    rows = [
        row(),
        row(topic="sextortion", contacts=2),
        row(topic="cyberbullying", quarter=2, contacts=40),
        row(topic="mental_health", channel="sms", contacts=25),
    ]
    body = api(
        client, "post", f"/api/v1/statistics/datasets/{pk}/contacts", headers, {"rows": rows}
    ).json()
    assert body["check"] == "passed"
    cells = {(e.breakdown, e.breakdown_value): e for e in Estimate.objects.filter(dataset_id=pk)}
    assert cells[("_T", "_T")].estimate == 97
    assert cells[("topic", "grooming")].estimate == 30
    assert (
        cells[("topic", "sextortion")].suppressed
        and cells[("topic", "sextortion")].estimate is None
    )
    assert cells[("topic_group", "online_harm")].estimate == 72
    assert cells[("topic_group", "mental_health")].estimate == 25
    # Complementary suppression: the one small topic cannot be recovered from the total.
    assert sum(1 for (b, _v), e in cells.items() if b == "topic" and e.suppressed) >= 2


def test_bad_rows_name_their_row_and_column_and_nothing_is_written(
    client: Client, helpline_setup: dict[str, User], token_for: Headers
) -> None:
    editor = helpline_setup["ke-test-line"]
    headers = token_for(editor)
    pk = helpline_dataset(client, editor, headers)
    rows = [
        row(),
        row(topic="bullying"),
        row(quarter=5, topic="privacy"),
        row(contacts=-1, topic="harmful_content"),
        row(),
    ]
    response = api(
        client, "post", f"/api/v1/statistics/datasets/{pk}/contacts", headers, {"rows": rows}
    )
    assert response.status_code == 422
    errors = response.json()["details"]["errors"]
    found = {(e["row"], e["column"]) for e in errors}
    assert {("2", "topic"), ("3", "quarter"), ("4", "contacts"), ("5", "-")} <= found
    assert "online_harm" not in next(e["message"] for e in errors if e["column"] == "topic")
    assert not ContactCount.objects.filter(dataset_id=pk).exists()
    assert Dataset.objects.get(pk=pk).check_status == Dataset.Check.NONE


def test_csv_upload_through_the_page(
    client: Client,
    helpline_setup: dict[str, User],
    signed_in: Callable[[User], Client],
    token_for: Headers,
) -> None:
    editor = helpline_setup["ke-test-line"]
    pk = helpline_dataset(client, editor, token_for(editor))
    browser = signed_in(editor)
    layout = browser.get("/en/statistics/templates/contacts/")
    assert layout.status_code == 200 and layout.content.startswith(b"quarter,topic,channel")
    csv = b"quarter,topic,channel,age_band,sex,contacts\n1,grooming,voice,12-14,female,12\n"
    response = browser.post(
        f"/en/statistics/datasets/{pk}/upload/", {"file": SimpleUploadedFile("c.csv", csv)}
    )
    assert response.status_code == 302
    assert ContactCount.objects.get(dataset_id=pk).contacts == 12
    bad = b"quarter,topic\n1,grooming\n"
    page = browser.post(
        f"/en/statistics/datasets/{pk}/upload/", {"file": SimpleUploadedFile("c.csv", bad)}
    )
    assert page.status_code == 200 and "channel" in page.content.decode()
