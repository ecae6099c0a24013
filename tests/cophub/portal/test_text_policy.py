"""The one text policy (decision 0016): refused characters never reach a service, whether they
come through the API, a page form, a gateway callback or an imported file; the refusal names
the field and is translated."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from cophub.accounts.models import Organisation, Role, User
from cophub.helplines.models import Helpline
from tests.cophub.helplines.conftest import fixture_document

URL = "/api/v1/helplines/ke-test-childline"


@pytest.fixture
def editor(directory: None, make_user: Callable[..., User]) -> User:
    organisation = Organisation.objects.create(
        name="Test operator", kind=Organisation.Kind.CHILD_HELPLINE
    )
    Helpline.objects.filter(slug="ke-test-childline").update(organisation=organisation)
    return make_user(Role.HELPLINE_EDITOR, username="editor", organisation=organisation)


@pytest.fixture
def directory(db: None) -> None:
    from cophub.helplines.services import helplines_import

    helplines_import(fixture_document("directory.json"))


def _entry() -> dict[str, Any]:
    document = fixture_document("directory.json")
    entry: dict[str, Any] = next(h for h in document["helplines"] if h["id"] == "ke-test-childline")
    return entry


def _put(client: Client, body: str, headers: dict[str, str]) -> Any:
    return client.put(URL, data=body, content_type="application/json", headers=headers)


@pytest.mark.parametrize(
    ("character", "shown"),
    [("\x00", "U+0000"), ("\x1b", "U+001B"), ("\u202e", "U+202E"), ("\x85", "U+0085")],
)
def test_api_refuses_control_and_override_characters_naming_the_field(
    client: Client,
    editor: User,
    token_for: Callable[[User], dict[str, str]],
    character: str,
    shown: str,
) -> None:
    entry = _entry()
    before = Helpline.objects.get(slug="ke-test-childline").name
    entry["name"]["en"] = f"Child{character}line"
    response = _put(client, json.dumps(entry), token_for(editor))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    [error] = body["details"]["errors"]
    assert error["field"] == "name.en"
    assert error["code"] == "invalid_text"
    assert shown in error["message"]
    assert Helpline.objects.get(slug="ke-test-childline").name == before


def test_api_refuses_a_lone_surrogate_instead_of_failing(
    client: Client, editor: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    body = json.dumps(_entry()).replace('"Test Childline"', '"Test \\ud800 Childline"', 1)
    assert "\\ud800" in body
    response = _put(client, body, token_for(editor))
    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["field"] == "name.en"


def test_tab_newline_marks_and_isolates_are_accepted(
    client: Client, editor: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    entry = _entry()
    # Arabic with a right-to-left mark and an isolated Latin name: legitimate bidi controls.
    entry["name"]["ar"] = "خط \u200f\u2068Childline\u2069 116"
    entry["source"]["note"] = "Checked by phone.\r\n\tHours from the operator."
    response = _put(client, json.dumps(entry), token_for(editor))
    assert response.status_code == 200, response.content


def test_deeply_nested_json_body_gets_a_clear_error(
    client: Client, editor: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    body = "[" * 100_000 + "]" * 100_000
    response = _put(client, body, token_for(editor))
    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["code"] == "too_deep"
    moderately = "[" * 70 + "]" * 70
    response = _put(client, moderately, token_for(editor))
    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["code"] == "too_deep"


def test_integers_beyond_64_bits_are_refused_in_bodies(
    client: Client, editor: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    entry = _entry()
    entry["age_min"] = 10**20
    response = _put(client, json.dumps(entry), token_for(editor))
    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["field"] == "age_min"


def test_api_query_parameters_follow_the_policy(client: Client, directory: None) -> None:
    response = client.get("/api/v1/helplines/resolve", {"country": "KE", "topic": "a\x00b"})
    assert response.status_code == 422
    assert response.json()["details"]["errors"][0]["field"] == "topic"


def test_page_form_refusal_is_a_translated_page_naming_the_field(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/ar/accounts/login/")
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/ar/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": "bdt\x00staff", "password": "x"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert "<code>username</code>" in html
    assert "U+0000" in html
    assert "\x00" not in html


def test_gateway_callback_with_a_control_character_is_refused(client: Client) -> None:
    response = client.post(
        "/channels/ussd/africastalking",
        {"sessionId": "s1", "serviceCode": "*384*116#", "phoneNumber": "+254711000000",
         "text": "1\x00"},
    )  # fmt: skip
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert b"\x00" not in response.content


def test_import_file_with_a_nul_names_the_json_path_and_writes_nothing(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = fixture_document("directory.json")
    document["helplines"][1]["name"]["en"] = "Child\x00line"
    path = tmp_path / "directory.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("helplines", "import", str(path))
    errors = capsys.readouterr().err
    assert "$.helplines[1].name.en" in errors
    assert "U+0000" in errors
    assert not Helpline.objects.exists()


def test_import_file_nested_100000_deep_gets_a_clear_error(db: None, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(CommandError, match="64 levels"):
        call_command("helplines", "import", str(path))


def test_yaml_aliases_are_checked_once_and_nul_in_a_mapping_file_is_named() -> None:
    from cophub.portal.errors import InvalidInput
    from cophub.statistics.mappings import document_read

    # 2^40 strings if every alias were expanded: checked in an instant, once per container.
    lines = ['l0: &l0 ["ha", "ha"]']
    lines += [f"l{n}: &l{n} [*l{n - 1}, *l{n - 1}]" for n in range(1, 41)]
    assert document_read("\n".join(lines), "bomb.yaml")["l0"] == ["ha", "ha"]
    with pytest.raises(InvalidInput) as refused:
        document_read('{"indicators": {"x": "a\\u0000b"}}', "mapping.json")
    assert refused.value.details["errors"][0]["field"] == "$.indicators.x"
