"""The document register's API: numbers, deadline rules, revisions, versions and visibility."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cophub.coordination.models import Document

from ..conftest import api

pytestmark = pytest.mark.django_db


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


CONTRIBUTION = {
    "kind": "contribution",
    "purpose": "action",
    "title": "Helpline numbers in national numbering plans",
    "original_language": "fr",
    "abstract": "Proposes that 116 111 be reserved.",
}


def _errors(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {e["field"]: e["message"] for e in response.json()["details"]["errors"]}


def _days_before(meeting, days: int) -> None:  # type: ignore[no-untyped-def]
    meeting.starts_on = timezone.localdate() + timedelta(days=days)
    meeting.ends_on = meeting.starts_on
    meeting.save()


def test_contribution_numbers_and_deadline_rules(client, meeting, delegate_fr, token_for):
    headers = token_for(delegate_fr)
    first = api(client, headers, "post", f"meetings/{meeting.pk}/documents", CONTRIBUTION)
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["number"] == "CWG-COP-25/1-F"
    assert data["timeliness"] == "on_time" and data["status"] == "submitted"
    assert {v["language"]: v["number"] for v in data["versions"]}["ar"] == "CWG-COP-25/1-A"
    assert {v["language"]: v["status"] for v in data["versions"]}["fr"] == "approved"
    # CWG-COP follows Council Decision 556: one language, 12 days (test_deadline_rules.py).
    _days_before(meeting, 12)
    second = api(client, headers, "post", f"meetings/{meeting.pk}/documents", CONTRIBUTION)
    assert second.json()["number"] == "CWG-COP-25/2-F"
    assert second.json()["timeliness"] == "on_time"
    _days_before(meeting, 11)
    late = api(client, headers, "post", f"meetings/{meeting.pk}/documents", CONTRIBUTION)
    assert late.status_code == 422
    assert _errors(late)["meeting"].startswith("The deadline for this meeting was ")
    assert Document.objects.count() == 2


def test_delegates_submit_contributions_only_and_duplicates_are_refused(
    client, meeting, delegate_fr, chair, token_for
):
    agenda = {**CONTRIBUTION, "kind": "agenda"}
    refused = api(
        client, token_for(delegate_fr), "post", f"meetings/{meeting.pk}/documents", agenda
    )
    assert "kind" in _errors(refused)
    ok = api(
        client,
        token_for(chair),
        "post",
        f"meetings/{meeting.pk}/documents",
        {**agenda, "seq": 1, "original_language": "en"},
    )
    assert ok.json()["number"] == "CWG-COP-25/1-E"
    duplicate = api(
        client,
        token_for(chair),
        "post",
        f"meetings/{meeting.pk}/documents",
        {**agenda, "seq": 1, "original_language": "en"},
    )
    assert _errors(duplicate)["seq"] == "The number CWG-COP-25/1-E is already taken."


def test_files_revisions_publication_and_visibility(client, meeting, delegate_fr, chair, token_for):
    created = api(
        client, token_for(delegate_fr), "post", f"meetings/{meeting.pk}/documents", CONTRIBUTION
    ).json()
    path = f"/api/v1/coordination/documents/{created['id']}"
    # Not published: hidden from the public, seen by its submitter.
    assert client.get(path).status_code == 404
    assert client.get(path, headers=token_for(delegate_fr)).status_code == 200
    # A renamed executable is refused for the file, and nothing changes.
    exe = client.post(
        f"{path}/versions/en",
        {"status": "human_draft", "file": _upload("report.pdf", b"MZ\x90\x00 not a pdf")},
        headers=token_for(chair),
    )
    assert exe.status_code == 422 and "file" in _errors(exe)
    fine = client.post(
        f"{path}/versions/en",
        {"status": "human_draft", "file": _upload("report.pdf", PDF)},
        headers=token_for(chair),
    )
    versions = {v["language"]: v for v in fine.json()["versions"]}
    assert versions["en"]["status"] == "human_draft" and versions["en"]["has_file"]
    download = client.get(f"{path}/versions/en/file", headers=token_for(chair))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    # Only the meeting's managers publish.
    assert client.post(f"{path}/publish", headers=token_for(delegate_fr)).status_code == 403
    assert client.post(f"{path}/publish", headers=token_for(chair)).json()["status"] == "published"
    assert client.get(path).status_code == 200
    revised = client.post(
        f"{path}/revisions",
        {"title": "Helpline numbers (revised)"},
        content_type="application/json",
        headers=token_for(delegate_fr),
    )
    assert revised.status_code == 201
    assert revised.json()["number"] == "CWG-COP-25/1(Rev.1)-F"
    listed = client.get(f"/api/v1/coordination/meetings/{meeting.pk}/documents").json()["results"]
    assert [d["number"] for d in listed] == ["CWG-COP-25/1-F"]  # the revision is unpublished


def test_a_document_file_that_unpacks_without_bound_is_refused(
    client, meeting, delegate_fr, chair, token_for
):
    from tests.cophub.portal.hostile_files import docx_bomb, docx_of_many_parts

    created = api(
        client, token_for(delegate_fr), "post", f"meetings/{meeting.pk}/documents", CONTRIBUTION
    ).json()
    path = f"/api/v1/coordination/documents/{created['id']}/versions/en"
    bomb = client.post(
        path,
        {"status": "human_draft", "file": _upload("report.docx", docx_bomb())},
        headers=token_for(chair),
    )
    assert bomb.status_code == 422
    assert "times its packed size; the limit is 100." in _errors(bomb)["file"]
    many = client.post(
        path,
        {"status": "human_draft", "file": _upload("report.docx", docx_of_many_parts())},
        headers=token_for(chair),
    )
    assert _errors(many)["file"] == "The file is an archive of 100,002 parts; the limit is 10,000."
    versions = {
        v["language"]: v
        for v in client.get(
            f"/api/v1/coordination/documents/{created['id']}", headers=token_for(chair)
        ).json()["versions"]
    }
    assert not versions["en"]["has_file"]


def _upload(name: str, content: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, "application/octet-stream")
