"""Submitting a practice through the API: drafts, references, eligibility, closed calls,
missing fields, versions with diffs, and attachments screened for images of children."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cophub.accounts.models import Organisation, Role, User
from cophub.practices.models import Attachment, Call, Submission

from .conftest import COMPLETE

Api = Callable[..., Any]


def test_draft_gets_a_reference_and_a_first_version(
    open_call: Call, author: User, call_api: Api
) -> None:
    first = call_api("post", "/submissions", author, {"call": open_call.pk, **COMPLETE})
    second = call_api("post", "/submissions", author, {"call": open_call.pk, **COMPLETE})
    year = timezone.now().year
    assert first.json()["reference"] == f"COP-BP-{year}-0001"
    assert second.json()["reference"] == f"COP-BP-{year}-0002"
    body = first.json()
    assert body["state"] == "draft" and body["version"] == 1
    assert body["clauses"] == ["SM-2"] and body["category"] == "technical-solution"
    assert re.fullmatch(r"COP-BP-\d{4}-\d{4}", body["reference"])


def test_missing_and_invalid_fields_are_named_and_nothing_is_written(
    open_call: Call, author: User, call_api: Api
) -> None:
    missing = call_api("post", "/submissions", author, {"call": open_call.pk})
    assert missing.status_code == 422
    assert missing.json()["code"] == "validation_error"
    assert {e["field"] for e in missing.json()["details"]["errors"]} == {
        "title",
        "category",
        "original_language",
    }
    invalid = call_api(
        "post",
        "/submissions",
        author,
        {
            "call": open_call.pk,
            **COMPLETE,
            "clauses": ["BDT-99"],
            "contact_email": "nobody",
            "country": "ZZ",
        },
    )
    assert invalid.status_code == 422
    assert {e["field"] for e in invalid.json()["details"]["errors"]} == {
        "clauses",
        "contact_email",
        "country",
    }
    assert not Submission.objects.exists()


def test_submitting_needs_every_required_field(
    open_call: Call, author: User, call_api: Api
) -> None:
    minimal = {
        "call": open_call.pk,
        "title": "Idea",
        "category": "self-regulation",
        "original_language": "fr",
    }
    reference = call_api("post", "/submissions", author, minimal).json()["reference"]
    response = call_api(
        "post", f"/submissions/{reference}/transition", author, {"state": "submitted"}
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["details"]["errors"]}
    assert {
        "abstract",
        "lessons_learned",
        "evidence_of_impact",
        "contact_email",
        "clauses",
        "country",
    } <= fields
    assert Submission.objects.get(reference=reference).state_id == "draft"


def test_no_submission_after_the_call_closes(
    open_call: Call, author: User, call_api: Api, draft: Submission
) -> None:
    Call.objects.filter(pk=open_call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    late = call_api("post", "/submissions", author, {"call": open_call.pk, **COMPLETE})
    assert late.status_code == 409
    assert late.json()["code"] == "invalid_state"
    assert "closed on" in late.json()["message"]
    sending = call_api(
        "post", f"/submissions/{draft.reference}/transition", author, {"state": "submitted"}
    )
    assert sending.status_code == 409
    assert Submission.objects.count() == 1
    assert Submission.objects.get().state_id == "draft"


def test_only_eligible_organisations_submit(
    open_call: Call, make_user: Callable[..., User], call_api: Api, bdt_staff: User
) -> None:
    ngo = make_user(None, username="ngo", kind=Organisation.Kind.NGO)
    refused = call_api("post", "/submissions", ngo, {"call": open_call.pk, **COMPLETE})
    assert refused.status_code == 403
    open_call.invited.add(ngo.organisation)
    invited = call_api("post", "/submissions", ngo, {"call": open_call.pk, **COMPLETE})
    assert invited.status_code == 201
    regional = Call.objects.create(
        titles={"en": "Asia-Pacific call"},
        region_id="ASP",
        phase="open",
        opens_at=open_call.opens_at,
        closes_at=open_call.closes_at,
    )
    kenyan = make_user(Role.FOCAL_POINT, username="focal", country="KE")
    other_region = call_api("post", "/submissions", kenyan, {"call": regional.pk, **COMPLETE})
    assert other_region.status_code == 403
    assert (
        call_api("post", "/submissions", kenyan, {"call": open_call.pk, **COMPLETE}).status_code
        == 201
    )
    announced = Call.objects.create(
        titles={"en": "Soon"}, opens_at=open_call.opens_at, closes_at=open_call.closes_at
    )
    assert call_api("get", f"/calls/{announced.pk}", kenyan).status_code == 404
    assert call_api("get", f"/calls/{announced.pk}", bdt_staff).status_code == 200


def test_authors_edit_their_own_drafts_and_every_edit_is_a_version(
    draft: Submission,
    author: User,
    make_user: Callable[..., User],
    call_api: Api,
    bdt_staff: User,
) -> None:
    path = f"/submissions/{draft.reference}"
    stranger = make_user(
        Role.SECTOR_MEMBER_CONTACT, username="other-operator", kind=Organisation.Kind.SECTOR_MEMBER
    )
    assert call_api("patch", path, stranger, {"title": "Mine now"}).status_code == 404
    edited = call_api("patch", path, author, {"abstract": "Every new SIM card starts safe."})
    assert edited.status_code == 200 and edited.json()["version"] == 2
    same = call_api("patch", path, author, {"abstract": "Every new SIM card starts safe."})
    assert same.json()["version"] == 2  # nothing changed, no new version
    versions = call_api("get", f"{path}/versions", author).json()["results"]
    assert [v["number"] for v in versions] == [1, 2]
    diff = call_api("get", f"{path}/versions/2/diff", author).json()
    assert [f["field"] for f in diff["fields"]] == ["abstract"]
    ops = {c["op"] for c in diff["fields"][0]["changes"]}
    assert ops == {"equal", "delete", "insert"}
    assert call_api("get", f"{path}/versions/9/diff", author).status_code == 404

    call_api("post", f"{path}/transition", author, {"state": "submitted"})
    frozen = call_api("patch", path, author, {"title": "Too late"})
    assert frozen.status_code == 403
    redacted = call_api("patch", path, bdt_staff, {"lessons_learned": "Parents kept defaults."})
    assert redacted.status_code == 200 and redacted.json()["version"] == 3


def test_attachments_images_refused_documents_screened(
    draft: Submission, author: User, client: Client, token_for: Callable[[User], dict[str, str]]
) -> None:
    url = f"/api/v1/practices/submissions/{draft.reference}/attachments"
    photo = client.post(
        url,
        {"file": SimpleUploadedFile("kids.jpg", b"\xff\xd8\xff\xe0")},
        headers=token_for(author),
    )
    assert photo.status_code == 422
    assert photo.json()["details"] == {"field": "file", "reason": "image_not_allowed"}
    assert not Attachment.objects.exists()
    assert Submission.objects.get(pk=draft.pk).version == 1
    note = client.post(
        url,
        {"file": SimpleUploadedFile("notes.txt", b"Ask amina@example.org")},
        headers=token_for(author),
    )
    assert note.status_code == 201
    assert Submission.objects.get(pk=draft.pk).version == 2
    findings = [(f.field, f.kind) for f in draft.findings.all()]
    assert findings == [("attachment:notes.txt", "email")]
    download = client.get(
        f"/en/practices/submissions/{draft.reference}/attachments/{note.json()['id']}/"
    )
    assert download.status_code == 302  # sign in first; the file is never public


def test_an_attachment_that_unpacks_without_bound_is_refused(
    draft: Submission, author: User, client: Client, token_for: Callable[[User], dict[str, str]]
) -> None:
    from tests.cophub.portal.hostile_files import docx_bomb

    response = client.post(
        f"/api/v1/practices/submissions/{draft.reference}/attachments",
        {"file": SimpleUploadedFile("practice.docx", docx_bomb())},
        headers=token_for(author),
    )
    assert response.status_code == 422
    assert response.json()["details"] == {"field": "file", "reason": "compression_ratio"}
    assert "the limit is 100." in response.json()["message"]
    assert not Attachment.objects.exists()
    assert Submission.objects.get(pk=draft.pk).version == 1


def test_submission_list_keeps_its_query_count_flat(
    open_call: Call, author: User, call_api: Api
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_api("post", "/submissions", author, {"call": open_call.pk, **COMPLETE})
    with CaptureQueriesContext(connection) as one:
        call_api("get", "/submissions?scope=mine", author)
    for _number in range(4):
        call_api("post", "/submissions", author, {"call": open_call.pk, **COMPLETE})
    with CaptureQueriesContext(connection) as five:
        response = call_api("get", "/submissions?scope=mine", author)
    assert len(response.json()["results"]) == 5
    assert len(five) == len(one)
