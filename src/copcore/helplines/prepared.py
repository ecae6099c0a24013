"""A country's directory prepared for one hour, so that answering a child is cheap filtering.

What costs time in an answer does not depend on the child: reading each contact's opening
hours in its time zone, its dial string and link, the kind and channel ranks. ``directory_prepare``
does that once for a country and an hour (UTC); ``prepared_resolve`` then ranks by what the
child said (age, language, topic, channels, place) and builds results only for the contacts it
keeps. The answer equals ``resolve.helpline_resolve`` at every instant of the hour: each
contact's opening state is kept as the segments of the hour between the instants where it
changes (an opening, a closing, a local midnight moving the two-week look-ahead).

Answers are bounded (``AnswerBound``): at most ``helplines`` helplines, at most ``contacts`` of
each, in ranking order; the resolution says how many helplines it had and whether some were
cut (decision 0040)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .dial import contact_display, contact_href
from .hours import OpenState, opening_hours_state
from .model import Channel, Contact, Helpline, Hours, Kind
from .resolution import (
    CHANNEL_RANK,
    KIND_RANK,
    Query,
    Resolution,
    Result,
    is_stale,
    topic_matches,
)

HOUR = timedelta(hours=1)
_OPEN_RANK = {True: 0, None: 1, False: 2}
_FREE_RANK = {True: 0, None: 1, False: 2}


@dataclass(frozen=True)
class AnswerBound:
    """The most an answer holds: ``helplines`` helplines, ``contacts`` contacts of each."""

    helplines: int = 10
    contacts: int = 3


ANSWER_BOUND = AnswerBound()


@dataclass(frozen=True)
class PreparedContact:
    helpline: Helpline
    channel: Channel
    free: bool | None
    display: str
    href: str | None
    # (from, state): the contact's state from that instant to the next one, within the hour.
    states: tuple[tuple[datetime, OpenState], ...]

    def state(self, at: datetime) -> OpenState:
        current = self.states[0][1]
        for start, state in self.states:
            if start > at:
                break
            current = state
        return current


@dataclass(frozen=True)
class PreparedDirectory:
    """A country's helplines for the hour ``[start, end)``: the contacts that compete (not
    emergency services) and the emergency voice numbers, in directory order; ``changes`` are
    the instants in the hour when some contact opens or closes."""

    country: str
    start: datetime
    end: datetime
    helplines: tuple[Helpline, ...]
    contacts: tuple[PreparedContact, ...]
    emergency: tuple[PreparedContact, ...]
    changes: tuple[datetime, ...]

    def next_change(self, at: datetime) -> datetime:
        """The first instant after ``at`` when an answer made at ``at`` may differ."""
        return next((change for change in self.changes if change > at), self.end)


def prepared_hour(at: datetime) -> datetime:
    """The start of the UTC hour holding the aware instant ``at``."""
    return at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _next_midnight(at: datetime, zone: ZoneInfo) -> datetime:
    day = at.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def _states(
    hours: Hours | None, timezone: str, start: datetime, end: datetime
) -> tuple[tuple[datetime, OpenState], ...]:
    """The contact's state at ``start`` and at every instant before ``end`` where it may
    change: its next opening or closing, and each local midnight (the look-ahead of
    ``opening_hours_state`` starts from the local date)."""
    states = [(start, opening_hours_state(hours, timezone, start))]
    if hours is None or hours.always:
        return tuple(states)
    zone = ZoneInfo(timezone)
    while len(states) < 64:  # bound: a few changes an hour at most in real hours
        at, state = states[-1]
        change = state.closes_at if state.open_now else state.opens_at
        following = min(c for c in (change, _next_midnight(at, zone), end) if c is not None)
        if following >= end:
            break
        states.append((following, opening_hours_state(hours, timezone, following)))
    return tuple(states)


def _prepared_contact(
    helpline: Helpline, contact: Contact, start: datetime, end: datetime
) -> PreparedContact:
    return PreparedContact(
        helpline=helpline,
        channel=contact.channel,
        free=contact.free,
        display=contact_display(contact),
        href=contact_href(contact),
        states=_states(contact.hours, helpline.timezone, start, end),
    )


def directory_prepare(
    helplines: Iterable[Helpline], country: str, start: datetime
) -> PreparedDirectory:
    """``country``'s helplines prepared for the hour beginning at ``start`` (see
    ``prepared_hour``); helplines of other countries are left out."""
    end = start + HOUR
    kept = tuple(h for h in helplines if h.country == country)
    contacts: list[PreparedContact] = []
    emergency: list[PreparedContact] = []
    for helpline in kept:
        for contact in helpline.contacts:
            if helpline.kind is Kind.EMERGENCY:
                if contact.channel is Channel.VOICE:
                    emergency.append(_prepared_contact(helpline, contact, start, end))
            else:
                contacts.append(_prepared_contact(helpline, contact, start, end))
    changes = sorted({at for entry in (*contacts, *emergency) for at, _state in entry.states[1:]})
    return PreparedDirectory(
        country, start, end, kept, tuple(contacts), tuple(emergency), tuple(changes)
    )


def _serves(helpline: Helpline, query: Query) -> bool:
    return not helpline.subdivisions or query.subdivision in helpline.subdivisions


def _result(entry: PreparedContact, state: OpenState, query: Query) -> Result:
    helpline = entry.helpline
    return Result(
        helpline=helpline.id,
        name=helpline.name(query.language),
        kind=helpline.kind,
        channel=entry.channel,
        display=entry.display,
        href=entry.href,
        free=entry.free,
        open_now=state.open_now,
        opens_at=state.opens_at,
        closes_at=state.closes_at,
        languages=helpline.languages,
        verified_at=helpline.source.verified_at,
        stale=is_stale(helpline.source.verified_at, query.today, query.stale_after),
        source_url=helpline.source.url,
    )


def _rank(
    entry: PreparedContact, state: OpenState, query: Query, parents: Mapping[str, str | None]
) -> tuple[int, ...]:
    """Lower is better: open now; child helpline before general; age in range; language;
    topic; then free of charge and channel order (``resolve`` documents the ranking)."""
    helpline = entry.helpline
    age_fits = query.age is None or (
        (helpline.age_min is None or helpline.age_min <= query.age)
        and (helpline.age_max is None or query.age <= helpline.age_max)
    )
    speaks = query.language is None or query.language in helpline.languages
    topic_fits = query.topic is None or topic_matches(helpline.topics, query.topic, parents)
    return (
        _OPEN_RANK[state.open_now],
        KIND_RANK.get(helpline.kind, 3),
        0 if age_fits else 1,
        0 if speaks else 1,
        0 if topic_fits else 1,
        _FREE_RANK[entry.free],
        CHANNEL_RANK[entry.channel],
    )


def answer_cut(helplines: Iterable[str], bound: AnswerBound | None) -> tuple[list[int], int]:
    """Which of the ranked results (given by their helpline ids) an answer keeps: at most
    ``bound.helplines`` helplines, at most ``bound.contacts`` results of each, first come first
    kept; and how many helplines there were."""
    kept: list[int] = []
    counts: dict[str, int] = {}
    seen: set[str] = set()
    for index, helpline in enumerate(helplines):
        seen.add(helpline)
        count = counts.get(helpline)
        if bound is not None:
            if count is None and len(counts) >= bound.helplines:
                continue
            if count is not None and count >= bound.contacts:
                continue
        counts[helpline] = (count or 0) + 1
        kept.append(index)
    return kept, len(seen)


def prepared_resolve(
    prepared: PreparedDirectory,
    query: Query,
    topic_parents: Mapping[str, str | None] | None = None,
    bound: AnswerBound | None = ANSWER_BOUND,
) -> Resolution:
    """The ranked answer for ``query`` (whose ``at`` lies in the prepared hour), cut to
    ``bound`` (None: every result), and the country's emergency numbers as ``fallback``."""
    if not prepared.start <= query.at < prepared.end:
        raise ValueError("the query's instant is outside the prepared hour")
    parents = topic_parents or {}
    if query.country != prepared.country:
        return Resolution(query.country, (), (), no_helpline_known=True)
    known = any(h.kind is not Kind.EMERGENCY and _serves(h, query) for h in prepared.helplines)
    ranked: list[tuple[tuple[int, ...], str, int, OpenState]] = []
    for index, entry in enumerate(prepared.contacts):
        if query.channels is not None and entry.channel not in query.channels:
            continue
        if not _serves(entry.helpline, query):
            continue
        state = entry.state(query.at)
        ranked.append((_rank(entry, state, query, parents), entry.helpline.id, index, state))
    ranked.sort(key=lambda item: (item[0], item[1]))
    kept, total = answer_cut((item[1] for item in ranked), bound)
    results = tuple(_result(prepared.contacts[ranked[i][2]], ranked[i][3], query) for i in kept)
    fallback = tuple(
        _result(entry, entry.state(query.at), query)
        for entry in prepared.emergency
        if _serves(entry.helpline, query)
    )
    return Resolution(
        country=query.country,
        results=results,
        fallback=fallback,
        no_helpline_known=not known,
        helplines_total=total,
        truncated=len(kept) < len(ranked),
    )
