"""Files per language, downloads counted by the country the reader names (never looked up),
and the dissemination log of trainings and launch events."""

import json
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings

from cophub.accounts.models import Role, User
from cophub.resources.models import DownloadCount, ResourceDownload, ResourcePage, TrackedItem
from cophub.resources.services import download_create
from tests.cophub.portal.hostile_files import docx, docx_bomb

PDF = b"%PDF-1.4\n% demo\n"


@pytest.fixture
def download(guideline: ResourcePage) -> ResourceDownload:
    return download_create(resource=guideline, title="Guidelines (PDF)", source_language="en")


def _upload(
    client: Client,
    download: ResourceDownload,
    language: str,
    headers: dict[str, str],
    name: str = "guide.pdf",
    content: bytes = PDF,
) -> object:
    return client.post(
        f"/api/v1/resources/downloads/{download.pk}/files/{language}",
        {"file": SimpleUploadedFile(name, content)},
        headers=headers,
    )


def test_translated_file_is_public_only_once_approved_and_outdated_when_the_source_changes(
    client: Client,
    download: ResourceDownload,
    bdt_staff: User,
    translator: Callable[[str], User],
    token_for: Callable[[User], dict[str, str]],
) -> None:
    french = translator("fr")
    early = _upload(client, download, "fr", token_for(french))
    assert early.status_code == 422  # the source file comes first
    assert _upload(client, download, "en", token_for(french)).status_code == 403
    assert _upload(client, download, "en", token_for(bdt_staff)).status_code == 201
    assert (
        _upload(client, download, "fr", token_for(french), content=PDF + b"fr").status_code == 201
    )
    page = client.get("/en/resources/guidelines-for-parents/").content.decode()
    assert page.count('name="file"') == 1  # only the English file so far

    item = TrackedItem.objects.get(kind="file", key=str(download.pk))
    path = f"/api/v1/resources/translations/{item.pk}/fr"
    assert client.post(f"{path}/submit", headers=token_for(french)).json()["status"] == "in_review"
    assert (
        client.post(f"{path}/approve", headers=token_for(bdt_staff)).json()["status"] == "approved"
    )
    assert (
        client.get("/en/resources/guidelines-for-parents/").content.decode().count('name="file"')
        == 2
    )

    _upload(client, download, "en", token_for(bdt_staff), content=PDF + b"second edition")
    matrix = client.get("/api/v1/resources/translations?kind=file", headers=token_for(bdt_staff))
    cells = {c["language"]: c["status"] for c in matrix.json()["results"][0]["cells"]}
    assert cells["fr"] == "outdated"
    assert "(outdated)" in client.get("/en/resources/guidelines-for-parents/").content.decode()


def test_images_and_oversized_files_are_refused(
    client: Client,
    download: ResourceDownload,
    bdt_staff: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    image = _upload(
        client, download, "en", token_for(bdt_staff), name="photo.png", content=b"\x89PNG"
    )
    assert image.status_code == 422
    assert image.json()["details"] == {"field": "file", "reason": "type_not_allowed"}
    with override_settings(COPHUB_PRACTICES_MAX_ATTACHMENT_BYTES=10):
        big = _upload(client, download, "en", token_for(bdt_staff))
    assert big.json()["details"]["reason"] == "too_large"
    renamed = _upload(
        client, download, "en", token_for(bdt_staff), name="guide.pdf", content=b"MZ\x90\x00"
    )
    assert renamed.json()["details"] == {"field": "file", "reason": "invalid_file"}
    assert not download.files.exists()


def test_a_zip_bomb_is_refused_naming_the_limit_and_nothing_is_stored(
    client: Client,
    download: ResourceDownload,
    bdt_staff: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    bomb = _upload(
        client, download, "en", token_for(bdt_staff), name="guide.docx", content=docx_bomb()
    )
    assert bomb.status_code == 422  # type: ignore[attr-defined]
    body = bomb.json()  # type: ignore[attr-defined]
    assert body["details"] == {"field": "file", "reason": "compression_ratio"}
    assert "times its packed size; the limit is 100." in body["message"]
    assert not download.files.exists()
    fine = _upload(client, download, "en", token_for(bdt_staff), name="guide.docx", content=docx())
    assert fine.status_code == 201, fine.content  # type: ignore[attr-defined]


def test_download_is_counted_by_the_named_country_only(
    client: Client,
    download: ResourceDownload,
    bdt_staff: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    _upload(client, download, "en", token_for(bdt_staff))
    file = download.files.get()
    assert (
        client.get("/en/resources/download/", {"file": file.pk, "country": "ke"}).status_code == 200
    )
    client.get("/en/resources/download/", {"file": file.pk, "country": "KE"})
    client.get("/en/resources/download/", {"file": file.pk}, HTTP_X_FORWARDED_FOR="41.90.0.1")
    bad = client.get("/en/resources/download/", {"file": file.pk, "country": "XX"})
    assert bad.status_code == 400
    assert client.get("/en/resources/download/", {"file": 999999}).status_code == 404
    counts = {(c.country_id, c.count) for c in DownloadCount.objects.all()}
    assert counts == {("KE", 2), (None, 1)}
    stats = client.get("/api/v1/resources/dissemination/downloads").json()
    assert {"country": "KE", "language": "en", "downloads": 2} in stats
    assert {"country": None, "language": "en", "downloads": 1} in stats


def test_focal_points_record_events_for_their_country_only(
    client: Client,
    hub: None,
    focal_ke: User,
    make_user: Callable[..., User],
    token_for: Callable[[User], dict[str, str]],
) -> None:
    event = {
        "kind": "training",
        "title": "Training of trainers",
        "held_on": "2025-03-12",
        "country": "KE",
        "audience": "parents-educators",
        "attendance": 42,
    }
    post = lambda body, user: client.post(  # noqa: E731
        "/api/v1/resources/dissemination/events",
        json.dumps(body),
        content_type="application/json",
        headers=token_for(user),
    )
    assert post(event, focal_ke).status_code == 201
    assert post({**event, "country": "BR"}, focal_ke).status_code == 403
    officer = make_user(Role.REGIONAL_OFFICER, region="AFR", username="ro")
    assert post({**event, "country": "NG"}, officer).status_code == 201
    invalid = post({**event, "audience": "pets", "attendance": -3}, focal_ke)
    assert invalid.status_code == 422
    listed = client.get("/api/v1/resources/dissemination/events?country=KE").json()["results"]
    assert [(e["title"], e["attendance"]) for e in listed] == [("Training of trainers", 42)]

    client.force_login(focal_ke, backend="django.contrib.auth.backends.ModelBackend")
    page = client.post("/en/resources/dissemination/", {**event, "country": "KE"}, follow=True)
    assert "has been recorded" in page.content.decode()
    other = client.post("/en/resources/dissemination/", {**event, "country": "BR"})
    assert "other countries" in other.content.decode()
