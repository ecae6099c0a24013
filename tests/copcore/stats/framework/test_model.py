"""The framework model: texts in six languages and lookups."""

from __future__ import annotations

import pytest

from copcore.stats.errors import FrameworkError
from copcore.stats.framework import (
    framework_default,
)


def test_text_falls_back_to_english_for_another_language() -> None:
    name = framework_default().indicator("R1").name
    assert name.get("de") == name.get("en") == "Bothered or upset by something online"
    assert name.get("zh-hans") == "在网上感到困扰或不安"


def test_lookups_of_unknown_names_raise_a_coded_error() -> None:
    framework = framework_default()
    for lookup, name, code in (
        (framework.indicator, "R99", "framework_indicator_unknown"),
        (framework.variable, "shoe_size", "framework_variable_unknown"),
        (framework.population, "adults", "framework_population_unknown"),
        (framework.breakdown, "planet", "framework_breakdown_unknown"),
    ):
        with pytest.raises(FrameworkError) as caught:
            lookup(name)
        assert caught.value.code == code
