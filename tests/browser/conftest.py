"""Fixtures for the browser tests: one Chromium per session, a fresh context and page per test.

The tests drive Debian's ``/usr/bin/chromium`` (never ``playwright install``: the network is
closed). Without Chromium the tests are skipped, unless ``REQUIRE_BROWSER`` is set (CI sets it),
in which case they fail so a missing browser cannot pass unnoticed.

Every request a page makes goes through :class:`NetworkLog`: requests to the live server
continue, requests to the quick-exit site are answered with a tiny neutral page (so the real
site is never contacted), and anything else is aborted and recorded for the tests to flag.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an asyncio event loop in the test thread, so Django believes it is
# inside async code and raises SynchronousOnlyOperation on any ORM call made by the test (the
# fixtures that create users or load reference data). The test thread never actually shares a
# connection with a coroutine, so allowing it is safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import (  # after the environment is set
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Route,
    ViewportSize,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
NEUTRAL_BODY = "<!doctype html><html lang='en'><title>Neutral</title><p>Neutral site</p></html>"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class NetworkLog:
    """Routes and records every request of a browser context."""

    def __init__(self, server_url: str, exit_url: str) -> None:
        self.server_origin = origin(server_url)
        self.exit_origin = origin(exit_url)
        self.urls: list[str] = []

    def handle(self, route: Route) -> None:
        url = route.request.url
        self.urls.append(url)
        if origin(url) == self.server_origin:
            route.continue_()
        elif origin(url) == self.exit_origin:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=NEUTRAL_BODY)
        else:
            route.abort()

    def foreign(self) -> list[str]:
        """Requests recorded so far that did not go to the live server."""
        return [url for url in self.urls if origin(url) != self.server_origin]

    def clear(self) -> None:
        self.urls.clear()


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = _chromium()
    if path is None:
        message = "Chromium is not installed (no `chromium` on PATH); browser tests need it."
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"REQUIRE_BROWSER is set but {message}", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def playwright(chromium_path: str) -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright, chromium_path: str) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def exit_url(settings: Any, live_server: LiveServer) -> str:
    """Where the quick exit leads: the live server's ``/healthz`` stands for the neutral site
    (settings.COPHUB_QUICK_EXIT_URL, checked to be an https URL first). The exit goes through
    this site's ``/exit/``, which answers 303, and Playwright's routing does not see a request
    started by a redirect: a neutral site elsewhere would be asked for over the network."""
    url = settings.COPHUB_QUICK_EXIT_URL
    assert url, "COPHUB_QUICK_EXIT_URL is empty: the quick exit would lead nowhere"
    assert origin(url).startswith("https://"), f"quick exit URL is not an https URL: {url!r}"
    settings.COPHUB_QUICK_EXIT_URL = f"{live_server.url}/healthz"
    return str(settings.COPHUB_QUICK_EXIT_URL)


@pytest.fixture
def network(live_server: LiveServer, exit_url: str) -> NetworkLog:
    return NetworkLog(live_server.url, exit_url)


@pytest.fixture
def context(browser: Browser, network: NetworkLog) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    context.route("**/*", network.handle)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def reference_data(live_server: LiveServer) -> None:
    """Reference data (countries, clauses...) for pages that show it.

    ``live_server`` makes the test transactional, and transactional tests truncate every table
    afterwards, wiping what ``django_db_setup`` loaded once for the session; load it again.
    """
    from cophub.reference.services import reference_load

    reference_load()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture
def helpline_data(reference_data: None) -> None:
    """The helpline test directory (Kenya, France) of tests/cophub/helplines/fixtures."""
    from cophub.helplines.services import helplines_import, numbers_import
    from tests.cophub.helplines.conftest import fixture_document

    helplines_import(fixture_document("directory.json"))
    numbers_import(fixture_document("numbers.json"))


PASSWORD = "correct horse battery staple"


def secretariat_staff() -> Any:
    """The coordination bodies and a BDT staff member ``staff`` who signs in with
    :data:`PASSWORD` (for tests of the secretariat's pages)."""
    from cophub.accounts.models import Organisation, Role, User
    from cophub.accounts.services import role_assign
    from cophub.coordination.bodies import bodies_load

    bodies_load()
    organisation = Organisation.objects.create(name="BDT", kind=Organisation.Kind.ITU_BDT)
    staff = User.objects.create_user(
        username="staff", email="staff@example.org", password=PASSWORD, organisation=organisation
    )
    role_assign(user=staff, role=Role.BDT_STAFF)
    return staff


def training_and_quarterly_report(staff: Any) -> Any:
    """A training recorded today in Kenya for clause BDT-5, and the quarterly report of the
    last 30 days compiled from it."""
    from datetime import timedelta

    from django.utils import timezone

    from cophub.coordination.activities import services as activity_services
    from cophub.coordination.reports import services as reports

    today = timezone.localdate()
    activity_services.activity_record(
        user=staff,
        kind="training",
        title="A training",
        starts_on=today,
        region="AFR",
        countries=["KE"],
        clauses=["BDT-5"],
        participants=20,
    )
    return reports.report_compile(
        user=staff,
        kind="quarterly",
        period_start=today - timedelta(days=30),
        period_end=today,
    )
