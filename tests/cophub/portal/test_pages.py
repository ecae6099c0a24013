import re

import pytest
from django.test import Client
from django.test.utils import override_settings

LANGUAGES = ["ar", "zh-hans", "en", "fr", "ru", "es"]
pytestmark = pytest.mark.django_db


def html_root(response) -> str:  # type: ignore[no-untyped-def]
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)  # type: ignore[union-attr]


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_page_in_each_language_has_lang_and_direction(client: Client, language: str) -> None:
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    root = html_root(response)
    assert f'lang="{language}"' in root
    assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in root


def test_home_page_speaks_to_every_audience_and_links_modules(client: Client) -> None:
    response = client.get("/en/")
    page = response.content.decode()
    for audience in ["children", "carers", "member_states", "industry", "itu_staff"]:
        assert f'id="audience-{audience}"' in page
    links = set(re.findall(r'<li><a href="([^"]+)">', page))
    assert "/en/resolution-67/" in links
    assert "/api/v1/docs" in links
    for link in links:
        response = client.get(link)
        # Public modules answer; staff modules send a visitor to sign in first.
        signs_in = response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert response.status_code == 200 or signs_in, link


def test_home_page_is_translated(client: Client) -> None:
    french = client.get("/fr/").content.decode()
    assert "Enfants et jeunes" in french
    arabic = client.get("/ar/").content.decode()
    assert "الخروج السريع" in arabic


def test_language_switcher_keeps_the_current_page(client: Client) -> None:
    page = client.get("/fr/resolution-67/").content.decode()
    for language in LANGUAGES:
        assert f'href="/{language}/resolution-67/" lang="{language}"' in page


@pytest.mark.parametrize(
    "path", ["/en/", "/ar/resolution-67/", "/es/accounts/login/", "/ru/accounts/password-reset/"]
)
def test_every_public_page_has_quick_exit_and_no_third_party_resources(
    client: Client, path: str
) -> None:
    with override_settings(COPHUB_QUICK_EXIT_URL="https://neutral.example/"):
        response = client.get(path)
    page = response.content.decode()
    assert response.status_code == 200
    # A plain link to this site's /exit/, which works without JavaScript.
    assert '<a id="quick-exit" class="quick-exit" href="/exit/"' in page
    assert "quick-exit.js" in page
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
    assert external == []


def test_quick_exit_clears_the_site_and_sees_the_visitor_off_to_the_neutral_site(
    client: Client,
) -> None:
    with override_settings(COPHUB_QUICK_EXIT_URL="https://neutral.example/"):
        response = client.get("/exit/")
    assert response.status_code == 303
    assert response["Location"] == "https://neutral.example/"
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    mark = response.cookies["cophub_left"]
    assert (mark.value, mark["samesite"], mark["path"]) == ("1", "Strict", "/")
    assert int(mark["max-age"]) <= 1800


@pytest.mark.parametrize("language", LANGUAGES)
def test_quick_exit_words_are_translated_for_screen_readers(client: Client, language: str) -> None:
    page = client.get(f"/{language}/").content.decode()
    link = re.search(r'<a id="quick-exit"[^>]*>', page)
    assert link is not None
    for key in ("once", "twice", "reset", "leaving"):
        assert re.search(rf'data-{key}="[^"]+"', link.group(0)), key
    if language != "en":
        assert "Shift pressed once" not in link.group(0)
    assert 'aria-live="polite"' in page


def test_unknown_language_prefix_gives_404_in_default_language(client: Client) -> None:
    response = client.get("/xx/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert 'lang="en"' in html_root(response)
    assert "Page not found" in response.content.decode()


def test_missing_page_in_a_language_answers_in_that_language(client: Client) -> None:
    response = client.get("/fr/no-such-page/")
    assert response.status_code == 404
    assert 'lang="fr"' in html_root(response)


def test_resolution_page_lists_clauses_and_marks_unofficial_translations(client: Client) -> None:
    chinese = client.get("/zh-hans/resolution-67/").content.decode()
    assert 'id="BDT-9"' in chinese
    assert "每季度" in chinese  # BDT-9: quarterly reporting, in the adopted Chinese text
    assert "unofficial" not in chinese
    english = client.get("/en/resolution-67/").content.decode()
    assert 'id="MS-3"' in english
    assert "unofficial translation" in english
