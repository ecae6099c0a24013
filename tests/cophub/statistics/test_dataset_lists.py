"""The dataset lists (API and workspace page) leave each dataset's check report and mapping
unread: a row shows neither, and both grow with the dataset (issue 17, item 6)."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cophub.accounts.models import User
from cophub.statistics.models import Dataset

from .conftest import dataset_make

pytestmark = pytest.mark.django_db


def test_lists_leave_the_heavy_fields_unread(
    focal_ke: User,
    token_for: Callable[[User], dict[str, str]],
    signed_in: Callable[[User], Client],
) -> None:
    dataset = dataset_make(focal_ke, kind=Dataset.Kind.AGGREGATE, disclosure="dhs")
    Dataset.objects.filter(pk=dataset.pk).update(
        check_report={"rows": ["x" * 1000] * 50}, mapping={"design": {"strata": "s"}}
    )
    page = signed_in(focal_ke)
    for fetch in (
        lambda: page.get("/en/statistics/datasets/"),
        lambda: Client().get("/api/v1/statistics/datasets", headers=token_for(focal_ke)),
    ):
        with CaptureQueriesContext(connection) as queries:
            response = fetch()
        assert response.status_code == 200
        assert dataset.title in response.content.decode()
        listed = [q["sql"] for q in queries.captured_queries if "statistics_dataset" in q["sql"]]
        assert listed
        assert not any('"check_report"' in sql or '"mapping"' in sql for sql in listed), listed
