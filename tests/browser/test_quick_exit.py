"""Quick exit: the button, the Escape key and Shift pressed three times leave for a neutral site
through this site's /exit/ (which clears the site's cache and storage), the page is hidden at
once and erased from history, and a page of this site that the Back button brings back hides
itself and leaves again. Without JavaScript the button is a plain link to /exit/.

Timing is driven by Playwright's clock (``page.clock``), never by sleeping; nothing asserts how
long anything takes. The neutral site is the live server's ``/healthz`` (the ``exit_url``
fixture)."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, BrowserContext, Page
from pytest_django.live_server_helper import LiveServer

from .conftest import VIEWPORT, NetworkLog

pytestmark = pytest.mark.browser
STATUS = "#quick-exit-status"


def _press_button(page: Page) -> None:
    page.locator("#quick-exit").click()


def _press_escape(page: Page) -> None:
    page.keyboard.press("Escape")


def _press_shift_three_times(page: Page) -> None:
    for _ in range(3):
        page.keyboard.press("Shift")


def _open_two_pages(page: Page, live_server: LiveServer, language: str = "en") -> None:
    page.goto(f"{live_server.url}/{language}/")
    page.locator(f".site-nav a[href='/{language}/resolution-67/']").click()
    page.wait_for_url(f"{live_server.url}/{language}/resolution-67/")
    page.wait_for_load_state("load")


@pytest.mark.parametrize(
    "leave",
    [_press_button, _press_escape, _press_shift_three_times],
    ids=["button", "escape", "three-shifts"],
)
def test_quick_exit_leaves_through_the_exit_endpoint_and_out_of_history(
    page: Page,
    live_server: LiveServer,
    network: NetworkLog,
    exit_url: str,
    reference_data: None,
    leave: Callable[[Page], None],
) -> None:
    _open_two_pages(page, live_server)
    history_before = page.evaluate("history.length")
    # Until the visitor leaves, the pages talk to this site only.
    assert any(url.endswith("/quick-exit.js") for url in network.urls), network.urls
    assert network.foreign() == [], f"requests to third parties: {network.foreign()}"
    network.clear()

    with page.expect_response(lambda r: r.url == f"{live_server.url}/exit/") as exit_response:
        leave(page)
    page.wait_for_url(exit_url)
    answer = exit_response.value
    assert answer.status == 303
    headers = answer.all_headers()
    assert headers["clear-site-data"] == '"cache", "storage"'
    assert headers["location"] == exit_url
    # Only the exit is asked of this site (the redirected request is not routed, see above).
    assert network.urls[:1] == [f"{live_server.url}/exit/"] and network.foreign() == []
    # location.replace() swaps the entry instead of adding one.
    assert page.evaluate("history.length") == history_before


def test_the_page_is_hidden_before_the_browser_leaves(
    context: BrowserContext, page: Page, live_server: LiveServer, reference_data: None
) -> None:
    # Hold the exit (the request is aborted): the page must already show nothing.
    context.route(f"{live_server.url}/exit/", lambda route: route.abort("aborted"))
    _open_two_pages(page, live_server)
    page.keyboard.press("Escape")
    assert page.evaluate("getComputedStyle(document.documentElement).display") == "none"


def test_back_after_the_exit_shows_no_content(
    context: BrowserContext,
    page: Page,
    live_server: LiveServer,
    exit_url: str,
    reference_data: None,
) -> None:
    home_url = f"{live_server.url}/en/"
    _open_two_pages(page, live_server)
    page.locator("#quick-exit").click()
    page.wait_for_url(exit_url)

    # The page Back brings (from the back-forward cache or from the server) must hide at once
    # and leave again; hold that second exit to look at the page it left.
    context.route(f"{live_server.url}/exit/", lambda route: route.abort("aborted"))
    page.go_back(wait_until="commit")
    # Playwright's own waiting (wait_for_function would eval a string: the CSP forbids it).
    page.locator("html[style*='display: none']").wait_for(state="attached")
    assert page.url == home_url
    assert page.evaluate("getComputedStyle(document.documentElement).display") == "none"


def test_back_with_the_exit_let_through_ends_on_the_neutral_site(
    page: Page, live_server: LiveServer, exit_url: str, reference_data: None
) -> None:
    _open_two_pages(page, live_server)
    page.keyboard.press("Escape")
    page.wait_for_url(exit_url)
    page.go_back(wait_until="commit")
    page.wait_for_url(exit_url)
    # The page that came back replaced itself with the exit: nothing of this site is left
    # one step back either but what was before it.
    assert page.url == exit_url


def test_the_exit_clears_the_sites_storage(
    page: Page, live_server: LiveServer, exit_url: str, reference_data: None
) -> None:
    page.goto(f"{live_server.url}/en/")
    page.evaluate("localStorage.setItem('left-behind', 'yes')")
    page.locator("#quick-exit").click()
    page.wait_for_url(exit_url)
    # Opened again on purpose, the site shows (and removes the exit's mark), with its storage gone.
    page.goto(f"{live_server.url}/en/")
    assert page.locator("h1").is_visible()
    assert page.evaluate("localStorage.getItem('left-behind')") is None
    assert "cophub_left=1" not in page.evaluate("document.cookie")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_two_shifts_then_a_pause_over_five_seconds_does_not_leave(
    page: Page, live_server: LiveServer, reference_data: None, language: str
) -> None:
    page.clock.install()
    _open_two_pages(page, live_server, language)
    link = page.locator("#quick-exit")
    status = page.locator(STATUS)

    page.keyboard.press("Shift")
    assert status.text_content() == link.get_attribute("data-once")
    page.clock.run_for(4_000)
    page.keyboard.press("Shift")
    assert status.text_content() == link.get_attribute("data-twice")
    page.clock.run_for(5_001)
    assert status.text_content() == link.get_attribute("data-reset")

    # The third press after the pause counts as a first one: the page stays.
    page.keyboard.press("Shift")
    assert status.text_content() == link.get_attribute("data-once")
    assert page.url == f"{live_server.url}/{language}/resolution-67/"
    assert page.evaluate("getComputedStyle(document.documentElement).display") != "none"
    if language == "ar":
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert "Shift pressed" not in (status.text_content() or "")


def test_shift_typed_with_letters_never_counts(
    page: Page, live_server: LiveServer, reference_data: None
) -> None:
    page.goto(f"{live_server.url}/en/accounts/login/")
    field = page.locator("input[name='username']")
    field.click()
    for letter in "ABC":
        page.keyboard.press(f"Shift+{letter}")
    assert field.input_value() == "ABC"
    assert page.url == f"{live_server.url}/en/accounts/login/"
    assert page.locator(STATUS).text_content() == ""


def test_without_javascript_the_button_is_a_link_to_the_exit(
    browser: Browser,
    network: NetworkLog,
    live_server: LiveServer,
    exit_url: str,
    reference_data: None,
) -> None:
    context = browser.new_context(viewport=VIEWPORT, java_script_enabled=False)
    context.route("**/*", network.handle)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/fr/")
        with page.expect_response(lambda r: r.url == f"{live_server.url}/exit/") as exit_response:
            page.locator("#quick-exit").click()
        page.wait_for_url(exit_url)
        assert exit_response.value.all_headers()["clear-site-data"] == '"cache", "storage"'
    finally:
        context.close()
