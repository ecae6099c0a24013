"""Lists of assessments and frameworks never read the whole documents a row points to (a
framework's document is over 100 KB; profiles hold a copy of every answer): decoding them for
every row was most of a list's time at scale (issue 17, item 6)."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cophub.accounts.models import Role, User
from cophub.strategies.models import Assessment

from .conftest import Api

pytestmark = pytest.mark.django_db

HEAVY = ('"document"', '"published_content"', '"validated_content"')


@pytest.fixture
def published(
    make_user: Callable[..., User], make_assessment: Callable[..., Assessment]
) -> list[Assessment]:
    made = []
    for country in ("KE", "UG", "TZ"):
        focal = make_user(Role.FOCAL_POINT, username=f"fp-{country.lower()}", country=country)
        made.append(make_assessment(focal, country, published="public", phase=2))
    return made


def _heavy_columns_read(call: Callable[[], object]) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        call()
    return [q["sql"] for q in queries.captured_queries if any(h in q["sql"] for h in HEAVY)]


def test_lists_do_not_read_whole_documents(
    published: list[Assessment],
    api_as: Callable[[User], Api],
    bdt_staff: User,
    client: Client,
) -> None:
    api = api_as(bdt_staff)
    client.force_login(bdt_staff)
    calls = {
        "assessments": lambda: api.get("assessments"),
        "frameworks": lambda: api.get("frameworks"),
        "/en/strategies/": lambda: client.get("/en/strategies/"),
    }
    for name, call in calls.items():
        answer: list[int] = []
        read = _heavy_columns_read(lambda a=answer, c=call: a.append(c().status_code))
        assert answer == [200], name
        assert read == [], (name, [q[:300] for q in read])


def test_the_regional_view_reads_no_framework_document(
    published: list[Assessment],
    api_as: Callable[[User], Api],
    bdt_staff: User,
    client: Client,
) -> None:
    """The regional view aggregates published profiles (it must read their content), but it
    never reads a framework's whole document."""
    client.force_login(bdt_staff)
    calls = {
        "regional": lambda: api_as(bdt_staff).get("regional"),
        "/en/strategies/regional/": lambda: client.get("/en/strategies/regional/"),
    }
    for name, call in calls.items():
        answer: list[int] = []
        read = _heavy_columns_read(lambda a=answer, c=call: a.append(c().status_code))
        documents = [q for q in read if '"strategies_framework"."document"' in q]
        assert answer == [200], name
        assert documents == [], (name, [q[:300] for q in documents])
