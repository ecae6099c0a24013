"""Fixtures for best practices: an open call, a Sector Member author, a reviewer."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cophub.accounts.models import Organisation, Role, User
from cophub.practices.models import Call, Submission
from cophub.practices.services.calls import call_create
from cophub.practices.workflow_data import workflow_load
from cophub.resources.services import hub_ensure
from cophub.resources.taxonomy import taxonomy_load

COMPLETE: dict[str, Any] = {
    "title": "Child-safe default settings for new SIM cards",
    "category": "technical-solution",
    "original_language": "en",
    "abstract": "Every new SIM card sold to a minor starts with content filters and no spending.",
    "source_entity": "Example Mobile Operator",
    "country": "KE",
    "clauses": ["SM-2"],
    "lessons_learned": "Parents kept the defaults when shops explained them.",
    "suggested_practice": "Make the protective setting the default, easy to change.",
    "evidence_of_impact": "Complaints about unwanted content fell by a third in a year.",
    "contact_name": "Product safety lead",
    "contact_email": "safety@example.org",
}


@pytest.fixture
def reference_data(db: None) -> None:
    workflow_load()
    taxonomy_load()
    hub_ensure()


@pytest.fixture
def open_call(reference_data: None, bdt_staff: User) -> Call:
    now = timezone.now()
    return call_create(
        user=bdt_staff,
        titles={"en": "Call for best practices 2026", "fr": "Appel 2026"},
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        phase=Call.Phase.OPEN,
    )


@pytest.fixture
def author(make_user: Callable[..., User]) -> User:
    return make_user(
        Role.SECTOR_MEMBER_CONTACT, username="operator", kind=Organisation.Kind.SECTOR_MEMBER
    )


@pytest.fixture
def reviewer(make_user: Callable[..., User]) -> User:
    return make_user(Role.REVIEWER, username="reviewer", kind=Organisation.Kind.ACADEMIA)


@pytest.fixture
def call_api(client: Client, token_for: Callable[[User], dict[str, str]]) -> Callable[..., Any]:
    """``call_api("post", "/submissions", user, {...})`` → response."""

    def call(method: str, path: str, user: User | None, body: Any = None, **kwargs: Any) -> Any:
        headers = token_for(user) if user is not None else {}
        if body is not None:
            kwargs = {"data": json.dumps(body), "content_type": "application/json", **kwargs}
        return getattr(client, method)(f"/api/v1/practices{path}", headers=headers, **kwargs)

    return call


@pytest.fixture
def draft(open_call: Call, author: User, call_api: Callable[..., Any]) -> Submission:
    response = call_api("post", "/submissions", author, {"call": open_call.pk, **COMPLETE})
    assert response.status_code == 201, response.content
    return Submission.objects.get(reference=response.json()["reference"])
