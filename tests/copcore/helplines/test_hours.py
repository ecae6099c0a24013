from datetime import UTC, date, datetime, time

from copcore.helplines.hours import opening_hours_is_open, opening_hours_state
from copcore.helplines.model import Hours, Shift

WEEKDAYS = frozenset(range(5))
NAIROBI = "Africa/Nairobi"  # UTC+3, no daylight saving
PARIS = "Europe/Paris"


def weekday_hours(**kwargs: object) -> Hours:
    return Hours(shifts=(Shift(WEEKDAYS, time(8), time(20)),), **kwargs)  # type: ignore[arg-type]


def test_always_open_and_unknown_hours() -> None:
    at = datetime(2026, 11, 28, 3, tzinfo=UTC)
    assert opening_hours_is_open(Hours(always=True), NAIROBI, at) is True
    assert opening_hours_is_open(None, NAIROBI, at) is None


def test_weekday_shift_in_local_time() -> None:
    hours = weekday_hours()
    # Monday 2026-11-30 07:59 local = 04:59 UTC: closed, opens at 05:00 UTC
    state = opening_hours_state(hours, NAIROBI, datetime(2026, 11, 30, 4, 59, tzinfo=UTC))
    assert state.open_now is False
    assert state.opens_at == datetime(2026, 11, 30, 5, 0, tzinfo=UTC)
    state = opening_hours_state(hours, NAIROBI, datetime(2026, 11, 30, 5, 0, tzinfo=UTC))
    assert state.open_now is True
    assert state.closes_at == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    # Saturday: closed, next opening Monday 08:00 local
    state = opening_hours_state(hours, NAIROBI, datetime(2026, 11, 28, 12, tzinfo=UTC))
    assert state.open_now is False
    assert state.opens_at == datetime(2026, 11, 30, 5, 0, tzinfo=UTC)


def test_overnight_shift_runs_past_midnight_into_the_next_day() -> None:
    hours = Hours(shifts=(Shift(frozenset({5}), time(22), time(2)),))  # Saturday 22:00-02:00
    sunday_1am = datetime(2026, 11, 29, 1, tzinfo=UTC)  # 04:00 local in Nairobi: closed
    assert opening_hours_is_open(hours, NAIROBI, sunday_1am) is False
    sunday_1am_local = datetime(2026, 11, 28, 22, tzinfo=UTC)  # Sunday 01:00 Nairobi
    state = opening_hours_state(hours, NAIROBI, sunday_1am_local)
    assert state.open_now is True
    assert state.closes_at == datetime(2026, 11, 28, 23, tzinfo=UTC)  # 02:00 local


def test_several_shifts_a_day_and_closing_time_is_exclusive() -> None:
    hours = Hours(shifts=(Shift(WEEKDAYS, time(8), time(12)), Shift(WEEKDAYS, time(14), time(18))))
    noon_local = datetime(2026, 11, 30, 9, tzinfo=UTC)  # Monday 12:00 Nairobi
    state = opening_hours_state(hours, NAIROBI, noon_local)
    assert state.open_now is False
    assert state.opens_at == datetime(2026, 11, 30, 11, tzinfo=UTC)


def test_adjacent_shifts_merge_so_closing_time_is_the_real_one() -> None:
    hours = Hours(
        shifts=(
            Shift(frozenset({0}), time(20), time(0)),
            Shift(frozenset({1}), time(0), time(6)),
        )
    )
    state = opening_hours_state(hours, NAIROBI, datetime(2026, 11, 30, 18, tzinfo=UTC))
    assert state.open_now is True
    assert state.closes_at == datetime(2026, 12, 1, 3, tzinfo=UTC)  # Tuesday 06:00 local


def test_closed_dates_cancel_the_shifts_that_start_on_them() -> None:
    hours = weekday_hours(closed_on=frozenset({date(2026, 12, 25)}))
    christmas_noon = datetime(2026, 12, 25, 9, tzinfo=UTC)
    state = opening_hours_state(hours, NAIROBI, christmas_noon)
    assert state.open_now is False
    assert state.opens_at == datetime(2026, 12, 28, 5, tzinfo=UTC)  # next Monday


def test_daylight_saving_keeps_local_opening_times() -> None:
    hours = Hours(shifts=(Shift(frozenset(range(7)), time(9), time(17)),))
    # Paris: UTC+1 in winter, UTC+2 in summer (change on 2026-03-29)
    winter = opening_hours_state(hours, PARIS, datetime(2026, 3, 28, 7, 30, tzinfo=UTC))
    assert winter.open_now is False
    assert winter.opens_at == datetime(2026, 3, 28, 8, tzinfo=UTC)
    summer = opening_hours_state(hours, PARIS, datetime(2026, 3, 29, 7, 30, tzinfo=UTC))
    assert summer.open_now is True  # 09:30 CEST
    assert summer.closes_at == datetime(2026, 3, 29, 15, tzinfo=UTC)


def test_overnight_shift_across_the_autumn_change_lasts_an_hour_longer() -> None:
    hours = Hours(shifts=(Shift(frozenset({5}), time(22), time(6)),))  # Saturday night
    # Paris clocks go back on Sunday 2026-10-25 at 03:00 CEST -> 02:00 CET
    state = opening_hours_state(hours, PARIS, datetime(2026, 10, 24, 21, tzinfo=UTC))
    assert state.open_now is True
    assert state.closes_at == datetime(2026, 10, 25, 5, tzinfo=UTC)  # 06:00 CET
