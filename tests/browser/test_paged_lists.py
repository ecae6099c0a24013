"""A list page a page at a time in a real browser (issue 17, item 1; decision 0044): the
partners page, in English and Arabic, followed to its last page and back."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from .conftest import NetworkLog

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_partners_page_a_page_at_a_time_in_english_and_arabic(
    page: Page, live_server: LiveServer, network: NetworkLog, reference_data: None
) -> None:
    from cophub.coordination.activities.models import Partner

    Partner.objects.bulk_create(
        Partner(name=f"Partner {n:03d}", kind=Partner.Kind.choices[0][0]) for n in range(57)
    )
    rows = page.locator("tr[id^='partner-']")
    for language, next_label, previous_label in (
        ("en", "Next page", "Previous page"),
        ("ar", "الصفحة التالية", "الصفحة السابقة"),
    ):
        # (a generous wait: the first request loads the site, on a shared machine)
        response = page.goto(f"{live_server.url}/{language}/coordination/partners/", timeout=60_000)
        assert response is not None and response.status == 200
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(rows).to_have_count(50)
        expect(rows.first).to_contain_text("Partner 000")
        expect(page.get_by_role("link", name=previous_label)).to_have_count(0)
        page.get_by_role("link", name=next_label).click()
        expect(rows).to_have_count(7)
        expect(rows.first).to_contain_text("Partner 050")
        expect(page.get_by_role("link", name=next_label)).to_have_count(0)
        page.get_by_role("link", name=previous_label).click()
        expect(rows).to_have_count(50)
        expect(rows.last).to_contain_text("Partner 049")
    assert network.foreign() == []
