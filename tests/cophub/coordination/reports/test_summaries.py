"""The summaries the implementation view and the activity feed read (decision 0041): they
give what collecting every module gives (``collected.records_in_period``, the oracle), a
change is visible on the next request once the refresh that follows it has run, only a
change to a model records are read from asks for one (decision 0049), and the pages and API
operations cost the same number of queries whatever the number of records."""

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cophub.accounts.models import User
from cophub.coordination.activities.services import activity_record
from cophub.coordination.implementation.selectors import STUDY_PERIOD_START
from cophub.coordination.models import (
    Activity,
    ClauseRecord,
    CollectedRecord,
    Partner,
    SummaryState,
)
from cophub.coordination.reports.collected import Period, records_in_period
from cophub.coordination.reports.summaries import (
    ALL_TIME,
    RECORD_MODELS,
    _collected_rows,
    summaries_rebuild,
    summaries_request,
)
from cophub.helplines.models import Contact, Helpline, Topic
from cophub.helplines.services import helplines_import
from cophub.reference.selectors import operative_clauses
from cophub.statistics.models import Dataset, DatasetEvent

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
HELPLINES = Path(__file__).parents[2] / "helplines" / "fixtures" / "directory.json"
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


def _watched(model: type[models.Model]) -> bool:
    """Whether ``summaries_watch`` listens to the saves, deletes and many-to-many changes of
    ``model`` (its receivers, as connected at start-up)."""
    uid = f"coordination-summaries-{model._meta.label_lower}"
    return all(
        any(key[0] == uid for key, *_rest in signal.receivers)
        for signal in (post_save, post_delete, m2m_changed)
    )


def _refreshes_asked(callbacks: list[Callable[[], Any]]) -> int:
    return sum(callback is summaries_request for callback in callbacks)


def test_only_a_change_to_a_model_records_are_read_from_queues_a_refresh(
    settings: Any, django_capture_on_commit_callbacks: Any, bdt_staff: User
) -> None:
    helplines_import(json.loads(HELPLINES.read_text(encoding="utf-8")))
    helpline = Helpline.objects.first()
    assert helpline is not None
    partner = Partner.objects.create(name="Partner")
    activity = activity_record(
        user=bdt_staff, kind=Activity.Kind.WORKSHOP, title="A workshop",
        starts_on=timezone.localdate(), clauses=["BDT-5"],
    )  # fmt: skip
    settings.COPHUB_SUMMARIES_REFRESH = True

    # Rows no record is read from: a helpline's contact and topics (a many-to-many no record
    # reads), a user's sign-in, a dataset and its history, an activity's partners.
    with django_capture_on_commit_callbacks() as callbacks:
        contact = Contact.objects.filter(helpline=helpline).first()
        assert contact is not None
        contact.value = "+254 116"
        contact.save()
        helpline.topics.add(Topic.objects.create(code="watch-test", names={"en": "Watch"}))
        bdt_staff.last_login = timezone.now()
        bdt_staff.save()
        dataset = Dataset.objects.create(
            kind=Dataset.Kind.AGGREGATE, country_id="KE", year=2025, title="Counts"
        )
        DatasetEvent.objects.create(dataset=dataset, action=DatasetEvent.Action.UPLOADED)
        activity.partners.add(partner)
    assert _refreshes_asked(callbacks) == 0
    assert SummaryState.objects.filter(pending=True).count() == 0

    # Rows records are read from: one refresh for the transaction, however many rows.
    with django_capture_on_commit_callbacks() as callbacks:
        activity.title = "A workshop, renamed"
        activity.save()
        activity.countries.add("KE")
        helpline.slug = f"{helpline.slug}-renamed"
        helpline.save()
        partner.name = "Partner, renamed"  # a part of its agreements' titles
        partner.save()
    assert _refreshes_asked(callbacks) == 1


def test_every_table_the_records_are_read_from_is_watched(bdt_staff: User) -> None:
    """A model a module starts reading for its records must be named in its
    ``PERIOD_RECORD_MODELS``, or its changes would leave the summaries stale: every table the
    summaries' build reads (and the regional reads, which join the countries) belongs to a
    watched model, and every watched model is read."""
    for command in DEMO_COMMANDS:
        call_command(command, verbosity=0)
    _activities(bdt_staff, 3)
    ContentType.objects.clear_cache()  # (its first read is a query: see it too)
    with CaptureQueriesContext(connection) as queries:
        collected, _per_clause = _collected_rows()
        records_in_period(Period(ALL_TIME.start, ALL_TIME.end, frozenset(REGIONS)))
    # Every kind of record is there, so every query of every module ran.
    assert {row.source.split(":")[0] for row in collected} == {
        "coordination.activity", "coordination.meeting", "coordination.liaisonstatement",
        "coordination.document", "coordination.agreement", "strategies.assistancerequest",
        "strategies.assessment", "strategies.countryprofile", "statistics.release",
        "helplines.helpline", "helplines.numberstatus", "practices.submission",
        "resources.resourcepage", "resources.disseminationevent",
    }  # fmt: skip
    tables = {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}
    read = {
        tables[name]
        for query in queries.captured_queries
        for name in re.findall(r'"(\w+)"', query["sql"])
        if name in tables
    }
    # Written only with a watched row: a helpline's creation entry in the audit log (in the
    # helpline's own save), and Wagtail's page row of a resource page (which signals as the
    # ResourcePage). Content types do not change.
    parents = {parent for model in read if _watched(model) for parent in model._meta.parents}
    not_watched = {LogEntry, ContentType, *parents}
    assert {model._meta.label for model in read - not_watched if not _watched(model)} == set()
    # ...and no model is watched that no record is read from (a stale name would refresh
    # the summaries after changes that cannot alter them).
    assert {model._meta.label for model in RECORD_MODELS if model not in read} == set()


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
