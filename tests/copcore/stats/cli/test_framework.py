"""``copstats framework show`` and ``export``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml

from copcore.stats.framework import FRAMEWORKS_DIR
from tests.copcore.stats.cli.framework_files import run


def test_framework_show_lists_and_describes(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "framework", "show", "--lang", "zh-hans", "--tier", "1")
    assert status == 0
    assert "A1   1  过去3个月内使用过互联网的儿童" in out and "A3" not in out
    status, out, _ = run(capsys, "framework", "show", "C1", "--lang", "es")
    assert "Denominador: Niños y niñas usuarios de Internet que en los últimos 12 meses" in out


def test_framework_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "framework.json"
    assert run(capsys, "framework", "export", "--out", str(target))[0] == 0
    exported = json.loads(target.read_text(encoding="utf-8"))
    source = yaml.safe_load((FRAMEWORKS_DIR / "cop-core-2026.yaml").read_text(encoding="utf-8"))
    assert exported == source
    _, out, _ = run(capsys, "framework", "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 29 and rows[0]["name_ar"] and rows[8]["age_min"] == "12"
    _, out, _ = run(capsys, "framework", "export", "--format", "yaml")
    assert yaml.safe_load(out) == source
