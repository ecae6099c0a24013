"""The API's schema problems reach the client in its language, with the codes the services
use (``portal/api_validation.py``)."""

from datetime import date
from enum import StrEnum
from typing import Literal

import pytest
from django.utils import translation
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from cophub.portal.api_validation import MESSAGES, RequiredText, field_path, translated_problems


class Mode(StrEnum):
    REMOTE = "remote"
    IN_PERSON = "in_person"


class Row(BaseModel):
    value: int


class Everything(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: RequiredText
    count: int = Field(ge=1, le=10)
    share: float
    on: date
    mode: Mode
    purpose: Literal["action", "information"]
    flag: bool
    rows: list[Row]
    needed: str


BAD = {
    "name": "   ",
    "count": 0,
    "share": "half",
    "on": "31/12/2026",
    "mode": "bus",
    "purpose": "lunch",
    "flag": "perhaps",
    "rows": [{"value": "x"}],
    "surplus": 1,
}


def _problems(language: str) -> dict[str, dict[str, str]]:
    with pytest.raises(ValidationError) as caught:
        Everything.model_validate(BAD)
    with translation.override(language):
        return {p["field"]: p for p in translated_problems(caught.value.errors())}


def test_every_problem_has_the_services_code_and_a_message() -> None:
    problems = _problems("en")
    assert {field: p["code"] for field, p in problems.items()} == {
        "name": "required",
        "count": "too_small",
        "share": "invalid_number",
        "on": "invalid_date",
        "mode": "invalid_choice",
        "purpose": "invalid_choice",
        "flag": "invalid_boolean",
        "rows.0.value": "invalid_integer",
        "needed": "required",
        "surplus": "unknown_field",
    }
    assert problems["mode"]["message"] == "Choose one of: remote, in_person."
    assert problems["count"]["message"] == "Give a value of at least 1."
    assert problems["on"]["type"] == "date_from_datetime_parsing"


@pytest.mark.parametrize("language", ["ar", "zh-hans", "fr", "ru", "es"])
def test_messages_are_in_the_requested_language(language: str) -> None:
    english = _problems("en")
    translated = _problems(language)
    for field, problem in translated.items():
        assert problem["message"] != english[field]["message"], (language, field)
    assert translated["purpose"]["message"].count("action") == 1  # the values stay as sent


def test_a_type_without_its_own_message_is_not_valid() -> None:
    problems = translated_problems([{"type": "uuid_parsing", "loc": ("query", "id")}])
    assert problems == [
        {
            "field": "id",
            "code": "invalid",
            "message": "This value is not valid.",
            "type": "uuid_parsing",
        }
    ]
    assert "missing" in MESSAGES


def test_field_paths_leave_out_ninjas_parameter_source() -> None:
    assert field_path(("body", "payload", "contacts", 0, "value")) == "contacts.0.value"
    assert field_path(("query", "lang")) == "lang"
    assert field_path(("body", "payload")) == "payload"
