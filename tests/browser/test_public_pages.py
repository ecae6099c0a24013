"""The public pages in a real browser: language, direction, mirroring and the switcher."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from .conftest import NetworkLog

pytestmark = pytest.mark.browser

LANGUAGE_CODES = ["ar", "zh-hans", "en", "fr", "ru", "es"]
AUDIENCE_IDS = [
    "audience-children",
    "audience-carers",
    "audience-member_states",
    "audience-industry",
    "audience-itu_staff",
]


def _open(page: Page, live_server: LiveServer, path: str) -> None:
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == 200, (
        f"GET {path}: {response and response.status}"
    )


def test_home_page_in_english(
    page: Page, live_server: LiveServer, network: NetworkLog, exit_url: str, artifacts_dir: Path
) -> None:
    _open(page, live_server, "/en/")
    page.screenshot(path=artifacts_dir / "home-en.png", full_page=True)

    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")

    quick_exit = page.locator("#quick-exit")
    expect(quick_exit).to_be_visible()
    expect(quick_exit).to_have_attribute("href", "/exit/")  # a plain link, without JavaScript too
    box = quick_exit.bounding_box()
    assert box is not None and box["y"] < 100, f"quick exit is not at the top of the page: {box}"

    switcher = page.locator("nav.language-switcher a")
    expect(switcher).to_have_count(len(LANGUAGE_CODES))
    for code in LANGUAGE_CODES:
        link = page.locator(f"nav.language-switcher a[lang='{code}']")
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", f"/{code}/")
        expect(link).not_to_have_text("")
    expect(page.locator("nav.language-switcher a[aria-current]")).to_have_attribute("lang", "en")

    for section_id in AUDIENCE_IDS:
        section = page.locator(f"section#{section_id}")
        expect(section).to_be_visible()
        expect(section.locator("h2")).not_to_have_text("")

    assert network.foreign() == [], f"requests to third parties: {network.foreign()}"


def test_home_page_in_arabic_is_mirrored(
    page: Page, live_server: LiveServer, network: NetworkLog, artifacts_dir: Path
) -> None:
    def layout() -> dict[str, float]:
        exit_box = page.locator("#quick-exit").bounding_box()
        hint_box = page.locator(".quick-exit-hint").bounding_box()
        name_box = page.locator(".site-name").bounding_box()
        assert exit_box and hint_box and name_box
        return {
            "exit_center": exit_box["x"] + exit_box["width"] / 2,
            "exit_left": exit_box["x"],
            "exit_right": exit_box["x"] + exit_box["width"],
            "hint_left": hint_box["x"],
            "hint_right": hint_box["x"] + hint_box["width"],
            "name_center": name_box["x"] + name_box["width"] / 2,
        }

    middle = page.viewport_size["width"] / 2  # type: ignore[index]

    _open(page, live_server, "/en/")
    ltr = layout()
    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"

    _open(page, live_server, "/ar/")
    page.screenshot(path=artifacts_dir / "home-ar.png", full_page=True)
    rtl = layout()

    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    expect(page.locator("#quick-exit")).to_be_visible()

    # English: quick exit on the right, its hint after it (further right), site name on the left.
    assert ltr["exit_center"] > middle, f"English quick exit not on the right: {ltr}"
    assert ltr["exit_right"] <= ltr["hint_left"], f"English hint not after the button: {ltr}"
    assert ltr["name_center"] < middle, f"English site name not on the left: {ltr}"
    # Arabic: everything mirrored.
    assert rtl["exit_center"] < middle, f"Arabic quick exit not on the left: {rtl}"
    assert rtl["hint_right"] <= rtl["exit_left"], (
        f"Arabic hint not after (left of) the button: {rtl}"
    )
    assert rtl["name_center"] > middle, f"Arabic site name not on the right: {rtl}"

    assert network.foreign() == [], f"requests to third parties: {network.foreign()}"


def test_language_switcher_keeps_the_current_page(
    page: Page, live_server: LiveServer, reference_data: None
) -> None:
    _open(page, live_server, "/en/resolution-67/")
    expect(page.locator("table.clauses tbody tr[id]").first).to_be_visible()
    page.locator("nav.language-switcher a[lang='fr']").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/fr/resolution-67/"
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("nav.language-switcher a[aria-current]")).to_have_attribute("lang", "fr")
    expect(page.locator("table.clauses tbody tr[id]").first).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_paged_table_links_follow_the_reading_direction(
    page: Page, live_server: LiveServer, network: NetworkLog, reference_data: None
) -> None:
    """The COP numbers page, a page at a time: "Next page" sits at the end of the line, on the
    right in English and on the left in Arabic; following it reaches the last page."""
    from cophub.helplines.models import CopNumber

    CopNumber.objects.bulk_create(
        CopNumber(country_id="KE", number=f"9{n:05d}", purpose="other") for n in range(60)
    )
    for language, next_label, previous_label in (
        ("en", "Next page", "Previous page"),
        ("ar", "الصفحة التالية", "الصفحة السابقة"),
    ):
        _open(page, live_server, f"/{language}/numbers/")
        page.get_by_role("link", name=next_label).click()
        expect(page.locator("table.numbers tbody tr")).to_have_count(10)
        expect(page.get_by_role("link", name=next_label)).to_have_count(0)
        back = page.get_by_role("link", name=previous_label)
        _open(page, live_server, f"/{language}/numbers/")
        ahead = page.get_by_role("link", name=next_label).bounding_box()
        title = page.locator("h1").bounding_box()
        assert ahead is not None and title is not None
        middle = title["x"] + title["width"] / 2  # (the heading spans the content's width)
        at_end = ahead["x"] > middle if language == "en" else ahead["x"] + ahead["width"] < middle
        assert at_end, (language, ahead, title)
        assert back is not None
    assert network.foreign() == []
