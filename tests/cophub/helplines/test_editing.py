import json
from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.utils import timezone

from cophub.accounts.models import Organisation, Role, User
from cophub.helplines.models import Helpline

from .conftest import fixture_document

pytestmark = pytest.mark.usefixtures("directory")


def _entry(slug: str) -> dict[str, Any]:
    document = fixture_document("directory.json")
    entry: dict[str, Any] = next(h for h in document["helplines"] if h["id"] == slug)
    return entry


def put(client: Client, slug: str, body: Any, headers: dict[str, str]) -> Any:
    return client.put(
        f"/api/v1/helplines/{slug}", data=json.dumps(body), content_type="application/json",
        headers=headers,
    )  # fmt: skip


@pytest.fixture
def editor(make_user: Callable[..., User]) -> User:
    organisation = Organisation.objects.get_or_create(
        name="Test operator", defaults={"kind": Organisation.Kind.CHILD_HELPLINE}
    )[0]
    Helpline.objects.filter(slug="ke-test-childline").update(organisation=organisation)
    return make_user(Role.HELPLINE_EDITOR, username="editor", organisation=organisation)


def test_helpline_editor_updates_own_entry_which_then_needs_verification(
    client: Client, editor: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    entry = _entry("ke-test-childline")
    entry["contacts"][0]["value"] = "116 (free)" if False else "116"
    entry["languages"] = ["en", "sw", "fr"]
    response = put(client, "ke-test-childline", entry, token_for(editor))
    assert response.status_code == 200, response.content
    assert response.json()["languages"] == ["en", "sw", "fr"]
    assert response.json()["source"]["verified_at"] is None
    helpline = Helpline.objects.get(slug="ke-test-childline")
    assert LogEntry.objects.get_for_object(helpline).filter(actor=editor).exists()


def test_editor_cannot_touch_another_organisations_entry(
    client: Client, editor: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    response = put(client, "ke-test-general", _entry("ke-test-general"), token_for(editor))
    assert response.status_code == 403
    missing = put(client, "no-such-line", _entry("ke-test-general"), token_for(editor))
    assert missing.status_code == 404


def test_invalid_update_names_the_path_and_changes_nothing(
    client: Client, editor: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    entry = _entry("ke-test-childline")
    entry["contacts"][0]["hours"] = [{"days": ["mon"], "open": "08:00", "close": "9pm"}]
    response = put(client, "ke-test-childline", entry, token_for(editor))
    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["field"] == "$.contacts[0].hours"
    assert Helpline.objects.get(slug="ke-test-childline").verified_at is not None


def test_only_bdt_staff_verify(
    client: Client,
    editor: User,
    bdt_staff: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    url = "/api/v1/helplines/ke-test-general/verify"
    body = {"verified_on": "2026-11-27"}
    refused = client.post(url, body, content_type="application/json", headers=token_for(editor))
    assert refused.status_code == 403
    done = client.post(url, body, content_type="application/json", headers=token_for(bdt_staff))
    assert done.status_code == 200
    assert done.json()["source"]["verified_at"] == "2026-11-27"
    checked = client.post(
        url,
        {"verified_on": timezone.localdate().isoformat(), "checks": ["number_dialled"]},
        content_type="application/json",
        headers=token_for(bdt_staff),
    )
    assert checked.json()["verification"]["score"] == 1
    assert checked.json()["verification"]["checks"] == {
        "number_dialled": timezone.localdate().isoformat()
    }
    wrong = client.post(
        url,
        {"verified_on": "2026-11-27", "checks": ["guessed"]},
        content_type="application/json",
        headers=token_for(bdt_staff),
    )
    assert wrong.status_code == 422 and wrong.json()["details"]["errors"][0]["field"] == "checks[0]"
