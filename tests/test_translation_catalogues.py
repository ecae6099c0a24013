"""Every user-facing string is translated in all six catalogues, with the same named
placeholders, and the catalogues are up to date with the source (when GNU gettext is here)."""

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.test.utils import override_settings

LOCALE_DIR = Path(__file__).resolve().parents[1] / "src" / "cophub" / "locale"
CATALOGUES = ["ar", "zh_Hans", "en", "fr", "ru", "es"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _messages(language: str) -> list:  # type: ignore[type-arg]
    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return [message for message in read_po(handle) if message.id]


def _texts(value: str | tuple[str, ...] | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@pytest.mark.parametrize("language", CATALOGUES)
def test_catalogue_translates_every_message_with_the_same_placeholders(language: str) -> None:
    problems = []
    for message in _messages(language):
        source = " ".join(_texts(message.id))
        if message.fuzzy:
            problems.append(f"fuzzy: {source!r}")
        for text in _texts(message.string):
            if not text.strip():
                problems.append(f"missing: {source!r}")
            elif set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(source)):
                problems.append(f"placeholders differ: {source!r} -> {text!r}")
    assert problems == [], f"{language}: {len(problems)} problems\n" + "\n".join(problems)


def test_all_catalogues_hold_the_same_messages() -> None:
    ids = {language: {m.id for m in _messages(language)} for language in CATALOGUES}
    for language in CATALOGUES:
        assert ids[language] == ids["en"], language


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogues_hold_every_string_of_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Extract from a copy of the source into the copy's catalogue, never into the real one.
    source = Path(__file__).resolve().parents[1] / "src" / "cophub"
    copy = tmp_path / "cophub"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[str(copy / "locale")]):
        call_command("makemessages", locale=["fr"], no_location=True, no_obsolete=True, verbosity=0)
    with (copy / "locale" / "fr" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id}
    committed = {m.id for m in _messages("fr")}
    assert extracted - committed == set(), "run `make messages` and translate the new strings"
