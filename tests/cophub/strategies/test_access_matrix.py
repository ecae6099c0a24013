"""Pages and API refuse alike: each role against an unpublished assessment, one shared with
BDT, and the regional view, through the page and the API (decision 0026)."""

from collections.abc import Callable

import pytest
from django.test import Client

from cophub.accounts.models import Organisation, Role, User
from cophub.strategies.models import Assessment
from tests.cophub.access_matrix import ALLOWED, FORBIDDEN, HIDDEN, SIGN_IN, Door, assert_alike

pytestmark = pytest.mark.django_db

API = "/api/v1/strategies"
PAGES = "/en/strategies"


def test_pages_and_api_give_each_role_the_same_verdict(
    client: Client,
    token_for: Callable[[User], dict[str, str]],
    make_user: Callable[..., User],
    focal_ke: User,
    focal_br: User,
    bdt_staff: User,
    make_assessment: Callable[..., Assessment],
) -> None:
    working = make_assessment(focal_ke, "KE", 2025, answered=True)
    shared = make_assessment(focal_ke, "KE", 2024, published="shared_bdt")
    users = {
        "anonymous": None,
        "no role": make_user(username="nobody-ke", country="KE"),
        "focal point KE": focal_ke,
        "focal point BR": focal_br,
        "regional officer AFR": make_user(
            Role.REGIONAL_OFFICER, region="AFR", kind=Organisation.Kind.ITU_REGIONAL_OFFICE
        ),
        "BDT staff": bdt_staff,
    }
    w, s = working.pk, shared.pk
    doors = {
        "see working": Door(
            ("get", f"{PAGES}/assessments/{w}/", None), ("get", f"{API}/assessments/{w}", None)
        ),
        "see shared": Door(
            ("get", f"{PAGES}/assessments/{s}/", None), ("get", f"{API}/assessments/{s}", None)
        ),
        "profile of shared": Door(
            ("get", f"{PAGES}/assessments/{s}/profile/", None),
            ("get", f"{API}/assessments/{s}/profile", None),
        ),
        "open plan of shared": Door(
            ("post", f"{PAGES}/assessments/{s}/plan/", None),
            ("post", f"{API}/assessments/{s}/plan", None),
        ),
        "diff of working": Door(
            ("get", f"{PAGES}/assessments/{w}/diff/", None),
            ("get", f"{API}/assessments/{w}/diff", None),
        ),
        "consultation of working": Door(
            ("get", f"{PAGES}/assessments/{w}/consultation/", None),
            ("get", f"{API}/assessments/{w}/consultations", None),
        ),
        "reopen shared": Door(
            ("post", f"{PAGES}/assessments/{s}/do/reopen/", None),
            ("post", f"{API}/assessments/{s}/reopen", None),
        ),
        "regional view": Door(
            ("get", f"{PAGES}/regional/", None), ("get", f"{API}/regional", None)
        ),
    }
    everyone = {
        "anonymous": SIGN_IN,
        "no role": HIDDEN,
        "focal point KE": ALLOWED,
        "focal point BR": HIDDEN,
        "regional officer AFR": HIDDEN,
        "BDT staff": HIDDEN,
    }
    shared_with_bdt = {**everyone, "regional officer AFR": ALLOWED, "BDT staff": ALLOWED}
    only_the_country = {
        **shared_with_bdt,
        "regional officer AFR": FORBIDDEN,
        "BDT staff": FORBIDDEN,
    }
    expected: dict[tuple[str, str], str | tuple[str, str]] = {}
    for door, verdicts in {
        "see working": everyone,
        "see shared": shared_with_bdt,
        # Profiles are pages anyone may read when public, so an anonymous visitor gets the
        # 404 of a profile that is not public; the API always wants a caller.
        "profile of shared": {**shared_with_bdt, "anonymous": (HIDDEN, SIGN_IN)},
        "open plan of shared": only_the_country,
        "diff of working": everyone,
        "consultation of working": everyone,
        "reopen shared": only_the_country,
        "regional view": {
            "anonymous": SIGN_IN,
            "no role": FORBIDDEN,
            "focal point KE": FORBIDDEN,
            "focal point BR": FORBIDDEN,
            "regional officer AFR": ALLOWED,
            "BDT staff": ALLOWED,
        },
    }.items():
        expected.update({(role, door): verdict for role, verdict in verdicts.items()})
    assert_alike(client, token_for, users, doors, expected)
