"""What reports read of strategies (``selectors.records_in_period``): assistance requests on
the day they were made, assessments on the day they were submitted, country profiles on the
day they were published; the one period rule at its boundaries, regions, and a fixed number of
queries whatever the number of rows."""

from collections.abc import Callable
from datetime import datetime

import pytest

from cophub.accounts.models import User
from cophub.strategies.models import Assessment, AssistanceRequest, CountryProfile
from cophub.strategies.selectors import records_in_period

from ..period_bounds import MOMENTS, PERIOD

pytestmark = pytest.mark.django_db


def _request(country: str, region: str, at: datetime) -> AssistanceRequest:
    request = AssistanceRequest.objects.create(
        country_id=country, region_id=region, title=f"Help {country}", description="Training"
    )
    AssistanceRequest.objects.filter(pk=request.pk).update(created_at=at)
    return request


@pytest.mark.parametrize(("moment", "counts"), MOMENTS)
def test_an_assistance_request_counts_on_the_day_it_was_made(
    moment: datetime, counts: bool
) -> None:
    request = _request("KE", "AFR", moment)
    records = records_in_period(period=PERIOD)
    expected = [f"strategies.assistancerequest:{request.pk}"] if counts else []
    assert [record.source for record in records] == expected
    if counts:
        assert records[0].on == moment.date() and records[0].clauses == ("BDT-5",)
        assert records[0].countries == ("KE",) and records[0].region == "AFR"


@pytest.mark.parametrize(("moment", "counts"), MOMENTS)
def test_assessments_and_profiles_count_when_submitted_and_published(
    moment: datetime,
    counts: bool,
    focal_ke: User,
    make_assessment: Callable[..., Assessment],
) -> None:
    assessment = make_assessment(focal_ke, "KE")
    Assessment.objects.filter(pk=assessment.pk).update(submitted_at=moment)
    CountryProfile.objects.filter(assessment=assessment).update(published_at=moment)
    profile = CountryProfile.objects.get(assessment=assessment)
    kinds = {record.kind: record for record in records_in_period(period=PERIOD)}
    assert set(kinds) == ({"assessment", "strategy_profile"} if counts else set())
    if counts:
        assert kinds["assessment"].source == f"strategies.assessment:{assessment.pk}"
        assert kinds["strategy_profile"].source == f"strategies.countryprofile:{profile.pk}"
        assert kinds["strategy_profile"].title == f"KE {assessment.year}"


def test_regions_choose_by_the_request_region_or_the_country_region() -> None:
    inside = _request("KE", "AFR", MOMENTS[1][0])
    _request("FR", "EUR", MOMENTS[1][0])
    records = records_in_period(period=PERIOD, regions=["AFR"])
    assert [record.source for record in records] == [f"strategies.assistancerequest:{inside.pk}"]
    assert records_in_period(period=PERIOD, regions=[]) == []


def test_reading_costs_three_queries_however_many_rows(
    focal_ke: User,
    make_assessment: Callable[..., Assessment],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    for number in range(12):
        _request("KE" if number % 2 else "BR", "AFR" if number % 2 else "AMS", MOMENTS[2][0])
    for year in (2023, 2024, 2025):
        assessment = make_assessment(focal_ke, "KE", year=year)
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=MOMENTS[1][0])
        CountryProfile.objects.filter(assessment=assessment).update(published_at=MOMENTS[1][0])
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        records = records_in_period(period=PERIOD, regions=["AFR", "AMS"])
    assert len(records) == 12 + 3 + 3
