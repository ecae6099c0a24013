"""Recoding source items into harmonised variables: codes, any_of, composites."""

from __future__ import annotations

import copy

import numpy as np

from copcore.stats.columns import Factor
from copcore.stats.framework import framework_default
from copcore.stats.mapping import (
    mapping_apply,
    mapping_parse,
    validate,
)
from tests.copcore.stats.mapping.small_survey import small_mapping, small_table


def test_recodes_any_of_and_composites() -> None:
    framework = framework_default()
    mapping = mapping_parse(small_mapping())
    harmonised = mapping_apply(small_table(), mapping, framework)
    columns = harmonised.columns
    np.testing.assert_array_equal(columns["age"], [10, 12, 13, 16, 15, 11])
    sex = columns["sex"]
    assert isinstance(sex, Factor)
    assert [sex.levels[c] if c >= 0 else None for c in sex.codes] == [
        "male",
        "female",
        None,
        "female",
        "male",
        "female",
    ]
    np.testing.assert_array_equal(columns["bothered_upset"], [1, 0, np.nan, np.nan, 0, 1])
    # any_of: yes if one item is yes, no if all are no, missing otherwise (Kleene "or")
    np.testing.assert_array_equal(columns["harmful_content"], [1, 0, np.nan, 1, np.nan, np.nan])
    np.testing.assert_array_equal(columns["tfse_any"], [np.nan, 0, np.nan, np.nan, 1, np.nan])
    assert harmonised.partial_composites == frozenset()
    assert harmonised.declared_levels == {"region": ("North", "South")}
    assert "tfse_any" in harmonised.available and "age_eko2010" not in harmonised.available
    assert harmonised.design.weight == "w"  # the survey's own name, for its error messages


def test_a_composite_with_missing_components_is_derived_and_warned() -> None:
    variables = copy.deepcopy(small_mapping()["variables"])
    del variables["tfse_offered_money"]
    report = validate(
        small_table(), mapping_parse(small_mapping(variables=variables)), framework_default()
    )
    assert report.ok
    assert [(p.code, p.severity, p.detail) for p in report.warnings] == [
        ("mapping_composite_partial", "warning", "tfse_offered_money")
    ]
    harmonised = mapping_apply(
        small_table(), mapping_parse(small_mapping(variables=variables)), framework_default()
    )
    assert harmonised.partial_composites == frozenset({"tfse_any"})


def test_ages_outside_the_survey_range_and_bad_numbers_are_reported() -> None:
    table = small_table(q_age=np.array([9.0, 12, 12.5, 17, 15, 11]))
    report = validate(table, mapping_parse(small_mapping()), framework_default())
    found = {(p.code, p.value): (p.count, p.rows, p.detail) for p in report.errors}
    assert found == {
        ("mapping_value_out_of_range", "9"): (1, (1,), "10-16"),
        ("mapping_value_out_of_range", "17"): (1, (4,), "10-16"),
        ("mapping_value_not_integer", "12.5"): (1, (3,), "10-16"),
    }
    text_age = Factor(codes=np.array([0, 1, 1, 0, 0, 2]), levels=("12", "about ten", "15"))
    report = validate(
        small_table(q_age=text_age), mapping_parse(small_mapping()), framework_default()
    )
    assert [(p.code, p.value, p.rows) for p in report.errors] == [
        ("mapping_value_not_numeric", "about ten", (2, 3))
    ]


def test_unmapped_values_are_reported_by_variable_with_counts_and_first_rows() -> None:
    answers = np.array([1.0, 3, 3, 2, 3, 3, 3, 3, 7])
    table = small_table(
        **{name: np.resize(v, 9) for name, v in small_table().items() if name != "prov"}
    )
    table["prov"] = Factor(codes=np.zeros(9, dtype=np.int64), levels=("N",))
    table["q_bother"] = answers
    report = validate(table, mapping_parse(small_mapping()), framework_default())
    assert not report.ok
    unmapped = [p for p in report.errors if p.code == "mapping_value_unmapped"]
    assert [(p.variable, p.column, p.value, p.count, p.rows) for p in unmapped] == [
        ("bothered_upset", "q_bother", "3", 6, (2, 3, 5, 6, 7)),
        ("bothered_upset", "q_bother", "7", 1, (9,)),
    ]


def test_a_variable_without_any_valid_value_is_an_error() -> None:
    table = small_table(q_bother=np.array([8.0, 8, np.nan, 8, np.nan, 8]))
    report = validate(table, mapping_parse(small_mapping()), framework_default())
    assert [(p.code, p.variable) for p in report.errors] == [
        ("mapping_no_valid_value", "bothered_upset")
    ]
