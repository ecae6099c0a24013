"""Reads for helplines: the directory as the resolver sees it, the number registry."""

import hashlib
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Model, Prefetch, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal
from django.utils import timezone

from copcore.helplines.model import Channel, Kind, Source
from copcore.helplines.model import Contact as PlainContact
from copcore.helplines.model import Helpline as PlainHelpline
from copcore.helplines.parse import parse_hours
from cophub.portal.records import Period, PeriodRecord, day_of, regions_filter
from cophub.reference.models import Country

from .directory_version import directory_version, directory_versions_forget
from .models import Contact, CopNumber, Helpline, NumberStatus, Topic


def helpline_queryset() -> QuerySet[Helpline]:
    return Helpline.objects.select_related("organisation").prefetch_related(
        "topics",
        Prefetch("paired_with", queryset=Helpline.objects.only("slug")),
        Prefetch("contacts", queryset=Contact.objects.order_by("position")),
    )


@dataclass(frozen=True)
class DownloadVersion:
    """What changes when any entry of a set of helplines does: ``tag`` for an ETag (the
    count, the latest change and today's date, since staleness counts from today) and the
    latest change for ``Last-Modified``."""

    tag: str
    modified: datetime | None


def download_version(helplines: QuerySet[Helpline]) -> DownloadVersion:
    """One query: how many entries, and when the latest changed."""
    summary = helplines.order_by().aggregate(count=Count("pk"), modified=Max("updated_at"))
    modified = summary["modified"]
    stamp = f"{summary['count']}-{modified.timestamp() if modified else 0}-{timezone.localdate()}"
    return DownloadVersion(hashlib.sha256(stamp.encode()).hexdigest()[:20], modified)


def _plain(helpline: Helpline) -> PlainHelpline:
    return PlainHelpline(
        id=helpline.slug,
        names=helpline.names,
        country=helpline.country_id,
        kind=Kind(helpline.kind),
        timezone=helpline.timezone,
        contacts=tuple(
            PlainContact(
                channel=Channel(contact.channel),
                value=contact.value,
                free=contact.free,
                hours=parse_hours(contact.hours, contact.closed_on, f"contact {contact.pk}"),
            )
            for contact in helpline.contacts.all()
        ),
        source=Source(
            url=helpline.source_url, type=helpline.source_type, verified_at=helpline.verified_at
        ),
        subdivisions=frozenset(helpline.subdivisions),
        topics=frozenset(topic.code for topic in helpline.topics.all()),
        age_min=helpline.age_min,
        age_max=helpline.age_max,
        languages=tuple(helpline.languages),
        operator=helpline.operator_name,
        chi_member=helpline.chi_member,
        paired_with=frozenset(partner.slug for partner in helpline.paired_with.all()),
    )


# The resolver answers children on every channel, so the directory is kept in each process as
# plain data, under the country's directory version (``directory_version``: a change is seen at
# once by the process that made it, by the others within a second). Other reads (topics,
# countries) are kept for DIRECTORY_TTL seconds and cleared by a change in this process.
DIRECTORY_TTL = 30.0
_directory_cache: dict[str, tuple[float, Any]] = {}
_directories: dict[str, tuple[str, list[PlainHelpline]]] = {}


def _cached(key: str, load: Callable[[], Any]) -> Any:
    now = time.monotonic()
    hit = _directory_cache.get(key)
    if hit is not None and now - hit[0] < DIRECTORY_TTL:
        return hit[1]
    value = load()
    _directory_cache[key] = (now, value)
    return value


directory_cache_cleared = Signal()


def directory_cache_clear(**_kwargs: Any) -> None:
    _directory_cache.clear()
    _directories.clear()
    directory_versions_forget()
    directory_cache_cleared.send(sender=None)


for _model in (Helpline, Contact, Topic):
    post_save.connect(directory_cache_clear, sender=_model, dispatch_uid=f"dir-{_model.__name__}")
    post_delete.connect(
        directory_cache_clear, sender=_model, dispatch_uid=f"dird-{_model.__name__}"
    )
m2m_changed.connect(directory_cache_clear, sender=Helpline.topics.through, dispatch_uid="dir-m2m")
m2m_changed.connect(
    directory_cache_clear, sender=Helpline.paired_with.through, dispatch_uid="dir-m2m-pairs"
)


