"""In a real browser, signed in through the page: a delegate's document submission page shows the
deadline rule of the meeting's body and its source, and the submission goes through; BDT staff
approve a report and it is numbered, and stays what it said after the clause it reports on
changes."""

from pathlib import Path

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from .conftest import PASSWORD, NetworkLog, secretariat_staff, training_and_quarterly_report

pytestmark = pytest.mark.browser


@pytest.fixture
def coordination(live_server: LiveServer, reference_data: None) -> dict[str, int]:
    """BDT staff, a delegate of France, a CWG-COP meeting in 30 days and a draft report."""
    from datetime import timedelta

    from django.utils import timezone

    from cophub.accounts.models import Organisation, User
    from cophub.coordination.implementation import services as implementation_services
    from cophub.coordination.meetings import services as meeting_services
    from cophub.reference.models import Country

    staff = secretariat_staff()
    france = Organisation.objects.create(
        name="France",
        kind=Organisation.Kind.MEMBER_STATE,
        country=Country.objects.get(iso2="FR"),
    )
    User.objects.create_user(
        username="delegate", email="delegate@example.org", password=PASSWORD, organisation=france
    )
    today = timezone.localdate()
    meeting = meeting_services.meeting_create(
        user=staff,
        body="cwg-cop",
        ordinal=31,
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=31),
        mode="remote",
    )
    implementation_services.clause_progress_set(
        user=staff,
        clause_id="BDT-5",
        status="on_track",
        progress=40,
        timeline="2026 to 2027",
    )
    report = training_and_quarterly_report(staff)
    return {"meeting": meeting.pk, "report": report.pk}


def _sign_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/en/accounts/me/")


def test_the_submission_page_shows_the_rule_and_its_source(
    page: Page,
    live_server: LiveServer,
    network: NetworkLog,
    coordination: dict[str, int],
    artifacts_dir: Path,
) -> None:
    _sign_in(page, live_server, "delegate")
    page.goto(f"{live_server.url}/en/coordination/meetings/{coordination['meeting']}/submit/")
    rule = page.locator("#deadline-rule")
    assert "This meeting follows Council Decision 556: working groups working in one language." in (
        rule.inner_text()
    )
    source = rule.locator("a")
    assert source.inner_text().startswith(
        "Council Decision 556 (C10, modified C11), decides 2 to 4"
    )
    assert source.get_attribute("href", timeout=1000).startswith("https://www.itu.int/")
    deadlines = page.locator("#deadlines-title + p + ul").inner_text()
    assert "(12 days before the meeting): accepted (the group works in one language" in deadlines
    assert "unconfirmed" in deadlines  # the 2 days before an exempt document's item
    assert "A contribution submitted today: On time." in page.locator("section.notice").inner_text()
    page.screenshot(path=artifacts_dir / "coordination-submit-en.png", full_page=True)

    page.select_option("select[name=kind]", "contribution")
    page.select_option("select[name=purpose]", "action")
    page.fill("input[name=title]", "Helplines in numbering plans")
    page.select_option("select[name=original_language]", "fr")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "Your document has been registered as CWG-COP-31/1-F." in page.content()
    assert network.foreign() == []


def test_staff_approve_a_report_and_it_stays_as_approved(
    page: Page, live_server: LiveServer, network: NetworkLog, coordination: dict[str, int]
) -> None:
    from cophub.coordination.models import ClauseProgress

    _sign_in(page, live_server, "staff")
    report_url = f"{live_server.url}/en/coordination/reports/{coordination['report']}/"
    page.goto(report_url)
    page.locator("#approve-title + form button[type=submit]").click()
    page.wait_for_load_state()
    assert "The report has been approved and numbered." in page.content()
    article = page.locator("article")
    assert article.locator("strong").first.inner_text().startswith("CWG-COP-31/")
    approved = article.inner_text()
    assert "On track (40 %)" in approved and "2026 to 2027" in approved

    ClauseProgress.objects.filter(clause_id="BDT-5").update(progress=5, timeline="Postponed")
    page.goto(report_url)
    assert page.locator("article").inner_text() == approved
    assert network.foreign() == []
