"""Answers and evidence: every kind of bad input gets a clear error naming the field, and
nothing is half-written; edits after submission need reopening."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from cophub.accounts.models import User
from cophub.strategies.models import Answer, Assessment, Evidence
from tests.cophub.portal.hostile_files import docx, docx_bomb, docx_of_many_parts

from .conftest import LINK, Api

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def kenya(focal_ke: User, make_assessment: Callable[..., Assessment]) -> Assessment:
    return make_assessment(focal_ke, "KE")


@pytest.fixture
def api(api_as: Callable[[User], Api], focal_ke: User) -> Api:
    return api_as(focal_ke)


def _errors(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["details"]["errors"]}


@pytest.mark.parametrize(
    ("item", "value", "message"),
    [
        ("governance.lead-agency", "maybe", "Answer Yes, No or Partial."),
        ("governance.leadership", 5, "Choose a maturity phase from 1 to 4."),
        ("governance.leadership", 0, "Choose a maturity phase from 1 to 4."),
        ("governance.leadership", "2.5", "Choose a maturity phase from 1 to 4."),
        ("education.schools-share", 101, "The number must be at most 100."),
        ("law-enforcement.offences", -1, "The number must be at least 0."),
        ("law-enforcement.offences", 2.5, "Enter a whole number."),
        ("law-enforcement.offences", "many", "Enter a number."),
        ("governance.lessons", "", "This question needs an answer."),
    ],
)
def test_answers_out_of_scale_are_refused_naming_the_field(
    api: Api, kenya: Assessment, item: str, value: Any, message: str
) -> None:
    response = api.put(f"assessments/{kenya.pk}/answers/{item}", {"value": value})
    assert _errors(response) == {"value": message}
    assert response.json()["code"] == "validation_error"
    assert not Answer.objects.filter(assessment=kenya).exists()


def test_yes_and_partial_need_evidence_and_no_does_not(api: Api, kenya: Assessment) -> None:
    path = f"assessments/{kenya.pk}/answers/governance.strategy"
    assert "evidence" in _errors(api.put(path, {"value": "partial"}))
    assert api.put(path, {"value": "no"}).status_code == 200
    saved = api.put(path, {"value": "partial", "comment": "Draft with cabinet", "evidence": [LINK]})
    assert saved.status_code == 200, saved.content
    body = saved.json()
    assert body["value"] == "partial" and body["evidence"][0]["issuing_body"] == "Ministry of ICT"
    # The evidence stays attached: the answer can move to Yes without a new one.
    assert api.put(path, {"value": "yes"}).status_code == 200


def test_bad_evidence_names_each_field_and_writes_nothing(api: Api, kenya: Assessment) -> None:
    bad = {
        "title": "Policy",
        "url": "ftp://example.org/x",
        "issuing_body": "Ministry",
        "issued_on": "2999-01-01",
        "language": "xx",
    }
    response = api.put(
        f"assessments/{kenya.pk}/answers/governance.strategy", {"value": "yes", "evidence": [bad]}
    )
    assert set(_errors(response)) == {
        "evidence.0.url",
        "evidence.0.issued_on",
        "evidence.0.language",
    }
    assert not Answer.objects.filter(assessment=kenya).exists()
    assert not Evidence.objects.filter(assessment=kenya).exists()
    malformed = api.put(
        f"assessments/{kenya.pk}/answers/governance.strategy",
        {"value": "yes", "evidence": [{**LINK, "issued_on": "yesterday"}]},
    )
    assert "evidence.0.issued_on" in _errors(malformed)


def _upload(client: Client, headers: dict[str, str], kenya: Assessment, upload: Any) -> Any:
    return client.post(
        f"/api/v1/strategies/assessments/{kenya.pk}/answers/governance.strategy/evidence",
        {
            "title": "Strategy",
            "issuing_body": "Ministry of ICT",
            "issued_on": "2024-05-02",
            "language": "sw",
            "file": upload,
        },
        headers=headers,
    )


def test_evidence_files_are_checked_by_type_content_and_size(
    client: Client, api: Api, kenya: Assessment, signed_in: Callable[[User], Client], focal_ke: User
) -> None:
    exe = SimpleUploadedFile("strategy.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    assert "The content of the file is not a pdf document." in _errors(
        _upload(client, api.headers, kenya, exe)
    ).get("file", "")
    text = SimpleUploadedFile("notes.txt", b"hello", "text/plain")
    assert "not accepted" in _errors(_upload(client, api.headers, kenya, text))["file"]
    with override_settings(COPHUB_STRATEGIES_EVIDENCE_MAX_BYTES=20):
        big = SimpleUploadedFile("scan.png", PNG, "image/png")
        assert "largest accepted" in _errors(_upload(client, api.headers, kenya, big))["file"]
    assert not Evidence.objects.filter(assessment=kenya).exists()
    good = _upload(
        client, api.headers, kenya, SimpleUploadedFile("strategy.pdf", PDF, "application/pdf")
    )
    assert good.status_code == 201, good.content
    assert good.json()["has_file"] is True and good.json()["file_name"] == "strategy.pdf"
    evidence = Evidence.objects.get(pk=good.json()["id"])
    assert "strategy.pdf" not in evidence.file.name  # stored under a random name
    assert (
        api.put(f"assessments/{kenya.pk}/answers/governance.strategy", {"value": "yes"}).status_code
        == 200
    )
    download = signed_in(focal_ke).get(
        f"/en/strategies/assessments/{kenya.pk}/evidence/{evidence.pk}/"
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    # The last evidence of a Yes answer cannot be removed.
    removed = api.delete(f"assessments/{kenya.pk}/evidence/{evidence.pk}")
    assert "evidence" in _errors(removed)


def test_edits_after_submission_need_reopening(
    api: Api,
    focal_ke: User,
    make_assessment: Callable[..., Assessment],
    signed_in: Callable[[User], Client],
) -> None:
    kenya = make_assessment(focal_ke, "KE", submitted=True)
    path = f"assessments/{kenya.pk}/answers/governance.lead-agency"
    locked = api.put(path, {"value": "no"})
    assert locked.status_code == 409
    assert locked.json()["code"] == "invalid_state"
    assert "reopen" in locked.json()["message"]
    assert (
        api.post(
            f"assessments/{kenya.pk}/stakeholders",
            {"name": "X", "sector": "ngo", "involvement": "consulted"},
        ).status_code
        == 409
    )
    page = signed_in(focal_ke).post(
        f"/en/strategies/assessments/{kenya.pk}/items/governance.lead-agency/",
        {"value": "no"},
        follow=True,
    )
    assert "reopen" in page.content.decode()
    assert (
        Answer.objects.get(assessment=kenya, item__key="governance.lead-agency").choice == "partial"
    )
    assert api.post(f"assessments/{kenya.pk}/reopen").json()["status"] == "open"
    assert api.put(path, {"value": "no"}).status_code == 200
    assert api.post(f"assessments/{kenya.pk}/reopen").status_code == 422


def test_submission_lists_every_unanswered_question(api: Api, kenya: Assessment) -> None:
    response = api.post(f"assessments/{kenya.pk}/submit")
    errors = _errors(response)
    assert response.json()["message"] == "Some questions are not answered yet."
    assert "governance.lead-agency" in errors and "governance.lessons" not in errors
    assert errors["governance.lead-agency"].startswith(
        "Not answered yet: Is there a national agency"
    )


def test_consultation_and_stakeholders_validate_their_fields(api: Api, kenya: Assessment) -> None:
    path = f"assessments/{kenya.pk}"
    bad = {
        "held_on": "2025-01-01",
        "method": "séance",
        "participants": 12,
        "summary": "x",
        "age_min": 15,
        "age_max": 30,
    }
    assert set(_errors(api.post(f"{path}/consultations", bad))) == {"method", "age_max"}
    good = {**bad, "method": "workshop", "age_max": 17}
    created = api.post(f"{path}/consultations", good)
    assert created.status_code == 201
    assert api.get(f"{path}/consultations").json()["results"][0]["participants"] == 12
    wrong = api.post(
        f"{path}/stakeholders", {"name": "NGO", "sector": "space", "involvement": "lead"}
    )
    assert set(_errors(wrong)) == {"sector"}
    stakeholder = api.post(
        f"{path}/stakeholders", {"name": "NGO", "sector": "ngo", "involvement": "lead"}
    )
    assert api.delete(f"{path}/stakeholders/{stakeholder.json()['id']}").status_code == 204
    assert api.delete(f"{path}/stakeholders/{stakeholder.json()['id']}").status_code == 404


def test_malformed_json_is_422_with_field_paths(api: Api, kenya: Assessment) -> None:
    response = api.put(f"assessments/{kenya.pk}/answers/governance.strategy", {"comment": 3})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["details"]["errors"]} >= {"value"}


def test_an_evidence_document_of_a_hundred_thousand_parts_is_refused_naming_the_limit(
    client: Client, api: Api, kenya: Assessment
) -> None:
    many = SimpleUploadedFile("strategy.docx", docx_of_many_parts(), "application/octet-stream")
    errors = _errors(_upload(client, api.headers, kenya, many))
    assert errors["file"] == "The file is an archive of 100,002 parts; the limit is 10,000."
    bomb = SimpleUploadedFile("strategy.docx", docx_bomb(), "application/octet-stream")
    assert (
        "times its packed size; the limit is 100."
        in _errors(_upload(client, api.headers, kenya, bomb))["file"]
    )
    assert not Evidence.objects.filter(assessment=kenya).exists()
    fine = SimpleUploadedFile("strategy.docx", docx(), "application/octet-stream")
    assert _upload(client, api.headers, kenya, fine).status_code == 201
