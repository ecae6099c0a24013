import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_regions_groupings_languages_clauses_and_sources_are_open_data(client: Client) -> None:
    regions = client.get("/api/v1/reference/regions").json()["results"]
    assert [r["code"] for r in regions] == ["AFR", "AMS", "ARB", "ASP", "CIS", "EUR"]
    groupings = {g["code"]: g for g in client.get("/api/v1/reference/groupings").json()["results"]}
    assert "AF" in groupings["LDC"]["countries"]
    sources = {s["key"] for s in client.get("/api/v1/reference/sources").json()["results"]}
    assert {groupings[code]["source"] for code in groupings} <= sources
    official = client.get("/api/v1/reference/languages?itu_official=true").json()["results"]
    assert {lang["code"] for lang in official} == {"ar", "zh-hans", "en", "fr", "ru", "es"}
    clauses = client.get("/api/v1/reference/clauses").json()["results"]
    assert clauses[0]["official_languages"] == ["zh-hans"]


def test_bad_query_value_is_422_naming_the_parameter(client: Client) -> None:
    response = client.get("/api/v1/reference/countries?itu_member=perhaps")
    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["field"] == "itu_member"
