"""The summaries the implementation view and the activity feed read (decision 0041): every
record of the platform copied into ``CollectedRecord`` (and, per clause, ``ClauseRecord``), so
a request reads one period of a table in a fixed number of queries instead of collecting
every module (``collected.py``) each time.

They are kept current by a background task, not by the modules' services: no module may
call coordination (decision 0025). Coordination listens to Django's own model signals of the
models records are read from, and of no others (``summaries_watch``, at start-up; decision
0049): each module names them next to its ``records_in_period`` (``PERIOD_RECORD_MODELS`` in
its selectors; coordination's own, with the countries and clauses, in ``collected.py``), so
a helpline's verification, a download counter or a translation draft changes no summary and
queues nothing. After a transaction that saved or deleted one of their rows commits,
``summaries_request`` queues ``summaries_refresh`` once (a ``pending`` flag keeps it to one
queued task however many rows change). The refresh reads
every module through ``collected.records_in_period`` over all time and writes only what
differs, so a page's cursor stays valid across refreshes. ``cophub coordination_summaries
--rebuild`` does the same at once (after bulk changes, which send no signals), and
``cophub setup`` runs it."""

import logging
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django_tasks import task

from cophub.helplines import selectors as helpline_selectors
from cophub.practices import selectors as practice_selectors
from cophub.reference.models import Country
from cophub.resources import selectors as resource_selectors
from cophub.statistics import selectors as statistics_selectors
from cophub.strategies import selectors as strategy_selectors

from ..activities.models import Activity
from . import collected
from .collected import Period, Record, records_in_period
from .models import ClauseRecord, CollectedRecord, SummaryState

logger = logging.getLogger(__name__)

# The models whose rows become (or place) records: what ``collected.records_in_period`` reads,
# each module's as it declares them next to its ``records_in_period`` (decision 0049). A
# module reading a new model names it there (a test checks every table read is named).
RECORD_MODELS: tuple[type[models.Model], ...] = tuple(
    dict.fromkeys(
        (
            *collected.PERIOD_RECORD_MODELS,
            *strategy_selectors.PERIOD_RECORD_MODELS,
            *statistics_selectors.PERIOD_RECORD_MODELS,
            *helpline_selectors.PERIOD_RECORD_MODELS,
            *practice_selectors.PERIOD_RECORD_MODELS,
            *resource_selectors.PERIOD_RECORD_MODELS,
        )
    )
)
# Every record: wide enough for any record, narrow enough for every module's date arithmetic.
ALL_TIME = Period(date(1900, 1, 1), date(2999, 12, 31))
# A refresh asked for this long ago and still pending is asked for again (its task was lost).
ASK_AGAIN_AFTER = timedelta(minutes=10)
BATCH = 500
RECORD_FIELDS = (
    "on",
    "ends_on",
    "kind",
    "title",
    "clauses",
    "countries",
    "region",
    "participants",
    "regions",
)
ACTIVITY_SOURCE = "coordination.activity:"


def summary_state() -> SummaryState:
    """The row saying how current the summaries are (made on first use)."""
    state, _created = SummaryState.objects.get_or_create(pk=1)
    return state


# --- building -------------------------------------------------------------------------------


def _regions(record: Record, region_of: Mapping[str, str | None]) -> str:
    """The ITU-D regions a record counts in, as stored: " AFR EUR " (decision 0025's rule)."""
    codes = {record.region} | {region_of.get(code) for code in record.countries}
    chosen = sorted(code for code in codes if code)
    return f" {' '.join(chosen)} " if chosen else ""


def _collected_rows() -> tuple[list[CollectedRecord], list[ClauseRecord]]:
    records = records_in_period(ALL_TIME)
    region_of = dict(Country.objects.values_list("iso2", "region_id"))
    activity_ends = dict(Activity.objects.values_list("pk", "ends_on"))
    collected: list[CollectedRecord] = []
    per_clause: list[ClauseRecord] = []
    for record in records:
        ends_on = record.on
        if record.source.startswith(ACTIVITY_SOURCE):
            ends_on = activity_ends.get(int(record.source.removeprefix(ACTIVITY_SOURCE)), ends_on)
        collected.append(
            CollectedRecord(
                source=record.source,
                on=record.on,
                ends_on=ends_on,
                kind=record.kind,
                title=record.title,
                clauses=list(record.clauses),
                countries=list(record.countries),
                region=record.region or "",
                participants=record.participants,
                regions=_regions(record, region_of),
            )
        )
        per_clause.extend(
            ClauseRecord(
                clause=clause, source=record.source, kind=record.kind, on=record.on, ends_on=ends_on
            )
            for clause in dict.fromkeys(record.clauses)
        )
    return collected, per_clause


def _delete(model: type[models.Model], pks: list[int]) -> None:
    for start in range(0, len(pks), BATCH):
        model._default_manager.filter(pk__in=pks[start : start + BATCH]).delete()


