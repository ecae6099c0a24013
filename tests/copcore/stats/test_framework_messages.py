"""The framework's message catalogue is complete in the six languages."""

from __future__ import annotations

import json
import re

from copcore.stats.framework import FRAMEWORKS_DIR, LANGUAGES

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_message_exists_in_six_languages_with_the_same_placeholders() -> None:
    catalogue = json.loads((FRAMEWORKS_DIR / "messages.json").read_text(encoding="utf-8"))
    assert sorted(catalogue) == sorted(LANGUAGES)
    english = catalogue["en"]
    for lang in LANGUAGES:
        assert set(catalogue[lang]) == set(english), lang
        for code, text in catalogue[lang].items():
            assert text.strip(), (lang, code)
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english[code])), (
                lang,
                code,
            )
            if lang != "en" and not code.startswith("field_source"):
                assert text != english[code] or code == "level_error", (lang, code)
