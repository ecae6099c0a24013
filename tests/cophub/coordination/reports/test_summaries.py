"""The summaries the implementation view and the activity feed read (decision 0041): they
give what collecting every module gives (``collected.records_in_period``, the oracle), a
change is visible on the next request once the refresh that follows it has run, and the
pages and API operations cost the same number of queries whatever the number of records."""

import json
from collections.abc import Callable
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cophub.accounts.models import User
from cophub.coordination.activities.services import activity_record
from cophub.coordination.implementation.selectors import STUDY_PERIOD_START
from cophub.coordination.models import Activity, ClauseRecord, CollectedRecord, SummaryState
from cophub.coordination.reports.collected import Period, records_in_period
from cophub.coordination.reports.summaries import summaries_rebuild
from cophub.reference.selectors import operative_clauses

pytestmark = pytest.mark.django_db

DEMO_COMMANDS = (
    "load_demo_accounts",
    "load_demo_helplines",
    "load_demo_statistics",
    "load_demo_resources",
    "load_demo_strategies",
    "load_demo_coordination",
)
REGIONS = ("AFR", "AMS", "ARB", "ASP", "CIS", "EUR")
CLAUSES = ("BDT-5", "BDT-7", "BDT-9", "BDT-11")


def _activities(user: User, count: int, *, first: int = 0) -> None:
    """``count`` activities through the service: every region, several countries and
    clauses, some spanning months (they count in every period they overlap)."""
    today = timezone.localdate()
    countries = ("KE", "ET", "BR", "FR", "EG", "IN", "RU", "DE")
    for n in range(first, first + count):
        starts_on = today - timedelta(days=200 - 9 * n)
        activity_record(
            user=user,
            kind=Activity.Kind.TRAINING if n % 2 else Activity.Kind.WORKSHOP,
            title=f"Activity {n}",
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=(n % 4) * 40),
            region=REGIONS[n % len(REGIONS)] if n % 3 else None,
            countries=[countries[n % len(countries)], countries[(n + 3) % len(countries)]],
            clauses=[CLAUSES[n % len(CLAUSES)], CLAUSES[(n + 1) % len(CLAUSES)]],
            participants=n,
        )


def _feed(client: Client, headers: dict[str, str], period: Period) -> list[dict[str, Any]]:
    """Every row of the feed API for ``period``, following ``next``."""
    query = f"start={period.start}&end={period.end}&page_size=7"
    if period.regions:
        query += f"&region={next(iter(period.regions))}"
    rows: list[dict[str, Any]] = []
    link: str | None = f"/api/v1/coordination/activities?{query}"
    while link:
        response = client.get(link, headers=headers)  # type: ignore[arg-type]
        assert response.status_code == 200, response.content[:300]
        rows += response.json()["results"]
        link = response.json()["next"]
    return rows


def _old_implementation(today: date) -> dict[str, dict[str, Any]]:
    """What the implementation view computed by collecting every module on each request."""
    everything = records_in_period(Period(STUDY_PERIOD_START, today))
    rows = {}
    for clause in operative_clauses():
        mine = [record for record in everything if clause.pk in record.clauses]
        kinds: dict[str, int] = {}
        for record in mine:
            kinds[record.kind] = kinds.get(record.kind, 0) + 1
        latest = mine[-1].on.isoformat() if mine else None
        rows[clause.pk] = {"evidence": len(mine), "evidence_by_kind": kinds, "latest": latest}
    return rows


