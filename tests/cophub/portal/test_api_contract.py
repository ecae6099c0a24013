"""One API contract across the apps: the same refusal for the same thing, wherever it is."""

from pathlib import Path

import pytest
from django.test import Client

from cophub.portal import errors

SRC = Path(__file__).parents[3] / "src" / "cophub"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/resources/items?lang=xx",
        "/api/v1/resources/search?q=safety&lang=xx",
        "/api/v1/coordination/implementation?lang=xx",
    ],
)
def test_an_unknown_lang_is_refused_naming_lang_in_every_app(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "validation_error"
    assert [e["field"] for e in body["details"]["errors"]] == ["lang"]


@pytest.mark.django_db
def test_a_known_lang_and_no_lang_are_answered(client: Client) -> None:
    assert client.get("/api/v1/coordination/implementation?lang=fr").status_code == 200
    assert client.get("/api/v1/coordination/implementation").status_code == 200


def test_state_and_file_refusals_have_one_code_each() -> None:
    from cophub.coordination.errors import WrongState as MeetingState
    from cophub.practices.errors import AttachmentRejected, CallClosed, InvalidTransition
    from cophub.resources.errors import FileRejected, TranslationStateError
    from cophub.statistics.errors import UploadRejected, WrongState
    from cophub.strategies.errors import AssessmentLocked

    states = (MeetingState, InvalidTransition, TranslationStateError, WrongState)
    for state in (*states, AssessmentLocked, CallClosed):
        assert issubclass(state, errors.InvalidState) and state.code == "invalid_state"
        assert state.status == 409
    for refused in (AttachmentRejected, FileRejected, UploadRejected):
        assert issubclass(refused, errors.FileRejected) and refused.code == "file_rejected"
        assert refused.status == 422


def test_no_app_defines_its_own_copy_of_the_api_caller_or_imports_auth_from_config() -> None:
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "def _user(request" not in text, path
        assert "from cophub.config.api import AUTHENTICATED" not in text, path


# ``lang`` of the helpline resolver is the language a child reads helpline names in (any ISO
# 639 code the directory holds, e.g. Swahili), a preference that falls back, not one of the six
# interface languages; coordination's operations are checked in its own tests.
LANG_IS_NOT_THE_INTERFACE_LANGUAGE = {"/api/v1/helplines/resolve"}


def _lang_operations() -> list[tuple[str, str]]:
    from cophub.config.api import api

    found = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        if path in LANG_IS_NOT_THE_INTERFACE_LANGUAGE or path.startswith("/api/v1/coordination/"):
            continue
        for method, operation in operations.items():
            names = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
            if "lang" in names:
                found.append((method, path))
    return found


@pytest.mark.django_db
def test_every_operation_taking_lang_refuses_an_unknown_one_naming_lang(
    client: Client, bdt_staff, token_for
) -> None:
    operations = _lang_operations()
    assert ("get", "/api/v1/strategies/assessments/{assessment_id}/plan/export") in operations
    headers = token_for(bdt_staff)
    for method, path in operations:
        url = path.replace("{assessment_id}", "1").replace("{report_id}", "1")
        response = getattr(client, method)(url, {"lang": "xx", "q": "safety"}, headers=headers)
        assert response.status_code == 422, (path, response.content)
        fields = [e["field"] for e in response.json()["details"]["errors"]]
        assert fields == ["lang"], (path, fields)
