"""``copstats crosstab``: the weighted two-way table with SEs and both Rao–Scott tests, as
translated text or JSON; a variable with one category is refused naming both variables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copcore.stats.cli import main

DESIGN = ["--weight", "weight", "--strata", "stratum", "--psu", "psu"]


def test_json_holds_cells_and_tests(synth_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["crosstab", str(synth_file), "--row", "sex", "--column", "urban", *DESIGN]
    assert main([*args, "--format", "json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["n"] == 4000 and body["design_df"] > 0
    assert sum(cell["proportion"] for cell in body["cells"]) == pytest.approx(1.0)
    assert all(cell["se"] > 0 for cell in body["cells"])
    f = body["rao_scott_f"]
    assert f["df_num"] == pytest.approx(1.0) and 0 <= f["p"] <= 1
    assert body["rao_scott_chisq"]["df"] == 1


def test_text_is_translated(synth_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["crosstab", str(synth_file), "--row", "region", "--column", "sex", *DESIGN]
    assert main([*args, "--lang", "fr"]) == 0
    text = capsys.readouterr().out
    assert "Rao–Scott du second ordre" in text and "region × sex" in text


def test_one_category_is_refused(synth_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["crosstab", str(synth_file), "--row", "synthetic", "--column", "sex", *DESIGN]
    assert main(args) == 2
    assert "synthetic" in capsys.readouterr().err
