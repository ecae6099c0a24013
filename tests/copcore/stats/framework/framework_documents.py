"""The bundled framework document, and the key path of the problem a changed copy has."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from copcore.stats.errors import FrameworkError
from copcore.stats.framework import (
    DEFAULT_FRAMEWORK,
    framework_parse,
)


def document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))
    return loaded


def problem_of(data: dict[str, Any]) -> tuple[str, str]:
    with pytest.raises(FrameworkError) as caught:
        framework_parse(data, "test.yaml")
    assert caught.value.code == "framework_invalid"
    return str(caught.value.params["key"]), str(caught.value.params["reason"])
