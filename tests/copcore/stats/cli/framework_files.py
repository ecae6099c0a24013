"""The worked example's survey and mapping, and a runner of the command in-process."""

from __future__ import annotations

import pytest

from copcore.stats.cli import main
from copcore.stats.framework import FRAMEWORKS_DIR

EXAMPLES = FRAMEWORKS_DIR / "examples"
DATA = str(EXAMPLES / "fakeland-2025.csv")
MAPPING = str(EXAMPLES / "fakeland-2025.mapping.yaml")
ENV = {"LANG": "C"}


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, env: dict[str, str] = ENV
) -> tuple[int, str, str]:
    status = main(list(argv), env)
    captured = capsys.readouterr()
    return status, captured.out, captured.err
