"""What reports read of statistics (``selectors.records_in_period``): releases on the day they
were published; the one period rule at its boundaries, regions, and one query whatever the
number of releases."""

from collections.abc import Callable
from datetime import datetime

import pytest

from cophub.accounts.models import Role, User
from cophub.statistics.models import Release
from cophub.statistics.selectors import records_in_period

from ..period_bounds import MOMENTS, PERIOD
from .conftest import dataset_make

pytestmark = pytest.mark.django_db


def _release(user: User, country: str, at: datetime, number: int = 1) -> Release:
    dataset = dataset_make(user, country, title=f"Survey {number}")
    return Release.objects.create(
        dataset=dataset,
        code=f"{country}-{number}",
        country_id=country,
        year=2024,
        kind=dataset.kind,
        source="Test",
        published_at=at,
    )


@pytest.mark.parametrize(("moment", "counts"), MOMENTS)
def test_a_release_counts_on_the_day_it_was_published(
    moment: datetime, counts: bool, focal_ke: User
) -> None:
    release = _release(focal_ke, "KE", moment)
    records = records_in_period(period=PERIOD)
    assert [record.source for record in records] == (
        [f"statistics.release:{release.pk}"] if counts else []
    )
    if counts:
        assert records[0].on == moment.date() and records[0].title == "KE-1"
        assert records[0].countries == ("KE",) and records[0].clauses == ("BDT-6", "MS-4")


def test_regions_and_query_count(
    make_user: Callable[..., User], django_assert_max_num_queries: Callable[..., object]
) -> None:
    bdt = make_user(Role.BDT_STAFF, username="stats-bdt")
    for number in range(10):
        _release(bdt, "KE" if number % 2 else "FR", MOMENTS[1][0], number)
    with django_assert_max_num_queries(1):  # type: ignore[operator]
        records = records_in_period(period=PERIOD, regions=["AFR"])
    assert len(records) == 5 and {record.countries for record in records} == {("KE",)}
    assert len(records_in_period(period=PERIOD)) == 10
