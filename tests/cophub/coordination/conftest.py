"""Fixtures for coordination: a CWG-COP meeting far enough ahead for translated
contributions, its chair, delegates of a developed and a developing country, and a quarter's
recorded work to report on."""

import json
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
from django.utils import timezone

from cophub.accounts.models import Organisation, Role, User
from cophub.coordination.models import Meeting
from cophub.helplines.services import helplines_import

HELPLINES = Path(__file__).parents[1] / "helplines" / "fixtures" / "directory.json"


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


@pytest.fixture
def recorded(client, meeting, bdt_staff, delegate_et, make_user, token_for):  # type: ignore[no-untyped-def]
    """A quarter's work: two activities (Africa, Europe), a meeting with a registration and a
    contribution, and helplines added to the directory."""
    today = timezone.localdate()
    headers = token_for(bdt_staff)
    for title, region, country, participants in (
        ("COP training for regulators, Addis Ababa", "AFR", "ET", 40),
        ("COP workshop, Paris", "EUR", "FR", 25),
    ):
        created = api(
            client,
            headers,
            "post",
            "activities",
            {
                "kind": "training",
                "title": title,
                "starts_on": today.isoformat(),
                "region": region,
                "countries": [country],
                "clauses": ["BDT-5", "BDT-7"],
                "participants": participants,
            },
        )
        assert created.status_code == 201, created.content
    registration = api(
        client,
        token_for(delegate_et),
        "post",
        f"meetings/{meeting.pk}/registrations",
        {"attendance": "remote"},
    )
    assert registration.status_code == 201
    contribution = api(
        client,
        token_for(delegate_et),
        "post",
        f"meetings/{meeting.pk}/documents",
        {
            "kind": "contribution",
            "purpose": "information",
            "title": "Our helpline",
            "original_language": "en",
        },
    )
    assert contribution.status_code == 201
    helplines_import(json.loads(HELPLINES.read_text(encoding="utf-8")))
    return {"start": today - timedelta(days=10), "end": today + timedelta(days=80)}


def compile_report(client, headers, period, **extra):  # type: ignore[no-untyped-def]
    body = {
        "kind": "quarterly",
        "period_start": period["start"].isoformat(),
        "period_end": period["end"].isoformat(),
        **extra,
    }
    return api(client, headers, "post", "reports", body)


@pytest.fixture
def refreshing(settings, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Changes refresh coordination's summaries as in production (decision 0041): wrap a
    change in ``with refreshing():``; its transaction's callbacks (the refresh, run inline by
    the test task backend) run when the block ends, as they would on commit."""
    settings.COPHUB_SUMMARIES_REFRESH = True
    return partial(django_capture_on_commit_callbacks, execute=True)
