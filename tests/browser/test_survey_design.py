"""The design step of a survey upload in Chromium, signed in through the sign-in page: a
replicate design chosen on the form (method, columns) is refused with its field named while
a parameter is missing, then accepted; the check report and the preview name the variance
method."""

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from .conftest import NetworkLog

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def survey_draft(
    live_server: LiveServer, reference_data: None, tmp_path_factory: pytest.TempPathFactory
) -> tuple[int, str]:
    from cophub.accounts.models import Organisation, Role, User
    from cophub.accounts.services import role_assign
    from cophub.reference.models import Country
    from cophub.statistics import services
    from cophub.statistics.demo import synthetic_mapping
    from tests.cophub.statistics.survey_designs import replicate_csv

    kenya = Country.objects.get(iso2="KE")
    ministry = Organisation.objects.create(name="Ministry", country=kenya)
    user = User.objects.create_user(username="focal", password=PASSWORD, organisation=ministry)
    role_assign(user=user, role=Role.FOCAL_POINT, country=kenya)
    dataset = services.dataset_create(
        actor=user, kind="survey", country=kenya, year=2024, title="Household survey"
    )
    services.dataset_mapping_set(actor=user, dataset=dataset, document=synthetic_mapping())
    path = tmp_path_factory.mktemp("survey") / "survey-brr.csv"
    path.write_bytes(replicate_csv("nhanes2brr"))
    return dataset.pk, str(path)


def test_a_replicate_design_is_declared_on_the_upload_form(
    page: Page, live_server: LiveServer, network: NetworkLog, survey_draft: tuple[int, str]
) -> None:
    dataset, path = survey_draft
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", "focal")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/en/accounts/me/")

    page.goto(f"{live_server.url}/en/statistics/datasets/{dataset}/upload/")
    page.set_input_files("input[name=file]", path)
    page.fill("input[name=weight]", "finalwgt")
    page.get_by_label("Replicate weights supplied with the data").check()
    page.select_option("select[name=rep_method]", "fay")
    page.fill("input[name=rep_columns]", "brr_")
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()
    error = page.locator("#id_rep_fay-error")
    assert "Fay's method needs ρ" in error.inner_text()

    page.set_input_files("input[name=file]", path)
    page.select_option("select[name=rep_method]", "brr")
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(f"{live_server.url}/en/statistics/datasets/{dataset}/")
    main = page.locator("main").inner_text()
    assert "Passed" in page.locator("dl.facts").inner_text()
    said = "Replicate weights: BRR (balanced repeated replication), 32 replicates"
    assert said in main
    page.goto(f"{live_server.url}/en/statistics/datasets/{dataset}/preview/")
    assert said in page.locator("main").inner_text()
    assert network.foreign() == []
