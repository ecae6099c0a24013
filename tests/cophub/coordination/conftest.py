"""Fixtures for coordination: a CWG-COP meeting far enough ahead for translated
contributions, its chair, and delegates of a developed and a developing country."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from cophub.accounts.models import Organisation, Role, User
from cophub.coordination.models import Meeting


@pytest.fixture
def chair(make_user: Callable[..., User]) -> User:
    return make_user(Role.CWG_EXPERT, username="chair", country="FR")


@pytest.fixture
def meeting(db: None, chair: User) -> Meeting:
    today = timezone.localdate()
    return Meeting.objects.create(
        body_id="cwg-cop",
        ordinal=25,
        starts_on=today + timedelta(days=60),
        ends_on=today + timedelta(days=61),
        mode=Meeting.Mode.HYBRID,
        venue="Geneva",
        chair=chair,
        agenda="1. Opening\n2. Contributions",
        registration_closes_on=today + timedelta(days=50),
    )


@pytest.fixture
def delegate_fr(make_user: Callable[..., User]) -> User:
    return make_user(username="delegate-fr", country="FR")


@pytest.fixture
def delegate_et(make_user: Callable[..., User]) -> User:
    return make_user(username="delegate-et", country="ET")


@pytest.fixture
def expert(make_user: Callable[..., User]) -> User:
    return make_user(username="expert", kind=Organisation.Kind.NGO)


def api(client, headers, method: str, path: str, data=None):  # type: ignore[no-untyped-def]
    call = getattr(client, method)
    kwargs = {"content_type": "application/json"} if method != "get" else {}
    return call(f"/api/v1/coordination/{path}", data, headers=headers, **kwargs)
