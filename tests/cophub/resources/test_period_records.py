"""What reports read of the resources hub (``selectors.records_in_period``): resources on the
day they were first published, dissemination events on the day they were held; the one period
rule at its boundaries, regions (resources are global), and a fixed number of queries."""

from collections.abc import Callable
from datetime import date, datetime

import pytest

from cophub.resources.models import DisseminationEvent, ResourcePage
from cophub.resources.selectors import records_in_period

from ..period_bounds import DAYS, MOMENTS, PERIOD

pytestmark = pytest.mark.django_db


def _event(country: str, held_on: date, number: int = 1) -> DisseminationEvent:
    return DisseminationEvent.objects.create(
        kind=DisseminationEvent.Kind.TRAINING,
        title=f"Training {number}",
        held_on=held_on,
        country_id=country,
        audience_id="parents-educators",
        attendance=30,
    )


@pytest.mark.parametrize(("moment", "counts"), MOMENTS)
def test_a_resource_counts_on_the_day_it_was_first_published(
    moment: datetime, counts: bool, guideline: ResourcePage
) -> None:
    ResourcePage.objects.filter(pk=guideline.pk).update(first_published_at=moment)
    records = records_in_period(period=PERIOD)
    assert [record.source for record in records] == (
        [f"resources.resourcepage:{guideline.pk}"] if counts else []
    )
    if counts:
        assert records[0].on == moment.date() and records[0].countries == ()
        assert records[0].clauses == ("BDT-11", "MSSM-2")


@pytest.mark.parametrize(("day", "counts"), DAYS)
def test_an_event_counts_on_the_day_it_was_held(day: date, counts: bool, hub: None) -> None:
    event = _event("KE", day)
    records = records_in_period(period=PERIOD)
    assert [record.source for record in records] == (
        [f"resources.disseminationevent:{event.pk}"] if counts else []
    )
    if counts:
        assert records[0].kind == "dissemination_training" and records[0].participants == 30


def test_regions_leave_out_global_resources_and_other_regions(
    guideline: ResourcePage, django_assert_max_num_queries: Callable[..., object]
) -> None:
    ResourcePage.objects.filter(pk=guideline.pk).update(first_published_at=MOMENTS[1][0])
    for number in range(10):
        _event("KE" if number % 2 else "FR", DAYS[1][0], number)
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        everything = records_in_period(period=PERIOD)
    assert len(everything) == 11
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        africa = records_in_period(period=PERIOD, regions=["AFR"])
    assert len(africa) == 5 and {record.countries for record in africa} == {("KE",)}
