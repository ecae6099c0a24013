"""Pages and API refuse alike: each role against a page's French translation (the matrix,
the workspace, starting, exporting) and the dissemination log, through the pages and the API
(decision 0026)."""

from collections.abc import Callable

import pytest
from django.test import Client

from cophub.accounts.models import User
from cophub.resources.models import TrackedItem
from tests.cophub.access_matrix import ALLOWED, FORBIDDEN, HIDDEN, SIGN_IN, Door, assert_alike

pytestmark = pytest.mark.django_db

API = "/api/v1/resources"
PAGES = "/en/resources"
# Valid for the API's schema, refused by the service after the permission check (no audience
# is called so): nothing is recorded.
EVENT = {
    "kind": "training",
    "title": "Training of trainers",
    "held_on": "2026-03-01",
    "country": "KE",
    "audience": "no-such-audience",
    "attendance": 20,
}


def test_pages_and_api_give_each_role_the_same_verdict(
    client: Client,
    token_for: Callable[[User], dict[str, str]],
    make_user: Callable[..., User],
    item: TrackedItem,
    translator: Callable[[str], User],
    focal_ke: User,
    focal_br: User,
    bdt_staff: User,
) -> None:
    users = {
        "anonymous": None,
        "no role": make_user(username="nobody"),
        "translator fr": translator("fr"),
        "translator es": translator("es"),
        "focal point KE": focal_ke,
        "focal point BR": focal_br,
        "BDT staff": bdt_staff,
    }
    fr = f"translations/{item.pk}/fr"
    doors = {
        "matrix": Door(
            ("get", f"{PAGES}/translations/", None), ("get", f"{API}/translations", None)
        ),
        "workspace": Door(("get", f"{PAGES}/{fr}/", None), ("get", f"{API}/{fr}", None)),
        "start": Door(
            ("post", f"{PAGES}/{fr}/", {"action": "start"}), ("post", f"{API}/{fr}/start", None)
        ),
        "export": Door(("get", f"{PAGES}/{fr}/export/", None), ("get", f"{API}/{fr}/export", None)),
        "record an event": Door(
            ("get", f"{PAGES}/dissemination/", None), ("post", f"{API}/dissemination/events", EVENT)
        ),
    }
    translators = {
        "anonymous": SIGN_IN,
        "no role": HIDDEN,
        "translator fr": ALLOWED,
        "translator es": ALLOWED,
        "focal point KE": HIDDEN,
        "focal point BR": HIDDEN,
        "BDT staff": ALLOWED,
    }
    in_french = {**translators, "translator es": FORBIDDEN}
    expected: dict[tuple[str, str], str | tuple[str, str]] = {}
    for door, verdicts in {
        "matrix": {
            **translators,
            "no role": FORBIDDEN,
            "focal point KE": FORBIDDEN,
            "focal point BR": FORBIDDEN,
        },
        "workspace": translators,
        "start": in_french,
        "export": in_french,
        "record an event": {
            "anonymous": SIGN_IN,
            "no role": FORBIDDEN,
            "translator fr": FORBIDDEN,
            "translator es": FORBIDDEN,
            "focal point KE": ALLOWED,
            # The page records events for the focal point's own country (it opens); the API
            # call records one for Kenya.
            "focal point BR": (ALLOWED, FORBIDDEN),
            "BDT staff": ALLOWED,
        },
    }.items():
        expected.update({(role, door): verdict for role, verdict in verdicts.items()})
    assert_alike(client, token_for, users, doors, expected)
