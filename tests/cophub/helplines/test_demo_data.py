import json
from collections.abc import Callable

import pytest
from django.test import Client

from cophub.accounts.models import Organisation, User
from cophub.accounts.services import demo_accounts_create
from cophub.helplines.models import CopNumber, Helpline
from cophub.helplines.services import demo_helplines_load
from cophub.reference.models import Country

pytestmark = pytest.mark.django_db


def test_demo_directory_is_valid_sourced_and_never_claims_verification() -> None:
    directory, numbers = demo_helplines_load()
    assert directory.created >= 40
    helplines = Helpline.objects.exclude(kind="emergency")
    countries = set(helplines.values_list("country_id", flat=True))
    assert len(countries) >= 20
    regions = set(Country.objects.filter(iso2__in=countries).values_list("region_id", flat=True))
    assert regions == {"AFR", "AMS", "ARB", "ASP", "CIS", "EUR"}
    assert not Helpline.objects.filter(verified_at__isnull=False).exists()
    assert all(h.source_url.startswith("https://") for h in Helpline.objects.all())
    with_emergency = set(
        Helpline.objects.filter(kind="emergency").values_list("country_id", flat=True)
    )
    assert countries <= with_emergency
    assert Helpline.objects.get(slug="ke-childline").contacts.filter(value="116").exists()
    assert numbers >= 10
    assert CopNumber.objects.filter(number="116111").exists()


@pytest.mark.parametrize("accounts_first", [True, False], ids=["accounts-first", "helplines-first"])
def test_demo_helpline_editor_owns_childline_kenya_by_its_code(
    client: Client, token_for: Callable[[User], dict[str, str]], accounts_first: bool
) -> None:
    """The demo names the owner explicitly; which loader runs first does not matter."""
    if accounts_first:
        demo_accounts_create()
    demo_helplines_load()
    if not accounts_first:
        demo_accounts_create()
    editor = User.objects.get(username="helpline-ke")
    childline = Helpline.objects.get(slug="ke-childline")
    assert childline.organisation == editor.organisation
    assert childline.organisation is not None and childline.organisation.code == "childline-kenya"
    # Only that entry is owned (the others are BDT staff's to edit), and by no name match.
    assert list(Helpline.objects.exclude(organisation=None)) == [childline]
    listed = client.get("/api/v1/helplines", {"country": "KE"}).json()["results"]
    entry = next(h for h in listed if h["id"] == "ke-childline")
    response = client.put(
        "/api/v1/helplines/ke-childline",
        data=json.dumps(entry),
        content_type="application/json",
        headers=token_for(editor),
    )
    assert response.status_code == 200, response.content
    assert Organisation.objects.filter(code="childline-kenya").count() == 1
