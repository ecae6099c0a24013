"""Public pages of the hub: readable without JavaScript, right to left in Arabic, searchable in
every language, honest about the language shown; and the translation pages for translators."""

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cophub.accounts.models import User
from cophub.resources.models import ItemTranslation, ResourcePage, TrackedItem
from cophub.resources.services import content_hold, resource_page_create
from cophub.resources.translation_workflow import (
    translation_approve,
    translation_import,
    translation_submit,
)

from .conftest import OnCommit
from .test_translation_workflow import filled_po


@pytest.fixture
def translated(item: TrackedItem, bdt_staff: User) -> TrackedItem:
    """The guideline approved in Arabic."""
    translation_import(
        item=item, language="ar", data=filled_po(item, "ar"), filename="ar.po", user=bdt_staff
    )
    record = translation_submit(item=item, language="ar", user=bdt_staff)
    translation_approve(record=record, user=bdt_staff)
    return item


def test_hub_lists_resources_in_the_visitors_language_or_says_which_language(
    client: Client, translated: TrackedItem
) -> None:
    arabic = client.get("/ar/resources/").content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "AR Guidelines for parents" in arabic
    french = client.get("/fr/resources/").content.decode()
    assert "Guidelines for parents" in french and "AR Guidelines" not in french
    assert 'lang="en"' in french  # the English title is marked as English
    assert "<script" not in french.replace(
        '<script src="/static/cophub/quick-exit.js" data-exit="/exit/"></script>', ""
    )


def test_untranslated_resource_is_served_in_its_source_language_inside_the_ui(
    client: Client, guideline: ResourcePage
) -> None:
    response = client.get("/ru/resources/guidelines-for-parents/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ru"' in html
    assert '<article lang="en" dir="ltr">' in html
    assert 'id="language-notice"' in html
    assert (
        'id="language-notice"'
        not in client.get("/en/resources/guidelines-for-parents/").content.decode()
    )
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_outdated_translation_says_so_and_links_the_original(
    client: Client,
    translated: TrackedItem,
    guideline: ResourcePage,
    change_source: Callable[..., None],
) -> None:
    before = client.get("/ar/resources/guidelines-for-parents/").content.decode()
    assert 'id="outdated-notice"' not in before
    change_source(guideline, summary="New summary.")
    html = client.get("/ar/resources/guidelines-for-parents/").content.decode()
    assert 'id="outdated-notice"' in html
    assert 'href="/en/resources/guidelines-for-parents/"' in html


def test_filters_by_audience_topic_and_clause(client: Client, guideline: ResourcePage) -> None:
    assert (
        "Guidelines for parents"
        in client.get("/en/resources/?audience=parents-educators").content.decode()
    )
    assert (
        "Guidelines for parents"
        not in client.get("/en/resources/?audience=industry").content.decode()
    )
    # A top-level topic finds what is tagged with its sub-topics.
    assert "Guidelines for parents" in client.get("/en/resources/?topic=contact").content.decode()
    assert "Guidelines for parents" in client.get("/en/resources/?clause=BDT-11").content.decode()
    assert "Guidelines for parents" not in client.get("/en/resources/?clause=MS-3").content.decode()


def test_search_finds_chinese_and_arabic_and_reports_empty_and_too_long(
    client: Client, hub: None, bdt_staff: User, on_commit: OnCommit
) -> None:
    with on_commit():
        resource_page_create(
            language="zh-hans",
            kind="guideline_set",
            title="儿童在线保护家长指南",
            summary="帮助家长保护儿童上网安全。",
            body="<p>与孩子谈论网络欺凌。</p>",
            slug="zh-guide",
            user=bdt_staff,
        )
        resource_page_create(
            language="ar",
            kind="guideline_set",
            title="إرشادات لحماية الأطفال",
            summary="دليل للآباء والمربين.",
            body="<p>تحدث مع أطفالك عن التنمر الإلكتروني.</p>",
            slug="ar-guide",
            user=bdt_staff,
        )
    chinese = client.get("/zh-hans/resources/search/", {"q": "网络欺凌"}).content.decode()
    assert "儿童在线保护家长指南" in chinese
    assert "إرشادات" not in chinese
    arabic = client.get("/ar/resources/search/", {"q": "أطفال التنمر"}).content.decode()
    assert "إرشادات لحماية الأطفال" in arabic
    nothing = client.get("/en/resources/search/", {"q": "网络钓鱼"}).content.decode()
    assert "儿童在线保护家长指南" not in nothing
    too_long = client.get("/en/resources/search/", {"q": "x" * 201})
    assert too_long.status_code == 400
    api = client.get("/api/v1/resources/search", {"q": "保护儿童", "lang": "fr"})
    assert [r["title"] for r in api.json()] == ["儿童在线保护家长指南"]
    assert api.json()[0]["in_requested_language"] is False


def test_held_resource_disappears_from_pages_search_and_listing(
    client: Client, guideline: ResourcePage
) -> None:
    content_hold(translation_key=guideline.translation_key, reason="test")
    assert client.get("/en/resources/guidelines-for-parents/").status_code == 404
    assert "Guidelines for parents" not in client.get("/en/resources/").content.decode()
    assert client.get("/api/v1/resources/search", {"q": "parents"}).json() == []


def test_translation_pages_for_translators_only(
    client: Client, item: TrackedItem, translator: Callable[[str], User], focal_ke: User
) -> None:
    assert client.get("/en/resources/translations/").status_code == 302  # sign in first
    client.force_login(focal_ke, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/en/resources/translations/").status_code == 403
    client.force_login(translator("ar"), backend="django.contrib.auth.backends.ModelBackend")
    matrix = client.get("/en/resources/translations/")
    assert matrix.status_code == 200
    assert f"/en/resources/translations/{item.pk}/ar/" in matrix.content.decode()
    workspace = client.get(f"/en/resources/translations/{item.pk}/ar/")
    assert workspace.status_code == 200
    assert "Export PO" in workspace.content.decode()
    other = client.get(f"/en/resources/translations/{item.pk}/fr/")
    assert "only translators of this language" in other.content.decode()


def test_workspace_import_form_refuses_a_stale_file_with_a_message(
    client: Client,
    item: TrackedItem,
    guideline: ResourcePage,
    translator: Callable[[str], User],
    change_source: Callable[..., None],
) -> None:
    stale = filled_po(item, "ar")
    change_source(guideline, summary="Changed again.")
    client.force_login(translator("ar"), backend="django.contrib.auth.backends.ModelBackend")
    url = f"/en/resources/translations/{item.pk}/ar/"
    response = client.post(
        url, {"action": "import", "file": SimpleUploadedFile("ar.po", stale)}, follow=True
    )
    assert "after this file was exported" in response.content.decode()
    assert not ItemTranslation.objects.filter(item=item).exists()
    item.refresh_from_db()
    fresh = client.post(
        url,
        {"action": "import", "file": SimpleUploadedFile("ar.po", filled_po(item, "ar"))},
        follow=True,
    )
    assert "5 translations imported" in fresh.content.decode()
    assert ItemTranslation.objects.get(item=item, language="ar").state == "human_draft"


def test_catalogue_api_keeps_its_query_count_flat(
    client: Client, guideline: ResourcePage, bdt_staff: User, on_commit: OnCommit
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(count: int) -> int:
        with on_commit():
            for _number in range(count):
                resource_page_create(
                    language="en",
                    kind="toolkit",
                    title="Toolkit",
                    summary="Tools.",
                    user=bdt_staff,
                )
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/resources/items?lang=fr")
        assert response.status_code == 200
        return len(queries)

    assert add(1) == add(5)
