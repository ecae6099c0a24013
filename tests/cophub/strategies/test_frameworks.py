"""Frameworks as versioned data: the bundled sets, the crosswalk, import and export."""

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from cophub.portal.errors import InvalidInput
from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.strategies.framework_format import (
    DATA_DIR,
    framework_document_from_csv,
    framework_export_csv,
    framework_import,
    framework_validate,
)
from cophub.strategies.models import CrosswalkLink, Framework, Item, MaturityPhase

pytestmark = pytest.mark.django_db
MNR_CSV = Path("/work/shared/reference/weprotect-mnr-2016-capabilities.csv")


def _document(name: str) -> Any:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def test_the_three_frameworks_are_loaded_with_every_text_in_six_languages() -> None:
    keys = set(Framework.objects.values_list("key", flat=True))
    assert {"itu-areas", "weprotect-mnr", "itu-d-sg2-q3-2"} <= keys
    itu = Framework.objects.get(key="itu-areas")
    assert itu.sections.count() == 12
    for item in Item.objects.all():
        assert set(item.texts) == set(UI_LANGUAGE_CODES), item.key
        assert all(item.texts.values()), item.key
    sg2 = Framework.objects.get(key="itu-d-sg2-q3-2")
    assert sg2.items.count() == 4
    assert set(sg2.items.values_list("kind", flat=True)) == {"yes_no_partial"}


def test_mnr_follows_the_reference_csv_and_its_translations_are_marked_unofficial() -> None:
    mnr = Framework.objects.get(key="weprotect-mnr")
    assert mnr.official_languages == ["en"]
    assert mnr.translation_note and not mnr.is_official("fr") and mnr.is_official("en")
    items = list(mnr.items.select_related("section").order_by("section__position", "position"))
    assert len(items) == 21 and mnr.sections.count() == 6
    if MNR_CSV.exists():  # the shared reference copy, when this checkout has it
        with MNR_CSV.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert [item.ref for item in items] == [row["no"] for row in rows]
        assert [item.section.key for item in items] == [row["domain"] for row in rows]
        assert items[0].texts["en"] == rows[0]["capability"]


def test_every_capability_is_answered_once_in_the_itu_set_and_sg2_questions_link_too() -> None:
    same = CrosswalkLink.objects.filter(relation="same").select_related(
        "source__framework", "target__framework"
    )
    mnr_targets = [link.target.key for link in same if link.target.framework.key == "weprotect-mnr"]
    assert sorted(mnr_targets) == sorted(
        Framework.objects.get(key="weprotect-mnr").items.values_list("key", flat=True)
    )
    sg2_targets = {
        link.target.key for link in same if link.target.framework.key == "itu-d-sg2-q3-2"
    }
    assert sg2_targets == {"agency", "reporting", "technical", "activity"}
    assert all(link.source.kind == link.target.kind for link in same)


def test_maturity_phase_names_are_editable_data_flagged_verify(
    signed_in: Any, bdt_staff: Any
) -> None:
    phases = list(MaturityPhase.objects.all())
    # Primary keys differ between databases (PostgreSQL sequences are not reset per test).
    change_page = f"/en/admin/strategies/maturityphase/{phases[1].pk}/change/"
    assert signed_in(bdt_staff).get(change_page).status_code == 200
    assert [p.value for p in phases] == [1, 2, 3, 4]
    assert [p.verify for p in phases] == [False, True, True, False]
    assert all(set(p.names) == set(UI_LANGUAGE_CODES) for p in phases)


def test_numeric_items_link_to_national_indicators_and_clauses_exist() -> None:
    numeric = Item.objects.filter(kind="numeric", framework__key="itu-areas")
    assert numeric.exists()
    assert numeric.filter(indicator="cop-core/N4").exists()
    assert Item.objects.get(framework__key="itu-areas", key="governance.strategy").clause_ids == [
        "MS-1",
        "BDT-5",
    ]


