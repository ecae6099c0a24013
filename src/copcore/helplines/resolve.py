"""The resolver: from a directory and a child's situation to a ranked list of what to dial or
message now. It never invents a number: a country without a known helpline gets no results,
its emergency numbers as fallback, and a plain statement of that."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .dial import contact_display, contact_href
from .hours import opening_hours_state
from .model import Channel, Contact, Helpline, Kind

DEFAULT_STALE_AFTER = timedelta(days=365)
_KIND_RANK = {Kind.CHILD_HELPLINE: 0, Kind.GENERAL_HELPLINE: 1, Kind.CSAM_HOTLINE: 2}
_CHANNEL_RANK = {channel: rank for rank, channel in enumerate(Channel)}


@dataclass(frozen=True)
class Query:
    country: str
    at: datetime
    today: date
    subdivision: str | None = None
    age: int | None = None
    language: str | None = None
    topic: str | None = None
    channels: frozenset[Channel] | None = None  # None: any channel
    stale_after: timedelta = DEFAULT_STALE_AFTER


@dataclass(frozen=True)
class Result:
    helpline: str
    name: str
    kind: Kind
    channel: Channel
    display: str
    href: str | None
    free: bool | None
    open_now: bool | None
    opens_at: datetime | None
    closes_at: datetime | None
    languages: tuple[str, ...]
    verified_at: date | None
    stale: bool
    source_url: str


@dataclass(frozen=True)
class Resolution:
    country: str
    results: tuple[Result, ...]
    fallback: tuple[Result, ...]
    no_helpline_known: bool  # no helpline (other than emergency services) serves the place


def is_stale(verified_at: date | None, today: date, stale_after: timedelta) -> bool:
    """Unverified entries count as stale: they are never presented as fresh."""
    return verified_at is None or today - verified_at > stale_after


def topic_matches(
    helpline_topics: Iterable[str], topic: str, parents: Mapping[str, str | None]
) -> bool:
    """A helpline for ``online_harm`` serves ``grooming`` (its child topic), and one for
    ``grooming`` serves a child who says ``online_harm``."""
    topics = set(helpline_topics)
    return (
        topic in topics
        or parents.get(topic) in topics
        or any(parents.get(t) == topic for t in topics)
    )


def _result(helpline: Helpline, contact: Contact, query: Query) -> Result:
    state = opening_hours_state(contact.hours, helpline.timezone, query.at)
    return Result(
        helpline=helpline.id,
        name=helpline.name(query.language),
        kind=helpline.kind,
        channel=contact.channel,
        display=contact_display(contact),
        href=contact_href(contact),
        free=contact.free,
        open_now=state.open_now,
        opens_at=state.opens_at,
        closes_at=state.closes_at,
        languages=helpline.languages,
        verified_at=helpline.source.verified_at,
        stale=is_stale(helpline.source.verified_at, query.today, query.stale_after),
        source_url=helpline.source.url,
    )


def _serves(helpline: Helpline, query: Query) -> bool:
    if helpline.country != query.country:
        return False
    return not helpline.subdivisions or query.subdivision in helpline.subdivisions


def _rank(
    result: Result, helpline: Helpline, query: Query, parents: Mapping[str, str | None]
) -> tuple[int, ...]:
    """Lower is better: open now; child helpline before general; age in range; language;
    topic; then free of charge, channel order and id for a stable order."""
    open_rank = {True: 0, None: 1, False: 2}[result.open_now]
    age_fits = query.age is None or (
        (helpline.age_min is None or helpline.age_min <= query.age)
        and (helpline.age_max is None or query.age <= helpline.age_max)
    )
    speaks = query.language is None or query.language in helpline.languages
    topic_fits = query.topic is None or topic_matches(helpline.topics, query.topic, parents)
    return (
        open_rank,
        _KIND_RANK.get(helpline.kind, 3),
        0 if age_fits else 1,
        0 if speaks else 1,
        0 if topic_fits else 1,
        {True: 0, None: 1, False: 2}[result.free],
        _CHANNEL_RANK[result.channel],
    )


def helpline_resolve(
    helplines: Iterable[Helpline],
    query: Query,
    topic_parents: Mapping[str, str | None] | None = None,
) -> Resolution:
    """Ranked, dialable answers for ``query`` from ``helplines`` (best first), and the
    country's emergency numbers as ``fallback``."""
    parents = topic_parents or {}
    ranked: list[tuple[tuple[int, ...], str, Result]] = []
    fallback: list[Result] = []
    known = False
    for helpline in helplines:
        if not _serves(helpline, query):
            continue
        known = known or helpline.kind is not Kind.EMERGENCY
        for contact in helpline.contacts:
            result = _result(helpline, contact, query)
            if helpline.kind is Kind.EMERGENCY:
                if contact.channel is Channel.VOICE:
                    fallback.append(result)
                continue
            if query.channels is not None and contact.channel not in query.channels:
                continue
            ranked.append((_rank(result, helpline, query, parents), helpline.id, result))
    ranked.sort(key=lambda item: (item[0], item[1]))
    results = tuple(result for _rank_key, _id, result in ranked)
    return Resolution(
        country=query.country,
        results=results,
        fallback=tuple(fallback),
        no_helpline_known=not known,
    )
