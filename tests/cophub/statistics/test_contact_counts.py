"""Helpline contact data: quarterly aggregate counts by reason for contact (the CHI data
framework's categories), read by category and by platform topic through the crosswalk, by
channel, age band and sex; small counts suppressed across the linked tables; every problem
names its row and column."""

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cophub.accounts.models import User
from cophub.statistics import contact_counts, reasons
from cophub.statistics.contact_disclosure import equations
from cophub.statistics.engine import Cell
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
        "reason": "online_sexual_abuse_exploitation",
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
        row(reason="cyberbullying", contacts=2),
        row(reason="bullying", quarter=2, contacts=40),
        row(reason="self_harm", channel="sms", contacts=25),
        row(reason="loneliness", channel="sms", contacts=25),
    ]
    body = api(
        client, "post", f"/api/v1/statistics/datasets/{pk}/contacts", headers, {"rows": rows}
    ).json()
    assert body["check"] == "passed"
    estimates = list(Estimate.objects.filter(dataset_id=pk).order_by("pk"))
    cells = {(e.breakdown, e.breakdown_value): e for e in estimates}
    assert cells[("_T", "_T")].estimate == 122
    assert cells[("reason", "cyberbullying")].suppressed
    assert cells[("reason", "cyberbullying")].estimate is None
    assert cells[("reason_group", "mental_health")].estimate == 50
    # The engine's complementary suppression hides the smallest other reason (a 25), so its
    # category must hide the other 25 too (else 50 - 25 recovers it).
    assert cells[("reason", "self_harm")].suppressed == cells[("reason", "loneliness")].suppressed
    # Through the crosswalk: bullying -> abuse, self-harm and loneliness -> mental_health.
    assert cells[("topic", "abuse")].estimate == 40
    assert cells[("topic", "mental_health")].estimate == 50
    assert cells[("quarter_reason_group", "Q2|violence")].estimate == 40
    # The small reason cannot be recovered from any published sum: its topic is suppressed,
    # and so is the other topic of the online-harm group (30 contacts of online sexual abuse
    # and exploitation), else cyberbullying = online harm - 30.
    assert cells[("topic", "cyberbullying")].suppressed
    assert cells[("topic", "online_harm")].suppressed
    assert cells[("reason", "online_sexual_abuse_exploitation")].suppressed
    plain = [
        Cell(
            indicator=e.indicator,
            statistic=e.statistic,
            breakdown=e.breakdown,
            breakdown_value=e.breakdown_value,
            estimate=e.estimate,
            n=e.n,
            suppressed=e.suppressed,
        )
        for e in estimates
    ]
    relations = contact_counts._relations(reasons.countable())
    for line in equations(plain, relations):
        assert sum(plain[i].suppressed for i in line) != 1, [plain[i] for i in line]
    report = Dataset.objects.get(pk=pk).check_report
    assert report["reasons_version"] and report["crosswalk_version"]


def test_bad_rows_name_their_row_and_column_and_nothing_is_written(
    client: Client, helpline_setup: dict[str, User], token_for: Headers
) -> None:
    editor = helpline_setup["ke-test-line"]
    headers = token_for(editor)
    pk = helpline_dataset(client, editor, headers)
    rows = [
        row(),
        row(reason="grooming"),
        row(quarter=5, reason="friendship"),
        row(contacts=-1, reason="neglect"),
        row(),
    ]
    response = api(
        client, "post", f"/api/v1/statistics/datasets/{pk}/contacts", headers, {"rows": rows}
    )
    assert response.status_code == 422
    errors = response.json()["details"]["errors"]
    found = {(e["row"], e["column"]) for e in errors}
    assert {("2", "reason"), ("3", "quarter"), ("4", "contacts"), ("5", "-")} <= found
    message = next(e["message"] for e in errors if e["column"] == "reason")
    assert "“grooming”" in message and "Row 2" in message
    # Only countable reasons are accepted: a main category with sub-categories is not.
    assert ", violence," not in message and "cyberbullying" in message
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
    assert layout.status_code == 200 and layout.content.startswith(b"quarter,reason,channel")
    csv = b"quarter,reason,channel,age_band,sex,contacts\n1,loneliness,voice,12-14,female,12\n"
    response = browser.post(
        f"/en/statistics/datasets/{pk}/upload/", {"file": SimpleUploadedFile("c.csv", csv)}
    )
    assert response.status_code == 302
    stored = ContactCount.objects.get(dataset_id=pk)
    assert (stored.contacts, stored.reason, stored.topic) == (12, "loneliness", "mental_health")
    bad = b"quarter,reason\n1,loneliness\n"
    page = browser.post(
        f"/en/statistics/datasets/{pk}/upload/", {"file": SimpleUploadedFile("c.csv", bad)}
    )
    assert page.status_code == 200 and "channel" in page.content.decode()
