"""Who owns a helpline entry: an explicit organisation set by BDT staff (API, back office,
import files by the organisation's stable code), never derived from the ``operator`` text."""

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cophub.accounts.models import Organisation, Role, User
from cophub.helplines.models import Helpline
from cophub.helplines.services import helplines_import
from cophub.portal.errors import InvalidInput

from .conftest import fixture_document

pytestmark = pytest.mark.usefixtures("directory")
Headers = Callable[[User], dict[str, str]]


def put(client: Client, slug: str, body: Any, headers: dict[str, str]) -> Any:
    return client.put(
        f"/api/v1/helplines/{slug}", data=json.dumps(body), content_type="application/json",
        headers=headers,
    )  # fmt: skip


def current(client: Client, slug: str) -> dict[str, Any]:
    """The entry as the API publishes it (what an editor fetches, corrects and sends back)."""
    country = Helpline.objects.get(slug=slug).country_id
    listed = client.get("/api/v1/helplines", {"country": country}).json()["results"]
    entry: dict[str, Any] = next(h for h in listed if h["id"] == slug)
    return entry


@pytest.fixture
def kenyan_operator(db: None) -> Organisation:
    return Organisation.objects.create(
        name="Test operator", kind=Organisation.Kind.CHILD_HELPLINE, country_id="KE"
    )


@pytest.fixture
def editor(make_user: Callable[..., User], kenyan_operator: Organisation) -> User:
    Helpline.objects.filter(slug="ke-test-childline").update(organisation=kenyan_operator)
    return make_user(Role.HELPLINE_EDITOR, username="editor", organisation=kenyan_operator)


def test_editor_who_writes_the_operator_differently_keeps_the_entry(
    client: Client, editor: User, kenyan_operator: Organisation, token_for: Headers
) -> None:
    entry = current(client, "ke-test-childline")
    entry["operator"] = "Test operator (TO)"
    first = put(client, "ke-test-childline", entry, token_for(editor))
    assert first.status_code == 200, first.content
    assert first.json()["operator"] == "Test operator (TO)"
    entry["languages"] = ["en", "sw", "fr"]
    second = put(client, "ke-test-childline", entry, token_for(editor))
    assert second.status_code == 200, second.content
    assert Helpline.objects.get(slug="ke-test-childline").organisation == kenyan_operator


@pytest.mark.parametrize("victim_owned", [True, False], ids=["owned", "unowned"])
def test_renaming_an_organisation_after_another_operator_takes_nothing_over(
    client: Client,
    editor: User,
    kenyan_operator: Organisation,
    focal_ke: User,
    bdt_staff: User,
    token_for: Headers,
    victim_owned: bool,
) -> None:
    """The reproduction of the issue: rename, routine BDT edit, then the attacker's PUT."""
    entry = current(client, "fr-test-enfance")
    entry["operator"] = "Enfance Service"
    assert put(client, "fr-test-enfance", entry, token_for(bdt_staff)).status_code == 200
    victim = Organisation.objects.create(name="Enfance", kind=Organisation.Kind.NGO)
    if victim_owned:
        Helpline.objects.filter(slug="fr-test-enfance").update(organisation=victim)
    owner_before = Helpline.objects.get(slug="fr-test-enfance").organisation_id
    # The focal point of Kenya renames the Kenyan organisation after the French operator.
    renamed = client.patch(
        f"/api/v1/organisations/{kenyan_operator.pk}",
        data=json.dumps({"name": "Enfance Service"}),
        content_type="application/json",
        headers=token_for(focal_ke),
    )
    assert renamed.status_code == 200, renamed.content
    # BDT staff make a routine edit of the French entry.
    routine = current(client, "fr-test-enfance")
    routine["source"]["note"] = "Checked the hours on the operator's website."
    assert put(client, "fr-test-enfance", routine, token_for(bdt_staff)).status_code == 200
    # The Kenyan editor still cannot touch it.
    attack = current(client, "fr-test-enfance")
    attack["website"] = "https://attacker.example/"
    attack.pop("owner", None)
    refused = put(client, "fr-test-enfance", attack, token_for(editor))
    assert refused.status_code == 403
    after = Helpline.objects.get(slug="fr-test-enfance")
    assert after.website != "https://attacker.example/"
    assert after.organisation_id == owner_before
    # Success twin: their own entry is still theirs.
    own = put(client, "ke-test-childline", current(client, "ke-test-childline"), token_for(editor))
    assert own.status_code == 200


def test_bdt_staff_set_the_owner_by_code_and_the_audit_log_names_them(
    client: Client, editor: User, bdt_staff: User, token_for: Headers
) -> None:
    other = Organisation.objects.create(
        name="Another operator", code="another-operator", kind=Organisation.Kind.CHILD_HELPLINE
    )
    entry = current(client, "ke-test-general")
    assert entry["owner"] is None
    entry["owner"] = "another-operator"
    response = put(client, "ke-test-general", entry, token_for(bdt_staff))
    assert response.status_code == 200, response.content
    assert response.json()["owner"] == "another-operator"
    helpline = Helpline.objects.get(slug="ke-test-general")
    assert helpline.organisation == other
    change = LogEntry.objects.get_for_object(helpline).filter(actor=bdt_staff).latest("timestamp")
    assert change.changes_dict["organisation"] == [None, other.pk]
    # Left out, the owner stays; null removes it.
    entry.pop("owner")
    assert put(client, "ke-test-general", entry, token_for(bdt_staff)).json()["owner"] == (
        "another-operator"
    )
    cleared = put(client, "ke-test-general", {**entry, "owner": None}, token_for(bdt_staff))
    assert cleared.json()["owner"] is None


