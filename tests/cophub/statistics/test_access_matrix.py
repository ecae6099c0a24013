"""Pages and API refuse alike: each role against a country's draft survey through the
workspace pages and the API (decision 0026)."""

from collections.abc import Callable

import pytest
from django.test import Client

from cophub.accounts.models import Role, User
from cophub.statistics import services
from tests.cophub.access_matrix import ALLOWED, FORBIDDEN, HIDDEN, SIGN_IN, Door, assert_alike

from .conftest import dataset_make

pytestmark = pytest.mark.django_db

API = "/api/v1/statistics/datasets"
PAGES = "/en/statistics/datasets"


def test_pages_and_api_give_each_role_the_same_verdict(
    client: Client,
    token_for: Callable[[User], dict[str, str]],
    make_user: Callable[..., User],
    focal_ke: User,
    focal_br: User,
    bdt_staff: User,
    stats_office: User,
    outsider: User,
) -> None:
    dataset = dataset_make(focal_ke)
    services.dataset_grant(actor=focal_ke, dataset=dataset, username=stats_office.username)
    users = {
        "anonymous": None,
        "no role": outsider,
        "focal point KE": focal_ke,
        "focal point BR": focal_br,
        "named statistics office": stats_office,
        "helpline editor": make_user(Role.HELPLINE_EDITOR, username="editor"),
        "BDT staff": bdt_staff,
    }
    d = dataset.pk
    # The API checks the body before the operation runs: a valid one reaches the check.
    named = {"username": stats_office.username}
    doors = {
        "see": Door(("get", f"{PAGES}/{d}/", None), ("get", f"{API}/{d}", None)),
        "submit": Door(("post", f"{PAGES}/{d}/submit/", None), ("post", f"{API}/{d}/submit", None)),
        "approve": Door(
            ("post", f"{PAGES}/{d}/approve/", None), ("post", f"{API}/{d}/approve", None)
        ),
        "review": Door(("post", f"{PAGES}/{d}/review/", None), ("post", f"{API}/{d}/review", None)),
        "grant": Door(
            ("post", f"{PAGES}/{d}/grants/", named), ("post", f"{API}/{d}/grants", named)
        ),
    }
    who_sees = {
        "anonymous": SIGN_IN,
        "no role": HIDDEN,
        "focal point KE": ALLOWED,
        "focal point BR": HIDDEN,
        "named statistics office": ALLOWED,
        "helpline editor": HIDDEN,
        "BDT staff": ALLOWED,
    }
    # BDT staff hold every country's focal-point rights (accounts.access.user_has_role).
    focal_only = {**who_sees, "named statistics office": FORBIDDEN}
    expected: dict[tuple[str, str], str | tuple[str, str]] = {}
    for door, verdicts in {
        "see": who_sees,
        "submit": who_sees,
        "approve": focal_only,
        "grant": focal_only,
        "review": {**focal_only, "focal point KE": FORBIDDEN},
    }.items():
        expected.update({(role, door): verdict for role, verdict in verdicts.items()})
    assert_alike(client, token_for, users, doors, expected)
