"""A helpline editor signs in and uploads quarterly contact counts by reason for contact through
the dataset's upload page; once published, the public page shows them by reason and, through
its filter form, by topic — in Chromium."""

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from .conftest import NetworkLog

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
CSV = (
    "quarter,reason,channel,age_band,sex,contacts\n"
    "1,anxiety_stress,voice,12-14,female,40\n"
    "3,loneliness,voice,12-14,male,35\n"
    "2,bullying,sms,15-17,female,30\n"
    "1,bullying,voice,12-14,female,20\n"
    "4,cyberbullying,webchat,12-14,female,2\n"
)


@pytest.fixture
def helpline_dataset(live_server: LiveServer, reference_data: None) -> dict[str, int]:
    from cophub.accounts.models import Organisation, Role, User
    from cophub.accounts.services import role_assign
    from cophub.helplines.models import Helpline
    from cophub.helplines.services import topics_load
    from cophub.reference.models import Country
    from cophub.statistics import services
    from cophub.statistics.models import Dataset

    topics_load()
    kenya = Country.objects.get(iso2="KE")
    line = Organisation.objects.create(name="Line", kind=Organisation.Kind.CHILD_HELPLINE)
    Helpline.objects.create(
        slug="ke-line",
        names={"en": "Test Childline", "ar": "خط الطفل"},
        country=kenya,
        kind="child_helpline",
        timezone="Africa/Nairobi",
        organisation=line,
        source_url="https://example.org/",
        source_type="other",
    )
    editor = User.objects.create_user(username="editor", password=PASSWORD, organisation=line)
    role_assign(user=editor, role=Role.HELPLINE_EDITOR, organisation=line)
    dataset = services.dataset_create(
        actor=editor,
        kind=Dataset.Kind.HELPLINE,
        country=kenya,
        year=2025,
        title="Contacts 2025",
        source="Test",
        disclosure=Dataset.Disclosure.MIN_N_5,
        helpline=Helpline.objects.get(slug="ke-line"),
    )
    return {"dataset": dataset.pk}


def _publish(dataset_id: int) -> None:
    from cophub.accounts.models import Organisation, Role, User
    from cophub.accounts.services import role_assign
    from cophub.reference.models import Country
    from cophub.statistics import publishing, services
    from cophub.statistics.models import Dataset

    kenya = Country.objects.get(iso2="KE")
    ministry = Organisation.objects.create(name="Ministry", country=kenya)
    focal = User.objects.create_user(username="focal", password=PASSWORD, organisation=ministry)
    role_assign(user=focal, role=Role.FOCAL_POINT, country=kenya)
    bdt_org = Organisation.objects.create(name="BDT", kind=Organisation.Kind.ITU_BDT)
    bdt = User.objects.create_user(username="bdt", password=PASSWORD, organisation=bdt_org)
    role_assign(user=bdt, role=Role.BDT_STAFF)
    editor = User.objects.get(username="editor")
    dataset = Dataset.objects.get(pk=dataset_id)
    submitted = services.dataset_submit(actor=editor, dataset=dataset)
    approved = services.dataset_approve(actor=focal, dataset=submitted)
    reviewed = services.dataset_review(actor=bdt, dataset=approved)
    publishing.dataset_publish(actor=focal, dataset=reviewed)


def test_an_editor_uploads_counts_by_reason_and_the_public_reads_them_by_topic(
    page: Page, live_server: LiveServer, network: NetworkLog, helpline_dataset: dict[str, int]
) -> None:
    from cophub.statistics.models import ContactCount

    pk = helpline_dataset["dataset"]
    page.set_default_timeout(60_000)  # a wait limit on a shared machine, not a timed assertion
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/en/accounts/me/")

    page.goto(f"{live_server.url}/en/statistics/datasets/{pk}/upload/")
    bad = {
        "name": "c.csv",
        "mimeType": "text/csv",
        "buffer": CSV.replace("loneliness", "x").encode(),
    }
    page.set_input_files("input[type=file]", files=[bad])
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()
    assert "Row 2, column “reason”: “x” is not one of" in page.locator("main").inner_text()
    assert not ContactCount.objects.filter(dataset_id=pk).exists()

    good = {"name": "c.csv", "mimeType": "text/csv", "buffer": CSV.encode()}
    page.set_input_files("input[type=file]", files=[good])
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(f"{live_server.url}/en/statistics/datasets/{pk}/")
    assert ContactCount.objects.filter(dataset_id=pk).count() == 5

    _publish(pk)
    page.goto(f"{live_server.url}/ar/statistics/helpline-contacts/?country=KE")
    assert "الصحة النفسية" in page.locator("main table").inner_text()
    page.select_option("select#view", "topic")
    page.locator("main form.filters button[type=submit]").click()
    page.wait_for_url("**view=topic**")
    caption = page.locator("main table caption").inner_text()
    assert "الاتصالات حسب الموضوع والربع" in caption
    assert network.foreign() == []
