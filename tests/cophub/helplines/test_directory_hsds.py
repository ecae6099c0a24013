"""HSDS 3.0 import: the platform's own HSDS export loads back; another directory's services
take their kind from the option, their time zone from the country; problems name the
service; nothing is written when anything is wrong."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cophub.helplines.directory_export import export_hsds
from cophub.helplines.directory_hsds import hsds_import
from cophub.helplines.models import Contact, Helpline
from cophub.helplines.selectors import helpline_queryset
from cophub.portal.errors import InvalidInput

pytestmark = pytest.mark.django_db

SERVICE = {
    "id": "ug-sauti",
    "name": "Sauti 116",
    "status": "active",
    "url": "https://example.org/sauti",
    "organization": {"id": "org-1", "name": "Ministry of Gender"},
    "phones": [{"id": "p1", "number": "116", "type": "voice"}],
    "schedules": [
        {"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR,SA,SU", "opens_at": "00:00",
         "closes_at": "23:59", "description": "24/7"}
    ],
    "languages": [{"code": "en"}, {"code": "lg"}],
    "service_areas": [{"name": "UG", "extent_type": "country"}],
    "attributes": [{"taxonomy_term": {"code": "abuse", "taxonomy": "cophub.topics"}}],
}  # fmt: skip


def test_a_service_from_another_directory() -> None:
    result = hsds_import({"services": [SERVICE]})
    assert result.created == 1
    helpline = Helpline.objects.get(slug="ug-sauti")
    assert (helpline.country_id, helpline.kind, helpline.timezone) == (
        "UG",
        "child_helpline",
        "Africa/Kampala",
    )
    assert helpline.operator_name == "Ministry of Gender" and helpline.verified_at is None
    contact = Contact.objects.get(helpline=helpline)
    assert (contact.channel, contact.value, contact.hours) == ("voice", "116", "24/7")


def test_the_platforms_own_export_loads_back(directory: None) -> None:
    kenya = helpline_queryset().filter(country_id="KE", kind="child_helpline")
    document = json.loads(export_hsds(kenya))

    def phones() -> set[tuple[str, str, str, str]]:
        contacts = Contact.objects.filter(helpline__in=kenya, channel__in=["voice", "sms"])
        return {(c.helpline.slug, c.channel, c.value, json.dumps(c.hours)) for c in contacts}

    before = phones()
    result = hsds_import(document, source_url="https://example.org/hsds")
    assert result.created == 0 and result.updated == len(document["services"]) == 1
    assert phones() == before  # the 24/7 voice line and the SMS line's own hours


def test_the_export_carries_the_verification_and_the_import_ignores_it(directory: None) -> None:
    from django.utils import timezone

    from cophub.helplines.verification.services import checks_record

    kenya = helpline_queryset().filter(country_id="KE", kind="child_helpline")
    today = timezone.localdate().isoformat()
    checks_record(helpline=kenya.get(), checks=["number_dialled", "hours_confirmed"], on=today)
    (service,) = json.loads(export_hsds(kenya))["services"]
    assert service["assured_date"] == kenya.get().verified_at.isoformat()  # type: ignore[union-attr]
    verification = {
        a["taxonomy_term"]["code"]: a["value"]
        for a in service["attributes"]
        if a["taxonomy_term"]["taxonomy"] == "cophub.verification"
    }
    assert verification == {
        "score": "2",
        "stale": "false",
        "number_dialled": today,
        "hours_confirmed": today,
    }
    helpline = kenya.get()
    hsds_import({"services": [service]}, source_url="https://example.org/hsds")
    helpline.refresh_from_db()
    assert helpline.verification_checks  # an import does not verify, nor undo a verification


def test_a_country_with_several_zones_needs_one_and_nothing_is_written() -> None:
    american = dict(SERVICE, id="us-line", service_areas=[{"name": "US", "extent_type": "country"}])
    with pytest.raises(InvalidInput) as refused:
        hsds_import({"services": [SERVICE, american]})
    fields = [e["field"] for e in refused.value.details["errors"]]
    assert fields == ["$.services[1].attributes"]
    assert not Helpline.objects.filter(slug="ug-sauti").exists()


def test_errors_found_after_conversion_name_the_service() -> None:
    bad = dict(SERVICE, languages=[{"code": "not-a-language"}])
    with pytest.raises(InvalidInput) as refused:
        hsds_import({"services": [bad]})
    assert refused.value.details["errors"][0]["field"].startswith("$.services[0]")


def test_the_command_recognises_hsds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "services.json"
    path.write_text(json.dumps({"services": [SERVICE]}), encoding="utf-8")
    call_command("helplines", "import", str(path))
    assert "1 helpline created" in capsys.readouterr().out
    path.write_text(json.dumps({"services": [dict(SERVICE, service_areas=[])]}), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("helplines", "import", str(path))
    assert "$.services[0].service_areas" in capsys.readouterr().err
