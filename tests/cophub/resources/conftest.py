"""Fixtures for the resources hub: the hub itself, a published English guideline, translators."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from cophub.accounts.models import Organisation, Role, User
from cophub.resources.models import ResourcePage, TrackedItem
from cophub.resources.services import hub_ensure, resource_page_create, resource_page_update
from cophub.resources.taxonomy import taxonomy_load

OnCommit = Callable[..., AbstractContextManager[Any]]

GUIDELINE_BODY = (
    "<p>Talk with your children about what they do online.</p><p>Know where to get help.</p>"
)


@pytest.fixture
def hub(db: None) -> None:
    # Transactional (browser) tests empty every table: make the hub and taxonomies again.
    taxonomy_load()
    hub_ensure()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: OnCommit) -> OnCommit:
    """Run what waits for the commit (search indexing, notices) inside the test transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def guideline(hub: None, bdt_staff: User, on_commit: OnCommit) -> ResourcePage:
    with on_commit():
        return resource_page_create(
            language="en",
            kind=ResourcePage.Kind.GUIDELINE_SET,
            title="Guidelines for parents",
            summary="How to keep children safe online.",
            body=GUIDELINE_BODY,
            slug="guidelines-for-parents",
            audiences=["parents-educators"],
            topics=["contact-grooming"],
            clauses=["BDT-11", "MSSM-2"],
            licence="cc-by-4.0",
            attribution="ITU",
            user=bdt_staff,
        )


@pytest.fixture
def item(guideline: ResourcePage) -> TrackedItem:
    return TrackedItem.objects.get(kind=TrackedItem.Kind.PAGE, key=str(guideline.translation_key))


@pytest.fixture
def translator(make_user: Callable[..., User]) -> Callable[[str], User]:
    def make(language: str, username: str | None = None) -> User:
        return make_user(
            Role.TRANSLATOR,
            username=username or f"translator-{language}",
            language=language,
            kind=Organisation.Kind.ITU_BDT,
        )

    return make


@pytest.fixture
def change_source(bdt_staff: User, on_commit: OnCommit) -> Callable[..., None]:
    """Edit and publish the source page as an editor would."""

    def change(page: ResourcePage, **changes: Any) -> None:
        with on_commit():
            resource_page_update(page, user=bdt_staff, **changes)

    return change


def api(client: Client, method: str, path: str, headers: dict[str, str], **kwargs: Any) -> Any:
    return getattr(client, method)(f"/api/v1/resources{path}", headers=headers, **kwargs)


@pytest.fixture
def signed_client(client: Client) -> Iterator[Callable[[User], Client]]:
    def sign_in(user: User) -> Client:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    yield sign_in
