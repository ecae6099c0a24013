"""Framework files: schema errors with key paths, unreadable files as coded errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from copcore.stats.errors import FrameworkError
from copcore.stats.framework import (
    framework_load,
)
from tests.copcore.stats.framework.framework_documents import document, problem_of


def test_a_missing_translation_names_its_key_path() -> None:
    data = document()
    del data["indicators"][5]["name"]["ru"]
    path, reason = problem_of(data)
    assert path == "indicators[5].name"
    assert "'ru' is a required property" in reason


def test_schema_errors_name_the_key_path() -> None:
    data = document()
    data["indicators"][0]["statistic"] = "mode"
    assert problem_of(data)[0] == "indicators[0].statistic"
    data = document()
    data["changelog"][0]["date"] = "28 November 2026"
    assert problem_of(data)[0] == "changelog[0].date"
    data = document()
    del data["indicators"][5]["numerator"]
    assert problem_of(data)[0] == "indicators[5]"


def test_unreadable_files_raise_coded_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("indicators: [unclosed\n", encoding="utf-8")
    other = tmp_path / "framework.toml"
    other.write_text("", encoding="utf-8")
    for path, code in (
        (broken, "document_syntax"),
        (other, "document_type_unknown"),
        (tmp_path / "absent.yaml", "file_unreadable"),
    ):
        with pytest.raises(FrameworkError) as caught:
            framework_load(path)
        assert caught.value.code == code
