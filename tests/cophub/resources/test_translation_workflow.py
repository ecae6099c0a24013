"""A translation from start to publication through the API: export, import (refused when the
source changed meanwhile), machine drafts, per-language review, notices to translators."""

import json
from collections.abc import Callable

import polib
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings
from wagtail.models import Locale

from cophub.accounts.models import User
from cophub.resources.models import ItemTranslation, ResourcePage, TrackedItem
from cophub.resources.translation_workflow import translation_export

from .conftest import OnCommit, api

DUMMY_TRANSLATOR = {
    "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator",
    "OPTIONS": {},
}


def filled_po(item: TrackedItem, language: str, *, prefix: str = "AR ") -> bytes:
    exported = translation_export(item=item, language=language, file_format="po")
    po = polib.pofile(exported.content.decode())
    for entry in po:
        entry.msgstr = prefix + entry.msgid
    return str(po).encode()


def upload(name: str, content: bytes) -> dict[str, SimpleUploadedFile]:
    return {"file": SimpleUploadedFile(name, content)}


@pytest.fixture
def arabic(translator: Callable[[str], User]) -> User:
    return translator("ar")


@pytest.fixture
def arabic_reviewer(translator: Callable[[str], User]) -> User:
    return translator("ar", "reviewer-ar")


