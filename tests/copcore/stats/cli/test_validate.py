"""``copstats validate``: the report and the exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.copcore.stats.cli.framework_files import DATA, EXAMPLES, MAPPING, run


def test_validate_reports_and_sets_the_exit_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "validate", DATA, "--mapping", MAPPING)
    assert status == 0
    assert "436 row(s): the data fit the mapping" in out
    broken = tmp_path / "broken.csv"
    lines = (EXAMPLES / "fakeland-2025.csv").read_text().splitlines()
    head = lines[0].split(",")
    row = lines[1].split(",")
    row[head.index("Q2_SEX")] = "3"
    row[head.index("Q1_AGE")] = "21"
    broken.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n")
    status, out, _ = run(capsys, "validate", str(broken), "--mapping", MAPPING)
    assert status == 1
    assert "error: age (column “Q1_AGE”): value 21 is outside 10-17 — 1 row(s), first: 1" in out
    assert "error: sex (column “Q2_SEX”): value “3” has no code in the mapping" in out
    status, out, _ = run(capsys, "validate", str(broken), "--mapping", MAPPING, "--format", "json")
    report = json.loads(out)
    assert status == 1 and not report["ok"]
    assert [p["code"] for p in report["problems"]] == [
        "mapping_value_out_of_range",
        "mapping_value_unmapped",
    ]
