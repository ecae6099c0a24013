"""Editors publish in the Wagtail admin; editions supersede each other; taxonomy records and
files in extra languages are tracked like pages."""

from collections.abc import Callable

import polib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings
from wagtail.documents.models import Document
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from cophub.accounts.models import User
from cophub.resources.models import HubPage, ItemTranslation, ResourcePage, RiskTopic, TrackedItem
from cophub.resources.selectors import translation_matrix
from cophub.resources.services import download_create, resource_page_create
from cophub.resources.translation_workflow import translation_export

from .conftest import OnCommit


def test_an_editor_publishes_a_guideline_in_the_admin_and_sees_it_in_the_matrix(
    client: Client, hub: None, bdt_staff: User, on_commit: OnCommit
) -> None:
    english_hub = HubPage.objects.get(locale__language_code="en")
    client.force_login(bdt_staff, backend="django.contrib.auth.backends.ModelBackend")
    form = nested_form_data(
        {
            "title": "Guidelines for industry",
            "slug": "guidelines-for-industry",
            "kind": "guideline_set",
            "summary": "Safety by design.",
            "body": rich_text("<p>Protective defaults for children.</p>"),
            "licence": "cc-by-4.0",
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    form.update({"audiences": ["industry"], "clauses": ["SM-2"]})
    with on_commit():
        response = client.post(f"/cms/pages/add/resources/resourcepage/{english_hub.pk}/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ResourcePage.objects.get(slug="guidelines-for-industry")
    assert page.live and list(page.audiences.values_list("code", flat=True)) == ["industry"]
    row = next(r for r in translation_matrix() if r.item.title == "Guidelines for industry")
    assert {c.language: c.status for c in row.cells}["zh-hans"] == "missing"
    assert client.get("/api/v1/resources/search?q=protective").json()[0]["title"] == (
        "Guidelines for industry"
    )


def test_a_newer_edition_is_announced_on_the_old_one(
    client: Client, guideline: ResourcePage, bdt_staff: User, on_commit: OnCommit
) -> None:
    with on_commit():
        newer = resource_page_create(
            language="en",
            kind="guideline_set",
            title="Guidelines for parents (2026)",
            summary="Updated.",
            slug="guidelines-for-parents-2026",
            edition="2026",
            user=bdt_staff,
        )
        guideline.superseded_by = newer
        guideline.save_revision(user=bdt_staff).publish(user=bdt_staff)
    old = client.get("/fr/resources/guidelines-for-parents/").content.decode()
    assert 'id="superseded-notice"' in old
    assert 'href="/en/resources/guidelines-for-parents-2026/"' in old


@override_settings(COPHUB_RESOURCES_EXTRA_LANGUAGES=["sw"])
def test_files_come_in_extra_languages_and_appear_in_the_matrix(
    client: Client,
    guideline: ResourcePage,
    bdt_staff: User,
    translator: Callable[[str], User],
    token_for: Callable[[User], dict[str, str]],
) -> None:
    download = download_create(resource=guideline, title="Poster", source_language="en")
    for language, user in (("en", bdt_staff), ("sw", translator("sw"))):
        response = client.post(
            f"/api/v1/resources/downloads/{download.pk}/files/{language}",
            {"file": SimpleUploadedFile("poster.pdf", b"%PDF-1.4 " + language.encode())},
            headers=token_for(user),
        )
        assert response.status_code == 201, response.content
    rows = client.get("/api/v1/resources/translations?kind=file", headers=token_for(bdt_staff))
    cells = {c["language"]: c["status"] for c in rows.json()["results"][0]["cells"]}
    assert cells["sw"] == "human_draft" and cells["ar"] == "missing"
    page_item = TrackedItem.objects.get(kind="page", key=str(guideline.translation_key))
    swahili_page = client.post(
        f"/api/v1/resources/translations/{page_item.pk}/sw/start", headers=token_for(bdt_staff)
    )
    assert swahili_page.status_code == 403  # pages only in the six languages


def test_documents_are_public_only_through_the_counted_download(
    client: Client, guideline: ResourcePage, bdt_staff: User,
    token_for: Callable[[User], dict[str, str]], translator: Callable[[str], User],
) -> None:  # fmt: skip
    download = download_create(resource=guideline, title="Poster", source_language="en")
    for language, user in (("en", bdt_staff), ("fr", translator("fr"))):
        client.post(
            f"/api/v1/resources/downloads/{download.pk}/files/{language}",
            {"file": SimpleUploadedFile("poster.pdf", b"%PDF-1.4 " + language.encode())},
            headers=token_for(user),
        )
    source, draft = (download.files.get(language=code).document for code in ("en", "fr"))
    to_source = client.get(source.url)
    assert to_source.status_code == 302 and "/resources/download/?file=" in to_source["Location"]
    assert client.get(draft.url).status_code == 404  # a draft translation is not public
    assert Document.objects.count() == 2


def test_taxonomy_records_are_translated_and_outdated_like_pages(
    hub: None, bdt_staff: User, on_commit: OnCommit
) -> None:
    item = TrackedItem.objects.get(kind="record")
    assert {c.language: c.status for c in translation_matrix(kind="record")[0].cells}["ar"] == (
        "approved"
    )
    topic = RiskTopic.objects.get(code="contract-gambling")
    with on_commit():
        topic.names = {**topic.names, "en": "Gambling, loot boxes and betting"}
        topic.save()
    item.refresh_from_db()
    assert item.source_version == 2
    assert translation_matrix(language="fr", status="outdated", kind="record")
    exported = translation_export(item=item, language="fr", file_format="po")
    entries = {e.msgctxt: e for e in polib.pofile(exported.content.decode())}
    assert entries["topic:contract-gambling"].msgid == "Gambling, loot boxes and betting"
    assert ItemTranslation.objects.get(item=item, language="fr").is_outdated


def test_a_translation_published_from_the_admin_shows_as_approved(
    item: TrackedItem, guideline: ResourcePage, bdt_staff: User, on_commit: OnCommit
) -> None:
    from wagtail.models import Locale
    from wagtail_localize.models import StringTranslation, Translation, TranslationSource

    source = TranslationSource.objects.get(object_id=guideline.translation_key)
    spanish = Locale.objects.get(language_code="es")
    for segment in source.stringsegment_set.select_related("string", "context"):
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=spanish,
            context=segment.context,
            data="ES " + segment.string.data,
            translation_type="manual",
        )
    translation = Translation.objects.create(source=source, target_locale=spanish)
    with on_commit():
        translation.save_target(user=bdt_staff, publish=True)  # what the admin's editor does
    row = next(r for r in translation_matrix() if r.item.pk == item.pk)
    assert {c.language: c.status for c in row.cells}["es"] == "approved"
