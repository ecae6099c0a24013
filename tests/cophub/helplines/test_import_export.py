import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cophub.helplines.models import Contact, Helpline
from cophub.helplines.services import helplines_import
from cophub.portal.errors import InvalidInput

from .conftest import FIXTURES, fixture_document

pytestmark = pytest.mark.django_db


def test_import_is_all_or_nothing_and_reports_every_error_by_json_path() -> None:
    document = fixture_document("directory.json")
    document["helplines"][0]["country"] = "XX"
    document["helplines"][1]["contacts"][0]["value"] = "+254116"
    document["helplines"][3]["timezone"] = "Mars/Olympus"
    document["helplines"][3]["languages"] = ["fr", "qq"]
    document["helplines"][2]["contacts"][0]["hours"] = [
        {"days": ["mon"], "open": "25:00", "close": "02:00"}
    ]
    with pytest.raises(InvalidInput) as rejected:
        helplines_import(document)
    paths = {error["field"] for error in rejected.value.details["errors"]}
    assert "$.helplines[2].contacts[0].hours" in paths  # schema: 25:00 is no time
    assert Helpline.objects.count() == 0


def test_semantic_errors_name_their_paths() -> None:
    document = fixture_document("directory.json")
    document["helplines"][0]["country"] = "XX"
    document["helplines"][1]["contacts"][0]["value"] = "+254116"
    document["helplines"][3]["timezone"] = "Mars/Olympus"
    document["helplines"][3]["languages"] = ["fr", "qq"]
    document["helplines"][3]["age_min"] = 19
    document["helplines"][2]["id"] = "ke-test-childline"
    with pytest.raises(InvalidInput) as rejected:
        helplines_import(document)
    errors = {error["field"]: error["code"] for error in rejected.value.details["errors"]}
    assert errors == {
        "$.helplines[0].country": "unknown_country",
        "$.helplines[1].contacts[0].value": "invented_international_short_code",
        "$.helplines[2].id": "duplicate_id",
        "$.helplines[3].languages[1]": "unknown_language",
        "$.helplines[3].timezone": "unknown_timezone",
        "$.helplines[3].age_max": "age_range_reversed",
    }
    assert Helpline.objects.count() == 0
    assert Contact.objects.count() == 0


def test_reimport_updates_in_place() -> None:
    first = helplines_import(fixture_document("directory.json"))
    assert (first.created, first.updated) == (4, 0)
    document = fixture_document("directory.json")
    document["helplines"][0]["contacts"] = document["helplines"][0]["contacts"][:1]
    second = helplines_import(document)
    assert (second.created, second.updated) == (0, 4)
    assert Helpline.objects.get(slug="ke-test-childline").contacts.count() == 1


def test_export_json_round_trips(tmp_path: Path) -> None:
    helplines_import(fixture_document("directory.json"))
    out = tmp_path / "directory.json"
    call_command("helplines", "export", "--format", "json", "--out", str(out))
    exported = json.loads(out.read_text())
    assert exported["format"] == "cophub.helplines/1"
    Helpline.objects.all().delete()
    result = helplines_import(exported)
    assert result.created == 4
    again = Helpline.objects.get(slug="ke-test-childline")
    assert again.contacts.get(channel="sms").closed_on == ["2026-12-25"]
    assert again.verified_at.isoformat() == "2026-11-01"  # type: ignore[union-attr]


def test_export_csv_one_row_per_contact_and_hsds(capsys: pytest.CaptureFixture[str]) -> None:
    helplines_import(fixture_document("directory.json"))
    call_command("helplines", "export", "--format", "csv", "--country", "KE")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 5
    sms = next(r for r in rows if r["channel"] == "sms")
    assert (sms["value"], sms["free"], sms["closed_on"]) == ("21116", "yes", "2026-12-25")
    call_command("helplines", "export", "--format", "hsds", "--country", "KE")
    services: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["services"]
    childline = next(s for s in services if s["id"] == "ke-test-childline")
    assert childline["phones"][0]["number"] == "116"
    assert {"freq": "WEEKLY", "byday": "SA", "opens_at": "22:00", "closes_at": "02:00",
            "description": "sms"} in childline["schedules"]  # fmt: skip


def test_import_command_reports_errors_and_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "cophub.helplines/1", "helplines": [{"id": "Bad Id"}]}')
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("helplines", "import", str(broken))
    assert "$.helplines[0]" in capsys.readouterr().err
    not_json = tmp_path / "not.json"
    not_json.write_text("{oops")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("helplines", "import", str(not_json))
    call_command("helplines", "import", str(FIXTURES / "directory.json"))
    assert Helpline.objects.count() == 4
