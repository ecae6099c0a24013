from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.usefixtures("directory")
MONDAY_NOON_NAIROBI = "2026-11-30T09:00:00Z"
SATURDAY_2330_NAIROBI = "2026-11-28T20:30:00Z"


def resolve(client: Client, **params: str) -> Any:
    return client.get("/api/v1/helplines/resolve", params)


def test_resolve_ranks_open_child_helplines_first(client: Client) -> None:
    response = resolve(client, country="KE", at=MONDAY_NOON_NAIROBI, lang="sw", age="12")
    assert response.status_code == 200
    body = response.json()
    assert body["country"] == "KE"
    first = body["results"][0]
    assert (first["helpline"], first["channel"], first["href"]) == (
        "ke-test-childline",
        "voice",
        "tel:116",
    )
    assert first["name"] == "Simu ya Watoto (majaribio)"
    assert first["open_now"] is True and first["free"] is True and first["stale"] is False
    assert first["source_url"] == "https://example.org/ke-test-childline"
    kinds = [r["kind"] for r in body["results"] if r["open_now"]]
    assert kinds.index("general_helpline") > kinds.index("child_helpline")
    assert [f["display"] for f in body["fallback"]] == ["999"]
    unverified = next(r for r in body["results"] if r["helpline"] == "ke-test-general")
    assert unverified["stale"] is True and unverified["verified_at"] is None


def test_sms_hours_overnight_and_closed_states(client: Client) -> None:
    late_saturday = resolve(client, country="KE", channels="sms", at=SATURDAY_2330_NAIROBI)
    sms = late_saturday.json()["results"][0]
    assert sms["open_now"] is True
    assert sms["closes_at"] == "2026-11-28T23:00:00Z"  # 02:00 Sunday in Nairobi
    christmas = resolve(client, country="KE", channels="sms", at="2026-12-25T09:00:00Z")
    sms = christmas.json()["results"][0]
    assert sms["open_now"] is False
    assert sms["opens_at"] == "2026-12-26T19:00:00Z"  # Saturday 22:00 in Nairobi


def test_phone_number_gives_the_country_and_is_not_echoed(client: Client) -> None:
    response = resolve(client, phone="+254711000000", at=MONDAY_NOON_NAIROBI)
    assert response.status_code == 200
    assert response.json()["country"] == "KE"
    assert "711000000" not in response.content.decode()


def test_country_without_helplines_gets_a_plain_statement(client: Client) -> None:
    body = resolve(client, country="IS").json()
    assert body["results"] == [] and body["fallback"] == []
    assert "do not know a child helpline" in body["notice"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"country": "XX"}, "country"),
        ({}, "country"),
        ({"country": "KE", "subdivision": "FR-75"}, "subdivision"),
        ({"country": "KE", "age": "-3"}, "age"),
        ({"country": "KE", "age": "twelve"}, "age"),
        ({"country": "KE", "topic": "astrology"}, "topic"),
        ({"country": "KE", "channels": "voice,pigeon"}, "channels"),
        ({"phone": "+999"}, "phone"),
        ({"phone": "not a number"}, "phone"),
        ({"country": "KE", "at": "yesterday"}, "at"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(
    client: Client, params: dict[str, str], parameter: str
) -> None:
    response = resolve(client, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_parameter"
    assert body["details"] == {"parameter": parameter}


def test_directory_listing_and_number_registry_api(client: Client) -> None:
    helplines = client.get("/api/v1/helplines?country=KE").json()["results"]
    assert {h["id"] for h in helplines} == {
        "ke-test-childline",
        "ke-test-general",
        "ke-test-emergency",
    }
    numbers = client.get("/api/v1/numbers?country=KE").json()["results"]
    assert numbers[0]["number"] == "116"
    assert numbers[0]["current_status"] == "operational"
    assert [s["status"] for s in numbers[0]["history"]] == ["assigned", "operational"]
    assert numbers[0]["history"][0]["provider_helpline"] == "ke-test-childline"
    assert numbers[0]["checked_with"].startswith("phonenumbers ")
    france = client.get("/api/v1/numbers?country=FR").json()["results"][0]
    assert france["warnings"] == []  # libphonenumber knows 116111 in France
