"""The answer is prepared once per country, directory version and hour (decision 0040): a
request does the same queries whatever the number of helplines, and any change to an entry is
in the very next answer."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cophub.accounts.models import Role, User
from cophub.helplines.models import Contact, DirectoryVersion, Helpline
from cophub.helplines.selectors import directory_cache_clear
from cophub.helplines.services import helpline_verify, helplines_import

from .conftest import MONDAY_NOON_NAIROBI, fixture_document
from .dense_directory import dense_country_load

pytestmark = pytest.mark.usefixtures("directory", "noon_in_nairobi")
QUESTION = {"country": "KE", "age": "12", "lang": "sw", "channels": "voice,sms"}


def _queries(client: Client, **question: str) -> tuple[int, int]:
    """Queries of a first request (nothing prepared) and of a second, different question."""
    directory_cache_clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get("/api/v1/helplines/resolve", question).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get("/api/v1/helplines/resolve", {**question, "age": "15"}).status_code == 200
    return len(cold), len(warm)


def test_a_resolve_request_does_the_same_queries_for_5_and_for_40_helplines(
    client: Client,
) -> None:
    dense_country_load("KE", 3)  # with the fixture's two: 5 helplines
    five = _queries(client, **QUESTION)
    dense_country_load("KE", 38)  # 40
    forty = _queries(client, **QUESTION)
    assert five == forty
    assert forty[1] == 1  # prepared: only the directory version is read


def _sms_number(client: Client) -> str:
    body = client.get("/api/v1/helplines/resolve", {"country": "KE", "channels": "sms"}).json()
    display: str = body["results"][0]["display"]
    return display


def _put(client: Client, entry: dict[str, Any], headers: dict[str, str]) -> None:
    response = client.put(
        f"/api/v1/helplines/{entry['id']}", data=json.dumps(entry),
        content_type="application/json", headers=headers,
    )  # fmt: skip
    assert response.status_code == 200, response.content


def _childline() -> dict[str, Any]:
    document = fixture_document("directory.json")
    entry: dict[str, Any] = next(h for h in document["helplines"] if h["id"] == "ke-test-childline")
    return entry


def test_an_edit_through_the_api_is_in_the_next_answer(
    client: Client,
    make_user: Callable[..., User],
    token_for: Callable[[User], dict[str, str]],
) -> None:
    assert _sms_number(client) == "21116"
    entry = _childline()
    entry["contacts"][1]["value"] = "21117"
    _put(client, entry, token_for(make_user(Role.BDT_STAFF, username="bdt")))
    assert _sms_number(client) == "21117"


def test_an_import_and_a_verification_are_in_the_next_answer(client: Client) -> None:
    assert _sms_number(client) == "21116"
    entry = _childline()
    entry["contacts"][1]["value"] = "21118"
    helplines_import({"format": "cophub.helplines/1", "helplines": [entry]})
    assert _sms_number(client) == "21118"
    general = Helpline.objects.get(slug="ke-test-general")
    body = client.get("/api/v1/helplines/resolve", {"country": "KE"}).json()
    assert next(r for r in body["results"] if r["helpline"] == "ke-test-general")["stale"]
    helpline_verify(helpline=general, verified_on=MONDAY_NOON_NAIROBI.date())
    body = client.get("/api/v1/helplines/resolve", {"country": "KE"}).json()
    assert not next(r for r in body["results"] if r["helpline"] == "ke-test-general")["stale"]


def test_a_change_made_by_another_process_is_seen_through_the_version(client: Client) -> None:
    assert _sms_number(client) == "21116"
    # Another process: its writes reach this one only through the database (no signal here).
    Contact.objects.filter(value="21116").update(value="21119")
    assert _sms_number(client) == "21116"  # same version: the prepared answer stands
    DirectoryVersion.objects.update_or_create(country="KE", defaults={"version": "elsewhere"})
    assert _sms_number(client) == "21119"


def test_a_change_in_another_country_keeps_this_countrys_prepared_answer(client: Client) -> None:
    assert _sms_number(client) == "21116"
    before = DirectoryVersion.objects.filter(country="KE").values_list("version", flat=True)
    kept = list(before)
    helpline = Helpline.objects.get(slug="fr-test-enfance")
    helpline_verify(helpline=helpline, verified_on=MONDAY_NOON_NAIROBI.date())
    assert list(before) == kept
    assert DirectoryVersion.objects.filter(country="FR").exists()
