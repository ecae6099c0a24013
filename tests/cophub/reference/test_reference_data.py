from collections import Counter

import pytest

from cophub.reference.models import Clause, Country, Grouping, Language, Region
from cophub.reference.services import reference_load

pytestmark = pytest.mark.django_db
SIX = {"ar", "zh-hans", "en", "fr", "ru", "es"}


def test_every_iso_country_with_names_from_cldr_in_six_languages() -> None:
    assert Country.objects.count() == 249
    kenya = Country.objects.get(iso2="KE")
    assert kenya.iso3 == "KEN"
    assert kenya.numeric == "404"
    assert kenya.names == {
        "ar": "كينيا",
        "zh-hans": "肯尼亚",
        "en": "Kenya",
        "fr": "Kenya",
        "ru": "Кения",
        "es": "Kenia",
    }
    missing = [c.iso2 for c in Country.objects.all() if set(c.names) != SIX]
    assert missing == []


def test_every_itu_member_state_has_one_itu_d_region() -> None:
    members = Country.objects.filter(itu_member=True)
    assert members.count() == 194
    assert not members.filter(region__isnull=True).exists()
    assert not Country.objects.filter(itu_member=False, region__isnull=False).exists()
    per_region = Counter(members.values_list("region_id", flat=True))
    assert set(per_region) == {"AFR", "AMS", "ARB", "ASP", "CIS", "EUR"}
    assert Country.objects.get(iso2="EG").region_id == "ARB"
    assert Country.objects.get(iso2="KZ").region_id == "CIS"
    assert Country.objects.get(iso2="BR").region_id == "AMS"
    assert all(set(r.names) == SIX for r in Region.objects.all())


def test_development_groupings_with_list_year_and_source() -> None:
    groupings = {g.code: g for g in Grouping.objects.all()}
    assert set(groupings) == {"LDC", "LLDC", "SIDS", "EIT"}
    assert groupings["LDC"].countries.filter(iso2="ET").exists()
    assert not groupings["LDC"].countries.filter(iso2="BT").exists()  # graduated in 2023
    assert groupings["LLDC"].countries.filter(iso2="NP").exists()
    assert groupings["SIDS"].countries.filter(iso2="FJ").exists()
    assert groupings["EIT"].countries.filter(iso2="UA").exists()
    for grouping in groupings.values():
        assert grouping.list_year >= 2020
        assert grouping.source.url.startswith("https://")


def test_languages_include_the_six_itu_languages_and_helpline_languages() -> None:
    official = set(Language.objects.filter(itu_official=True).values_list("code", flat=True))
    assert official == SIX
    swahili = Language.objects.get(code="sw")
    assert swahili.names["fr"] == "swahili"
    assert Language.objects.count() > 180


def test_resolution_clauses_with_official_chinese_and_marked_renderings() -> None:
    ids = list(Clause.objects.values_list("id", flat=True))
    expected = (
        [f"BDT-{n}" for n in range(1, 13)]
        + ["MSSM-1", "MSSM-2"]
        + [f"MS-{n}" for n in range(1, 7)]
        + ["SM-1", "SM-2"]
    )
    assert set(expected) <= set(ids)
    for clause in Clause.objects.all():
        assert set(clause.texts) == SIX, clause.id
        assert clause.official_languages == ["zh-hans"]
    bdt9 = Clause.objects.get(id="BDT-9")
    assert "每季度" in bdt9.texts["zh-hans"]
    assert "quarter" in bdt9.texts["en"].lower()


def test_reloading_is_idempotent() -> None:
    before = (Country.objects.count(), Language.objects.count(), Clause.objects.count())
    result = reference_load()
    after = (Country.objects.count(), Language.objects.count(), Clause.objects.count())
    assert before == after
    assert result.countries == 249
