"""``copstats estimate``, in-process and as a real subprocess."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from copcore.stats.cli import main

COPSTATS = Path(sys.executable).with_name("copstats")


def test_estimate_to_every_format(
    synth_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = [
        "estimate", str(synth_file), "--weight", "weight", "--strata", "stratum", "--psu", "psu",
        "--prop", "R1", "--mean", "A4", "--total", "A1", "--by", "sex", "--by", "country,urban",
        "--disclosure", "dhs", "--ci", "korn-graubard",
    ]  # fmt: skip
    assert main(common) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert rows[0]["sex"] == "_T" and rows[0]["country"] == "_T"
    assert {r["statistic"] for r in rows} == {"prop", "mean", "total"}
    for fmt in ("json", "parquet", "sdmx-csv", "csv"):
        out = tmp_path / f"out.{fmt}"
        assert main([*common, "--format", fmt, "--out", str(out)]) == 0
        assert out.stat().st_size > 0
    assert json.loads((tmp_path / "out.json").read_text())["metadata"]["disclosure"] == "dhs"


def test_errors_exit_2_without_output(
    synth_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "never.csv"
    status = main(
        [
            "estimate",
            str(synth_file),
            "--weight",
            "nope",
            "--prop",
            "R1",
            "--out",
            str(out),
            "--lang",
            "fr",
        ]
    )
    assert status == 2
    assert not out.exists() and list(tmp_path.iterdir()) == []
    err = capsys.readouterr().err
    assert err.startswith("copstats : erreur") and "nope" in err and "Traceback" not in err


def test_singleton_rule_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "d.csv"
    data.write_text("s,p,w,y\n1,1,1,1\n1,2,1,0\n2,3,2,1\n")
    args = ["estimate", str(data), "--weight", "w", "--strata", "s", "--psu", "p", "--prop", "y"]
    assert main(args, environ={"LANG": "es_ES.UTF-8"}) == 2
    assert "estrato «2»" in capsys.readouterr().err
    assert main([*args, "--singleton", "center"]) == 0


def test_real_subprocess(synth_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    done = subprocess.run(
        [str(COPSTATS), "estimate", str(synth_file), "--weight", "weight", "--psu", "psu",
         "--strata", "stratum", "--prop", "A1", "--out", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert out.read_text().startswith("statistic,variable,category,estimate")
    bad = subprocess.run(
        [str(COPSTATS), "estimate", str(tmp_path / "x.txt"), "--prop", "A1"],
        capture_output=True, text=True, check=False, env={"COPSTATS_LANG": "ru"},
    )  # fmt: skip
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "расширению" in bad.stderr


def test_private_totals_are_recorded_and_a_release_past_the_budget_refused(
    synth_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "ledger.json"
    weighted = [
        "estimate", str(synth_file), "--weight", "weight", "--total", "R1", "--total", "sex",
        "--by", "urban", "--dp-levels", "sex=female,male", "--dp-levels", "urban=rural,urban",
        "--dp-epsilon", "0.6", "--dp-weight-cap", "300", "--dp-ledger", str(ledger),
    ]  # fmt: skip
    first = tmp_path / "first.csv"
    assert main([*weighted, "--dp-budget", "1.0", "--out", str(first)]) == 0
    rows = list(csv.DictReader(first.open(encoding="utf-8")))
    assert [(r["variable"], r["category"], r["urban"]) for r in rows] == [
        ("R1", "", "_T"),
        ("R1", "", "rural"),
        ("R1", "", "urban"),
        ("sex", "female", "_T"),
        ("sex", "male", "_T"),
        *(("sex", s, u) for u in ("rural", "urban") for s in ("female", "male")),
    ]
    assert {(r["dp_mechanism"], r["dp_weight_cap"], r["dp_sampler"]) for r in rows} == {
        ("laplace", "300.0", "opendp")
    }
    assert all(float(r["estimate"]) == max(float(r["dp_total"]), 0.0) for r in rows)
    account = json.loads(ledger.read_text())["datasets"]
    [(dataset, spent)] = [(k, v["spent_epsilon"]) for k, v in account.items()]
    assert dataset.startswith("sha256:") and 0.59 < spent <= 0.6
    assert float(rows[0]["dp_epsilon"]) == spent
    [release] = account[dataset]["releases"]
    assert release["queries"] == 4 and release["description"] == "copstats estimate synth.parquet"

    # Unweighted counts: cap 1, discrete Laplace, whole numbers; charged to the same dataset.
    counts = tmp_path / "counts.json"
    unweighted = [
        "estimate", str(synth_file), "--total", "R1", "--dp-epsilon", "0.3",
        "--dp-ledger", str(ledger), "--format", "json",
    ]  # fmt: skip
    assert main([*unweighted, "--out", str(counts)]) == 0
    document = json.loads(counts.read_text(encoding="utf-8"))
    [row] = document["rows"]
    assert row["dp_mechanism"] == "discrete_laplace" and row["dp_weight_cap"] == 1.0
    assert float(row["dp_total"]).is_integer() and document["metadata"]["dp_queries"] == "1"
    account = json.loads(ledger.read_text())["datasets"][dataset]
    assert [r["mechanism"] for r in account["releases"]] == ["laplace", "discrete_laplace"]
    assert 0.89 < account["spent_epsilon"] <= 0.9

    before = ledger.read_bytes()
    second = tmp_path / "second.csv"
    assert main([*unweighted, "--format", "csv", "--out", str(second)]) == 2
    err = capsys.readouterr().err
    assert "Release refused: it would spend ε = 0.3" in err and "budget of 1." in err
    assert ledger.read_bytes() == before and not second.exists()


def test_private_total_options_are_checked(
    synth_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "o.csv"
    ledger = str(tmp_path / "l.json")
    base = ["estimate", str(synth_file), "--out", str(out), "--dp-budget", "1"]
    cases = [
        (["--total", "R1", "--dp-levels", "sex=female"], "--dp-epsilon"),
        (["--total", "R1", "--dp-epsilon", "1"], "--dp-ledger"),
        (["--weight", "weight", "--total", "R1", "--dp-epsilon", "1"], "--dp-weight-cap"),
        (["--total", "R1", "--dp-epsilon", "1", "--dp-ledger", ledger, "--disclosure", "dhs"],
         "--disclosure"),
        (["--total", "R1", "--dp-epsilon", "1", "--dp-ledger", ledger, "--dp-levels", "sex"],
         "--dp-levels"),
        (["--prop", "R1", "--dp-epsilon", "1", "--dp-ledger", ledger],
         "covers totals (--total) only, not “prop” of column “R1”"),
        (["--total", "sex", "--dp-epsilon", "1", "--dp-ledger", ledger],
         "needs its levels listed in advance with --dp-levels sex=LEVEL,LEVEL"),
        (["--total", "A4", "--dp-epsilon", "1", "--dp-ledger", ledger],
         "a private total counts the 1s of a 0/1 column"),
        (["--total", "R1", "--dp-epsilon", "1", "--dp-weight-cap", "5", "--dp-ledger", ledger],
         "only with --weight"),
    ]  # fmt: skip
    for extra, message in cases:
        assert main([*base, *extra], environ={"LANG": "C"}) == 2
        assert message in capsys.readouterr().err, extra
    assert not out.exists() and not (tmp_path / "l.json").exists()
    assert main([*base, "--total", "sex", "--dp-epsilon", "1", "--dp-ledger", ledger,
                 "--lang", "zh-hans"]) == 2  # fmt: skip
    assert "差分隐私" in capsys.readouterr().err
