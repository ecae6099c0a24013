"""The editors' admin is for BDT staff; the demo loads every status the matrix can show."""

import io
from collections.abc import Callable

from django.core.management import call_command
from django.test import Client

from cophub.accounts.models import User
from cophub.resources.cms_access import EDITORS_GROUP
from cophub.resources.selectors import translation_matrix

from .conftest import OnCommit


def test_bdt_staff_reach_the_wagtail_admin_and_others_do_not(
    client: Client, hub: None, bdt_staff: User, focal_ke: User
) -> None:
    assert bdt_staff.groups.filter(name=EDITORS_GROUP).exists()
    client.force_login(focal_ke, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/cms/").status_code == 302  # sent to the admin's sign-in
    client.force_login(bdt_staff, backend="django.contrib.auth.backends.ModelBackend")
    admin = client.get("/cms/")
    assert admin.status_code == 200
    assert "'unsafe-inline'" in admin.headers["Content-Security-Policy"]  # the admin only


def test_demo_loads_each_audience_with_outdated_translations(
    client: Client, db: None, on_commit: OnCommit, translator: Callable[[str], User]
) -> None:
    with on_commit():
        call_command("load_demo_accounts", stdout=io.StringIO())
        call_command("load_demo_resources", stdout=io.StringIO())
    statuses = {cell.status for row in translation_matrix() for cell in row.cells}
    assert statuses == {
        "source",
        "missing",
        "machine_draft",
        "human_draft",
        "in_review",
        "approved",
        "outdated",
    }
    sources = {row.item.source_language for row in translation_matrix(kind="page")}
    assert {"en", "fr", "es", "ar"} <= sources
    listing = client.get("/api/v1/resources/items?lang=en")
    assert {"guideline_set", "course", "best_practice"} <= {
        r["kind"] for r in listing.json()["results"]
    }
    for audience in (
        "children-under-9",
        "children-9-12",
        "children-13-18",
        "parents-educators",
        "industry",
        "policy-makers",
    ):
        assert client.get(f"/api/v1/resources/items?audience={audience}").json()["results"], (
            audience
        )
    outdated_ar = translation_matrix(language="ar", status="outdated")
    assert [row.item.title for row in outdated_ar] == [
        "Guidelines for parents, carers and educators"
    ]
    from cophub.practices.models import Call, ReviewState, Submission

    open_call = Call.objects.get(phase="open")
    states = set(open_call.submissions.values_list("state_id", flat=True))
    assert states == set(ReviewState.objects.values_list("code", flat=True))
    published = Submission.objects.get(published_page__isnull=False)
    assert published.category_id == "technical-solution"
