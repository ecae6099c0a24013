"""Document pages: submission under the deadline rules, language versions and their files,
revisions and withdrawals."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cophub.accounts.models import User
from cophub.coordination.documents import services as document_services
from cophub.coordination.models import (
    Document,
    DocumentVersion,
    Meeting,
)

pytestmark = pytest.mark.django_db


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


CONTRIBUTION = {
    "kind": "contribution",
    "purpose": "action",
    "title": "Helpline numbers in national numbering plans",
    "original_language": "fr",
    "abstract": "Proposes that 116 111 be reserved.",
}


def _html(response: Any) -> str:
    return str(response.content.decode())


def test_document_submission_through_the_page_and_the_deadline(
    signed_in: Callable[[User], Client], meeting: Meeting, delegate_fr: User, chair: User
) -> None:
    client = signed_in(delegate_fr)
    url = f"/en/coordination/meetings/{meeting.pk}/submit/"
    form_page = _html(client.get(url))
    assert "A contribution submitted today: On time." in form_page
    upload = SimpleUploadedFile("contribution.pdf", PDF, "application/pdf")
    done = client.post(url, {**CONTRIBUTION, "file": upload}, follow=True)
    document = Document.objects.get()
    assert done.redirect_chain[-1][0] == f"/en/coordination/documents/{document.pk}/"
    page = _html(done)
    assert "Your document has been registered as CWG-COP-25/1-F." in page
    assert f"/api/v1/coordination/documents/{document.pk}/versions/fr/file" in page
    assert f"/api/v1/coordination/documents/{document.pk}/versions/en/file" not in page
    assert document.versions.get(language="fr").file

    # The chair publishes it from the meeting page.
    signed_in(chair).post(f"/en/coordination/documents/{document.pk}/publish/", {"back": "meeting"})
    document.refresh_from_db()
    assert document.status == Document.Status.PUBLISHED

    meeting.starts_on = timezone.localdate() + timedelta(days=11)
    meeting.ends_on = meeting.starts_on
    meeting.save()
    client = signed_in(delegate_fr)
    late = client.post(url, {**CONTRIBUTION, "title": "Too late"})
    assert late.status_code == 200
    html = _html(late)
    assert "Late: held for the next meeting" in html  # the rule, shown before submitting
    assert "The deadline for this meeting was" in html
    assert 'class="errorlist' in html
    assert Document.objects.count() == 1
    assert DocumentVersion.objects.count() == 6


def test_a_delegate_cannot_submit_a_secretariat_document_type(
    signed_in: Callable[[User], Client], meeting: Meeting, delegate_fr: User
) -> None:
    client = signed_in(delegate_fr)
    response = client.post(
        f"/en/coordination/meetings/{meeting.pk}/submit/", {**CONTRIBUTION, "kind": "agenda"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in _html(response)  # not offered to delegates
    assert not Document.objects.exists()


def _field_errors(response: Any, form: str = "form") -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context[form].errors.items()}


@pytest.fixture
def document(meeting: Meeting, delegate_fr: User) -> Document:
    return document_services.document_submit(user=delegate_fr, meeting=meeting, **CONTRIBUTION)


def test_the_chair_sets_a_version_with_its_file_and_a_fake_pdf_is_refused(
    signed_in: Callable[[User], Client], document: Document, chair: User, delegate_fr: User
) -> None:
    url = f"/en/coordination/documents/{document.pk}/versions/"
    form = {"language": "ar", "version-ar-status": "in_review"}
    submitter = signed_in(delegate_fr)
    assert 'name="version-ar-status"' not in _html(
        submitter.get(f"/en/coordination/documents/{document.pk}/")
    )
    assert submitter.post(url, form).status_code == 403

    client = signed_in(chair)
    upload = SimpleUploadedFile("traduction.pdf", PDF, "application/pdf")
    done = client.post(url, {**form, "version-ar-file": upload}, follow=True)
    assert done.redirect_chain[-1][0] == f"/en/coordination/documents/{document.pk}/"
    assert "CWG-COP-25/1-A has been saved." in _html(done)
    arabic = document.versions.get(language="ar")
    assert arabic.status == DocumentVersion.Status.IN_REVIEW
    assert arabic.file and arabic.file_name == "traduction.pdf"
    assert f"/api/v1/coordination/documents/{document.pk}/versions/ar/file" in _html(done)

    fake = SimpleUploadedFile("fausse.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    refused = client.post(
        url, {"language": "es", "version-es-status": "approved", "version-es-file": fake}
    )
    assert refused.status_code == 200
    spanish_form = next(
        v["form"] for v in refused.context["version_forms"] if v["language"] == "es"
    )
    assert list(spanish_form.errors) == ["file"]
    assert 'class="errorlist' in _html(refused)
    spanish = document.versions.get(language="es")
    assert spanish.status == DocumentVersion.Status.MISSING and not spanish.file


def test_the_submitter_revises_and_withdraws(
    signed_in: Callable[[User], Client],
    document: Document,
    chair: User,
    delegate_fr: User,
    delegate_et: User,
) -> None:
    document_services.document_publish(user=chair, document=document)
    base = f"/en/coordination/documents/{document.pk}/"
    other = signed_in(delegate_et)
    assert 'name="revise-title"' not in _html(other.get(base))
    assert other.post(f"{base}revise/", {"revise-title": "Mine"}).status_code == 403
    assert other.post(f"{base}withdraw/").status_code == 403

    client = signed_in(delegate_fr)
    fake = SimpleUploadedFile("rev.pdf", b"not a pdf at all", "application/pdf")
    refused = client.post(f"{base}revise/", {"revise-title": "Revised", "revise-file": fake})
    assert refused.status_code == 200 and list(_field_errors(refused, "revise_form")) == ["file"]
    assert Document.objects.count() == 1

    upload = SimpleUploadedFile("rev.pdf", PDF, "application/pdf")
    done = client.post(
        f"{base}revise/",
        {
            "revise-title": "Helpline numbers (revised)",
            "revise-abstract": "",
            "revise-file": upload,
        },
        follow=True,
    )
    revised = Document.objects.get(revision=1)
    assert done.redirect_chain[-1][0] == f"/en/coordination/documents/{revised.pk}/"
    assert "Your document has been registered as CWG-COP-25/1(Rev.1)-F." in _html(done)
    assert revised.seq == document.seq and revised.title == "Helpline numbers (revised)"
    assert revised.versions.get(language="fr").file

    withdrawn = client.post(f"{base}withdraw/", follow=True)
    assert "CWG-COP-25/1-F has been withdrawn." in _html(withdrawn)
    document.refresh_from_db()
    assert document.status == Document.Status.WITHDRAWN
    assert f'action="{base}withdraw/"' not in _html(client.get(base))
