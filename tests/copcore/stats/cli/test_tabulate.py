"""``copstats tabulate``: one tidy table, every output format, private releases."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.copcore.stats.cli.framework_files import DATA, EXAMPLES, MAPPING, run


def test_tabulate_writes_one_tidy_csv_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "tabulate", DATA, "--mapping", MAPPING, "--tier", "1")
    assert (status, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["indicator"] for r in rows} == {"A1", "A2", "R1", "R2", "R5", "R6", "C1", "S3"}
    total = next(r for r in rows if r["indicator"] == "R1" and r["breakdown"] == "_T")
    assert total["country"] == "XF" and total["comparability"] == "age_range_differs:10-17"
    assert 0 < float(total["estimate"]) < 1 and int(total["n"]) > 200


def test_every_output_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    common = ["tabulate", DATA, "--mapping", MAPPING, "--indicators", "R1,C1"]
    out_json = tmp_path / "t.json"
    assert run(capsys, *common, "--format", "json", "--out", str(out_json))[0] == 0
    document = json.loads(out_json.read_text(encoding="utf-8"))
    assert document["metadata"]["framework_version"] == "2026.1.0"
    assert {r["indicator"] for r in document["rows"]} == {"R1", "C1"}
    out_parquet = tmp_path / "t.parquet"
    assert run(capsys, *common, "--format", "parquet", "--out", str(out_parquet))[0] == 0
    table = pq.read_table(out_parquet)
    assert table.num_rows == len(document["rows"])
    assert table.schema.metadata[b"copstats.survey"].startswith(b"Fakeland")
    _, out, _ = run(capsys, *common, "--format", "sdmx-csv", "--disclosure", "dhs")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0])[:8] == [
        "STRUCTURE",
        "STRUCTURE_ID",
        "ACTION",
        "REF_AREA",
        "INDICATOR",
        "BREAKDOWN",
        "BREAKDOWN_VALUE",
        "OBS_VALUE",
    ]
    assert rows[0]["STRUCTURE_ID"] == "COPHUB:DF_COP_INDICATORS(2026.1.0)"
    assert {r["CONF_STATUS"] for r in rows} == {"C", "F"}
    hidden = [r for r in rows if r["CONF_STATUS"] == "C"]
    assert all(r["OBS_VALUE"] == "" for r in hidden)


def test_tabulate_refuses_invalid_data_without_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.csv"
    text = (EXAMPLES / "fakeland-2025.csv").read_text()
    broken.write_text(text.replace("\n1,101,", "\n1,,", 1))
    out = tmp_path / "out.csv"
    status, stdout, err = run(
        capsys, "tabulate", str(broken), "--mapping", MAPPING, "--out", str(out)
    )
    assert status == 2 and stdout == ""
    assert err.startswith("copstats: error: The data do not fit the mapping")
    assert "Design column “EA” (psu) is empty — 1 row(s), first: 1" in err
    assert "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == [broken]


def test_a_private_release_is_recorded_and_a_second_one_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "ledger.json"
    data = tmp_path / "fakeland.csv"
    shutil.copy(DATA, data)
    release = [
        "tabulate", str(data), "--mapping", MAPPING, "--indicators", "R1,R2",
        "--dp-epsilon", "0.6", "--dp-weight-cap", "200", "--dp-ledger", str(ledger),
    ]  # fmt: skip
    first = tmp_path / "first.csv"
    status, _, err = run(capsys, *release, "--dp-budget", "1.0", "--out", str(first))
    assert (status, err) == (0, "")
    rows = list(csv.DictReader(first.open(encoding="utf-8")))
    assert {r["dp_mechanism"] for r in rows} == {"laplace"}
    assert {r["dp_weight_cap"] for r in rows} == {"200.0"}
    account = json.loads(ledger.read_text())["datasets"]
    [(dataset, spent)] = [(k, v["spent_epsilon"]) for k, v in account.items()]
    assert dataset.startswith("sha256:") and 0.59 < spent <= 0.6
    before = ledger.read_bytes()
    second = tmp_path / "second.csv"
    status, _, err = run(capsys, *release, "--out", str(second))
    assert status == 2
    assert (
        "Release refused: it would spend ε = " in err and "budget of 1. Nothing was written." in err
    )
    assert ledger.read_bytes() == before and not second.exists()


def test_private_release_options_are_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["tabulate", DATA, "--mapping", MAPPING, "--out", str(tmp_path / "o.csv")]
    status, _, err = run(capsys, *base, "--dp-budget", "1")  # any --dp-* asks for privacy
    assert status == 2 and "--dp-epsilon" in err
    status, _, err = run(capsys, *base, "--dp-epsilon", "1")
    assert status == 2 and "--dp-weight-cap" in err
    status, _, err = run(
        capsys, *base, "--dp-epsilon", "1", "--dp-weight-cap", "9", "--dp-ledger",
        str(tmp_path / "l.json"), "--disclosure", "dhs",
    )  # fmt: skip
    assert status == 2 and "--disclosure" in err
    status, _, err = run(
        capsys, *base, "--dp-epsilon", "1", "--dp-weight-cap", "9", "--dp-ledger",
        str(tmp_path / "l.json"),
    )  # fmt: skip
    assert status == 2 and "no privacy budget" in err
    assert not (tmp_path / "o.csv").exists() and not (tmp_path / "l.json").exists()


def test_protection_audits_the_output(capsys: pytest.CaptureFixture[str]) -> None:
    common = ["tabulate", DATA, "--mapping", MAPPING, "--indicators", "R1,C1", "--format", "json"]
    status, out, _ = run(capsys, *common, "--disclosure", "dhs", "--protection", "0.1")
    assert status == 0
    document = json.loads(out)
    assert document["metadata"]["audit_protection"] == "0.1"
    assert document["metadata"]["audit_unprotected"] == "0"
    added = [r for r in document["rows"] if r["flag"] == "audit"]
    assert len(added) == int(document["metadata"]["audit_added"]) > 0
    assert all(r["estimate"] is None for r in added)
    status, _, err = run(capsys, *common, "--disclosure", "dhs", "--protection", "1.5")
    assert status == 2 and "--protection" in err