def helpline_directory(*, country: str) -> list[PlainHelpline]:
    """Every helpline serving ``country``, as plain data for ``copcore.helplines``."""
    return helpline_directory_versioned(country=country)[1]


def helpline_directory_versioned(*, country: str) -> tuple[str, list[PlainHelpline]]:
    """The country's directory version and its helplines as plain data (read again only when
    the version changed)."""
    version = directory_version(country)
    kept = _directories.get(country)
    if kept is not None and kept[0] == version:
        return kept
    loaded = (version, [_plain(h) for h in helpline_queryset().filter(country_id=country)])
    _directories[country] = loaded
    return loaded


def topic_parents() -> dict[str, str | None]:
    parents: dict[str, str | None] = _cached(
        "topics", lambda: dict(Topic.objects.values_list("code", "parent_id"))
    )
    return parents


def topic_names() -> dict[str, dict[str, str]]:
    """Each topic's names by language."""
    names: dict[str, dict[str, str]] = _cached(
        "topic_names", lambda: dict(Topic.objects.values_list("code", "names"))
    )
    return names


def country_codes() -> frozenset[str]:
    codes: frozenset[str] = _cached(
        "countries", lambda: frozenset(Country.objects.values_list("iso2", flat=True))
    )
    return codes


def country_names(country: str) -> dict[str, str]:
    """The country's names by language (empty when unknown)."""
    names: dict[str, str] = _cached(
        f"names:{country}",
        lambda: dict(
            Country.objects.filter(iso2=country).values_list("names", flat=True).first() or {}
        ),
    )
    return names


def countries_with_helplines() -> list[str]:
    return list(
        Helpline.objects.exclude(kind=Kind.EMERGENCY)
        .order_by("country_id")
        .values_list("country_id", flat=True)
        .distinct()
    )


def number_list(*, country: str | None = None) -> QuerySet[CopNumber]:
    numbers = CopNumber.objects.select_related("country").prefetch_related(
        Prefetch("history", queryset=NumberStatus.objects.select_related("provider"))
    )
    return numbers.filter(country_id=country) if country else numbers


# Every model ``records_in_period`` reads (the countries only when regions are chosen):
# coordination refreshes its summaries after their rows change, and only theirs. The audit
# log's creation entries are read too but not named: auditlog writes a helpline's entry in
# the helpline's own save, which the Helpline names, and every other model's saves write
# entries as well (naming the log would refresh after any audited change).
PERIOD_RECORD_MODELS: tuple[type[Model], ...] = (Helpline, NumberStatus, CopNumber, Country)


def records_in_period(
    *, period: Period, regions: Collection[str] | None = None
) -> list[PeriodRecord]:
    """For reports (decision 0025): helplines added to the directory in the period (the day of
    their creation in the audit log; helplines deleted since are left out) and the dated
    status changes of COP numbers (a status dated by year or month only is not placed in a
    period). Three queries whatever the number of rows."""
    start, end = period.instants()
    created = list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Helpline),
            action=LogEntry.Action.CREATE,
            timestamp__range=(start, end),
        ).values_list("object_pk", "timestamp")
    )
    helplines = {
        str(pk): (slug, country)
        for pk, slug, country in Helpline.objects.filter(
            regions_filter(regions, country="country"),
            pk__in=[int(pk) for pk, _at in created if pk.isdigit()],
        ).values_list("pk", "slug", "country_id")
    }
    records = [
        PeriodRecord(
            on=day_of(timestamp),
            kind="helpline_added",
            title=helplines[object_pk][0],
            source=f"helplines.helpline:{object_pk}",
            clauses=("SM-1",),
            countries=(helplines[object_pk][1],),
        )
        for object_pk, timestamp in created
        if object_pk in helplines
    ]
    statuses = NumberStatus.objects.select_related("number").filter(
        regions_filter(regions, country="number__country"),
        date__gte=period.start.isoformat(),
        date__lte=period.end.isoformat(),
    )
    records += [
        PeriodRecord(
            on=date.fromisoformat(status.date),
            kind="number_status",
            title=f"{status.number.number} {status.status}",
            source=f"helplines.numberstatus:{status.pk}",
            clauses=("MS-3",),
            countries=(status.number.country_id,),
        )
        for status in statuses
        if len(status.date) == 10
    ]
    return sorted(records, key=lambda record: (record.on, record.source))