def _record_values(row: CollectedRecord) -> tuple[Any, ...]:
    return tuple(getattr(row, name) for name in RECORD_FIELDS)


def _records_write(rows: list[CollectedRecord]) -> int:
    """Write what differs from the stored copy; the number of rows created, changed or
    removed."""
    stored = {row.source: row for row in CollectedRecord.objects.all()}
    wanted = {row.source for row in rows}
    removed = [row.pk for source, row in stored.items() if source not in wanted]
    created, changed = [], []
    for row in rows:
        old = stored.get(row.source)
        if old is None:
            created.append(row)
        elif _record_values(old) != _record_values(row):
            row.pk = old.pk
            changed.append(row)
    _delete(CollectedRecord, removed)
    CollectedRecord.objects.bulk_create(created, batch_size=BATCH)
    CollectedRecord.objects.bulk_update(changed, RECORD_FIELDS, batch_size=BATCH)
    return len(removed) + len(created) + len(changed)


def _clauses_write(rows: list[ClauseRecord]) -> int:
    stored = {
        (clause, source): (pk, (kind, on, ends_on))
        for pk, clause, source, kind, on, ends_on in ClauseRecord.objects.values_list(
            "pk", "clause", "source", "kind", "on", "ends_on"
        )
    }
    wanted = {(row.clause, row.source): row for row in rows}
    removed = [pk for key, (pk, _values) in stored.items() if key not in wanted]
    created, changed = [], []
    for key, row in wanted.items():
        old = stored.get(key)
        if old is None:
            created.append(row)
        elif old[1] != (row.kind, row.on, row.ends_on):
            row.pk = old[0]
            changed.append(row)
    _delete(ClauseRecord, removed)
    ClauseRecord.objects.bulk_create(created, batch_size=BATCH)
    ClauseRecord.objects.bulk_update(changed, ("kind", "on", "ends_on"), batch_size=BATCH)
    return len(removed) + len(created) + len(changed)


def summaries_rebuild() -> int:
    """Bring the summaries in line with every module's records; returns the number of rows
    written (0: they were current). The pages' cache key (``version``) changes only when
    something did."""
    collected, per_clause = _collected_rows()  # read outside the lock: it is the long part
    with transaction.atomic():
        # One refresh writes at a time (the lock is held while writing, not while reading).
        summary_state()
        SummaryState.objects.select_for_update().filter(pk=1).first()
        written = _records_write(collected) + _clauses_write(per_clause)
        if written:  # (an update, not a save: the audit log keeps people's changes)
            SummaryState.objects.filter(pk=1).update(
                version=F("version") + 1, built_at=timezone.now()
            )
    logger.info("coordination summaries refreshed", extra={"rows_written": written})
    return written


@task()
def summaries_refresh() -> int:
    """Refresh the summaries (queued by ``summaries_request``); the rows written. The flag is
    cleared first, so a change made while it runs queues the next refresh."""
    SummaryState.objects.filter(pk=1).update(pending=False)
    return summaries_rebuild()


# --- keeping them current -------------------------------------------------------------------


def summaries_request() -> None:
    """Queue a refresh unless one is already waiting (run after a change commits)."""
    now = timezone.now()
    waiting = Q(pending=False) | Q(requested_at__lt=now - ASK_AGAIN_AFTER)
    asked = SummaryState.objects.filter(waiting, pk=1).update(pending=True, requested_at=now)
    if not asked:
        _state, asked = SummaryState.objects.get_or_create(
            pk=1, defaults={"pending": True, "requested_at": now}
        )
    if asked:
        summaries_refresh.enqueue()


def _on_commit_queued() -> bool:
    connection = transaction.get_connection()
    return connection.in_atomic_block and any(
        callback is summaries_request for _savepoints, callback, *_rest in connection.run_on_commit
    )


def _record_changed(sender: type[models.Model], **kwargs: Any) -> None:
    """A row that may be (or place) a record was saved or deleted: ask for one refresh when
    the transaction commits."""
    if not settings.COPHUB_SUMMARIES_REFRESH:
        return
    if kwargs.get("raw") or str(kwargs.get("action", "post_")).startswith("pre_"):
        return  # fixtures being loaded; the "before" half of a many-to-many change
    if not _on_commit_queued():
        transaction.on_commit(summaries_request)


def summaries_watch() -> None:
    """Listen to the changes of the models records are read from (``RECORD_MODELS``; the
    app's ``ready()``), many-to-many tables included where a record reads the relation. Each
    model is named as a sender, so other models keep Django's fast deletes."""
    for model in RECORD_MODELS:
        uid = f"coordination-summaries-{model._meta.label_lower}"
        post_save.connect(_record_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_record_changed, sender=model, dispatch_uid=uid)
        m2m_changed.connect(_record_changed, sender=model, dispatch_uid=uid)
