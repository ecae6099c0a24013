"""Verification campaigns in Chromium: a contact answers "All correct" and "Something
changed" through the real page their link opens (no account; Arabic mirrored), axe finds no
serious violation there, and BDT staff start a campaign and review the change on their pages."""

from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from .conftest import AXE_JS, PASSWORD, VIEWPORT, NetworkLog, secretariat_staff

pytestmark = pytest.mark.browser


def _axe_clean(browser: Browser, network: NetworkLog, url: str) -> None:
    context = browser.new_context(viewport=VIEWPORT, bypass_csp=True)  # for axe's inline script
    context.route("**/*", network.handle)
    page = context.new_page()
    response = page.goto(url)
    assert response is not None and response.status == 200
    page.add_script_tag(path=AXE_JS)
    results: dict[str, Any] = page.evaluate(
        "async () => { const r = await axe.run(); return {v: r.violations, p: r.passes.length}; }"
    )
    context.close()
    blocking = [v["id"] for v in results["v"] if v["impact"] in ("serious", "critical")]
    assert results["p"] > 0 and blocking == [], blocking


@pytest.fixture
def links(helpline_data: None) -> dict[str, str]:
    """A campaign for every region; the token each contact was mailed (by address)."""
    from cophub.helplines.models import Helpline
    from cophub.helplines.verification.services import campaign_start, contacts_set
    from tests.cophub.helplines.verification_fixtures import link_of

    contacts_set(
        helpline=Helpline.objects.get(slug="ke-test-childline"),
        contacts=[{"email": "ops@childline.example.org", "language": "en"}],
    )
    contacts_set(
        helpline=Helpline.objects.get(slug="fr-test-enfance"),
        contacts=[{"email": "verif@enfance.example.org", "language": "ar"}],
    )
    campaign_start(user=None, region=None)  # autocommit: the mails go at once
    return {email: link_of(email, mail.outbox) for email in (
        "ops@childline.example.org", "verif@enfance.example.org"
    )}  # fmt: skip


def test_a_contact_confirms_their_entry_through_the_page(
    page: Page, browser: Browser, live_server: LiveServer, network: NetworkLog, links: Any
) -> None:
    from cophub.helplines.models import Helpline

    url = f"{live_server.url}/en/help/verify/{links['ops@childline.example.org']}/"
    _axe_clean(browser, network, url)
    page.goto(url)
    assert page.locator("h1").inner_text() == "Is this entry still right?"
    page.fill("input[name=name]", "Amina")
    page.get_by_role("button", name="All correct").click()
    page.wait_for_url("**/help/verify/done/correct/")
    helpline = Helpline.objects.get(slug="ke-test-childline")
    assert helpline.verified_by == "Amina" and helpline.verified_at is not None
    response = page.goto(url)  # the link cannot be used again
    assert response is not None and response.status == 410
    assert "already answered" in page.locator("main").inner_text()
    assert network.foreign() == []


def test_a_contact_proposes_a_change_in_arabic_and_bdt_accepts_it(
    page: Page, browser: Browser, live_server: LiveServer, network: NetworkLog, links: Any
) -> None:
    from cophub.helplines.models import Helpline, VerificationRequest

    token = links["verif@enfance.example.org"]
    change = f"{live_server.url}/ar/help/verify/{token}/change/"
    _axe_clean(browser, network, f"{live_server.url}/ar/help/verify/{token}/")
    _axe_clean(browser, network, change)
    page.goto(f"{live_server.url}/ar/help/verify/{token}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("link", name="تغيّر شيء ما").click()
    page.wait_for_url(change)
    page.fill("input[name=name]", "ليلى")
    page.fill("input[name=operator]", "Association e-Enfance")
    page.fill("input[name=contact_0]", "3020")
    page.fill("textarea[name=note]", "رقم جديد")
    # Hours not understood: the page comes back naming the part, nothing is sent.
    page.fill("input[name=hours_0]", "Lu-Ve 8-20")
    page.get_by_role("button", name="أرسل التغيير للمراجعة").click()
    page.wait_for_load_state()
    assert "«Lu-Ve»" in page.locator("main").inner_text()
    assert VerificationRequest.objects.get(email="verif@enfance.example.org").review != "pending"
    page.fill("input[name=hours_0]", "Mo-Fr 08:00-20:00; Sa 10:00-14:00")
    page.get_by_label("التنمر الإلكتروني").check()
    page.get_by_role("button", name="أرسل التغيير للمراجعة").click()
    page.wait_for_url("**/help/verify/done/changed/")
    reply = VerificationRequest.objects.get(email="verif@enfance.example.org")
    assert reply.review == "pending"
    assert Helpline.objects.get(slug="fr-test-enfance").contacts.get().value == "3018"

    secretariat_staff()
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", "staff")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/en/accounts/me/")
    page.goto(f"{live_server.url}/en/help/verification/")
    page.get_by_role("link", name=reply.helpline.name).click()
    page.select_option("select[name=decision]", "accept")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(f"**/en/help/verification/{reply.campaign_id}/")
    accepted = Helpline.objects.get(slug="fr-test-enfance")
    assert accepted.contacts.get().value == "3020"
    assert accepted.contacts.get().hours[1] == {"days": ["sat"], "open": "10:00", "close": "14:00"}
    assert "cyberbullying" in {t.code for t in accepted.topics.all()}
    # A new campaign for one region, from BDT's page.
    page.goto(f"{live_server.url}/en/help/verification/")
    page.select_option("select[name=region]", "AFR")
    page.get_by_role("button", name="Start the campaign").click()
    page.wait_for_url("**/en/help/verification/*/")
    assert "ops@childline.example.org" in page.locator("main").inner_text()
    # BDT staff record checks they made themselves on the entry's contacts page.
    page.goto(f"{live_server.url}/en/help/verification/contacts/fr-test-enfance/")
    page.get_by_label("Number dialled").check()
    page.get_by_label("Hours confirmed").check()
    page.get_by_role("button", name="Record", exact=True).click()
    page.wait_for_url("**/en/help/verification/contacts/fr-test-enfance/")
    assert "The verification was recorded." in page.locator("main").inner_text()
    checks = Helpline.objects.get(slug="fr-test-enfance").verification_checks
    assert {"number_dialled", "hours_confirmed", "operator_confirmed"} <= set(checks)
    assert network.foreign() == []
