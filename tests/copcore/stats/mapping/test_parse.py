"""Mapping files: schema checks with key paths, code keys read alike from YAML and JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from copcore.stats.columns import Factor
from copcore.stats.errors import FrameworkError
from copcore.stats.framework import framework_default
from copcore.stats.mapping import (
    mapping_apply,
    mapping_parse,
)
from tests.copcore.stats.mapping.small_survey import small_mapping, small_table


def test_mapping_files_are_schema_checked_with_key_paths(tmp_path: Path) -> None:
    data = small_mapping()
    data["survey"]["population"] = "adults"
    with pytest.raises(FrameworkError) as caught:
        mapping_parse(data, "m.yaml")
    assert caught.value.code == "mapping_invalid"
    assert caught.value.params["key"] == "survey.population"
    data = small_mapping()
    data["survey"]["age"] = [17, 9]
    with pytest.raises(FrameworkError) as caught:
        mapping_parse(data, "m.yaml")
    assert caught.value.params["key"] == "survey.age"


def test_json_code_keys_are_read_like_yaml_numbers() -> None:
    data = small_mapping()
    data["variables"]["sex"] = {
        "source": "q_sex",
        "codes": {"1": "male", "2.0": "female"},
        "missing": ["9"],
    }
    harmonised = mapping_apply(small_table(), mapping_parse(data), framework_default())
    sex = harmonised.columns["sex"]
    assert isinstance(sex, Factor)
    assert [sex.levels[c] if c >= 0 else None for c in sex.codes][:3] == ["male", "female", None]
