from datetime import time

import pytest

from copcore.helplines.hours_text import hours_from_text, hours_to_text
from copcore.helplines.model import Hours, Shift
from copcore.helplines.parse import FormatError, hours_to_json, parse_hours


def shift(days: set[int], opens: str, closes: str) -> Shift:
    return Shift(
        days=frozenset(days), opens=time.fromisoformat(opens), closes=time.fromisoformat(closes)
    )


def test_empty_is_unknown_and_24_7_is_always() -> None:
    assert hours_from_text("") is None
    assert hours_from_text("   ") is None
    assert hours_from_text("24/7") == Hours(always=True)
    assert hours_to_text(None) == ""
    assert hours_to_text(Hours(always=True)) == "24/7"


def test_weekdays_ranges_lists_and_several_spans() -> None:
    hours = hours_from_text("Mo-Fr 08:00-12:00,14:00-18:00; Sa 10:00-14:00")
    assert hours is not None
    assert set(hours.shifts) == {
        shift({0, 1, 2, 3, 4}, "08:00", "12:00"),
        shift({0, 1, 2, 3, 4}, "14:00", "18:00"),
        shift({5}, "10:00", "14:00"),
    }
    hours = hours_from_text("mo,we,FR 09:00-17:00")
    assert hours is not None and hours.shifts == (shift({0, 2, 4}, "09:00", "17:00"),)


def test_spaces_around_separators_and_no_weekdays_mean_every_day() -> None:
    hours = hours_from_text("  Mo - Fr  08:00 - 20:00 ;  18:00-22:00 ")
    # The second rule names every day, so it replaces the first (as opening_hours does).
    assert hours is not None and hours.shifts == (shift(set(range(7)), "18:00", "22:00"),)


def test_a_later_rule_replaces_an_earlier_one_for_its_days() -> None:
    hours = hours_from_text("Mo-Fr 08:00-20:00; We 12:00-14:00")
    assert hours is not None
    assert set(hours.shifts) == {
        shift({0, 1, 3, 4}, "08:00", "20:00"),
        shift({2}, "12:00", "14:00"),
    }


def test_wrapping_week_and_overnight_and_midnight() -> None:
    hours = hours_from_text("Sa-Mo 22:00-02:00; Tu 00:00-24:00")
    assert hours is not None
    assert set(hours.shifts) == {
        shift({5, 6, 0}, "22:00", "02:00"),
        shift({1}, "00:00", "00:00"),
    }
    assert all(s.overnight for s in hours.shifts)


@pytest.mark.parametrize(
    "text",
    [
        "Mo-Fr 08:00-20:00; Sa 10:00-14:00",
        "Mo,We,Fr 09:00-12:00,14:00-17:00; Su 20:00-02:00",
        "08:00-20:00",
        "Tu 00:00-24:00",
        "Mo-Th 08:00-18:00; Fr 08:00-13:00; Sa-Su 10:00-12:00",
    ],
)
def test_text_round_trips_through_the_open_data_format(text: str) -> None:
    hours = hours_from_text(text)
    assert hours_to_text(hours) == text
    # …and through the JSON the directory stores.
    assert hours_from_text(hours_to_text(parse_hours(hours_to_json(hours), [], "$"))) == hours


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Mo-Fr", "Mo-Fr"),
        ("Mo-Fr 8-20", "8-20"),
        ("Lu-Ve 08:00-20:00", "Lu-Ve"),
        ("Mo-Fr 25:00-26:00", "25:00-26:00"),
        ("Mo-Fr 08:60-09:00", "08:60-09:00"),
        ("Mo-Fr 08:00-08:00", "08:00-08:00"),
        ("PH off", "PH"),
        ("Jan-Mar Mo 08:00-12:00", "Jan-Mar Mo 08:00-12:00"),
        ("sunrise-sunset", "sunrise-sunset"),
    ],
)
def test_what_a_weekly_shift_cannot_hold_is_refused_naming_the_part(text: str, part: str) -> None:
    with pytest.raises(FormatError) as refused:
        hours_from_text(text, "$.contacts[0].hours")
    assert refused.value.code == "invalid_hours"
    assert refused.value.path == "$.contacts[0].hours"
    assert refused.value.params["part"] == part
