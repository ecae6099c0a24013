"""Reasons for contact (the Child Helpline International data framework's categories) and
their crosswalk to the helpline topic taxonomy: versioned data shipped with the code
(``data/contact_reasons.json``, ``data/contact_reason_topics.json``), loaded into the database
by the ``contact_reasons`` setup step and before any contact counts are checked.

Contacts are counted on the *countable* reasons: the categories without sub-categories. Each
countable reason maps to exactly one topic, so counts add up by topic as well as by category."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from cophub.helplines.selectors import directory_cache_clear, topic_parents
from cophub.helplines.services import topics_load
from cophub.reference.models import localized

from .models import ContactReason, ContactReasonVersion

DATA_DIR = Path(__file__).resolve().parent / "data"
REASONS_FILE = DATA_DIR / "contact_reasons.json"
CROSSWALK_FILE = DATA_DIR / "contact_reason_topics.json"
LANGUAGES = ("ar", "zh-hans", "en", "fr", "ru", "es")
# issue: named in issue 16; report: named in a public CHI report (cited in the entry's source);
# assumed: not confirmed by any report read; platform: the platform's own catch-all.
PROVENANCES = ("issue", "report", "assumed", "platform")


class ReasonDataError(ValueError):
    """The packaged reasons or crosswalk are inconsistent (a bug in the shipped data)."""


@dataclass(frozen=True)
class Reason:
    code: str
    group: str  # the main category (the reason itself when it has no parent)
    topic: str  # crosswalk target; empty for a category with sub-categories
    names: dict[str, str]
    provenance: str
    countable: bool
    source: str = ""

    @property
    def name(self) -> str:
        return localized(self.names)


def documents() -> tuple[dict[str, Any], dict[str, Any]]:
    reasons = json.loads(REASONS_FILE.read_text(encoding="utf-8"))
    crosswalk = json.loads(CROSSWALK_FILE.read_text(encoding="utf-8"))
    return reasons, crosswalk


def documents_check(
    reasons: dict[str, Any], crosswalk: dict[str, Any], topics: dict[str, str | None]
) -> None:
    """Raise :class:`ReasonDataError` naming the first inconsistency of the two files."""
    if reasons.get("format") != "cophub.contact-reasons/1":
        raise ReasonDataError("contact_reasons.json: format is not cophub.contact-reasons/1")
    if crosswalk.get("format") != "cophub.contact-reason-topics/1":
        raise ReasonDataError("contact_reason_topics.json: format is not /1")
    if crosswalk.get("reasons_version") != reasons.get("version"):
        raise ReasonDataError("the crosswalk was made for another version of the reasons")
    codes: list[str] = []
    parents: set[str] = set()
    for entry in reasons["categories"]:
        code, parent = entry["code"], entry["parent"]
        if code in codes:
            raise ReasonDataError(f"reason {code} is listed twice")
        if parent is not None and parent not in codes:
            raise ReasonDataError(f"reason {code}: parent {parent} is not listed before it")
        missing = [lang for lang in LANGUAGES if not entry["names"].get(lang)]
        if missing:
            raise ReasonDataError(f"reason {code}: no name in {', '.join(missing)}")
        if entry["provenance"] not in PROVENANCES:
            raise ReasonDataError(f"reason {code}: unknown provenance {entry['provenance']}")
        source = entry.get("source", "")
        if not isinstance(source, str) or (entry["provenance"] == "report" and not source):
            raise ReasonDataError(f"reason {code}: provenance {entry['provenance']} needs a source")
        codes.append(code)
        if parent is not None:
            parents.add(parent)
    countable = [code for code in codes if code not in parents]
    mapping: dict[str, str] = crosswalk["map"]
    for code in countable:
        if code not in mapping:
            raise ReasonDataError(f"reason {code} has no topic in the crosswalk")
        if mapping[code] not in topics:
            raise ReasonDataError(f"reason {code}: topic {mapping[code]} is not in the taxonomy")
    extra = sorted(set(mapping) - set(countable))
    if extra:
        raise ReasonDataError(f"the crosswalk maps {extra[0]}, which is not a countable reason")


def _topics() -> dict[str, str | None]:
    topics = topic_parents()
    if not topics:
        topics_load()
        directory_cache_clear()
        topics = topic_parents()
    return topics


def reasons_load() -> int:
    """Load the packaged reasons and crosswalk unless their versions are already loaded;
    returns the number of reasons written (0 when up to date)."""
    reasons, crosswalk = documents()
    loaded = ContactReasonVersion.objects.first()
    if (
        loaded is not None
        and loaded.reasons_version == reasons["version"]
        and loaded.crosswalk_version == crosswalk["version"]
    ):
        return 0
    documents_check(reasons, crosswalk, _topics())
    mapping: dict[str, str] = crosswalk["map"]
    with transaction.atomic():
        for position, entry in enumerate(reasons["categories"]):
            ContactReason.objects.update_or_create(
                code=entry["code"],
                defaults={
                    "names": entry["names"],
                    "parent_id": entry["parent"],
                    "position": position,
                    "provenance": entry["provenance"],
                    "source": entry.get("source", ""),
                    "topic": mapping.get(entry["code"], ""),
                },
            )
        listed = [entry["code"] for entry in reasons["categories"]]
        # Reasons dropped by a new version: children before parents (PROTECT).
        stale = ContactReason.objects.exclude(code__in=listed)
        stale.exclude(parent=None).delete()
        stale.delete()
        ContactReasonVersion.objects.all().delete()
        ContactReasonVersion.objects.create(
            reasons_version=reasons["version"],
            crosswalk_version=crosswalk["version"],
            source=reasons["source"],
            loaded_at=timezone.now(),
        )
    return len(listed)


def reason_list() -> list[Reason]:
    """Every reason in framework order (categories, each followed by its sub-categories)."""
    reasons_load()
    rows = list(ContactReason.objects.all())
    parents = {row.parent_id for row in rows if row.parent_id}
    return [
        Reason(
            code=row.code,
            group=row.parent_id or row.code,
            topic=row.topic,
            names=dict(row.names),
            provenance=row.provenance,
            countable=row.code not in parents,
            source=row.source,
        )
        for row in rows
    ]


def countable() -> dict[str, Reason]:
    """The reasons contacts are counted on, by code."""
    return {reason.code: reason for reason in reason_list() if reason.countable}


def topic_group(topic: str) -> str:
    """The topic's group in the helpline taxonomy (its parent, or itself)."""
    return topic_parents().get(topic) or topic


def versions() -> dict[str, str]:
    reasons_load()
    loaded = ContactReasonVersion.objects.get()
    return {
        "reasons_version": loaded.reasons_version,
        "crosswalk_version": loaded.crosswalk_version,
        "source": loaded.source,
    }
