"""Writes for helplines: importing the directory and the number registry (all or nothing),
verifying entries, and counting anonymous reach."""

import atexit
import json
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from cophub.accounts.services import demo_organisation_ensure
from cophub.portal.errors import InvalidInput
from cophub.reference.models import Country

from .directory_format import FORMAT, _error, _schema, directory_validate
from .models import Contact, CopNumber, Helpline, NumberStatus, ReachCount, Topic

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def topics_load() -> int:
    """Load the topic taxonomy from ``data/topics.json`` (parents first)."""
    document = json.loads((DATA_DIR / "topics.json").read_text(encoding="utf-8"))
    for entry in document["topics"]:
        Topic.objects.update_or_create(
            code=entry["code"], defaults={"names": entry["names"], "parent_id": entry["parent"]}
        )
    return len(document["topics"])


@transaction.atomic
def helplines_import(document: Any) -> ImportResult:
    """Create or update every helpline of a ``cophub.helplines/1`` document, or none of them:
    any error anywhere rejects the whole file (``InvalidInput`` lists them by JSON path)."""
    topics_load()  # the taxonomy shipped with the code is the one entries are checked against
    validated = directory_validate(document)
    created = updated = 0
    for raw in validated.documents:
        source = raw["source"]
        fields: dict[str, Any] = {
            "names": raw["name"],
            "country_id": raw["country"],
            "subdivisions": raw.get("subdivisions", []),
            "kind": raw["kind"],
            "age_min": raw.get("age_min"),
            "age_max": raw.get("age_max"),
            "languages": raw.get("languages", []),
            "timezone": raw.get("timezone", "UTC"),
            "operator_name": raw.get("operator", ""),
            "chi_member": raw.get("chi_member"),
            "website": raw.get("website", ""),
            "source_url": source["url"],
            "source_type": source["type"],
            "source_note": source.get("note", ""),
            "verified_at": date.fromisoformat(source["verified_at"])
            if source.get("verified_at")
            else None,
        }
        # The owner comes only from ``owner`` (an organisation's stable code); an entry that
        # leaves it out keeps its owner. ``operator`` is display text and grants nothing.
        if "owner" in raw:
            owner = raw["owner"]
            fields["organisation_id"] = validated.owners[owner] if owner is not None else None
        helpline, was_created = Helpline.objects.update_or_create(slug=raw["id"], defaults=fields)
        helpline.topics.set(raw.get("topics", []))
        helpline.contacts.all().delete()
        Contact.objects.bulk_create(
            Contact(
                helpline=helpline,
                position=position,
                channel=contact["channel"],
                value=contact["value"].strip(),
                free=contact.get("free"),
                hours=contact.get("hours"),
                closed_on=contact.get("closed_on", []),
            )
            for position, contact in enumerate(raw["contacts"])
        )
        created += was_created
        updated += not was_created
    # Pairs once every entry exists; ``paired_with`` left out keeps the pairs. The relation is
    # symmetric, so setting one side sets (or clears) the other.
    for raw in validated.documents:
        if "paired_with" in raw:
            Helpline.objects.get(slug=raw["id"]).paired_with.set(
                Helpline.objects.filter(slug__in=raw["paired_with"])
            )
    return ImportResult(created=created, updated=updated)


def demo_helplines_load() -> tuple[ImportResult, int]:
    """The demo directory and number registry shipped in ``data/`` (real, sourced entries,
    none marked as verified). Entries name their owner explicitly (Childline Kenya's, for the
    demo helpline editor); those demo organisations are created first if missing."""
    directory = json.loads((DATA_DIR / "demo_helplines.json").read_text(encoding="utf-8"))
    numbers = json.loads((DATA_DIR / "demo_numbers.json").read_text(encoding="utf-8"))
    for owner in {entry["owner"] for entry in directory["helplines"] if entry.get("owner")}:
        demo_organisation_ensure(owner)
    return helplines_import(directory), numbers_import(numbers)


@transaction.atomic
def helpline_update(*, helpline: Helpline, document: Any) -> Helpline:
    """Replace one entry with ``document`` (the open data format), all or nothing. An edited
    entry is no longer verified: BDT staff verify it again against its source."""
    if document.get("id") != helpline.slug or document.get("country") != helpline.country_id:
        raise InvalidInput(
            _("The identifier and country of an entry cannot be changed."),
            details={
                "errors": [
                    {
                        "field": "$.id",
                        "code": "immutable",
                        "message": _("This value cannot be changed."),
                    }
                ]
            },
        )
    document = {**document, "source": {**document.get("source", {}), "verified_at": None}}
    try:
        helplines_import({"format": FORMAT, "helplines": [document]})
    except InvalidInput as rejected:
        # Paths relative to the entry that was sent, not to the wrapper document.
        for error in rejected.details.get("errors", []):
            error["field"] = "$" + error["field"].removeprefix("$.helplines[0]")
        raise
    # Whoever confirmed the old entry, and what was checked, no longer speak for this one.
    Helpline.objects.filter(pk=helpline.pk).update(verified_by="", verification_checks={})
    helpline.refresh_from_db()
    return helpline


@transaction.atomic
def helpline_verify(*, helpline: Helpline, verified_on: date) -> Helpline:
    """BDT staff confirm the entry against its source on ``verified_on``."""
    helpline.verified_at = verified_on
    helpline.save(update_fields=["verified_at", "updated_at"])
    return helpline


