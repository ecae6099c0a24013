"""Shared fixtures: reference data loaded once per test database, and one user per role."""

import logging
import os
from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from cophub.accounts.models import Organisation, Role, User
from cophub.accounts.services import api_token_create, role_assign
from cophub.coordination.bodies import bodies_load
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


@pytest.fixture
def log_output(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> Iterator[StringIO]:
    """What the log would show, every logger at DEBUG: the output of every stream handler the
    project configures (``LOGGING``, filters included) and, for loggers that keep their records
    to themselves without a handler, of Python's last-resort handler, which writes those records
    outside pytest (pytest attaches its own capture handlers to such loggers, so here it would
    never be used)."""
    for name in ("", "django", "django.request", "django.server", "django.db.backends", "cophub"):
        caplog.set_level(logging.DEBUG, logger=name)
    output = StringIO()
    root = logging.getLogger()
    loggers = [root] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    streams: dict[logging.StreamHandler[Any], Any] = {}
    fallbacks: list[tuple[logging.Logger, logging.Handler]] = []
    for logger in loggers:
        handlers = [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]
        for handler in handlers:
            if isinstance(handler, logging.StreamHandler) and handler not in streams:
                streams[handler] = handler.setStream(output)
        if logger is not root and not logger.propagate and not handlers:
            fallback = logging.StreamHandler(output)
            fallback.setLevel(logging.WARNING)  # as logging.lastResort
            logger.addHandler(fallback)
            fallbacks.append((logger, fallback))
    assert any(h.get_name() in settings.LOGGING["handlers"] for h in streams), "LOGGING handler"
    last_resort = logging.StreamHandler(output)
    last_resort.setLevel(logging.WARNING)
    monkeypatch.setattr(logging, "lastResort", last_resort)
    try:
        yield output
    finally:
        for handler, stream in streams.items():
            handler.setStream(stream)
        for logger, fallback in fallbacks:
            logger.removeHandler(fallback)
