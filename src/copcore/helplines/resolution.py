"""What the resolver is asked (``Query``) and answers (``Resolution`` of ``Result``s), and the
rules its ranking shares (``resolve.helpline_resolve``, ``prepared.prepared_resolve``)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .model import Channel, Kind

DEFAULT_STALE_AFTER = timedelta(days=365)
KIND_RANK = {Kind.CHILD_HELPLINE: 0, Kind.GENERAL_HELPLINE: 1, Kind.CSAM_HOTLINE: 2}
CHANNEL_RANK = {channel: rank for rank, channel in enumerate(Channel)}


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
    helplines_total: int = 0  # helplines with a result before the answer was cut
    truncated: bool = False  # some results were left out (``prepared.AnswerBound``)


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
