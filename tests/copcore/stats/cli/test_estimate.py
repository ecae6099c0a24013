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
