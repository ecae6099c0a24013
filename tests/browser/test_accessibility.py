"""axe-core finds no serious or critical accessibility violation on the public pages."""

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from .conftest import AXE_JS, VIEWPORT, NetworkLog

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
    response = axe_page.goto(f"{live_server.url}{path}")
    assert response is not None and response.status == 200
    axe_page.add_script_tag(path=AXE_JS)
    results: dict[str, Any] = axe_page.evaluate(
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
