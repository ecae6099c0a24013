"""The demo loader: synthetic, clearly labelled datasets for at least 12 countries in all six
ITU-D regions, taken through the same workflow, plus aggregate and helpline examples."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from cophub.accounts.services import demo_accounts_create
from cophub.statistics import demo
from cophub.statistics.models import Dataset, Observation, Release

pytestmark = pytest.mark.django_db


def test_demo_statistics_cover_every_region_through_the_workflow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(demo, "ROWS", 500)  # the demo itself uses 1,500 rows per survey
    monkeypatch.setattr(demo, "PRIVATE_ROWS", 2000)
    demo_accounts_create()
    call_command("load_demo_statistics", verbosity=0)
    releases = Release.objects.select_related("country")
    assert releases.count() >= 12 and all(r.synthetic for r in releases)
    surveys = releases.filter(kind=Dataset.Kind.SURVEY)
    assert len({r.country_id for r in surveys}) >= 12
    assert {r.country.region_id for r in surveys} == {"AFR", "AMS", "ARB", "ASP", "CIS", "EUR"}
    assert releases.filter(kind=Dataset.Kind.AGGREGATE).exists()
    assert all("SYNTHETIC" in d.title for d in Dataset.objects.all())
    assert Dataset.objects.filter(disclosure="dp", ledger__isnull=False).exists()
    assert Observation.objects.filter(indicator="N1").exists()
    assert not Dataset.objects.filter(microdata__isnull=False).exists()
    call_command("load_demo_statistics", verbosity=0)  # a second run changes nothing
    assert Release.objects.count() == releases.count()


@override_settings(COPHUB_DEMO=False)
def test_demo_statistics_refused_outside_demo_mode() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_demo_statistics", verbosity=0)
