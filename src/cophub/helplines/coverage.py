"""Where children can reach a child helpline, for the 194 ITU Member States at a glance: a
child helpline listed? verified within 12 months? the child helpline number (116 111 or the
national COP number) allocated and in service? SMS, USSD or chat?

Read in five queries whatever the size of the directory (no per-country query); the map page,
its table and the API's JSON and CSV all read :func:`coverage_rows`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max
from django.utils.translation import get_language

from copcore.helplines.model import Channel, Kind
from cophub.portal.collation import collated
from cophub.reference.models import Country

from .freshness import fresh_since
from .models import Contact, CopNumber, Helpline, NumberStatus

CHAT = frozenset({Channel.WEBCHAT, Channel.WHATSAPP, Channel.TELEGRAM, Channel.APP})
IN_SERVICE = NumberStatus.Status.OPERATIONAL
ALLOCATED = frozenset(
    {
        NumberStatus.Status.RESERVED,
        NumberStatus.Status.MADE_AVAILABLE,
        NumberStatus.Status.ASSIGNED,
    }
)
# The map's three shades, worst first.
STATES = ("none", "listed", "verified")


@dataclass
class CoverageRow:
    """One Member State: ``state`` is ``none`` (no child helpline listed), ``listed`` (listed,
    not verified within 12 months) or ``verified``; ``number_state`` is ``in_service``,
    ``allocated``, ``not_in_service`` (suspended or withdrawn) or ``none``."""

    iso2: str
    numeric: str
    name: str
    region: str
    helplines: int = 0
    verified_on: date | None = None
    state: str = "none"
    number: str = ""
    number_state: str = "none"
    sms: bool = False
    ussd: bool = False
    chat: bool = False
    stale: int = 0
    channels: set[str] = field(default_factory=set)


def coverage_rows(today: date) -> list[CoverageRow]:
    """Every ITU Member State, by name, with its coverage."""
    rows = {
        c.iso2: CoverageRow(iso2=c.iso2, numeric=c.numeric, name=c.name, region=c.region_id or "")
        for c in Country.objects.filter(itu_member=True).order_by("iso2")
    }
    cutoff = fresh_since(today)  # the one stale rule (``freshness``)
    listed = (
        Helpline.objects.filter(kind=Kind.CHILD_HELPLINE, country_id__in=rows)
        .values("country_id")
        .annotate(n=Count("pk"), latest=Max("verified_at"))
    )
    for entry in listed:
        row = rows[entry["country_id"]]
        row.helplines = entry["n"]
        row.verified_on = entry["latest"]
        row.state = "verified" if row.verified_on and row.verified_on >= cutoff else "listed"
    stale = (
        Helpline.objects.filter(country_id__in=rows)
        .exclude(verified_at__gte=cutoff)
        .values("country_id")
        .annotate(n=Count("pk"))
    )
    for count in stale:
        rows[count["country_id"]].stale = count["n"]
    contacts = (
        Contact.objects.filter(helpline__kind=Kind.CHILD_HELPLINE, helpline__country_id__in=rows)
        .values_list("helpline__country_id", "channel")
        .distinct()
    )
    for country, channel in contacts:
        rows[country].channels.add(channel)
    for row in rows.values():
        row.sms = Channel.SMS in row.channels
        row.ussd = Channel.USSD in row.channels
        row.chat = bool(CHAT & row.channels)
    _numbers(rows)
    return collated(rows.values(), get_language() or "en", key=lambda r: r.name)


def _numbers(rows: dict[str, CoverageRow]) -> None:
    """The child helpline number of each country and the latest step of its history."""
    numbers = CopNumber.objects.filter(
        purpose=CopNumber.Purpose.CHILD_HELPLINE, country_id__in=rows
    ).values_list("pk", "country_id", "number")
    latest: dict[int, str] = {}
    history = NumberStatus.objects.filter(
        number__purpose=CopNumber.Purpose.CHILD_HELPLINE
    ).values_list("number_id", "status")
    for number_id, step in history.order_by("number_id", "date", "pk"):
        latest[number_id] = step
    best: dict[str, tuple[int, str, str]] = defaultdict(lambda: (-1, "", "none"))
    rank = {"none": 0, "not_in_service": 1, "allocated": 2, "in_service": 3}
    for pk, country, number in numbers:
        status = latest.get(pk)
        state = (
            "in_service"
            if status == IN_SERVICE
            else "allocated"
            if status in ALLOCATED
            else "not_in_service"
            if status
            else "none"
        )
        if rank[state] > best[country][0]:
            best[country] = (rank[state], number, state)
    for country, (_, number, state) in best.items():
        rows[country].number = number
        rows[country].number_state = state


def coverage_counts(rows: list[CoverageRow]) -> dict[str, int]:
    """How many Member States are in each state, for the map's legend."""
    counts = {state: 0 for state in STATES}
    for row in rows:
        counts[row.state] += 1
    return counts
