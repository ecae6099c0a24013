"""The heaviest read queries can be answered from their indexes (decision 0042), on
PostgreSQL. A test database is small, so the planner would rightly prefer reading the table:
sequential scans and sorts are switched off for the transaction, and the plan must then name
the index — which it can only do if the index matches the query's filter and order. Whether
the planner picks them on real sizes is measured by ``benchmarks/scale/explain.py``."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.db.models import QuerySet

from cophub.coordination.activities.models import Activity
from cophub.helplines.models import Helpline
from cophub.statistics.models import Release
from cophub.statistics.selectors import observations_query

pytestmark = pytest.mark.django_db


def _plan(query: QuerySet) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        # An incremental sort over another index's order is a sort too (seen with the rows
        # earlier tests leave behind): off as well, so only a matching index can serve.
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        return query.explain()


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN plans are checked on PostgreSQL")


@pytest.mark.parametrize(
    ("query", "index"),
    [
        (lambda: observations_query(), "observation_download_order"),
        (lambda: observations_query(country="KE"), "observation_download_order"),
        (
            lambda: Release.objects.order_by("-published_at", "-pk")[:51],
            "release_published_order",
        ),
        (
            lambda: Helpline.objects.filter(country_id__gt="KE").order_by("country_id", "slug")[
                :51
            ],
            "helpline_country_slug",
        ),
        (
            lambda: Activity.objects.filter(
                starts_on__lte=date(2026, 12, 31), ends_on__gte=date(2026, 1, 1)
            ),
            "activity_period",
        ),
    ],
    ids=["downloads", "downloads-country", "releases", "helplines", "activities"],
)
def test_heaviest_read_queries_have_an_index(query, index) -> None:
    plan = _plan(query())

    assert index in plan, plan
    assert "Sort" not in plan.split(index)[0], plan


def test_without_the_index_the_plan_names_none() -> None:
    """The success twin's counterpart: a filter no index serves shows no index name."""
    plan = _plan(Release.objects.filter(source="x").order_by("code"))

    assert "release_published_order" not in plan
    assert "release_country_year" not in plan
