"""Reads of the summaries (decision 0041): the records of a period for the activity feed, and
each clause's evidence for the implementation view, each in a fixed number of queries
whatever the number of records."""

from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, DateField, Max, Q, QuerySet, Value
from django.db.models.functions import Greatest

from .collected import Period
from .models import ClauseRecord, CollectedRecord
from .summaries import summary_state

# The feed's order: the day a record counts on in the period, then its source (the order of
# ``collected.records_in_period``); the primary key comes last (``portal/paging.py``).
FEED_ORDERING = ("shown_on", "source")
EVIDENCE_CACHE_SECONDS = 24 * 60 * 60


def feed_records(period: Period) -> QuerySet[CollectedRecord]:
    """The records of ``period`` (in its regions; none: all, with the global records), as
    ``collected.records_in_period`` gives them: an activity counts in every period it overlaps,
    on the period's first day when it started before (``shown_on``)."""
    records = CollectedRecord.objects.filter(on__lte=period.end, ends_on__gte=period.start)
    if period.regions:
        chosen = Q(pk__in=[])
        for region in sorted(period.regions):
            chosen |= Q(regions__contains=f" {region} ")
        records = records.filter(chosen)
    return records.annotate(shown_on=Greatest("on", Value(period.start, output_field=DateField())))


def shown_on(record: CollectedRecord) -> date:
    """The day a record of ``feed_records`` counts on in the period."""
    day: date = record.shown_on  # type: ignore[attr-defined]  # (annotated by feed_records)
    return day


def feed_record_json(record: CollectedRecord) -> dict[str, Any]:
    """A feed row as ``PeriodRecord.as_json`` gives it (the API's shape)."""
    return {
        "on": shown_on(record).isoformat(),
        "kind": record.kind,
        "title": record.title,
        "source": record.source,
        "clauses": record.clauses,
        "countries": record.countries,
        "region": record.region or None,
        "participants": record.participants,
    }


def clause_evidence(start: date, end: date) -> dict[str, dict[str, Any]]:
    """Per clause: the records serving it in ``start``–``end`` (``evidence``), their number
    by kind and the last day one counts on (``latest``), in one query."""
    counts = (
        ClauseRecord.objects.filter(on__lte=end, ends_on__gte=start)
        .values("clause", "kind")
        .annotate(records=Count("pk"), latest=Max("on"))
        .order_by("clause", "kind")
    )
    evidence: dict[str, dict[str, Any]] = {}
    for row in counts:
        clause = evidence.setdefault(
            row["clause"], {"evidence": 0, "evidence_by_kind": {}, "latest": None}
        )
        clause["evidence"] += row["records"]
        clause["evidence_by_kind"][row["kind"]] = row["records"]
        latest = max(row["latest"], start)
        clause["latest"] = max(clause["latest"] or latest, latest)
    return evidence


def clause_evidence_cached(start: date, end: date) -> dict[str, dict[str, Any]]:
    """``clause_evidence`` through the cache, keyed by the summaries' version and the period:
    a refresh that changed anything, or a new day, reads it afresh. The refresh's time is in
    the key too: a database restored from a backup (or rolled back) counts versions again
    from an earlier number, and must not meet answers cached for other data."""
    state = summary_state()
    built = state.built_at.timestamp() if state.built_at else 0
    key = f"coordination:clause-evidence:{state.version}:{built}:{start}:{end}"
    evidence: dict[str, dict[str, Any]] | None = cache.get(key)
    if evidence is None:
        evidence = clause_evidence(start, end)
        cache.set(key, evidence, EVIDENCE_CACHE_SECONDS)
    return evidence
