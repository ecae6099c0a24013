"""Usage errors a statistician understands: the unknown option, the closest known one and the
help to read, in the six languages; never argparse's raw text, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from copcore.stats.cli import main
from copcore.stats.messages import LANGUAGES


def _error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv), environ={}) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    return captured.err.strip()


def test_an_unknown_option_is_named_with_the_closest_known_one(
    synth_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _error(capsys, "estimate", str(synth_file), "--mean", "age", "--wieght", "w")
    assert err == (
        "copstats: error: Unknown option “--wieght”; did you mean “--weight”? "
        "See “copstats estimate --help”."
    )


def test_an_option_like_nothing_known_points_to_the_help(
    synth_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _error(capsys, "estimate", str(synth_file), "--mean", "age", "--zzzz", "x")
    assert "Unknown option “--zzzz”. See “copstats estimate --help”" in err
    assert "unrecognized arguments" not in err


def test_a_value_outside_the_choices_lists_them(capsys: pytest.CaptureFixture[str]) -> None:
    err = _error(capsys, "estimate", "x.csv", "--mean", "y", "--ci", "exact")
    assert "Option “--ci” does not accept “exact”; accepted: logit, korn-graubard, wald" in err


def test_a_missing_value_a_missing_argument_and_an_unknown_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert "Option “--weight” needs a value. See “copstats estimate --help”." in _error(
        capsys, "estimate", "x.csv", "--weight"
    )
    assert "Missing: data. See “copstats estimate --help”." in _error(capsys, "estimate")
    err = _error(capsys, "estimat", "x.csv")
    assert "Unknown command “estimat” (closest: “estimate”). See “copstats --help”." in err


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translated(lang: str, synth_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = _error(
        capsys, "estimate", str(synth_file), "--mean", "age", "--wieght", "w", "--lang", lang
    )
    assert "--wieght" in err and "--weight" in err and "copstats estimate --help" in err
    if lang != "en":
        assert "Unknown option" not in err
