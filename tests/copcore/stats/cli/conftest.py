"""A synthetic survey file shared by the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from copcore.stats.cli import main


@pytest.fixture(scope="module")
def synth_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "synth.parquet"
    assert (
        main(["synth", "--rows", "4000", "--countries", "2", "--seed", "5", "--out", str(path)])
        == 0
    )
    return path
