"""The fuzzing session's database: reference data (from tests/conftest.py) plus every module's
demo data, loaded once, and one API token per fuzzed role."""

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from cophub.accounts.models import User
from cophub.accounts.services import api_token_create

DEMO_COMMANDS = (
    "load_demo_accounts",
    "load_demo_helplines",
    "load_demo_statistics",
    "load_demo_resources",
    "load_demo_strategies",
    "load_demo_coordination",
)
TOKEN_ROLES = ("bdt-staff", "focal-ke")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        for command in DEMO_COMMANDS:
            call_command(command, verbosity=0)


@pytest.fixture(scope="session")
def tokens(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> dict[str, str]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        return {
            username: api_token_create(
                user=User.objects.get(username=username), name="fuzzing"
            ).plaintext
            for username in TOKEN_ROLES
        }


@pytest.fixture(scope="session", autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Requests reach the WSGI application directly, not through Django's test client: keep
    them, as the test client does, from closing the connection that holds each test's
    transaction (PostgreSQL would answer the next query "the connection is closed")."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
