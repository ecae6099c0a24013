"""``copstats replicate`` and ``copstats estimate --rep-weights``: every format, disclosure
and DP with replicate designs; translated errors that name the option and leave no file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from copcore.stats.cli import main

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def jkn_file(synth_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rep") / "jkn.parquet"
    status = main(
        [
            "replicate", str(synth_file), "--weight", "weight", "--strata", "stratum",
            "--psu", "psu", "--method", "jkn", "--prefix", "jk", "--out", str(path),
        ]
    )  # fmt: skip
    assert status == 0
    return path


def test_replicate_writes_the_data_with_replicates(
    synth_file: Path, jkn_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = pq.read_schema(synth_file).names
    names = pq.read_schema(jkn_file).names
    replicates = [n for n in names if n.startswith("jk")]
    assert names[: len(original)] == original
    assert replicates == [f"jk{r}" for r in range(1, len(replicates) + 1)]
    out = tmp_path / "boot.csv"
    command = [
        "replicate", str(synth_file), "--weight", "weight", "--strata", "stratum",
        "--psu", "psu", "--method", "bootstrap", "--reps", "30", "--seed", "4", "--out", str(out),
    ]  # fmt: skip
    capsys.readouterr()
    assert main(command) == 0
    printed = capsys.readouterr().out
    assert "repw_30" in printed and "--rep-weights repw_ --rep-method bootstrap" in printed
    header = next(csv.reader(out.read_text().splitlines()))
    assert header[-1] == "repw_30" and len(header) == len(original) + 30


def test_estimate_with_replicates_in_every_format(
    jkn_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = [
        "estimate", str(jkn_file), "--weight", "weight", "--rep-weights", "jk",
        "--rep-method", "jkn", "--strata", "stratum", "--psu", "psu",
        "--prop", "R1", "--mean", "A4", "--total", "A1", "--by", "sex", "--by", "country,urban",
        "--disclosure", "nchs", "--ci", "korn-graubard",
    ]  # fmt: skip
    assert main(common) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert {r["statistic"] for r in rows} == {"prop", "mean", "total"}
    shown = [r for r in rows if r["suppressed"] == "false"]
    assert shown and all(r["se"] for r in shown)
    for fmt in ("json", "parquet", "sdmx-csv", "csv"):
        out = tmp_path / f"out.{fmt}"
        assert main([*common, "--format", fmt, "--out", str(out)]) == 0
    metadata = json.loads((tmp_path / "out.json").read_text())["metadata"]
    assert metadata["variance"] == "replication"
    assert metadata["replication_method"] == "jkn" and metadata["replicates"] > 10
    assert {r["df"] for r in rows} == {str(metadata["replicates"] - 1)}  # R - 1 by default
    schema = pq.read_schema(tmp_path / "out.parquet").metadata
    assert schema[b"copstats.variance"] == b"replication"
    assert schema[b"copstats.replication_method"] == b"jkn"


def test_taylor_metadata_unchanged(synth_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    command = ["estimate", str(synth_file), "--weight", "weight", "--prop", "R1"]
    assert main([*command, "--format", "json", "--out", str(out)]) == 0
    metadata = json.loads(out.read_text())["metadata"]
    assert metadata["variance"] == "taylor" and "replicates" not in metadata


def test_nhanes2_brr_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    data = str(DATA / "nhanes2brr_subset.csv")
    listed = ",".join(f"brr_{r}" for r in range(1, 33))
    outputs = []
    for weights in ("brr_", listed):
        command = ["estimate", data, "--weight", "finalwgt", "--mean", "height"]
        assert main([*command, "--rep-weights", weights, "--rep-method", "brr"]) == 0
        outputs.append(list(csv.DictReader(capsys.readouterr().out.splitlines())))
    assert outputs[0] == outputs[1]
    row = outputs[0][0]
    # svy 0.35, BrrWgts(prefix="brr_", n_reps=32), variance_center="estimate".
    assert float(row["estimate"]) == pytest.approx(168.61902688282115, rel=1e-12)
    assert float(row["se"]) == pytest.approx(0.3522961650205905, rel=1e-9)
    assert row["df"] == "31"


def test_private_release_with_a_replicate_design(jkn_file: Path, tmp_path: Path) -> None:
    """A DP release uses the full-sample weight; the replicates play no part (no SE)."""
    out = tmp_path / "dp.csv"
    status = main(
        [
            "estimate", str(jkn_file), "--total", "R9", "--by", "urban",
            "--dp-levels", "urban=rural,urban", "--dp-epsilon", "1", "--dp-budget", "2",
            "--dp-ledger", str(tmp_path / "ledger.json"), "--out", str(out),
            "--weight", "weight", "--dp-weight-cap", "300",
            "--rep-weights", "jk", "--rep-method", "jkn", "--rep-multiplier", "0.9",
        ]
    )  # fmt: skip
    assert status == 0 and out.exists()


ERRORS = [
    (["--rep-weights", "nope_", "--rep-method", "brr"], "rep_columns_missing", "nope_"),
    (["--rep-weights", "jk1,jk2,jk_missing", "--rep-method", "jk1"], "", "jk_missing"),
    (["--rep-weights", "jk", "--rep-method", "jkn", "--rep-multipliers", "0.5,0.5"], "", "2"),
    (["--rep-weights", "jk", "--rep-method", "fay", "--fay", "1.2"], "", "--fay"),
    (["--rep-weights", "jk", "--rep-method", "brr", "--strata", "stratum"], "", "--strata"),
    (["--rep-weights", "jk", "--rep-method", "jkn"], "", "--rep-multipliers"),
    (["--rep-weights", "jk", "--rep-method", "jk1", "--fpc", "stratum"], "", "--fpc"),
    (["--rep-weights", "jk", "--rep-method", "jk1", "--df", "domain"], "", "--df domain"),
    (["--rep-weights", "jk", "--rep-method", "jk1", "--singleton", "scale"], "", "--singleton"),
    (["--rep-weights", "jk", "--rep-method", "bootstrap", "--fay", "0.5"], "", "--fay"),
    (["--rep-weights", "jk"], "", "--rep-method"),
    (["--rep-method", "brr"], "", "--rep-weights"),
    (["--fay", "0.5"], "", "--rep-weights"),
    (["--df", "12"], "", "--rep-weights"),
    (
        [
            "--rep-weights",
            "jk",
            "--rep-method",
            "jk1",
            "--rep-multiplier",
            "1",
            "--rep-multipliers",
            "1,1",
        ],
        "",
        "--rep-multipliers",
    ),
]


@pytest.mark.parametrize(("options", "code", "named"), ERRORS)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_errors_are_translated_name_the_option_and_leave_no_file(
    jkn_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    options: list[str],
    code: str,
    named: str,
    lang: str,
) -> None:
    out = tmp_path / "never.csv"
    command = ["estimate", str(jkn_file), "--weight", "weight", "--prop", "R1", "--out", str(out)]
    assert main([*command, *options, "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert named in err and "Traceback" not in err
    if lang == "ar":
        assert "copstats" in err and any("\u0600" <= ch <= "\u06ff" for ch in err)
    assert list(tmp_path.iterdir()) == []


def test_replicate_errors_leave_no_file(
    synth_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "never.parquet"
    base = ["replicate", str(synth_file), "--weight", "weight", "--psu", "psu", "--out", str(out)]
    cases = [
        ([*base, "--strata", "stratum", "--method", "brr"], "BRR"),
        ([*base, "--strata", "stratum", "--method", "jkn", "--prefix", "R"], "R1"),
        ([*base, "--strata", "stratum", "--method", "jk1"], "--strata"),
        ([*base, "--method", "bootstrap", "--reps", "1"], "--reps"),
    ]
    for command, named in cases:
        assert main([*command, "--lang", "fr"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("copstats : erreur") and named in err, err
    assert list(tmp_path.iterdir()) == []
