import json
from pathlib import Path
from typing import Any

import pytest

from cophub.helplines.services import helplines_import, numbers_import

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_document(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
def directory(db: None) -> None:
    helplines_import(fixture_document("directory.json"))
    numbers_import(fixture_document("numbers.json"))
