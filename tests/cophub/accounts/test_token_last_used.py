"""A token's last use is written at most every five minutes: an authenticated read does not
write to the database on every request (on SQLite each write waits for the one writer)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cophub.accounts.models import ApiToken, User
from cophub.accounts.services import TOKEN_LAST_USED_PRECISION

pytestmark = pytest.mark.django_db


def _token_writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and "accounts_apitoken" in q["sql"]
    ]


def test_first_use_is_recorded_then_not_rewritten_within_five_minutes(
    client: Client, focal_ke: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    headers = token_for(focal_ke)
    token = ApiToken.objects.get(user=focal_ke)
    assert token.last_used_at is None

    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert len(_token_writes(first)) == 1
    recorded = token.last_used_at

    with CaptureQueriesContext(connection) as again:
        assert client.get("/api/v1/me", headers=headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == recorded
    assert _token_writes(again) == []


def test_use_after_five_minutes_is_recorded_again(
    client: Client, focal_ke: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    headers = token_for(focal_ke)
    earlier = timezone.now() - TOKEN_LAST_USED_PRECISION - timedelta(seconds=1)
    ApiToken.objects.filter(user=focal_ke).update(last_used_at=earlier)

    assert client.get("/api/v1/me", headers=headers).status_code == 200

    assert ApiToken.objects.get(user=focal_ke).last_used_at > earlier


def test_a_recent_use_recorded_by_another_request_is_not_overwritten(
    client: Client, focal_ke: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    from cophub.accounts.services import api_token_used

    token_for(focal_ke)
    token = ApiToken.objects.get(user=focal_ke)  # read before the other request wrote
    recent = timezone.now() - timedelta(minutes=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)

    assert api_token_used(token) is False  # the conditional UPDATE matched nothing
    assert ApiToken.objects.get(pk=token.pk).last_used_at == recent
