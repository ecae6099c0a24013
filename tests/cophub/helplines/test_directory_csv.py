"""The CSV template: an export edited in a spreadsheet loads back; optional columns fill what
the export leaves out; every error is named by row and column, and nothing is written."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cophub.helplines.directory_csv import csv_import
from cophub.helplines.directory_export import export_csv
from cophub.helplines.models import Contact, Helpline
from cophub.helplines.selectors import helpline_queryset
from cophub.portal.errors import InvalidInput

pytestmark = pytest.mark.django_db

HEADER = (
    "id,country,kind,name_en,name_fr,operator,languages,topics,age_min,age_max,timezone,"
    "channel,value,free,hours,closed_on,source_url,source_type,verified_at"
)
ROWS = [
    "fr-ligne,FR,child_helpline,Child line,Ligne enfants,Opérateur,fr,abuse,0,17,Europe/Paris,"
    "voice,119,yes,24/7,,https://example.org/fr,operator_website,2026-10-01",
    "fr-ligne,FR,child_helpline,Child line,Ligne enfants,Opérateur,fr,abuse,0,17,Europe/Paris,"
    'sms,31119,no,"[{""days"": [""mon""], ""open"": ""09:00"", ""close"": ""17:00""}]",'
    "2026-12-25,https://example.org/fr,operator_website,2026-10-01",
]


def _template(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def test_the_template_creates_an_entry_with_every_contact() -> None:
    result = csv_import(_template(*ROWS))
    assert (result.created, result.updated) == (1, 0)
    helpline = Helpline.objects.get(slug="fr-ligne")
    assert helpline.names == {"en": "Child line", "fr": "Ligne enfants"}
    assert helpline.operator_name == "Opérateur" and helpline.age_max == 17
    sms = Contact.objects.get(helpline=helpline, channel="sms")
    assert sms.free is False and sms.closed_on == ["2026-12-25"]
    assert sms.hours == [{"days": ["mon"], "open": "09:00", "close": "17:00"}]


def test_hours_as_a_person_writes_them() -> None:
    written = ROWS[1].replace(
        '"[{""days"": [""mon""], ""open"": ""09:00"", ""close"": ""17:00""}]"',
        '"Mo-Fr 09:00-17:00; Sa 10:00-12:00"',
    )
    csv_import(_template(ROWS[0], written))
    sms = Contact.objects.get(helpline__slug="fr-ligne", channel="sms")
    assert sms.hours == [
        {"days": ["mon", "tue", "wed", "thu", "fri"], "open": "09:00", "close": "17:00"},
        {"days": ["sat"], "open": "10:00", "close": "12:00"},
    ]


def test_hours_not_understood_are_named_by_row_column_and_part() -> None:
    wrong = ROWS[1].replace(
        '"[{""days"": [""mon""], ""open"": ""09:00"", ""close"": ""17:00""}]"', "Mo-Fr 9h-17h"
    )
    with pytest.raises(InvalidInput) as refused:
        csv_import(_template(ROWS[0], wrong))
    (problem,) = [e for e in refused.value.details["errors"] if e["column"] == "hours"]
    assert problem["row"] == "3" and "“9h-17h”" in problem["message"]
    assert not Helpline.objects.filter(slug="fr-ligne").exists()


def test_an_export_loads_back_unchanged(directory: None) -> None:
    exported = export_csv(helpline_queryset())
    before = {(c.helpline.slug, c.channel, c.value, c.free) for c in Contact.objects.all()}
    result = csv_import(exported)
    assert result.created == 0 and result.updated == Helpline.objects.count()
    after = {(c.helpline.slug, c.channel, c.value, c.free) for c in Contact.objects.all()}
    assert after == before
    assert export_csv(helpline_queryset()) == exported


@pytest.mark.parametrize(
    ("change", "row", "column"),
    [
        (lambda r: [r[0].replace(",FR,", ",ZZ,"), r[1].replace(",FR,", ",ZZ,")], "2", "country"),
        (lambda r: [r[0], r[1].replace("sms,31119", "pigeon,31119")], "3", "channel"),
        (lambda r: [r[0], r[1].replace('"[{""days""', '"[{days')], "3", "hours"),
        (lambda r: [r[0], r[1].replace("Opérateur", "Other")], "3", "operator"),
        (lambda r: [x.replace(",0,17,", ",zero,17,") for x in r], "2", "age_min"),
        (lambda r: [r[0].replace(",yes,", ",maybe,"), r[1]], "2", "free"),
    ],
)  # fmt: skip
def test_errors_name_the_row_and_column_and_nothing_is_written(
    change: object, row: str, column: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        csv_import(_template(*change(ROWS)))  # type: ignore[operator]
    places = {(e["row"], e["column"]) for e in refused.value.details["errors"]}
    assert (row, column) in places, refused.value.details
    assert not Helpline.objects.filter(slug="fr-ligne").exists()


def test_a_missing_column_is_named() -> None:
    with pytest.raises(InvalidInput) as refused:
        csv_import("id,country\nx,FR\n")
    columns = {e["column"] for e in refused.value.details["errors"]}
    assert {"kind", "channel", "value", "source_url"} <= columns


def test_the_command_reads_csv_by_extension(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "directory.csv"
    good.write_text(_template(*ROWS), encoding="utf-8")
    call_command("helplines", "import", str(good))
    assert "1 helpline created" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(
        _template(ROWS[0], ROWS[1].replace("sms,31119", "pigeon,31119")), encoding="utf-8"
    )
    with pytest.raises(CommandError):
        call_command("helplines", "import", str(bad))
    assert "row 3, column channel" in capsys.readouterr().err