@transaction.atomic
def numbers_import(document: Any) -> int:
    """Load a ``cophub.numbers/1`` registry document, all or nothing."""
    validator = jsonschema.Draft202012Validator(_schema("cophub.numbers-1.schema.json"))
    errors = [
        _error(e.json_path, "schema", detail=e.message) for e in validator.iter_errors(document)
    ]
    if not errors:
        countries = set(Country.objects.values_list("iso2", flat=True))
        helplines = set(Helpline.objects.values_list("slug", flat=True))
        for i, entry in enumerate(document["numbers"]):
            if entry["country"] not in countries:
                errors.append(
                    _error(f"$.numbers[{i}].country", "unknown_country", value=entry["country"])
                )
            for j, event in enumerate(entry["history"]):
                provider = event.get("provider_helpline")
                if provider and provider not in helplines:
                    errors.append(
                        {
                            "field": f"$.numbers[{i}].history[{j}].provider_helpline",
                            "code": "unknown_helpline",
                            "message": _("Unknown helpline %(value)s.") % {"value": provider},
                        }
                    )
    if errors:
        raise InvalidInput(_("The number registry file is not valid."), details={"errors": errors})
    for entry in document["numbers"]:
        number, _created = CopNumber.objects.update_or_create(
            country_id=entry["country"],
            number=entry["number"],
            defaults={"purpose": entry["purpose"], "harmonised": entry.get("harmonised") or ""},
        )
        number.history.all().delete()
        slugs = {e.get("provider_helpline") for e in entry["history"]} - {None}
        providers = {h.slug: h for h in Helpline.objects.filter(slug__in=slugs)}
        NumberStatus.objects.bulk_create(
            NumberStatus(
                number=number,
                status=event["status"],
                date=event["date"],
                authority=event.get("authority", ""),
                decision_ref=event.get("decision_ref", ""),
                provider=providers.get(event.get("provider_helpline") or ""),
                source_url=event["source"]["url"],
                source_type=event["source"]["type"],
                source_note=event["source"].get("note", ""),
            )
            for event in entry["history"]
        )
    return len(document["numbers"])


# Reach counts are anonymous statistics read by day, so they need not reach the database on
# every answer: each process adds them up in memory and writes them at most every
# COPHUB_REACH_FLUSH_SECONDS (0 = at once). A USSD or SMS answer then costs no database write,
# which on SQLite would serialise every worker. A crash loses at most that many seconds of counts.
ReachKey = tuple[date, str, str, str]
_reach_pending: Counter[ReachKey] = Counter()
_reach_lock = threading.Lock()
_reach_flushed_at = time.monotonic()
# For the operators (``/metrics``): since when the oldest count not yet written has waited, and
# when counts were last written, in Unix time.
_reach_pending_since: float | None = None
_reach_written_at: float | None = None


@dataclass(frozen=True)
class ReachBuffer:
    """This process's reach counts not yet written: how many, and since when (Unix time, or
    ``None`` when there are none), and when counts were last written (``None``: not yet)."""

    pending: int
    pending_since: float | None
    written_at: float | None


def reach_buffer() -> ReachBuffer:
    with _reach_lock:
        return ReachBuffer(
            pending=sum(_reach_pending.values()),
            pending_since=_reach_pending_since,
            written_at=_reach_written_at,
        )


def reach_count(*, day: date, country: str, channel: str, event: ReachCount.Event) -> None:
    """Add one to an anonymous counter (no identifier of the child is involved). Never
    raises: a counting failure must not keep an answer from a child."""
    global _reach_flushed_at, _reach_pending_since  # one buffer per process, by design
    with _reach_lock:
        _reach_pending[(day, country, channel, str(event))] += 1
        if _reach_pending_since is None:
            _reach_pending_since = time.time()
        due = time.monotonic() - _reach_flushed_at >= settings.COPHUB_REACH_FLUSH_SECONDS
        if due:
            _reach_flushed_at = time.monotonic()
    if due:
        try:
            reach_flush()
        except Exception as error:  # noqa: BLE001 — the counts stay pending
            logger.error("reach counts not written yet (%s)", type(error).__name__)


def reach_flush() -> int:
    """Write this process's pending reach counts (all or nothing); returns how many counters
    changed. On failure the counts stay pending for the next flush."""
    global _reach_pending_since, _reach_written_at
    with _reach_lock:
        pending = dict(_reach_pending)
        pending_since = _reach_pending_since
        _reach_pending.clear()
        _reach_pending_since = None
    if not pending:
        return 0
    try:
        with transaction.atomic():
            for (day, country, channel, event), added in pending.items():
                _reach_add(day, country, channel, event, added)
    except Exception:
        with _reach_lock:
            _reach_pending.update(pending)
            waiting = [t for t in (pending_since, _reach_pending_since) if t is not None]
            _reach_pending_since = min(waiting, default=time.time())
        raise
    with _reach_lock:
        _reach_written_at = time.time()
    return len(pending)


def _reach_add(day: date, country: str, channel: str, event: str, added: int) -> None:
    counters = ReachCount.objects.filter(day=day, country=country, channel=channel, event=event)
    if counters.update(count=F("count") + added):
        return
    counter, created = ReachCount.objects.get_or_create(
        day=day, country=country, channel=channel, event=event, defaults={"count": added}
    )
    if not created:
        ReachCount.objects.filter(pk=counter.pk).update(count=F("count") + added)


def _reach_flush_at_exit() -> None:
    try:
        reach_flush()
    except Exception as error:  # noqa: BLE001 — the process is ending; say so and go
        logger.error("reach counts lost at exit (%s)", type(error).__name__)


atexit.register(_reach_flush_at_exit)
