"""Quick exit: the button and the Escape key leave for a neutral site and erase the page from
history, so "Back" cannot reveal what the visitor was reading."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from .conftest import NetworkLog, origin

pytestmark = pytest.mark.browser


def _press_button(page: Page) -> None:
    page.locator("#quick-exit").click()


def _press_escape(page: Page) -> None:
    page.keyboard.press("Escape")


@pytest.mark.parametrize("leave", [_press_button, _press_escape], ids=["button", "escape"])
def test_quick_exit_replaces_the_page_in_history(
    page: Page,
    live_server: LiveServer,
    network: NetworkLog,
    exit_url: str,
    reference_data: None,
    leave: Callable[[Page], None],
) -> None:
    home_url = f"{live_server.url}/en/"
    resolution_url = f"{live_server.url}/en/resolution-67/"

    page.goto(home_url)
    page.locator(".site-nav a[href='/en/resolution-67/']").click()
    page.wait_for_url(resolution_url)
    page.wait_for_load_state("load")
    history_before = page.evaluate("history.length")

    # Until the visitor leaves, the pages talk to this site only.
    assert any(url.endswith("/quick-exit.js") for url in network.urls), network.urls
    assert network.foreign() == [], f"requests to third parties: {network.foreign()}"
    network.clear()

    leave(page)
    page.wait_for_url(exit_url, timeout=5_000)
    assert page.url == exit_url
    assert all(origin(url) == origin(exit_url) for url in network.urls), network.urls
    # location.replace() swaps the entry instead of adding one.
    assert page.evaluate("history.length") == history_before

    page.go_back()
    page.wait_for_load_state("load")
    assert page.url != resolution_url, "Back returned to the page the visitor left"
    assert page.url == home_url
