"""The status matrix: outdated is computed from source fingerprints, never stored."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cophub.accounts.models import User
from cophub.resources.fingerprints import fingerprint_segments
from cophub.resources.models import ItemTranslation, ResourcePage, TrackedItem
from cophub.resources.selectors import translation_matrix
from cophub.resources.translation_status import CellStatus, cell_status
from cophub.resources.translation_workflow import translation_import, translation_start

from .conftest import api
from .test_translation_workflow import filled_po


def test_cell_status_rules() -> None:
    common: dict[str, Any] = {"source_language": "en", "source_hash": "new"}
    assert cell_status(language="en", state=None, made_from_hash=None, **common) == "source"
    assert cell_status(language="ar", state=None, made_from_hash=None, **common) == "missing"
    for state in ("machine_draft", "human_draft", "in_review", "approved"):
        assert cell_status(language="ar", state=state, made_from_hash="new", **common) == state
        assert cell_status(language="ar", state=state, made_from_hash="old", **common) == (
            "outdated"
        )


def test_fingerprint_ignores_nothing_of_the_text_and_nothing_else() -> None:
    base = fingerprint_segments([("title", "A"), ("body", "B")])
    assert fingerprint_segments([("title", "A"), ("body", "B")]) == base
    assert fingerprint_segments([("title", "A"), ("body", "B.")]) != base
    assert fingerprint_segments([("body", "B"), ("title", "A")]) != base


def _cell(item: TrackedItem, language: str) -> str:
    row = next(r for r in translation_matrix() if r.item.pk == item.pk)
    cell = row.cell(language)
    assert cell is not None
    return cell.status


def test_publishing_a_guideline_shows_every_language_missing_at_once(item: TrackedItem) -> None:
    assert item.source_language == "en"
    assert item.source_version == 1
    assert {lang: _cell(item, lang) for lang in ("ar", "zh-hans", "en", "fr", "ru", "es")} == {
        "ar": "missing",
        "zh-hans": "missing",
        "en": "source",
        "fr": "missing",
        "ru": "missing",
        "es": "missing",
    }


def test_a_source_change_outdates_translations_even_approved_ones(
    item: TrackedItem,
    guideline: ResourcePage,
    bdt_staff: User,
    change_source: Callable[..., None],
) -> None:
    translation_import(
        item=item, language="ar", data=filled_po(item, "ar"), filename="ar.po", user=bdt_staff
    )
    ItemTranslation.objects.filter(item=item, language="ar").update(state="approved")
    translation_start(item=item, language="fr", user=bdt_staff)
    assert _cell(item, "ar") == "approved"

    change_source(guideline, title="Guidelines for parents")  # no change of text: same source
    item.refresh_from_db()
    assert item.source_version == 1
    assert _cell(item, "ar") == "approved"

    change_source(guideline, summary="How to keep children safe online, step by step.")
    item.refresh_from_db()
    assert item.source_version == 2
    assert _cell(item, "ar") == "outdated"
    assert _cell(item, "fr") == "outdated"
    assert _cell(item, "es") == "missing"
    record = ItemTranslation.objects.get(item=item, language="ar")
    assert record.state == "approved" and record.made_from_version == 1  # the past is kept


def test_matrix_filters_outdated_in_arabic_in_page_and_api(
    item: TrackedItem,
    guideline: ResourcePage,
    bdt_staff: User,
    change_source: Callable[..., None],
    translator: Callable[[str], User],
    client: Client,
    token_for: Callable[[User], dict[str, str]],
) -> None:
    translation_start(item=item, language="ar", user=bdt_staff)
    translation_start(item=item, language="fr", user=bdt_staff)
    change_source(guideline, summary="Changed.")
    item.refresh_from_db()
    ItemTranslation.objects.filter(item=item, language="fr").update(made_from_hash=item.source_hash)

    response = api(
        client, "get", "/translations?language=ar&status=outdated", token_for(translator("ar"))
    )
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["title"] for row in rows] == ["Guidelines for parents"]
    cells = {c["language"]: c for c in rows[0]["cells"]}
    assert cells["ar"]["status"] == "outdated" and cells["ar"]["made_from_version"] == 1
    assert cells["fr"]["status"] == "human_draft"

    none = api(client, "get", "/translations?language=fr&status=outdated", token_for(bdt_staff))
    assert none.json()["results"] == []

    client.force_login(
        translator("ar", "translator-ar-2"), backend="django.contrib.auth.backends.ModelBackend"
    )
    page = client.get("/en/resources/translations/?language=ar&status=outdated")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Guidelines for parents" in html
    assert 'data-language="ar" data-status="outdated"' in html


def test_matrix_api_rejects_unknown_filters_and_keeps_query_count_flat(
    item: TrackedItem, client: Client, token_for: Callable[[User], dict[str, str]], bdt_staff: User
) -> None:
    headers = token_for(bdt_staff)
    bad = api(client, "get", "/translations?status=stale&language=xx", headers)
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["details"]["errors"]} == {"status", "language"}
    with CaptureQueriesContext(connection) as few:
        api(client, "get", "/translations", headers)
    for number in range(5):
        TrackedItem.objects.create(
            kind="file",
            key=f"x{number}",
            title=f"File {number}",
            source_language="en",
            source_hash="h",
            source_changed_at=item.source_changed_at,
        )
    with CaptureQueriesContext(connection) as many:
        response = api(client, "get", "/translations", headers)
    assert len(response.json()["results"]) >= 7
    assert len(many) == len(few)


@pytest.mark.parametrize("role_language", ["ar", None])
def test_matrix_is_for_staff_and_translators_only(
    item: TrackedItem,
    client: Client,
    token_for: Callable[[User], dict[str, str]],
    translator: Callable[[str], User],
    focal_ke: User,
    role_language: str | None,
) -> None:
    user = translator(role_language) if role_language else focal_ke
    response = api(client, "get", "/translations", token_for(user))
    assert response.status_code == (200 if role_language else 403)
    assert api(client, "get", "/translations", {}).status_code == 401
    assert CellStatus.OUTDATED == "outdated"