def test_the_summaries_give_what_collecting_every_module_gives(
    client: Client, bdt_staff: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    for command in DEMO_COMMANDS:
        call_command(command, verbosity=0)
    _activities(bdt_staff, 12)
    summaries_rebuild()
    headers = token_for(bdt_staff)
    today = timezone.localdate()
    periods = [
        Period(today - timedelta(days=90), today + timedelta(days=90)),
        Period(date(2000, 1, 1), date(2099, 12, 31)),
        Period(today - timedelta(days=120), today - timedelta(days=30)),  # activities overlap
        *(Period(today - timedelta(days=365), today, frozenset({r})) for r in REGIONS),
    ]
    compared = 0
    for period in periods:
        expected = [json.loads(json.dumps(r.as_json())) for r in records_in_period(period)]
        assert _feed(client, headers, period) == expected, period
        compared += len(expected)
    assert compared > 200 and CollectedRecord.objects.count() > 100
    live = client.get("/api/v1/coordination/implementation").json()
    found = {row["clause"]: {name: row[name] for name in _old_implementation(today)["BDT-5"]}
             for row in live}  # fmt: skip
    assert found == _old_implementation(today)
    assert sum(row["evidence"] for row in live) > 50
    # A second rebuild finds nothing to change and keeps the cache key.
    version = SummaryState.objects.get().version
    assert summaries_rebuild() == 0 and SummaryState.objects.get().version == version


def test_a_change_is_visible_on_the_next_request_after_its_refresh(
    client: Client, bdt_staff: User, refreshing: Callable[[], Any]
) -> None:
    def evidence(clause: str) -> int:
        rows = client.get("/api/v1/coordination/implementation").json()
        return int(next(row for row in rows if row["clause"] == clause)["evidence"])

    def page() -> str:
        return client.get("/en/coordination/implementation/").content.decode()

    summaries_rebuild()  # the records of the shared fixtures
    before = evidence("BDT-11")
    assert "Activity 7" not in str(list(CollectedRecord.objects.values_list("title")))
    with refreshing():
        _activities(bdt_staff, 1, first=7)  # serves BDT-11 and BDT-5
    assert evidence("BDT-11") == before + 1
    assert SummaryState.objects.get().pending is False
    assert CollectedRecord.objects.filter(title="Activity 7").exists()

    # Without a refresh (a bulk change sends no signal) the cached answer stays...
    shown = page()
    Activity.objects.filter(
        title="Activity 7"
    ).delete()  # (outside `refreshing()` nothing commits: no refresh runs)
    assert evidence("BDT-11") == before + 1 and page() == shown
    # ...until the summaries are rebuilt: the command repairs them.
    out = StringIO()
    call_command("coordination", "summaries", stdout=out)
    assert "Summaries rebuilt: 3 rows written." in out.getvalue()  # the record, two clauses
    assert evidence("BDT-11") == before
    assert not ClauseRecord.objects.filter(source__startswith="coordination.activity:").exists()


def _queries(client: Client, path: str, headers: dict[str, str] | None = None) -> int:
    cache.clear()  # the cost of a miss: the summaries read afresh
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers or {})  # type: ignore[arg-type]
    assert response.status_code == 200, (path, response.content[:300])
    return len(queries)


def test_the_pages_cost_the_same_queries_whatever_the_number_of_records(
    client: Client, bdt_staff: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    today = timezone.localdate()
    feed = f"?start={today - timedelta(days=365)}&end={today + timedelta(days=1500)}"
    staff = Client()
    staff.force_login(bdt_staff)
    headers = token_for(bdt_staff)

    def counts() -> list[int]:
        return [
            _queries(client, "/en/coordination/implementation/"),
            _queries(client, "/api/v1/coordination/implementation"),
            _queries(staff, f"/en/coordination/activities/{feed}"),
            _queries(staff, f"/en/coordination/activities/{feed}&region=AFR"),
            _queries(client, f"/api/v1/coordination/activities{feed}", headers),
        ]

    _activities(bdt_staff, 4)
    summaries_rebuild()
    counts()  # (the first use of the token records when it was used)
    small = counts()
    _activities(bdt_staff, 150, first=4)  # more than a page of the feed (100) and the API's
    summaries_rebuild()
    assert CollectedRecord.objects.count() == 154
    assert counts() == small
    # A cached implementation view reads only how current the summaries are, and the
    # clauses and their readings.
    client.get("/api/v1/coordination/implementation")
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/coordination/implementation")
    assert len(queries) == 3
    page = staff.get(f"/en/coordination/activities/{feed}").content.decode()
    assert "154 records from" in page and 'rel="next"' in page  # more than a page
