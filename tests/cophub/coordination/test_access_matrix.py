"""Pages and API refuse alike (decision 0024): for each role and each representative action,
the page and the API operation give the same verdict — hidden (404), forbidden (403), sign-in
needed (the page's login redirect, the API's 401) or allowed — and it is the expected one."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cophub.accounts.models import User
from cophub.coordination.documents import services as document_services
from cophub.coordination.models import Document, Meeting, YouthConsultation, YouthSubmission
from cophub.coordination.reports import services as report_services

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "no_role", "delegate", "chair", "bdt_staff")
CONTRIBUTION = {
    "kind": "contribution",
    "purpose": "information",
    "title": "Helpline numbers in national numbering plans",
    "original_language": "en",
}


@dataclass
class World:
    users: dict[str, User | None]
    meeting: Meeting
    submitter: User
    bdt: User
    recorded: dict[str, Any] | None = None  # a quarter's records, for the report actions


@pytest.fixture
def world(meeting, chair, bdt_staff, delegate_fr, delegate_et) -> World:  # type: ignore[no-untyped-def]
    no_role = User.objects.create_user(username="no-role", password="not used here")
    users = {
        "anonymous": None,
        "no_role": no_role,
        "delegate": delegate_fr,
        "chair": chair,
        "bdt_staff": bdt_staff,
    }
    return World(users, meeting, delegate_et, bdt_staff)


def _contribution(world: World, *, published: bool) -> Document:
    document = document_services.document_submit(
        user=world.submitter, meeting=world.meeting, **CONTRIBUTION
    )
    if published:
        document_services.document_publish(user=world.bdt, document=document)
    return document


def _draft_report(world: World) -> int:
    assert world.recorded is not None
    period = world.recorded
    report = report_services.report_compile(
        user=world.bdt,
        kind="quarterly",
        period_start=period["start"],
        period_end=period["end"],
    )
    return report.pk


def _new_meeting(world: World) -> int:
    """A meeting of its own (registering twice for one meeting is refused)."""
    source = world.meeting
    return Meeting.objects.create(
        body_id=source.body_id,
        ordinal=Meeting.objects.count() + 100,
        starts_on=source.starts_on,
        ends_on=source.ends_on,
        mode=source.mode,
        chair=source.chair,
        registration_closes_on=source.registration_closes_on,
    ).pk


def _answer(world: World) -> int:
    today = timezone.localdate()
    consultation = YouthConsultation.objects.create(
        title="Safe online",
        question="What should apps do?",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=10),
        meeting=world.meeting,
    )
    return YouthSubmission.objects.create(
        consultation=consultation, text="Ask us first.", age_band="13_15", submitted_on=today
    ).pk


@dataclass
class Action:
    """One action, on the page and in the API: ``setup`` makes a fresh object (its id) for
    each of the two calls, so the first call cannot change what the second sees."""

    setup: Callable[[World], Any]
    page: Callable[[Any], tuple[str, str, dict[str, Any]]]
    api: Callable[[Any], tuple[str, str, dict[str, Any]]]
    expected: dict[str, str]
    needs_records: bool = False


def _period(world: World) -> dict[str, str]:
    assert world.recorded is not None
    return {
        "kind": "quarterly",
        "period_start": world.recorded["start"].isoformat(),
        "period_end": world.recorded["end"].isoformat(),
    }


ACTIONS: dict[str, Action] = {
    "view an unpublished document": Action(
        setup=lambda w: _contribution(w, published=False).pk,
        page=lambda pk: ("get", f"/en/coordination/documents/{pk}/", {}),
        api=lambda pk: ("get", f"/api/v1/coordination/documents/{pk}", {}),
        expected={
            "anonymous": "hidden",
            "no_role": "hidden",
            "delegate": "hidden",
            "chair": "allowed",
            "bdt_staff": "allowed",
        },
    ),
    "revise a published document": Action(
        setup=lambda w: _contribution(w, published=True).pk,
        page=lambda pk: (
            "post",
            f"/en/coordination/documents/{pk}/revise/",
            {"revise-title": "Revised"},
        ),
        api=lambda pk: ("post", f"/api/v1/coordination/documents/{pk}/revisions", {"title": "R"}),
        expected={
            "anonymous": "sign-in",
            "no_role": "forbidden",
            "delegate": "forbidden",
            "chair": "allowed",
            "bdt_staff": "allowed",
        },
    ),
    "withdraw a published document": Action(
        setup=lambda w: _contribution(w, published=True).pk,
        page=lambda pk: ("post", f"/en/coordination/documents/{pk}/withdraw/", {}),
        api=lambda pk: ("post", f"/api/v1/coordination/documents/{pk}/withdraw", {}),
        expected={
            "anonymous": "sign-in",
            "no_role": "forbidden",
            "delegate": "forbidden",
            "chair": "allowed",
            "bdt_staff": "allowed",
        },
    ),
    "withdraw an unpublished document": Action(
        setup=lambda w: _contribution(w, published=False).pk,
        page=lambda pk: ("post", f"/en/coordination/documents/{pk}/withdraw/", {}),
        api=lambda pk: ("post", f"/api/v1/coordination/documents/{pk}/withdraw", {}),
        expected={
            "anonymous": "sign-in",
            "no_role": "hidden",
            "delegate": "hidden",
            "chair": "allowed",
            "bdt_staff": "allowed",
        },
    ),
    "manage registrations (attendance)": Action(
        setup=lambda w: w.meeting.pk,
        page=lambda pk: ("post", f"/en/coordination/meetings/{pk}/attendance/", {}),
        api=lambda pk: ("post", f"/api/v1/coordination/meetings/{pk}/attendance", {"attended": []}),
        expected={
            "anonymous": "sign-in",
            "no_role": "forbidden",
            "delegate": "forbidden",
            "chair": "allowed",
            "bdt_staff": "allowed",
        },
    ),
    "register for a meeting": Action(
        setup=_new_meeting,
        page=lambda pk: (
            "post",
            f"/en/coordination/meetings/{pk}/",
            {"attendance": "remote", "country": "CH"},
        ),
        api=lambda pk: (
            "post",
            f"/api/v1/coordination/meetings/{pk}/registrations",
            {"attendance": "remote", "country": "CH"},
        ),
        expected={
            "anonymous": "sign-in",
            "no_role": "forbidden",
            "delegate": "allowed",
            "chair": "allowed",
            "bdt_staff": "allowed",
        },
    ),
    "edit a clause's progress": Action(
        setup=lambda w: "BDT-5",
        page=lambda clause: (
            "post",
            f"/en/coordination/implementation/{clause}/",
            {f"clause-{clause}-status": "in_progress", f"clause-{clause}-progress": "10"},
        ),
        api=lambda clause: (
            "put",
            f"/api/v1/coordination/implementation/{clause}",
            {"status": "in_progress", "progress": 10},
        ),
        expected={
            "anonymous": "sign-in",
            "no_role": "forbidden",
            "delegate": "forbidden",
            "chair": "forbidden",
            "bdt_staff": "allowed",
        },
    ),
    "compile a report": Action(
        setup=_period,
        needs_records=True,
        page=lambda period: ("post", "/en/coordination/reports/", period),
        api=lambda period: ("post", "/api/v1/coordination/reports", period),
        expected={
            "anonymous": "sign-in",
            "no_role": "forbidden",
            "delegate": "forbidden",
            "chair": "forbidden",
            "bdt_staff": "allowed",
        },
    ),
    "approve a draft report": Action(
        setup=_draft_report,
        needs_records=True,
        page=lambda pk: ("post", f"/en/coordination/reports/{pk}/approve/", {}),
        api=lambda pk: ("post", f"/api/v1/coordination/reports/{pk}/approve", {}),
        expected={
            "anonymous": "sign-in",
            "no_role": "hidden",
            "delegate": "hidden",
            "chair": "hidden",
            "bdt_staff": "allowed",
        },
    ),
    "moderate a consultation answer": Action(
        setup=_answer,
        page=lambda pk: ("post", f"/en/coordination/answers/{pk}/moderation/", {"accept": "no"}),
        api=lambda pk: ("post", f"/api/v1/coordination/answers/{pk}/moderation", {"accept": False}),
        expected={
            "anonymous": "sign-in",
            "no_role": "forbidden",
            "delegate": "forbidden",
            "chair": "forbidden",
            "bdt_staff": "allowed",
        },
    ),
}


def _page_verdict(response: Any) -> str:
    if response.status_code == 302 and "login" in response["Location"]:
        return "sign-in"
    return {404: "hidden", 403: "forbidden"}.get(response.status_code, "allowed")


def _api_verdict(response: Any) -> str:
    return {401: "sign-in", 404: "hidden", 403: "forbidden"}.get(response.status_code, "allowed")


def _call(client: Client, request: tuple[str, str, dict[str, Any]], **kwargs: Any) -> Any:
    method, path, data = request
    return getattr(client, method)(path, data, **kwargs)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_pages_and_api_refuse_alike(
    request, world: World, token_for, role: str, action: str
) -> None:  # type: ignore[no-untyped-def]
    case = ACTIONS[action]
    if case.needs_records:
        world.recorded = request.getfixturevalue("recorded")
    user = world.users[role]
    page = Client()
    api = Client()
    headers: dict[str, str] = {}
    if user is not None:
        page.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        headers = token_for(user)
    page_response = _call(page, case.page(case.setup(world)))
    api_request = case.api(case.setup(world))
    api_response = _call(
        api,
        api_request,
        headers=headers,
        **({"content_type": "application/json"} if api_request[0] != "get" else {}),
    )
    expected = case.expected[role]
    assert (_page_verdict(page_response), _api_verdict(api_response)) == (expected, expected), (
        page_response.status_code,
        api_response.status_code,
        api_response.content[:300],
    )
    if expected == "allowed":  # allowed means done, not refused for another reason
        assert page_response.status_code in (200, 302), page_response.status_code
        assert 200 <= api_response.status_code < 300, api_response.content[:300]
