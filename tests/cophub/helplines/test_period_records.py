"""What reports read of helplines (``selectors.records_in_period``): helplines on the day they
were added to the directory, COP-number statuses on the day they are dated; the one period
rule at its boundaries, regions, and a fixed number of queries whatever the directory's size."""

from collections.abc import Callable
from datetime import date, datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from cophub.helplines.models import Helpline, NumberStatus
from cophub.helplines.selectors import records_in_period

from ..period_bounds import DAYS, MOMENTS, PERIOD

pytestmark = pytest.mark.django_db


def _added_at(helpline: Helpline, at: datetime) -> None:
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Helpline),
        object_pk=str(helpline.pk),
        action=LogEntry.Action.CREATE,
    ).update(timestamp=at)


@pytest.mark.parametrize(("moment", "counts"), MOMENTS)
def test_a_helpline_counts_on_the_day_it_was_added(
    moment: datetime, counts: bool, directory: None
) -> None:
    helpline = Helpline.objects.order_by("pk").first()
    assert helpline is not None
    _added_at(helpline, moment)
    records = records_in_period(period=PERIOD)
    assert [record.source for record in records] == (
        [f"helplines.helpline:{helpline.pk}"] if counts else []
    )
    if counts:
        assert records[0].title == helpline.slug and records[0].clauses == ("SM-1",)
        assert records[0].countries == (helpline.country_id,)


@pytest.mark.parametrize(("day", "counts"), DAYS)
def test_a_number_status_counts_on_its_day(day: date, counts: bool, directory: None) -> None:
    status = NumberStatus.objects.select_related("number").get(number__country_id="FR")
    NumberStatus.objects.filter(pk=status.pk).update(date=day.isoformat())
    records = records_in_period(period=PERIOD)
    assert [record.source for record in records] == (
        [f"helplines.numberstatus:{status.pk}"] if counts else []
    )
    if counts:
        assert records[0].on == day and records[0].title == "116111 reserved"


def test_a_status_dated_by_month_only_is_not_placed(directory: None) -> None:
    NumberStatus.objects.update(date="2026-03")
    assert records_in_period(period=PERIOD) == []


def test_regions_and_query_count(
    directory: None, django_assert_max_num_queries: Callable[..., object]
) -> None:
    helplines = list(Helpline.objects.all())
    assert len(helplines) > 2
    for helpline in helplines:
        _added_at(helpline, MOMENTS[1][0])
    NumberStatus.objects.update(date=DAYS[2][0].isoformat())
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        everything = records_in_period(period=PERIOD)
    assert len(everything) == len(helplines) + NumberStatus.objects.count()
    africa = records_in_period(period=PERIOD, regions=["AFR"])
    expected = {h.pk for h in helplines if h.country_id == "KE"}
    assert {r.source for r in africa if r.kind == "helpline_added"} == {
        f"helplines.helpline:{pk}" for pk in expected
    }
    assert {r.countries for r in africa} <= {("KE",)}
