import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from cophub.helplines.services import helplines_import, numbers_import

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_document(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


MONDAY_NOON_NAIROBI = datetime(2026, 11, 30, 9, tzinfo=UTC)


@pytest.fixture
def noon_in_nairobi(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    """Monday noon in Nairobi, every request reading the directory versions afresh."""
    monkeypatch.setattr(timezone, "now", lambda: MONDAY_NOON_NAIROBI)
    settings.COPHUB_HELPLINE_VERSION_CHECK_SECONDS = 0


@pytest.fixture
def directory(db: None) -> None:
    helplines_import(fixture_document("directory.json"))
    numbers_import(fixture_document("numbers.json"))
