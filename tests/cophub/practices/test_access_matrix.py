"""Pages and API refuse alike: each role against a submission under evaluation (with one
reviewer assigned) and the moderation of readers' reports, through the pages and the API
(decision 0026)."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from cophub.accounts.models import Organisation, Role, User
from cophub.practices.models import Submission
from tests.cophub.access_matrix import ALLOWED, FORBIDDEN, HIDDEN, SIGN_IN, Door, assert_alike

pytestmark = pytest.mark.django_db

API = "/api/v1/practices"
PAGES = "/en/practices"


def test_pages_and_api_give_each_role_the_same_verdict(
    client: Client,
    token_for: Callable[[User], dict[str, str]],
    make_user: Callable[..., User],
    draft: Submission,
    author: User,
    reviewer: User,
    bdt_staff: User,
    call_api: Callable[..., Any],
) -> None:
    ref = draft.reference
    for user, state in ((author, "submitted"), (bdt_staff, "screening")):
        moved = call_api("post", f"/submissions/{ref}/transition", user, {"state": state})
        assert moved.status_code == 200, moved.content
    moved = call_api(
        "post", f"/submissions/{ref}/transition", bdt_staff, {"state": "in_evaluation"}
    )
    assert moved.status_code == 200, moved.content
    assigned = call_api(
        "post", f"/submissions/{ref}/assignments", bdt_staff, {"reviewer": reviewer.username}
    )
    assert assigned.status_code == 201, assigned.content
    call_api("post", f"/submissions/{ref}/declaration", reviewer, {"conflict": False})
    users = {
        "anonymous": None,
        "no role": make_user(username="nobody"),
        "author": author,
        "assigned reviewer": reviewer,
        "other reviewer": make_user(Role.REVIEWER, kind=Organisation.Kind.ACADEMIA),
        "BDT staff": bdt_staff,
    }
    page, api = f"{PAGES}/submissions/{ref}/", f"{API}/submissions/{ref}"
    doors = {
        "see": Door(("get", page, None), ("get", api, None)),
        "edit": Door(("get", f"{page}edit/", None), ("patch", api, {})),
        "add a note": Door(
            ("post", page, {"action": "note", "text": ""}), ("post", f"{api}/notes", {"text": ""})
        ),
        "assign a reviewer": Door(
            ("post", page, {"action": "assign", "reviewer": "nobody-at-all"}),
            ("post", f"{api}/assignments", {"reviewer": "nobody-at-all"}),
        ),
        "moderate reports": Door(
            ("get", f"{PAGES}/reports/", None), ("get", f"{API}/reports", None)
        ),
    }
    who_sees = {
        "anonymous": SIGN_IN,
        "no role": HIDDEN,
        "author": ALLOWED,
        "assigned reviewer": ALLOWED,
        "other reviewer": HIDDEN,
        "BDT staff": ALLOWED,
    }
    staff_only = {**who_sees, "author": FORBIDDEN, "assigned reviewer": FORBIDDEN}
    expected: dict[tuple[str, str], str | tuple[str, str]] = {}
    for door, verdicts in {
        "see": who_sees,
        "edit": staff_only,  # under evaluation the author may no longer edit
        "add a note": {**who_sees, "author": FORBIDDEN},
        "assign a reviewer": staff_only,
        "moderate reports": {
            **{role: FORBIDDEN for role in who_sees},
            "anonymous": SIGN_IN,
            "BDT staff": ALLOWED,
        },
    }.items():
        expected.update({(role, door): verdict for role, verdict in verdicts.items()})
    assert_alike(client, token_for, users, doors, expected)
