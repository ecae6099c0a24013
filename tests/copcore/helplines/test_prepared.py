from datetime import UTC, date, datetime, time, timedelta

import pytest

from copcore.helplines.hours import opening_hours_state
from copcore.helplines.model import Channel, Contact, Helpline, Hours, Kind, Shift, Source
from copcore.helplines.prepared import (
    AnswerBound,
    directory_prepare,
    prepared_hour,
    prepared_resolve,
)
from copcore.helplines.resolve import Query

EVERY_DAY = frozenset(range(7))
HOURS = [
    Hours(shifts=(Shift(frozenset(range(5)), time(8, 30), time(17, 15)),)),
    Hours(shifts=(Shift(EVERY_DAY, time(22), time(2)),), closed_on=frozenset({date(2026, 3, 29)})),
    Hours(shifts=(Shift(EVERY_DAY, time(0), time(0)),)),  # every day round the clock, not 24/7
    Hours(shifts=(Shift(frozenset({6}), time(10), time(10, 20)),)),  # twenty minutes a week
]
ZONES = ["Europe/London", "Asia/Kolkata", "America/St_Johns", "Africa/Nairobi"]


def line(id: str, hours: Hours, zone: str, **kwargs: object) -> Helpline:
    return Helpline(
        id=id,
        names={"en": id},
        country="KE",
        kind=kwargs.pop("kind", Kind.CHILD_HELPLINE),  # type: ignore[arg-type]
        timezone=zone,
        contacts=(Contact(Channel.VOICE, f"0800 {id}", True, hours),),
        source=Source(url="https://example.org", type="other"),
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    "start",
    [
        datetime(2026, 3, 29, 0, tzinfo=UTC),  # London springs forward at 01:00 UTC
        datetime(2026, 3, 28, 22, tzinfo=UTC),  # closed date begins in London
        datetime(2026, 11, 29, 18, tzinfo=UTC),  # Kolkata midnight at 18:30 UTC
        datetime(2026, 11, 29, 2, tzinfo=UTC),  # St John's (-3:30) midnight at 03:30 UTC
        datetime(2026, 11, 29, 7, tzinfo=UTC),  # Sunday 10:00 in Nairobi
    ],
)
def test_each_minute_of_the_hour_has_the_state_read_from_the_hours(start: datetime) -> None:
    helplines = [
        line(f"{i}-{j}", hours, zone)
        for i, hours in enumerate(HOURS)
        for j, zone in enumerate(ZONES)
    ]
    prepared = directory_prepare(helplines, "KE", start)
    for minute in range(0, 60 * 60, 30):
        at = start + timedelta(seconds=minute)
        for entry, helpline in zip(prepared.contacts, helplines, strict=True):
            expected = opening_hours_state(helpline.contacts[0].hours, helpline.timezone, at)
            assert entry.state(at) == expected, (helpline.id, at)


def test_an_answer_is_cut_to_the_bound_in_ranking_order() -> None:
    helplines = [
        Helpline(
            id=f"h{i:02d}",
            names={"en": f"h{i}"},
            country="KE",
            kind=Kind.CHILD_HELPLINE if i % 2 else Kind.GENERAL_HELPLINE,
            timezone="UTC",
            contacts=tuple(
                Contact(c, f"{i}{n}", True, Hours(always=True)) for n, c in enumerate(Channel)
            ),
            source=Source(url="https://example.org", type="other"),
        )
        for i in range(15)
    ]
    at = datetime(2026, 11, 30, 9, 10, tzinfo=UTC)
    query = Query("KE", at, at.date())
    prepared = directory_prepare(helplines, "KE", prepared_hour(at))
    everything = prepared_resolve(prepared, query, bound=None)
    bounded = prepared_resolve(prepared, query, bound=AnswerBound(helplines=4, contacts=2))
    ids = [r.helpline for r in bounded.results]
    assert len(set(ids)) == 4 and all(ids.count(i) == 2 for i in set(ids))
    assert bounded.truncated and bounded.helplines_total == 15
    assert not everything.truncated and everything.helplines_total == 15
    kept = [r for r in everything.results if r.helpline in set(ids)]
    kept = [r for r in kept if [k.helpline for k in kept[: kept.index(r)]].count(r.helpline) < 2]
    assert bounded.results == tuple(kept)
    assert set(ids) == {"h01", "h03", "h05", "h07"}  # child helplines rank first


def test_an_instant_outside_the_prepared_hour_is_refused() -> None:
    start = datetime(2026, 11, 30, 9, tzinfo=UTC)
    prepared = directory_prepare([], "KE", start)
    with pytest.raises(ValueError, match="outside"):
        prepared_resolve(prepared, Query("KE", start + timedelta(hours=1), start.date()))
    assert prepared.next_change(start) == start + timedelta(hours=1)
