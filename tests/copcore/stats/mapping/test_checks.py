"""Problems of the mapping itself and of the design columns."""

from __future__ import annotations

import copy

import numpy as np

from copcore.stats.columns import Factor
from copcore.stats.framework import framework_default
from copcore.stats.mapping import (
    mapping_parse,
    validate,
)
from tests.copcore.stats.mapping.small_survey import codes, small_mapping, small_table


def test_problems_of_the_mapping_itself_are_reported() -> None:
    variables = copy.deepcopy(small_mapping()["variables"])
    variables["shoe_size"] = {"source": "q_age"}
    variables["sex"] = {"source": "q_sex", "codes": {1: "boy", 2: "girl"}}
    variables["internet_use_3m"] = {"source": "q_use"}
    variables["wealth_quintile"] = {"source": "q_wealth"}
    mapping = mapping_parse(small_mapping(variables=variables))
    report = validate(small_table(), mapping, framework_default())
    found = [(p.code, p.variable, p.value, p.column) for p in report.errors]
    assert ("mapping_variable_unknown", "shoe_size", "", "") in found
    assert ("mapping_target_invalid", "sex", "boy", "") in found
    assert ("mapping_codes_required", "internet_use_3m", "", "q_use") in found
    assert ("mapping_column_missing", "wealth_quintile", "", "q_wealth") in found


def test_design_problems_are_reported() -> None:
    weights = np.array([1.0, 0, 1, -2, 3, 1])
    report = validate(small_table(w=weights), mapping_parse(small_mapping()), framework_default())
    assert [(p.code, p.count, p.rows) for p in report.errors] == [
        ("mapping_weight_not_positive", 2, (2, 4))
    ]
    text = Factor(codes=np.array([0, 0, 1, 0, -1, 0]), levels=("1.5", "heavy"))
    report = validate(small_table(w=text), mapping_parse(small_mapping()), framework_default())
    assert [(p.code, p.value, p.rows) for p in report.errors] == [
        ("mapping_design_value_missing", "", (5,)),
        ("mapping_weight_not_numeric", "heavy", (3,)),
    ]
    mapping = mapping_parse(small_mapping(design={"weight": "w", "psu": "cluster"}))
    report = validate(small_table(), mapping, framework_default())
    assert [(p.code, p.column, p.detail) for p in report.errors] == [
        ("mapping_design_column_missing", "cluster", "psu")
    ]


def test_framework_identity_and_version_are_checked() -> None:
    framework = framework_default()
    report = validate(small_table(), mapping_parse(small_mapping(framework="eu-kids")), framework)
    assert codes(report) == ["mapping_framework_mismatch"]
    report = validate(
        small_table(), mapping_parse(small_mapping(framework_version="2025.1.0")), framework
    )
    assert report.ok and codes(report) == ["mapping_framework_version"]
