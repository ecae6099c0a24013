"""What reports read of best practices (``selectors.records_in_period``): submissions accepted
for publication, on the day that was decided; the one period rule at its boundaries, regions,
and two queries whatever the number of submissions."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from cophub.accounts.models import User
from cophub.practices.models import Call, Submission
from cophub.practices.selectors import records_in_period

from ..period_bounds import MOMENTS, PERIOD
from .conftest import COMPLETE

pytestmark = pytest.mark.django_db


def _decide(submission: Submission, at: datetime, state: str = "accepted") -> None:
    Submission.objects.filter(pk=submission.pk).update(state_id=state, decided_at=at)


@pytest.mark.parametrize(("moment", "counts"), MOMENTS)
def test_an_accepted_practice_counts_on_the_day_it_was_decided(
    moment: datetime, counts: bool, draft: Submission
) -> None:
    _decide(draft, moment)
    records = records_in_period(period=PERIOD)
    assert [record.source for record in records] == (
        [f"practices.submission:{draft.pk}"] if counts else []
    )
    if counts:
        assert records[0].on == moment.date() and records[0].kind == "best_practice"
        assert records[0].clauses == ("BDT-3", "SM-2") and records[0].countries == ("KE",)


def test_a_practice_not_accepted_is_not_reported(draft: Submission) -> None:
    _decide(draft, MOMENTS[1][0], state="submitted")
    assert records_in_period(period=PERIOD) == []


def test_regions_and_query_count(
    open_call: Call,
    author: User,
    call_api: Callable[..., Any],
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    for number in range(8):
        country = "KE" if number % 2 else "FR"
        body = {"call": open_call.pk, **COMPLETE, "title": f"Practice {number}", "country": country}
        response = call_api("post", "/submissions", author, body)
        assert response.status_code == 201, response.content
    for submission in Submission.objects.all():
        _decide(submission, MOMENTS[2][0])
    with django_assert_max_num_queries(2):  # type: ignore[operator]
        records = records_in_period(period=PERIOD, regions=["AFR"])
    assert len(records) == 4 and {record.countries for record in records} == {("KE",)}
    assert len(records_in_period(period=PERIOD)) == 8