def test_invalid_framework_lists_every_error_by_path() -> None:
    document = _document("framework-itu-d-sg2-q3-2.json")
    del document["sections"][0]["items"][1]["text"]["fr"]
    document["sections"][0]["items"][2]["clauses"] = ["XX-9"]
    document["sections"][0]["items"][3]["key"] = "agency"
    with pytest.raises(InvalidInput) as schema_error:
        framework_validate(document)
    fields = [e["field"] for e in schema_error.value.details["errors"]]
    assert fields == ["$.sections[0].items[1].text"]
    document["sections"][0]["items"][1]["text"]["fr"] = "Texte"
    with pytest.raises(InvalidInput) as meaning_error:
        framework_validate(document)
    assert [e["field"] for e in meaning_error.value.details["errors"]] == [
        "$.sections[0].items[2].clauses[0]",
        "$.sections[0].items[3].key",
    ]


def test_a_new_version_imports_beside_the_old_one_and_answered_items_stay(
    make_assessment: Any, focal_ke: Any
) -> None:
    document = _document("framework-itu-d-sg2-q3-2.json")
    document["version"] = "2.0"
    document["sections"][0]["items"].pop()
    framework_import(document)
    assert Framework.objects.filter(key="itu-d-sg2-q3-2").count() == 2
    old = Framework.objects.get(key="itu-d-sg2-q3-2", version="1.0")
    assessment = make_assessment(focal_ke, "KE", framework=old, answered=True)
    assert assessment.answers.count() == 4
    shrunk = _document("framework-itu-d-sg2-q3-2.json")
    shrunk["sections"][0]["items"].pop()
    with pytest.raises(InvalidInput) as in_use:
        framework_import(shrunk)
    assert in_use.value.details["errors"][0]["code"] == "item_in_use"
    assert old.items.count() == 4  # nothing half-written


def test_csv_round_trip_and_errors_name_row_and_column() -> None:
    framework = Framework.objects.get(key="weprotect-mnr")
    text = framework_export_csv(framework)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 21 and rows[0]["text_ar"]
    document = framework_document_from_csv(text, framework, "1.0")
    assert document["sections"] == framework.document["sections"]
    rows[3]["text_ru"] = ""
    rows[5]["kind"] = "stars"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    with pytest.raises(InvalidInput) as invalid:
        framework_document_from_csv(out.getvalue(), framework, "1.1")
    fields = {e["field"] for e in invalid.value.details["errors"]}
    assert "row 5, column text_ru" in fields
    assert "row 7, column kind" in fields


def test_command_exports_and_imports_json_and_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    json_out, csv_out = tmp_path / "sg2.json", tmp_path / "sg2.csv"
    call_command("strategies_frameworks", "export", "itu-d-sg2-q3-2", "--out", str(json_out))
    call_command(
        "strategies_frameworks", "export", "itu-d-sg2-q3-2", "--format", "csv", "--out",
        str(csv_out),
    )  # fmt: skip
    assert json.loads(json_out.read_text())["key"] == "itu-d-sg2-q3-2"
    call_command(
        "strategies_frameworks", "import", str(csv_out), "--key", "itu-d-sg2-q3-2",
        "--version", "1.5",
    )  # fmt: skip
    assert Framework.objects.filter(key="itu-d-sg2-q3-2", version="1.5").exists()
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "cophub.strategies.framework/1"}')
    with pytest.raises(CommandError):
        call_command("strategies_frameworks", "import", str(broken))
    assert "$" in capsys.readouterr().err
    call_command("strategies_frameworks", "crosswalk", "--export")
    assert json.loads(capsys.readouterr().out)["links"]


def test_framework_api_lists_and_serves_documents(api_as: Any, focal_ke: Any) -> None:
    api = api_as(focal_ke)
    listed = api.get("frameworks").json()["results"]
    assert {f["key"] for f in listed} >= {"itu-areas", "weprotect-mnr", "itu-d-sg2-q3-2"}
    document = api.get("frameworks/weprotect-mnr/1.0").json()
    assert document["format"] == "cophub.strategies.framework/1"
    assert api.get("frameworks/weprotect-mnr/9.9").status_code == 404