def test_translate_review_and_publish_in_arabic(
    client: Client,
    item: TrackedItem,
    guideline: ResourcePage,
    arabic: User,
    arabic_reviewer: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    headers = token_for(arabic)
    path = f"/translations/{item.pk}/ar"
    exported = api(client, "get", f"{path}/export?format=po", headers)
    assert exported.status_code == 200
    assert "X-COPHub-Source-Hash: " + item.source_hash in exported.content.decode()
    po = polib.pofile(exported.content.decode())
    for entry in po:
        entry.msgstr = "AR " + entry.msgid
    imported = api(
        client, "post", f"{path}/import", headers, data=upload("ar.po", str(po).encode())
    )
    assert imported.status_code == 200, imported.content
    assert imported.json() == {"imported": 5, "translated": 5, "total": 5}
    assert api(client, "get", path, headers).json()["status"] == "human_draft"

    submitted = api(client, "post", f"{path}/submit", headers)
    assert submitted.json()["status"] == "in_review"
    # Four eyes: the translator who submitted does not approve their own work...
    own = api(client, "post", f"{path}/approve", headers)
    assert own.status_code == 403
    assert not guideline.get_translations().filter(locale__language_code="ar", live=True).exists()
    # ...another translator of the language does, and the Arabic page goes live.
    approved = api(client, "post", f"{path}/approve", token_for(arabic_reviewer))
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    arabic_page = guideline.get_translation(Locale.objects.get(language_code="ar"))
    assert arabic_page.live and arabic_page.title == "AR Guidelines for parents"
    page = client.get("/ar/resources/guidelines-for-parents/")
    assert page.status_code == 200
    assert 'lang="ar" dir="rtl"' in page.content.decode()
    assert "AR How to keep children safe online." in page.content.decode()


def test_xliff_round_trip(
    client: Client, item: TrackedItem, arabic: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    headers = token_for(arabic)
    path = f"/translations/{item.pk}/ar"
    exported = api(client, "get", f"{path}/export?format=xliff", headers)
    assert exported["Content-Type"].startswith("application/xliff+xml")
    text = exported.content.decode()
    assert 'cophub:source-hash="' + item.source_hash in text
    filled = text.replace('<target state="new" />', '<target state="translated">ترجمة</target>')
    imported = api(
        client, "post", f"{path}/import", headers, data=upload("ar.xlf", filled.encode())
    )
    assert imported.status_code == 200, imported.content
    assert imported.json()["translated"] == imported.json()["total"] == 5


def test_import_is_refused_when_the_source_changed_after_export(
    client: Client,
    item: TrackedItem,
    guideline: ResourcePage,
    arabic: User,
    change_source: Callable[..., None],
    token_for: Callable[[User], dict[str, str]],
) -> None:
    stale = filled_po(item, "ar")
    change_source(guideline, summary="A new summary.")
    response = api(
        client,
        "post",
        f"/translations/{item.pk}/ar/import",
        token_for(arabic),
        data=upload("ar.po", stale),
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "source_changed"
    assert body["details"] == {
        "file_version": 1,
        "current_version": 2,
        "changed_at": body["details"]["changed_at"],
    }
    assert "version 1" in body["message"] and "version 2" in body["message"]
    assert not ItemTranslation.objects.filter(item=item).exists()  # nothing written


def test_import_with_an_edited_source_text_or_garbage_writes_nothing(
    client: Client, item: TrackedItem, arabic: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    headers = token_for(arabic)
    po = polib.pofile(filled_po(item, "ar").decode())
    po[0].msgid = "Guidelines for grandparents"
    edited = api(
        client,
        "post",
        f"/translations/{item.pk}/ar/import",
        headers,
        data=upload("ar.po", str(po).encode()),
    )
    assert edited.status_code == 422
    assert edited.json()["details"]["errors"][0]["field"] == "entries.1"
    garbage = api(
        client,
        "post",
        f"/translations/{item.pk}/ar/import",
        headers,
        data=upload("ar.xlf", b"<xliff><oops"),
    )
    assert garbage.status_code == 422
    assert garbage.json()["code"] == "invalid_translation_file"
    wrong_language = api(
        client,
        "post",
        f"/translations/{item.pk}/ar/import",
        headers,
        data=upload("fr.po", filled_po(item, "fr")),
    )
    assert wrong_language.status_code == 422
    assert not ItemTranslation.objects.filter(item=item).exists()


def test_translators_work_only_in_their_language(
    client: Client,
    item: TrackedItem,
    arabic: User,
    translator: Callable[[str], User],
    focal_ke: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    french = api(client, "post", f"/translations/{item.pk}/fr/start", token_for(arabic))
    assert french.status_code == 403
    own = api(client, "post", f"/translations/{item.pk}/ar/start", token_for(arabic))
    assert own.status_code == 200
    assert own.json()["status"] == "human_draft"
    source = api(client, "post", f"/translations/{item.pk}/en/start", token_for(translator("en")))
    assert source.status_code == 403  # the source language has nothing to translate
    outsider = api(client, "post", f"/translations/{item.pk}/ar/start", token_for(focal_ke))
    assert outsider.status_code == 404
    missing = api(client, "post", "/translations/999999/ar/start", token_for(arabic))
    assert missing.status_code == 404
    assert api(client, "post", f"/translations/{item.pk}/ar/start", {}).status_code == 401


@override_settings(WAGTAILLOCALIZE_MACHINE_TRANSLATOR=DUMMY_TRANSLATOR)
def test_machine_draft_stays_marked_until_approved(
    client: Client,
    item: TrackedItem,
    translator: Callable[[str], User],
    bdt_staff: User,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    russian = translator("ru")
    path = f"/translations/{item.pk}/ru"
    drafted = api(client, "post", f"{path}/machine-draft", token_for(russian))
    assert drafted.status_code == 200, drafted.content
    body = drafted.json()
    assert body["status"] == "machine_draft"
    assert all(segment["machine"] and segment["target"] for segment in body["segments"])
    api(client, "post", f"{path}/submit", token_for(russian))
    returned = api(
        client,
        "post",
        f"{path}/return",
        token_for(bdt_staff),
        data=json.dumps({"note": "Redo."}),
        content_type="application/json",
    )
    assert returned.json()["status"] == "machine_draft"  # still marked after review
    assert returned.json()["review_note"] == "Redo."
    api(client, "post", f"{path}/submit", token_for(russian))
    approved = api(client, "post", f"{path}/approve", token_for(bdt_staff))
    assert approved.json()["status"] == "approved"


def test_machine_draft_without_a_service_is_a_clear_error(
    client: Client, item: TrackedItem, arabic: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    response = api(client, "post", f"/translations/{item.pk}/ar/machine-draft", token_for(arabic))
    assert response.status_code == 400
    assert response.json()["code"] == "not_applicable"
    assert not ItemTranslation.objects.filter(item=item).exists()


def test_submit_needs_every_segment_and_approval_needs_the_current_source(
    client: Client,
    item: TrackedItem,
    guideline: ResourcePage,
    arabic: User,
    bdt_staff: User,
    change_source: Callable[..., None],
    token_for: Callable[[User], dict[str, str]],
) -> None:
    headers = token_for(arabic)
    path = f"/translations/{item.pk}/ar"
    api(client, "post", f"{path}/start", headers)
    early = api(client, "post", f"{path}/submit", headers)
    assert early.status_code == 409
    assert "5 of 5" in early.json()["message"]
    api(client, "post", f"{path}/import", headers, data=upload("ar.po", filled_po(item, "ar")))
    assert api(client, "post", f"{path}/submit", headers).status_code == 200
    change_source(guideline, summary="Changed while in review.")
    late = api(client, "post", f"{path}/approve", token_for(bdt_staff))
    assert late.status_code == 409
    assert late.json()["code"] == "source_changed"


def test_translators_of_the_language_are_told_when_a_source_changes(
    item: TrackedItem,
    guideline: ResourcePage,
    arabic: User,
    translator: Callable[[str], User],
    bdt_staff: User,
    change_source: Callable[..., None],
    on_commit: OnCommit,
    client: Client,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    translator("fr")  # no French translation exists: French translators are not bothered
    api(client, "post", f"/translations/{item.pk}/ar/start", token_for(arabic))
    mail.outbox.clear()
    change_source(guideline, summary="A better summary.")
    assert [m.to for m in mail.outbox] == [[arabic.email]]
    message = mail.outbox[0]
    assert "Guidelines for parents" in message.subject
    assert "/ar/resources/translations/?language=ar&status=outdated" in message.body


def test_import_with_a_control_character_names_the_entry_and_writes_nothing(
    client: Client, item: TrackedItem, arabic: User, token_for: Callable[[User], dict[str, str]]
) -> None:
    po = polib.pofile(filled_po(item, "ar").decode())
    po[1].msgstr = "AR \x01 hidden"
    response = api(
        client,
        "post",
        f"/translations/{item.pk}/ar/import",
        token_for(arabic),
        data=upload("ar.po", str(po).encode()),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_translation_file"
    assert body["details"]["errors"][0]["field"] == "entries.2"
    assert "U+0001" in body["details"]["errors"][0]["message"]
    assert not ItemTranslation.objects.filter(item=item).exists()
