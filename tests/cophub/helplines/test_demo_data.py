import pytest

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
