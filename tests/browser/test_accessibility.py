"""axe-core finds no serious or critical accessibility violation on the public pages."""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from .conftest import (
    AXE_JS,
    PASSWORD,
    VIEWPORT,
    NetworkLog,
    secretariat_staff,
    training_and_quarterly_report,
)

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def axe_page(browser: Browser, network: NetworkLog) -> Iterator[Page]:
    # add_script_tag() injects axe as an inline <script>, which the pages' CSP (script-src
    # 'self') rightly blocks. Bypass the CSP in this context only, for the axe run; the other
    # browser tests keep it, so they still prove the pages work under the real policy.
    context = browser.new_context(viewport=VIEWPORT, bypass_csp=True)
    context.route("**/*", network.handle)
    yield context.new_page()
    context.close()


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node['failureSummary']!r}")
            lines.append(f"        {node['html'][:200]}")
    return "\n".join(lines)


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/ar/",
        "/en/resolution-67/",
        "/en/accounts/login/",
        "/en/help/",
        "/ar/help/KE/",
        "/en/help/coverage/",
        "/ar/help/coverage/",
        "/fr/widget/FR/",
        "/en/numbers/",
        "/en/coordination/",
        "/ar/coordination/implementation/",
        "/ru/coordination/participation/",
        "/ar/coordination/partners/",
    ],
)
def test_no_serious_accessibility_violations(
    axe_page: Page,
    live_server: LiveServer,
    network: NetworkLog,
    reference_data: None,
    helpline_data: None,
    path: str,
) -> None:
    _check(axe_page, live_server, network, path)


def _check(page: Page, live_server: LiveServer, network: NetworkLog, path: str) -> None:
    response = page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == 200
    page.add_script_tag(path=AXE_JS)
    results: dict[str, Any] = page.evaluate(
        """async () => {
            const results = await axe.run();
            return {violations: results.violations, passes: results.passes.length};
        }"""
    )
    assert results["passes"] > 0, "axe ran no check: was it injected into the page?"
    violations: list[dict[str, Any]] = results["violations"]
    if violations:  # minor and moderate ones are shown with -s, not failed
        print(f"axe on {path}:\n{_describe(violations)}")

    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], f"axe violations on {path}:\n{_describe(blocking)}"
    assert network.foreign() == [], f"requests to third parties: {network.foreign()}"


@pytest.fixture
def secretariat_data(live_server: LiveServer, reference_data: None) -> dict[str, int]:
    """A BDT staff member, a meeting with a contribution and a liaison statement, a report."""
    from datetime import timedelta

    from django.utils import timezone

    from cophub.coordination.documents import services as document_services
    from cophub.coordination.liaison import services as liaison_services
    from cophub.coordination.liaison.services import Addressee
    from cophub.coordination.meetings import services as meeting_services

    staff = secretariat_staff()
    today = timezone.localdate()
    meeting = meeting_services.meeting_create(
        user=staff,
        body="cwg-cop",
        ordinal=7,
        starts_on=today + timedelta(days=60),
        ends_on=today + timedelta(days=60),
        mode="remote",
        chair=staff.pk,
    )
    document = document_services.document_submit(
        user=staff,
        as_manager=True,
        meeting=meeting,
        kind="contribution",
        purpose="action",
        title="A contribution",
        original_language="en",
    )
    liaison_services.liaison_create(
        user=staff,
        meeting=meeting,
        subject="A statement",
        origin="CWG-COP",
        approval="CWG-COP",
        contact="secretariat",
        original_language="en",
        addressees=[Addressee("ITU-D SG2", "action")],
    )
    report = training_and_quarterly_report(staff)
    return {"meeting": meeting.pk, "document": document.pk, "report": report.pk}


def test_no_serious_accessibility_violations_on_the_secretariat_pages(
    axe_page: Page,
    live_server: LiveServer,
    network: NetworkLog,
    secretariat_data: dict[str, int],
) -> None:
    axe_page.goto(f"{live_server.url}/en/accounts/login/")
    axe_page.fill("input[name=username]", "staff")
    axe_page.fill("input[name=password]", PASSWORD)
    axe_page.locator("main button[type=submit]").click()
    axe_page.wait_for_url(f"{live_server.url}/en/accounts/me/")
    for path in (
        "/en/coordination/meetings/new/",
        f"/ar/coordination/meetings/{secretariat_data['meeting']}/",
        f"/en/coordination/meetings/{secretariat_data['meeting']}/liaison/new/",
        f"/fr/coordination/documents/{secretariat_data['document']}/",
        f"/en/coordination/reports/{secretariat_data['report']}/",
        "/ar/coordination/activities/",
        "/en/coordination/reports/",
        "/en/coordination/implementation/",
    ):
        _check(axe_page, live_server, network, path)
