"""Every GET page and API operation costs the same number of queries with more rows: each is
requested anonymously, as BDT staff and as a Member State focal point on the demo data, then
again after rows are added to every module (``query_guard_rows``); a count that grows is a
query per row (issue 17 item 6). A new route fails here until it is guarded (its parameters
are filled below) or allowlisted with the reason it cannot be.

One module-scoped transaction holds both sizes and is rolled back at the end, so the rest of
the session sees the test database as before."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from cophub.accounts.models import User
from tests.query_guards import Endpoint, api_endpoints, page_endpoints, queries_of

from .query_guard_rows import more_rows, parameter_values

pytestmark = pytest.mark.django_db

DEMO_COMMANDS = (
    "load_demo_accounts",
    "load_demo_helplines",
    "load_demo_statistics",
    "load_demo_resources",
    "load_demo_strategies",
    "load_demo_coordination",
)
ROLES = {"anonymous": None, "bdt-staff": "bdt-staff", "focal-ke": "focal-ke"}

# Routes not guarded here, each with why. "TO FIX" marks a query per row found and left to
# the part of the code that owns it.
ALLOWLIST = {
    # Not pages of this site: Wagtail's own password and sign-in forms for restricted pages.
    "resources/_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": (
        "Wagtail's own view for password-protected pages (none exist)"
    ),
    "resources/_util/login/": "Wagtail's own sign-in form for restricted pages",
    # Known, owned by another part of issue 17 (item 5: summary tables).
    "coordination/implementation/": "known: the implementation view reads per clause (item 5)",
    "/api/v1/coordination/implementation": "known: the implementation view (item 5)",
    "coordination/activities/": "known: the activity feed collects every module (item 5)",
    "/api/v1/coordination/activities": "known: the activity feed (item 5)",
}

# Routes that answer BDT staff 404 with the demo data, each with why (their count is guarded
# all the same).
NOT_FOUND_FOR_STAFF = {
    "help/verify/<str:token>/": "a verification link is signed; a forged one is refused",
    "help/verify/<str:token>/change/": "a verification link is signed; a forged one is refused",
    "/api/v1/coordination/documents/{document_id}/versions/{language}/file": (
        "the demo's documents carry no files"
    ),
}


def _measure(
    endpoints: list[Endpoint], values: dict[str, Any], clients: dict[str, Client]
) -> dict[tuple[str, str], tuple[int, int]]:
    counts = {}
    for endpoint in endpoints:
        if endpoint.route in ALLOWLIST:
            continue
        url, query = values_url(endpoint, values)
        for role, client in clients.items():
            counts[endpoint.route, role] = queries_of(client, url, query)
    return counts


def values_url(endpoint: Endpoint, values: dict[str, Any]) -> tuple[str, dict[str, str]]:
    special = values.get("routes", {}).get(endpoint.route)
    if special is not None:
        return special
    return endpoint.url(values.get(endpoint.route, values)), {}


@pytest.fixture(scope="module")
def measured(
    django_db_setup: None, django_db_blocker: Any
) -> Iterator[dict[str, dict[tuple[str, str], tuple[int, int]]]]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            for command in DEMO_COMMANDS:
                call_command(command, verbosity=0)
            clients = {}
            for role, username in ROLES.items():
                client = Client()
                if username:
                    client.force_login(
                        User.objects.get(username=username),
                        backend="django.contrib.auth.backends.ModelBackend",
                    )
                clients[role] = client
            endpoints = page_endpoints() + api_endpoints()
            values = parameter_values()
            demo = _measure(endpoints, values, clients)
            more_rows()
            larger = _measure(endpoints, values, clients)
            if os.environ.get("QUERY_GUARDS_REPORT"):  # the counts, for a person to read
                Path(os.environ["QUERY_GUARDS_REPORT"]).write_text(
                    "\n".join(
                        f"{route}\t{role}\t{demo[route, role]}\t{larger[route, role]}"
                        for route, role in demo
                    )
                )
            yield {"demo": demo, "larger": larger}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_no_query_count_grows_with_the_rows(
    measured: dict[str, dict[tuple[str, str], tuple[int, int]]],
) -> None:
    grown = {
        f"{route} as {role}": f"{measured['demo'][route, role]} -> {after}"
        for (route, role), after in measured["larger"].items()
        if after[1] > measured["demo"][route, role][1]
    }
    assert not grown, "(status, queries) grew:\n" + "\n".join(f"{k}: {v}" for k, v in grown.items())


def test_every_get_route_is_guarded_or_allowlisted(
    measured: dict[str, dict[tuple[str, str], tuple[int, int]]],
) -> None:
    routes = {endpoint.route for endpoint in page_endpoints() + api_endpoints()}
    guarded = {route for route, _role in measured["demo"]}
    assert routes - guarded - set(ALLOWLIST) == set()
    assert set(ALLOWLIST) - routes == set(), "allowlisted routes that no longer exist"


def test_the_guards_reach_the_pages(
    measured: dict[str, dict[tuple[str, str], tuple[int, int]]],
) -> None:
    """Parameters name real objects: BDT staff get most routes, not a 404 from a wrong id."""
    missing = sorted(
        route
        for (route, role), (status, _queries) in measured["demo"].items()
        if role == "bdt-staff" and status == 404 and route not in NOT_FOUND_FOR_STAFF
    )
    assert missing == [], missing
