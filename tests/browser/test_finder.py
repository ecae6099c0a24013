"""The helpline finder in a real browser: what it loads, its weight, and the quick exit."""

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from .conftest import NetworkLog

pytestmark = pytest.mark.browser
WEIGHT_BUDGET = 30 * 1024


def _transferred(page: Page, url: str) -> tuple[int, list[str]]:
    """Bytes of every response the page loads (bodies, decoded) and their URLs."""
    sizes: dict[str, int] = {}

    def record(response) -> None:  # type: ignore[no-untyped-def]
        try:
            sizes[response.url] = len(response.body())
        except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
            sizes[response.url] = 0

    page.on("response", record)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return sum(sizes.values()), sorted(sizes)


@pytest.mark.parametrize("path", ["/en/help/KE/", "/ar/help/KE/", "/en/widget/KE/?lang=sw"])
def test_finder_loads_under_30_kb_from_this_site_only(
    page: Page, live_server: LiveServer, network: NetworkLog, helpline_data: None, path: str
) -> None:
    total, urls = _transferred(page, f"{live_server.url}{path}")
    assert network.foreign() == []
    assert total <= WEIGHT_BUDGET, f"{total} bytes: {urls}"
    assert page.locator("a[href='tel:116']").count() >= 1


def test_tap_to_call_button_is_big_enough_on_a_small_phone(
    browser,
    live_server: LiveServer,
    network: NetworkLog,
    helpline_data: None,  # type: ignore[no-untyped-def]
) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    context.route("**/*", network.handle)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/help/KE/")
    box = page.locator("a[href='tel:116']").first.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] <= 320
    context.close()


def test_quick_exit_from_the_finder(
    page: Page, live_server: LiveServer, exit_url: str, helpline_data: None
) -> None:
    page.goto(f"{live_server.url}/en/help/KE/")
    page.keyboard.press("Escape")
    page.wait_for_url(exit_url, timeout=5_000)
    assert page.url == exit_url
