"""The one message catalogue: complete in six languages with the same placeholders, covering
every error code the package raises; language selection; rendering."""

from __future__ import annotations

import ast
import string
from dataclasses import dataclass
from pathlib import Path

import pytest

import copcore.stats
from copcore.stats.errors import InputError, StatsError
from copcore.stats.messages import (
    LANGUAGES,
    catalogue_load,
    language_resolve,
    message_render,
)

PACKAGE = Path(copcore.stats.__file__).parent
# Builds a problem whose message takes its fields as placeholders (see cli/validate.py).
PROBLEM_CLASS = "MappingProblem"
PROBLEM_FIELDS = {"variable", "column", "value", "count", "rows", "detail"}
# Functions that render a code from the catalogue directly.
RENDERERS = {"message_format"}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _error_classes() -> set[str]:
    """Names of StatsError and its subclasses, found in the package source."""
    names = {"StatsError"}
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in PACKAGE.rglob("*.py")]
    grew = True
    while grew:
        grew = False
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names:
                    bases = {b.id if isinstance(b, ast.Name) else "" for b in node.bases}
                    if bases & names:
                        names.add(node.name)
                        grew = True
    return names


@dataclass(frozen=True)
class Use:
    """A code used in the source, and the keyword parameters given with it (``None``: not
    known at that place, e.g. a code passed along in a variable)."""

    code: str
    where: str
    params: frozenset[str] | None
    problem: bool = False


def _code_uses() -> list[Use]:
    """Every literal error or message code in the package: the first argument of an error
    class, of ``super().__init__`` in one, of a :class:`MappingProblem` or of
    ``message_format``; any ``code="..."`` keyword; any ``code`` parameter's default."""
    classes = _error_classes()
    uses: list[Use] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = str(path.relative_to(PACKAGE))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                arguments = node.args.args + node.args.kwonlyargs
                defaults = [None] * (len(node.args.args) - len(node.args.defaults))
                defaults += [*node.args.defaults, *node.args.kw_defaults]
                for argument, default in zip(arguments, defaults, strict=True):
                    if argument.arg == "code" and isinstance(default, ast.Constant):
                        uses.append(Use(str(default.value), where, None))
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                    uses.append(Use(str(keyword.value.value), where, None))
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            first = node.args[0] if node.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            given = frozenset(k.arg for k in node.keywords if k.arg is not None)
            if any(k.arg is None for k in node.keywords):
                given = None  # type: ignore[assignment]
            if name in classes or name == "__init__":
                uses.append(Use(first.value, where, given))
            elif name == PROBLEM_CLASS:
                uses.append(Use(first.value, where, None, problem=True))
            elif name in RENDERERS:
                uses.append(Use(first.value, where, None))
    return uses


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_complete_with_same_placeholders(lang: str) -> None:
    english = catalogue_load("en")
    other = catalogue_load(lang)
    assert set(other) == set(english)
    for code, text in english.items():
        assert other[code].strip(), (lang, code)
        assert _fields(other[code]) == _fields(text), (lang, code)
        if lang != "en" and code not in ("error_prefix", "level_error", "field_source"):
            assert other[code] != text, (lang, code)


def test_the_source_scan_finds_the_codes() -> None:
    uses = {use.code for use in _code_uses()}
    # One of each kind of use the scan must see, so that it cannot silently find nothing.
    assert {"column_missing", "mapping_data_invalid", "mapping_value_unmapped"} <= uses
    assert {"weight_not_numeric", "value_not_numeric", "mapping_value_out_of_range"} <= uses
    assert {"InputError", "FrameworkError", "MappingInvalid"} <= _error_classes()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_code_used_anywhere_has_a_message_with_its_placeholders(lang: str) -> None:
    catalogue = catalogue_load(lang)
    for use in _code_uses():
        assert use.code in catalogue, (lang, use.code, use.where)
        fields = _fields(catalogue[use.code])
        if use.params is not None:
            assert fields == use.params, (lang, use.code, use.where)
        if use.problem:
            assert fields <= PROBLEM_FIELDS, (lang, use.code, use.where)


def test_every_message_is_used() -> None:
    """No message is left behind: each key appears as a literal in the package."""
    literals: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
    assert set(catalogue_load("en")) <= literals


def test_there_is_one_catalogue() -> None:
    catalogues = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.json"))
    messages = [p for p in catalogues if "messages" in p]
    assert messages == [f"messages/{lang}.json" for lang in sorted(LANGUAGES)]


def test_language_resolution() -> None:
    assert language_resolve("fr", {"LANG": "ru_RU.UTF-8"}) == "fr"
    assert language_resolve(None, {"COPSTATS_LANG": "es", "LANG": "ru_RU"}) == "es"
    assert language_resolve(None, {"LANG": "zh_CN.UTF-8"}) == "zh-hans"
    assert language_resolve(None, {"LANG": "zh_TW.UTF-8"}) == "en"
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


def test_an_unknown_code_still_renders() -> None:
    assert "no_such_code" in message_render(StatsError("no_such_code", x=1), "fr")
