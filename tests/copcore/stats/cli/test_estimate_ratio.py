"""``copstats estimate --ratio NUM/DEN``: every output format and disclosure rule with ratio
rows, and the refusals (unknown column, text, a zero denominator total in a domain), each
translated, naming the column, leaving no output file."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from copcore.stats.cli import main

DATA = """region,w,spend,members,note
north,1,10,2,a
north,2,30,3,b
north,1,,4,c
south,3,12,3,d
south,1,8,0,e
east,2,5,0,f
east,2,7,1,g
"""


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "households.csv"
    path.write_text(DATA)
    return path


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(text.splitlines()))


def test_ratio_by_hand_and_per_domain(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["estimate", str(data), "--weight", "w", "--ratio", "spend/members", "--by", "region"]
    assert main(args) == 0
    rows = {r["region"]: r for r in _rows(capsys.readouterr().out)}
    # Rows with both values: north 1, 2; south 4, 5; east 6, 7 (row 3 has no spend).
    assert rows["_T"]["statistic"] == "ratio" and rows["_T"]["variable"] == "spend/members"
    total = (10 + 60 + 36 + 8 + 10 + 14) / (2 + 6 + 9 + 0 + 0 + 2)
    assert float(rows["_T"]["estimate"]) == pytest.approx(total, rel=1e-12)
    assert rows["_T"]["n"] == "6" and rows["north"]["n"] == "2"
    assert float(rows["north"]["estimate"]) == pytest.approx(70 / 8, rel=1e-12)
    assert float(rows["south"]["estimate"]) == pytest.approx(44 / 9, rel=1e-12)
    # Weights only: each row is a PSU (with replacement); the SE is that of sum w z / X,
    # z = y - R x, the row outside the universe (no spend) contributing z = 0, as for domains.
    w = [1, 2, 1, 3, 1, 2, 2]
    y = [10, 30, 0, 12, 8, 5, 7]
    x = [2, 3, 0, 3, 0, 0, 1]
    z = [wi * (yi - total * xi) for wi, yi, xi in zip(w, y, x, strict=True)]
    big_x = sum(wi * xi for wi, xi in zip(w, x, strict=True))
    mean = sum(z) / 7
    variance = 7 / 6 * sum((zi - mean) ** 2 for zi in z) / big_x**2
    assert float(rows["_T"]["se"]) == pytest.approx(variance**0.5, rel=1e-9)


def test_every_format_and_disclosure(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = [
        "estimate", str(data), "--weight", "w", "--ratio", "spend/members", "--mean", "spend",
        "--by", "region", "--disclosure", "min-n:2",
    ]  # fmt: skip
    for fmt in ("csv", "json", "sdmx-csv", "parquet"):
        out = tmp_path / f"out.{fmt}"
        assert main([*common, "--format", fmt, "--out", str(out)]) == 0
    rows = _rows((tmp_path / "out.csv").read_text())
    ratio = {r["region"]: r for r in rows if r["statistic"] == "ratio"}
    # Every ratio cell has two rows with both values: min-n:2 keeps them all.
    assert {r["suppressed"] for r in ratio.values()} == {"false"}
    mean = {r["region"]: r for r in rows if r["statistic"] == "mean"}
    assert mean["north"]["suppressed"] == "false"
    document = json.loads((tmp_path / "out.json").read_text())
    assert any(r["variable"] == "spend/members" for r in document["rows"])
    sdmx = (tmp_path / "out.sdmx-csv").read_text()
    assert ",ratio,spend/members," in sdmx
    table = pq.read_table(tmp_path / "out.parquet")
    assert "spend/members" in table.column("variable").to_pylist()
    # A rule that suppresses the ratio's one-row cells, and their complements.
    assert main([*common[:-1], "min-n:3"]) == 0
    shown = [r for r in _rows(capsys.readouterr().out) if r["statistic"] == "ratio"]
    flags = {r["region"]: r["flag"] for r in shown}
    assert flags["north"] == "n<3" and flags["south"] == "n<3" and flags["east"] == "n<3"
    assert all(r["estimate"] == "" for r in shown if r["region"] != "_T")
    assert main([*common[:-1], "nchs"]) == 0
    nchs = [r for r in _rows(capsys.readouterr().out) if r["statistic"] == "ratio"]
    assert {r["flag"] for r in nchs} == {"n<30"}


@pytest.mark.parametrize(
    ("extra", "lang", "needle"),
    [
        (["--ratio", "spend/size"], "en", "“size” is not in the data"),
        (["--ratio", "note/members"], "fr", "« note »"),
        (["--ratio", "spend/members", "--by", "region", "--where-none"], "en", "where-none"),
        (["--ratio", "spend/members", "--by", "region"], "es", "«members»"),
        (["--ratio", "spendmembers"], "ru", "NUM/DEN"),
    ],
)
def test_refusals_are_translated_and_write_nothing(
    data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    lang: str,
    needle: str,
) -> None:
    if extra[-1] == "region" and lang == "es":
        # A domain whose denominator is zero in every row: east and south members set to 0.
        data.write_text(DATA.replace("east,2,7,1,g", "east,2,7,0,g"))
    out = tmp_path / "out" / "never.csv"
    out.parent.mkdir()
    args = ["estimate", str(data), "--weight", "w", *extra, "--out", str(out), "--lang", lang]
    status = main(args)
    assert status == 2
    assert list(out.parent.iterdir()) == []
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err
    if lang == "es" and extra[-1] == "region":
        assert "region = east" in err and "spend/members" in err
