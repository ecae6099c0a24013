"""A dataset whose check did not finish says so on its page, and its owner retries it there,
signed in through the sign-in page, in Chromium."""

import pytest
from django.db import OperationalError
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from .conftest import NetworkLog

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


def _locked(*args: object, **kwargs: object) -> None:
    raise OperationalError("database is locked")


@pytest.fixture
def interrupted(
    live_server: LiveServer, reference_data: None, monkeypatch: pytest.MonkeyPatch
) -> int:
    from cophub.accounts.models import Organisation, Role, User
    from cophub.accounts.services import role_assign
    from cophub.reference.models import Country
    from cophub.statistics import microdata, services
    from cophub.statistics.demo import synthetic_mapping
    from cophub.statistics.models import Dataset
    from tests.cophub.statistics.conftest import survey_bytes

    kenya = Country.objects.get(iso2="KE")
    ministry = Organisation.objects.create(name="Ministry", country=kenya)
    user = User.objects.create_user(username="focal", password=PASSWORD, organisation=ministry)
    role_assign(user=user, role=Role.FOCAL_POINT, country=kenya)
    dataset = services.dataset_create(
        actor=user, kind="survey", country=kenya, year=2024, title="Household survey"
    )
    services.dataset_mapping_set(actor=user, dataset=dataset, document=synthetic_mapping())
    with monkeypatch.context() as patched:  # the database stays locked while it writes figures
        patched.setattr(microdata, "estimates_insert", _locked)
        uploaded = microdata.microdata_upload(
            actor=user,
            dataset=Dataset.objects.get(pk=dataset.pk),
            name="survey.parquet",
            content=survey_bytes(),
        )
    assert uploaded.check_status == Dataset.Check.ERROR
    return dataset.pk


def test_the_owner_retries_an_interrupted_check_from_its_page(
    page: Page, live_server: LiveServer, network: NetworkLog, interrupted: int
) -> None:
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", "focal")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/en/accounts/me/")

    page.goto(f"{live_server.url}/en/statistics/datasets/{interrupted}/")
    assert "Check failed — retry" in page.locator("dl.facts").inner_text()
    assert "The check did not finish" in page.locator("main").inner_text()
    page.get_by_role("button", name="Retry the check").click()
    page.wait_for_load_state()

    main = page.locator("main").inner_text()
    assert "The file is being checked again." in main
    assert "Passed" in page.locator("dl.facts").inner_text()
    assert page.get_by_role("button", name="Retry the check").count() == 0
    assert "Check retried (focal)" in main
    assert network.foreign() == []
