"""Shared fixtures: reference data loaded once per test database, and one user per role."""

import os
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from cophub.accounts.models import Organisation, Role, User
from cophub.accounts.services import api_token_create, role_assign
from cophub.coordination.services import bodies_load
from cophub.reference.models import Country, Region
from cophub.reference.services import reference_load

PASSWORD = "correct horse battery staple"

# Schema fuzzing runs in a session of its own (`make fuzz`): it loads every module's demo data.
collect_ignore = [] if os.environ.get("COPHUB_FUZZ") else ["fuzz"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        reference_load()
        bodies_load()  # the regional offices need the regions


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Each test starts in the default language: a page request activates its path's language
    for the rest of the thread, which would leak into the next test's messages."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """A user of a new organisation with one role; ``make_user(Role.FOCAL_POINT, country="KE")``."""

    def make(
        role: Role | None = None,
        *,
        username: str | None = None,
        country: str | None = None,
        region: str | None = None,
        language: str = "",
        organisation: Organisation | None = None,
        kind: str = Organisation.Kind.MEMBER_STATE,
    ) -> User:
        country_obj = Country.objects.get(iso2=country) if country else None
        region_obj = Region.objects.get(code=region) if region else None
        if organisation is None:
            organisation = Organisation.objects.create(
                name=f"Organisation of {username or role}",
                kind=kind,
                country=country_obj,
                region=region_obj,
            )
        user = User.objects.create_user(
            username=username or f"user-{User.objects.count() + 1}",
            email=f"{username or 'user'}@example.org",
            password=PASSWORD,
            organisation=organisation,
        )
        if role is not None:
            role_assign(
                user=user,
                role=role,
                region=region_obj if role == Role.REGIONAL_OFFICER else None,
                country=country_obj if role == Role.FOCAL_POINT else None,
                organisation=organisation
                if role in (Role.HELPLINE_EDITOR, Role.SECTOR_MEMBER_CONTACT)
                else None,
                language=language,
            )
        return user

    return make


@pytest.fixture
def bdt_staff(make_user: Callable[..., User]) -> User:
    return make_user(Role.BDT_STAFF, username="bdt", kind=Organisation.Kind.ITU_BDT)


@pytest.fixture
def focal_ke(make_user: Callable[..., User]) -> User:
    return make_user(Role.FOCAL_POINT, username="focal-ke", country="KE")


@pytest.fixture
def focal_br(make_user: Callable[..., User]) -> User:
    return make_user(Role.FOCAL_POINT, username="focal-br", country="BR")


@pytest.fixture
def token_for() -> Callable[[User], dict[str, str]]:
    """Authorization headers carrying a fresh API token of ``user``."""

    def headers(user: User) -> dict[str, str]:
        issued = api_token_create(user=user, name="test")
        return {"Authorization": f"Bearer {issued.plaintext}"}

    return headers


@pytest.fixture
def signed_in(client: Client) -> Callable[[User], Client]:
    def sign_in(user: User) -> Client:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _fresh_directory_cache() -> None:
    """Rolled-back test transactions send no signals: start each test with an empty cache."""
    from cophub.helplines.selectors import directory_cache_clear

    directory_cache_clear()
