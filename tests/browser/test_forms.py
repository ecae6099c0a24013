"""Forms work in a real browser: sign in, then run a secretariat action that posts a form.

The test client sends no Origin header, so only a browser shows whether Django's CSRF check
accepts what the pages make it send (a `no-referrer` policy made Chromium send `Origin: null`
and every form post was refused with 403)."""

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from .conftest import NetworkLog

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff(live_server: LiveServer, reference_data: None) -> str:
    from cophub.accounts.models import Organisation, Role, User
    from cophub.accounts.services import role_assign
    from cophub.coordination.bodies import bodies_load

    bodies_load()
    organisation = Organisation.objects.create(name="BDT", kind=Organisation.Kind.ITU_BDT)
    user = User.objects.create_user(
        username="staff", email="staff@example.org", password=PASSWORD, organisation=organisation
    )
    role_assign(user=user, role=Role.BDT_STAFF)
    return "staff"


def test_sign_in_and_create_a_meeting_through_the_pages(
    page: Page, live_server: LiveServer, network: NetworkLog, staff: str
) -> None:
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", staff)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/en/accounts/me/")

    page.goto(f"{live_server.url}/en/coordination/meetings/new/")
    page.select_option("select[name=body]", "cwg-cop")
    page.fill("input[name=ordinal]", "31")
    page.fill("input[name=starts_on]", "2027-06-01")
    page.fill("input[name=ends_on]", "2027-06-02")
    page.select_option("select[name=mode]", "remote")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "CWG-COP 31"
    assert "The meeting CWG-COP 31 has been created." in page.content()
    assert network.foreign() == []


def test_bdt_staff_sets_a_helplines_owner_in_the_back_office(
    page: Page, live_server: LiveServer, network: NetworkLog, staff: str, helpline_data: None
) -> None:
    from cophub.accounts.models import Organisation
    from cophub.helplines.models import Helpline

    owner = Organisation.objects.create(
        name="Childline Kenya", kind=Organisation.Kind.CHILD_HELPLINE
    )
    helpline = Helpline.objects.get(slug="ke-test-childline")
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", staff)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/en/accounts/me/")

    page.goto(f"{live_server.url}/en/admin/helplines/helpline/{helpline.pk}/change/")
    page.locator(".field-organisation .select2-selection").click()
    # The search box of the open drop-down (the pairs field has an inline one of its own).
    page.locator(".select2-search--dropdown .select2-search__field").fill("Childline")
    page.locator(".select2-results__option", has_text="Childline Kenya").click()
    page.locator("input[name=_save]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/en/admin/helplines/helpline/")
    helpline.refresh_from_db()
    assert helpline.organisation_id == owner.pk
    assert network.foreign() == []
