"""The neutral records reports read of every module, and the one period and region rule."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from cophub.portal.records import Period, PeriodRecord, day_of, regions_filter
from cophub.reference.models import Country

from ..period_bounds import DAYS, MOMENTS, PERIOD


@pytest.mark.parametrize(("day", "counts"), DAYS)
def test_a_day_counts_from_the_first_to_the_last_day(day: date, counts: bool) -> None:
    assert (day in PERIOD) is counts


@pytest.mark.parametrize(("moment", "counts"), MOMENTS)
def test_a_moment_counts_on_its_date_in_utc(moment: datetime, counts: bool) -> None:
    first, last = PERIOD.instants()
    assert (first <= moment <= last) is counts
    assert (day_of(moment) in PERIOD) is counts


def test_the_day_of_a_moment_elsewhere_is_its_utc_date() -> None:
    geneva = timezone(timedelta(hours=1))
    late = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    assert day_of(late.astimezone(geneva)) == date(2026, 3, 31)  # 00:30 on 1 April in Geneva
    assert Period(date(2026, 4, 1), date(2026, 4, 30)).instants()[0].tzinfo is UTC


def test_a_record_comes_back_from_its_json() -> None:
    record = PeriodRecord(
        on=date(2026, 3, 1),
        kind="statistics_release",
        title="KE-2024",
        source="statistics.release:7",
        clauses=("BDT-6", "MS-4"),
        countries=("KE",),
    )
    assert record.app == "statistics"
    assert record.as_json()["on"] == "2026-03-01"
    assert PeriodRecord.from_json(record.as_json()) == record


@pytest.mark.django_db
def test_regions_choose_by_own_region_or_country_region() -> None:
    countries = Country.objects.filter(iso2__in=["KE", "FR"])
    chosen = countries.filter(regions_filter(["AFR"], region="region"))
    assert list(chosen.values_list("iso2", flat=True)) == ["KE"]
    assert countries.filter(regions_filter(None, region="region")).count() == 2
    assert not countries.filter(regions_filter(["AFR"])).exists()  # global: no region chosen
