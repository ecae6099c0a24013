"""``copstats audit``: each suppressed cell's interval and verdict, translated; exit 1 when a
cell is not protected; with --original and --out, the table made safe; bad cells named."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from copcore.stats.cli import main

ORIGINAL = """,A,B,C,Total
r1,10,20,30,60
r2,15,25,35,75
r3,5,5,5,15
Total,30,50,70,150
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_lone_suppression_is_reported_recovered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _write(tmp_path, "t.csv", ORIGINAL.replace("r3,5,", "r3,x,"))
    assert main(["audit", str(table)]) == 1
    out = capsys.readouterr().out
    assert "r3 × A: between 5 and 5 — recovered exactly." in out
    assert "1 suppressed cells, 1 not protected." in out


def test_a_protected_rectangle_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = ORIGINAL.replace("r1,10,20", "r1,x,x").replace("r2,15,25", "r2,x,x")
    assert main(["audit", str(_write(tmp_path, "t.csv", text)), "--lang", "ru"]) == 0
    assert "r1 × A: от 0 до 25 — защищена." in capsys.readouterr().out


def test_out_adds_complementary_suppressions(tmp_path: Path) -> None:
    table = _write(tmp_path, "t.csv", ORIGINAL.replace("r3,5,", "r3,x,"))
    original = _write(tmp_path, "full.csv", ORIGINAL)
    out = tmp_path / "safe.csv"
    args = ["audit", str(table), "--original", str(original), "--protection", "0.2"]
    assert main([*args, "--out", str(out)]) == 0
    rows = list(csv.reader(out.open(encoding="utf-8")))
    markers = sum(cell == "x" for row in rows for cell in row)
    assert rows[3][1] == "x" and markers >= 4
    assert main(["audit", str(out), "--original", str(original), "--protection", "0.2"]) == 0


def test_a_cell_that_is_neither_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _write(tmp_path, "t.csv", ORIGINAL.replace("r2,15", "r2,fifteen"))
    assert main(["audit", str(table), "--out", str(tmp_path / "never.csv")]) == 2
    error = capsys.readouterr().err
    assert "r2" in error and "A" in error and "fifteen" in error
    assert not (tmp_path / "never.csv").exists()
