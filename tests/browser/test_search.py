"""Full-text search of the resources hub in a real browser, in Chinese (written without spaces)
and Arabic (right to left), with JavaScript off: the search works on the database backend."""

import pytest
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from .conftest import NetworkLog

pytestmark = pytest.mark.browser


@pytest.fixture
def hub_content(reference_data: None) -> None:
    """Three guidelines, one per language (the live server's database is emptied between
    browser tests, so the hub is built again)."""
    from cophub.resources.services import hub_ensure, resource_page_create
    from cophub.resources.taxonomy import taxonomy_load

    taxonomy_load()
    hub_ensure()
    for language, title, summary, body in [
        (
            "zh-hans",
            "儿童在线保护家长指南",
            "帮助家长保护儿童上网安全。",
            "与孩子谈论网络欺凌和隐私。",
        ),
        (
            "ar",
            "إرشادات لحماية الأطفال على الإنترنت",
            "دليل للآباء والمربين.",
            "تحدث مع أطفالك عن التنمر الإلكتروني.",
        ),
        ("en", "Guidelines for industry", "Safety by design.", "Protective defaults."),
    ]:
        resource_page_create(
            language=language,
            kind="guideline_set",
            title=title,
            summary=summary,
            body=f"<p>{body}</p>",
            slug=f"guide-{language}",
        )


def _search(page: Page, url: str, words: str) -> list[str]:
    page.goto(url)
    page.fill("input[name=q]", words)
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_load_state("load")
    return page.locator("#results h2 a").all_inner_texts()


def test_search_in_chinese_finds_words_inside_unspaced_text(
    page: Page, live_server: LiveServer, network: NetworkLog, hub_content: None
) -> None:
    # "网络欺凌" (cyberbullying) sits in the middle of a sentence without spaces.
    assert _search(page, f"{live_server.url}/zh-hans/resources/", "网络欺凌") == [
        "儿童在线保护家长指南"
    ]
    assert _search(page, f"{live_server.url}/zh-hans/resources/", "保护儿童") == [
        "儿童在线保护家长指南"
    ]
    assert _search(page, f"{live_server.url}/zh-hans/resources/", "网络钓鱼") == []
    page.locator("#search-q").fill("家长指南")
    page.locator("form[role=search] button[type=submit]").click()
    page.locator("#results h2 a").first.click()
    assert page.locator("article").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "儿童在线保护家长指南"
    assert network.foreign() == []


def test_search_in_arabic_right_to_left_without_javascript(
    browser: Browser, live_server: LiveServer, network: NetworkLog, hub_content: None
) -> None:
    context = browser.new_context(java_script_enabled=False)
    context.route("**/*", network.handle)
    page = context.new_page()
    # Without the article and without hamza: "أطفال" finds "الأطفال".
    results = _search(page, f"{live_server.url}/ar/resources/", "أطفال التنمر")
    assert results == ["إرشادات لحماية الأطفال على الإنترنت"]
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#results h2 a").first.get_attribute("dir") == "rtl"
    assert page.locator("#result-count").inner_text().strip() != ""
    assert _search(page, f"{live_server.url}/ar/resources/", "industry") == [
        "Guidelines for industry"
    ]
    assert network.foreign() == []
    context.close()
