from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client

from cophub.accounts.models import User
from cophub.accounts.services import demo_accounts_create
from cophub.strategies.models import Assessment, AssistanceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    demo_accounts_create()
    call_command("load_demo_strategies", verbosity=0)


def test_demo_has_kenya_published_with_a_plan_and_brazil_in_progress(
    demo: None, signed_in: Callable[[User], Client]
) -> None:
    kenya = Assessment.objects.get(country_id="KE", year=2025)
    assert kenya.is_locked
    assert kenya.profile.status == "published"
    assert kenya.previous == Assessment.objects.get(country_id="KE", year=2024)
    assert kenya.plan.actions.exists()
    brazil = Assessment.objects.get(country_id="BR", year=2025)
    assert not brazil.is_locked and brazil.profile.status == "draft"
    assert AssistanceRequest.objects.filter(country_id="KE").count() == 1
    call_command("load_demo_strategies", verbosity=0)  # a second run changes nothing
    assert Assessment.objects.filter(country_id__in=["KE", "BR"]).count() == 3
    # Every page of the demo renders for Kenya's focal point, in English and Arabic.
    client = signed_in(User.objects.get(username="focal-ke"))
    base = f"/en/strategies/assessments/{kenya.pk}"
    for path in [
        "/en/strategies/", f"{base}/", f"{base}/sections/reporting/", f"{base}/consultation/",
        f"{base}/stakeholders/", f"{base}/diff/", f"{base}/diff/?all=1", f"{base}/profile/",
        f"{base}/profile/?view=weprotect-mnr", f"{base}/profile/?view=itu-d-sg2-q3-2",
        f"{base}/plan/", f"{base}/plan/actions/new/", "/en/strategies/assistance/",
        "/en/strategies/profiles/", "/ar/strategies/", f"/ar{base[3:]}/profile/",
    ]:  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)


def test_pages_are_right_to_left_in_arabic_and_listed_on_the_home_page(client: Client) -> None:
    arabic = client.get("/ar/strategies/profiles/").content.decode()
    assert 'dir="rtl"' in arabic and "strategies/strategies.css" in arabic
    assert "/en/strategies/" in client.get("/en/").content.decode()
