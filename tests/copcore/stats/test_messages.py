"""Message catalogues: complete in six languages, same placeholders, language selection."""

from __future__ import annotations

import re
import string

import pytest

from copcore.stats.errors import InputError
from copcore.stats.messages import (
    LANGUAGES,
    catalogue_load,
    language_resolve,
    message_render,
)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_complete_with_same_placeholders(lang: str) -> None:
    english = catalogue_load("en")
    other = catalogue_load(lang)
    assert set(other) == set(english)
    for code, text in english.items():
        assert _fields(other[code]) == _fields(text), (lang, code)
        if lang not in ("en", "es") or (code != "error_prefix" and lang != "en"):
            assert other[code] != text, (lang, code)


def test_every_raised_code_has_a_message() -> None:
    from pathlib import Path

    mine = ("columns", "design", "estimate", "variance", "ci", "io", "disclosure", "formats",
            "synth", "cli", "messages")  # fmt: skip
    source = "".join(Path(f"src/copcore/stats/{name}.py").read_text() for name in mine)
    raised = set(re.findall(r'(?:Error)\(\s*"([a-z_]+)"', source))
    assert raised and raised <= set(catalogue_load("en"))


def test_language_resolution() -> None:
    assert language_resolve("fr", {"LANG": "ru_RU.UTF-8"}) == "fr"
    assert language_resolve(None, {"COPSTATS_LANG": "es", "LANG": "ru_RU"}) == "es"
    assert language_resolve(None, {"LANG": "zh_CN.UTF-8"}) == "zh-hans"
    assert language_resolve(None, {"LANG": "ar_EG.UTF-8"}) == "ar"
    assert language_resolve(None, {"LANG": "de_DE.UTF-8"}) == "en"
    assert language_resolve(None, {}) == "en"


def test_render_names_column_and_row() -> None:
    error = InputError("weight_not_positive", column="wt", row=7, value=-1.0)
    assert message_render(error, "en") == (
        "copstats: error: Weight column “wt” has a zero or negative weight in row 7: -1. "
        "Weights must be positive."
    )
    assert "wt" in message_render(error, "ar") and "7" in message_render(error, "zh-hans")
