"""Every JSON list of the API pages by cursor (issue 17, decision 0036): the OpenAPI schema
says so for each list (``page_size`` with its default and maximum, ``cursor``, a ``next``
link); a page never holds more than the maximum; following ``next`` gives every row exactly
once, in the list's order; and a page costs the same number of queries whatever the size of
the table."""

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cophub.accounts.models import Organisation, User
from cophub.coordination.activities.models import Partner
from cophub.helplines.models import CopNumber, Helpline
from cophub.reference.models import Country

pytestmark = pytest.mark.django_db

# GET operations that answer a whole list on purpose, and why it cannot grow with the data.
WHOLE_LISTS = {
    "/api/v1/helplines/coverage": "one row per ITU Member State",
    "/api/v1/coordination/implementation": "one row per operative clause of the resolution",
    "/api/v1/resources/search": "capped at MAX_SEARCH_RESULTS matches",
    "/api/v1/resources/dissemination/downloads": "one row per country and language",
    "/api/v1/strategies/assessments/{assessment_id}/sections": "one row per framework section",
}


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _list_operations(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(path, operation, paged) for every GET answering a list."""
    for path, methods in spec["paths"].items():
        operation = methods.get("get")
        if operation is None:
            continue
        content = operation["responses"].get("200", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema", {})
        if schema.get("type") == "array":
            yield path, operation, False
        elif set(_resolve(spec, schema).get("properties", {})) == {"next", "previous", "results"}:
            yield path, operation, True


def test_every_list_pages_and_the_schema_documents_it(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    lists = list(_list_operations(spec))
    whole = {path for path, _operation, paged in lists if not paged}
    assert whole == set(WHOLE_LISTS)
    paged = [(path, operation) for path, operation, is_paged in lists if is_paged]
    assert len(paged) >= 34
    for path, operation in paged:
        parameters = {p["name"]: p for p in operation.get("parameters", [])}
        size = parameters["page_size"]["schema"]
        assert size["minimum"] == 1 and size["default"] <= size["maximum"], path
        assert str(size["maximum"]) in parameters["page_size"]["description"], path
        assert "cursor" in parameters, path
        page = _resolve(
            spec, operation["responses"]["200"]["content"]["application/json"]["schema"]
        )
        assert "next page" in page["properties"]["next"]["description"], path


# --- every paged list of the demo, walked two rows at a time ---------------------------------


def _walk(client: Client, url: str, headers: dict[str, str], size: int) -> list[str]:
    """Every row of the list, following ``next`` from the first page of ``size`` rows."""
    rows: list[str] = []
    link: str | None = f"{url}{'&' if '?' in url else '?'}page_size={size}"
    while link:
        response = client.get(link, headers=headers)  # type: ignore[arg-type]
        assert response.status_code == 200, (url, response.content[:300])
        page = response.json()
        assert len(page["results"]) <= size, url
        rows += [json.dumps(row, sort_keys=True) for row in page["results"]]
        link = page["next"]
        assert len(rows) < 5000, url
    return rows


@pytest.fixture
def demo(bdt_staff: User, token_for: Callable[[User], dict[str, str]]) -> dict[str, str]:
    for command in (
        "load_demo_accounts",
        "load_demo_helplines",
        "load_demo_statistics",
        "load_demo_resources",
        "load_demo_strategies",
        "load_demo_coordination",
    ):
        call_command(command, verbosity=0)
    return token_for(bdt_staff)


def _urls(client: Client, headers: dict[str, str]) -> list[tuple[str, int]]:
    """The paged lists of the demo as BDT staff, path parameters taken from the demo."""
    spec = client.get("/api/v1/openapi.json").json()
    first = {
        "{assessment_id}": "/api/v1/strategies/assessments",
        "{meeting_id}": "/api/v1/coordination/meetings",
        "{dataset_id}": "/api/v1/statistics/datasets",
        "{reference}": "/api/v1/practices/submissions",
        "{report_id}": "/api/v1/coordination/reports",
        "{pk}": "/api/v1/helplines/verification/campaigns",
    }
    # Lists that need a filter: the widest one.
    queries = {"/api/v1/coordination/activities": "?start=2000-01-01&end=2099-12-31"}
    ids = {}
    for name, url in first.items():
        results = client.get(url, headers=headers).json()["results"]  # type: ignore[arg-type]
        assert results, url
        ids[name] = str(results[0].get("id", results[0].get("reference")))
    urls = []
    for path, operation, paged in _list_operations(spec):
        if paged:
            for name, value in ids.items():
                path = path.replace(name, value)
            size = next(p for p in operation["parameters"] if p["name"] == "page_size")
            urls.append((path + queries.get(path, ""), size["schema"]["maximum"]))
    return urls


def test_following_next_gives_every_row_once_in_order(client: Client, demo: dict[str, str]) -> None:
    walked = 0
    for url, maximum in _urls(client, demo):
        if client.get(url, headers=demo).status_code == 403:  # type: ignore[arg-type]
            continue  # (a working copy's answers are its respondents' only)
        everything = _walk(client, url, demo, maximum)
        rows = _walk(client, url, demo, 2)
        assert rows == everything, url
        if "translations" not in url:  # (with a status filter a page may be short)
            assert len(rows) == len(set(rows)), url
        walked += len(rows) > 2
    assert walked >= 20  # most lists of the demo span several pages of two


# --- more rows than the maximum page size, and queries that do not grow with them -----------


def _helplines(count: int, start: int) -> None:
    Helpline.objects.bulk_create(
        Helpline(
            slug=f"zz-paging-{start + n:04d}",
            country_id="KE",
            names={"en": f"Paging {n}"},
            kind="child_helpline",
            timezone="Africa/Nairobi",
            source_url="https://example.org/",
            source_type="other",
        )
        for n in range(count)
    )


def _numbers(count: int, start: int) -> None:
    CopNumber.objects.bulk_create(
        CopNumber(country_id="KE", number=f"9{start + n:05d}", purpose="other")
        for n in range(count)
    )


def _organisations(count: int, start: int) -> None:
    Organisation.objects.bulk_create(
        Organisation(name=f"Org {start + n:04d}", code=f"org-{start + n:04d}", kind="ngo")
        for n in range(count)
    )


def _partners(count: int, start: int) -> None:
    Partner.objects.bulk_create(
        Partner(name=f"Partner {start + n:04d}", kind="other") for n in range(count)
    )


TABLES = {
    "/api/v1/helplines": (_helplines, 200),
    "/api/v1/numbers": (_numbers, 200),
    "/api/v1/organisations": (_organisations, 200),
    "/api/v1/coordination/partners": (_partners, 200),
}


@pytest.mark.parametrize("url", list(TABLES))
def test_a_page_holds_at_most_the_maximum_and_costs_the_same_at_any_size(
    client: Client, bdt_staff: User, token_for: Callable[[User], dict[str, str]], url: str
) -> None:
    grow, maximum = TABLES[url]
    headers = token_for(bdt_staff)
    client.get(url, headers=headers)  # type: ignore[arg-type]  # (the token's first use)
    grow(30, 0)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, headers=headers).status_code == 200  # type: ignore[arg-type]
    grow(maximum + 20, 1000)
    with CaptureQueriesContext(connection) as large:
        first = client.get(url, headers=headers).json()  # type: ignore[arg-type]
    assert len(large.captured_queries) == len(small.captured_queries), url
    assert len(first["results"]) == 50 and first["next"] is not None  # the default page
    full = client.get(f"{url}?page_size={maximum}", headers=headers).json()  # type: ignore[arg-type]
    assert len(full["results"]) == maximum and full["next"]
    refused = client.get(f"{url}?page_size={maximum + 1}", headers=headers)  # type: ignore[arg-type]
    assert refused.status_code == 422
    assert refused.json()["details"]["errors"][0]["field"] == "page_size"
    rows = _walk(client, url, headers, maximum)
    assert len(rows) == len(set(rows)) >= maximum + 50
    # The last page, reached by its cursor, costs what the first did.
    link = client.get(f"{url}?page_size=2", headers=headers).json()["next"]  # type: ignore[arg-type]
    with CaptureQueriesContext(connection) as later:
        assert client.get(link, headers=headers).status_code == 200  # type: ignore[arg-type]
    assert len(later.captured_queries) == len(small.captured_queries), url


def test_previous_goes_back_to_the_page_before(client: Client) -> None:
    countries = [c.iso2 for c in Country.objects.order_by("iso2")]
    first = client.get("/api/v1/reference/countries?page_size=5").json()
    second = client.get(first["next"]).json()
    assert [c["iso2"] for c in second["results"]] == countries[5:10]
    back = client.get(second["previous"]).json()
    assert back["results"] == first["results"]


@pytest.mark.parametrize(
    "forged",
    [
        "not-base64!",
        "cD1hYmM=",  # p=abc
        "bz0tNQ==",  # o=-5
        "cD0lNUIxJTJDKzIlNUQ=",  # p=[1, 2] (helplines order by country, slug and key: three)
        "cD0lNUIlMjJLRSUyMiUyQyslMjJ4JTIyJTJDKyUyMmFiYyUyMiU1RA==",  # p=["KE", "x", "abc"]
        "cD0lNUIlMjJLRSUyMiUyQyslMjIlNUN1MDAwMCUyMiUyQysxJTVE",  # p=["KE", "\u0000", 1]
        "cD0lNUIlNUIlNUIlNUIlNUIlNUIlNUIlNUIlNUIlNUIlNUIlNUIlNUIlNUIlNUIlNUIlNUIlNUI=",  # p=[[[…
    ],
)
def test_a_forged_cursor_is_refused_naming_it(client: Client, forged: str) -> None:
    refused = client.get(f"/api/v1/helplines?cursor={forged}")
    assert refused.status_code == 422, refused.content
    assert refused.json()["details"]["errors"][0]["field"] == "cursor"
