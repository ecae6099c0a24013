"""Every subcommand takes its language the same way: ``--lang`` (after or before the
subcommand's name), then ``COPSTATS_LANG``, then ``LANG`` of the environment given to
``main``, else English; the process environment is not read when one is given."""

from __future__ import annotations

from pathlib import Path

import pytest

from copcore.stats.messages import catalogue_load
from tests.copcore.stats.cli.framework_files import DATA, MAPPING, run

# A failing call of every subcommand; each fails on a file that does not exist.
MISSING = "missing.yaml"
FAILING = {
    "estimate": ["estimate", "missing.csv", "--prop", "y"],
    "synth": ["synth", "--rows", "10", "--seed", "1", "--out", "out.txt"],
    "tabulate": ["tabulate", DATA, "--mapping", MISSING],
    "validate": ["validate", DATA, "--mapping", MISSING],
    "framework show": ["framework", "show", "--framework", MISSING],
    "framework export": ["framework", "export", "--framework", MISSING],
}
# The start of the error prefix in each language.
PREFIX = {lang: catalogue_load(lang)["error_prefix"].split("{")[0] for lang in ("fr", "es", "ru")}


@pytest.mark.parametrize("name", sorted(FAILING))
def test_every_subcommand_resolves_its_language_alike(
    name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = FAILING[name]
    monkeypatch.setenv("COPSTATS_LANG", "ar")  # the process environment must not be read
    cases = [
        ([*argv, "--lang", "fr"], {"COPSTATS_LANG": "ru", "LANG": "es_ES.UTF-8"}, "fr"),
        (["--lang", "fr", *argv], {"COPSTATS_LANG": "ru"}, "fr"),
        (argv, {"COPSTATS_LANG": "ru", "LANG": "es_ES.UTF-8"}, "ru"),
        (argv, {"LANG": "es_ES.UTF-8"}, "es"),
    ]
    for arguments, env, lang in cases:
        status, out, err = run(capsys, *arguments, env=env)
        assert (status, out) == (2, ""), (name, lang, err)
        assert err.startswith(PREFIX[lang]), (name, lang, err)
        assert "Traceback" not in err
    status, _, err = run(capsys, *argv, env={})
    assert status == 2 and err.startswith("copstats: error: "), (name, err)


def test_errors_are_translated(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "tabulate", DATA, "--mapping", MISSING, "--lang", "fr")
    assert status == 2
    assert err.startswith("copstats : erreur : Le fichier « missing.yaml » n’a pas pu être lu")
    status, _, err = run(capsys, "framework", "show", "R99", env={"LANG": "ru_RU.UTF-8"})
    assert status == 2 and "нет показателя «R99»" in err


def test_a_usage_error_is_translated_before_parsing_succeeds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = run(capsys, "tabulate", DATA, "--mapping", MAPPING, "--bogus", "--lang", "es")
    assert status == 2 and err.startswith("copstats: error: Opción desconocida «--bogus»")


def test_the_validation_report_follows_the_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.csv"
    lines = Path(DATA).read_text().splitlines()
    head = lines[0].split(",")
    row = lines[1].split(",")
    row[head.index("Q2_SEX")] = "3"
    broken.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n")
    status, out, _ = run(
        capsys, "validate", str(broken), "--mapping", MAPPING, env={"COPSTATS_LANG": "fr"}
    )
    assert status == 1
    assert "erreur: sex (colonne « Q2_SEX ») : la valeur « 3 » n’a pas de code" in out