def test_a_helpline_editor_cannot_change_the_owner_but_may_send_it_back(
    client: Client, editor: User, kenyan_operator: Organisation, token_for: Headers
) -> None:
    Organisation.objects.create(name="Elsewhere", code="elsewhere", kind="ngo")
    entry = current(client, "ke-test-childline")
    assert entry["owner"] == kenyan_operator.code
    for owner in ["elsewhere", None]:
        refused = put(client, "ke-test-childline", {**entry, "owner": owner}, token_for(editor))
        assert refused.status_code == 403
        assert refused.json()["details"]["errors"][0]["field"] == "$.owner"
        assert Helpline.objects.get(slug="ke-test-childline").organisation == kenyan_operator
    assert put(client, "ke-test-childline", entry, token_for(editor)).status_code == 200
    entry.pop("owner")
    kept = put(client, "ke-test-childline", entry, token_for(editor))
    assert kept.json()["owner"] == kenyan_operator.code


def test_an_unknown_owner_is_named_by_its_path_and_nothing_changes(
    client: Client, bdt_staff: User, token_for: Headers
) -> None:
    entry = current(client, "ke-test-general")
    entry["owner"] = "no-such-organisation"
    entry["languages"] = ["sw"]
    response = put(client, "ke-test-general", entry, token_for(bdt_staff))
    assert response.status_code == 422
    errors = response.json()["details"]["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("$.owner", "unknown_owner")]
    assert "no-such-organisation" in errors[0]["message"]
    assert Helpline.objects.get(slug="ke-test-general").languages == ["en"]


def test_import_sets_owners_by_code_all_or_nothing_and_export_writes_them(
    kenyan_operator: Organisation,
) -> None:
    document = fixture_document("directory.json")
    document["helplines"][0]["owner"] = kenyan_operator.code
    document["helplines"][1]["owner"] = "no-such-organisation"
    document["helplines"][1]["languages"] = ["en"]
    with pytest.raises(InvalidInput) as rejected:
        helplines_import(document)
    errors = rejected.value.details["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("$.helplines[1].owner", "unknown_owner")]
    assert Helpline.objects.get(slug="ke-test-childline").organisation is None
    document["helplines"][1].pop("owner")
    helplines_import(document)
    assert Helpline.objects.get(slug="ke-test-childline").organisation == kenyan_operator
    # An organisation named like the operator text gets nothing from an import either.
    Organisation.objects.create(name="Test operator", kind="ngo")
    document["helplines"][0].pop("owner")
    helplines_import(document)
    assert Helpline.objects.get(slug="ke-test-childline").organisation == kenyan_operator


def test_the_import_command_names_an_unknown_owner(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    document = fixture_document("directory.json")
    document["helplines"][2]["owner"] = "nobody"
    path = tmp_path / "directory.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("helplines", "import", str(path))
    assert "$.helplines[2].owner" in capsys.readouterr().err


def test_export_round_trips_the_owner(kenyan_operator: Organisation, tmp_path: Any) -> None:
    Helpline.objects.filter(slug="ke-test-childline").update(organisation=kenyan_operator)
    path = tmp_path / "export.json"
    call_command("helplines", "export", "--country", "KE", "--out", str(path))
    exported = json.loads(path.read_text(encoding="utf-8"))
    owners = {h["id"]: h["owner"] for h in exported["helplines"]}
    assert owners["ke-test-childline"] == kenyan_operator.code
    assert owners["ke-test-general"] is None
    Helpline.objects.update(organisation=None)
    helplines_import(exported)
    assert Helpline.objects.get(slug="ke-test-childline").organisation == kenyan_operator


def _csrf(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def test_bdt_staff_change_the_owner_in_the_back_office_and_it_is_audited(
    bdt_staff: User, editor: User, kenyan_operator: Organisation
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(bdt_staff, backend="django.contrib.auth.backends.ModelBackend")
    helpline = Helpline.objects.get(slug="fr-test-enfance")
    url = f"/en/admin/helplines/helpline/{helpline.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    token = _csrf(form.content.decode())
    saved = client.post(url, {"organisation": kenyan_operator.pk, "csrfmiddlewaretoken": token})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    helpline.refresh_from_db()
    assert helpline.organisation == kenyan_operator
    entry = LogEntry.objects.get_for_object(helpline).latest("timestamp")
    assert entry.actor == bdt_staff
    assert entry.changes_dict["organisation"] == [None, kenyan_operator.pk]
    # The entry's other fields are not editable there, and nobody else opens the page.
    assert "operator_name" not in form.context["adminform"].form.fields
    editor_client = Client()
    editor_client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    assert editor_client.get(url, follow=True).status_code == 403


def test_listing_owners_costs_no_query_per_entry(
    client: Client, kenyan_operator: Organisation
) -> None:
    with CaptureQueriesContext(connection) as unowned:
        client.get("/api/v1/helplines")
    Helpline.objects.update(organisation=kenyan_operator)
    with CaptureQueriesContext(connection) as owned:
        listed = client.get("/api/v1/helplines").json()["results"]
    assert {h["owner"] for h in listed} == {kenyan_operator.code}
    assert len(owned) == len(unowned)
