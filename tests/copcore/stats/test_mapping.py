"""Mappings from a national survey's names and codes to the harmonised variables, and the
validation that runs before anything is computed."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from copcore.stats.columns import Factor
from copcore.stats.framework import FRAMEWORKS_DIR, FrameworkError, framework_default
from copcore.stats.io import table_read
from copcore.stats.mapping import (
    MappingInvalid,
    mapping_apply,
    mapping_load,
    mapping_parse,
    validate,
)

EXAMPLES = FRAMEWORKS_DIR / "examples"
NAN = np.nan


def small_mapping(**changes: Any) -> dict[str, Any]:
    """A mapping of the little table of :func:`small_table` (a survey of 10–16-year-olds)."""
    data: dict[str, Any] = {
        "schema": "cop-survey-mapping/1",
        "framework": "cop-core",
        "framework_version": "2026.1.0",
        "survey": {"name": "Small", "population": "all_children", "age": [10, 16]},
        "design": {"weight": "w"},
        "variables": {
            "age": {"source": "q_age"},
            "sex": {"source": "q_sex", "codes": {1: "male", 2: "female"}, "missing": [9]},
            "region": {"source": "prov", "codes": {"N": "North", "S": "South"}},
            "internet_use_3m": {"source": "q_use", "codes": {1: True, 2: False}},
            "bothered_upset": {"source": "q_bother", "codes": {1: True, 2: False}, "missing": [8]},
            "harmful_content": {
                "any_of": [
                    {"source": "q_c1", "codes": {1: True, 2: False}},
                    {"source": "q_c2", "codes": {1: True, 2: False}},
                ]
            },
            "tfse_coerced": {"source": "q_t1", "codes": {1: True, 2: False}},
            "tfse_images_shared": {"source": "q_t2", "codes": {1: True, 2: False}},
            "tfse_offered_money": {"source": "q_t3", "codes": {1: True, 2: False}},
        },
    }
    data.update(changes)
    return data


def small_table(**changes: Any) -> dict[str, Any]:
    table: dict[str, Any] = {
        "q_age": np.array([10.0, 12, 13, 16, 15, 11]),
        "q_sex": np.array([1.0, 2, 9, 2, 1, 2]),
        "prov": Factor(codes=np.array([0, 1, 1, -1, 0, 0]), levels=("N", "S")),
        "q_use": np.array([1.0, 1, 2, 1, 1, 1]),
        "q_bother": np.array([1.0, 2, NAN, 8, 2, 1]),
        "q_c1": np.array([1.0, 2, NAN, 2, NAN, 2]),
        "q_c2": np.array([2.0, 2, NAN, 1, 2, NAN]),
        "q_t1": np.array([NAN, 2, NAN, 2, 1, NAN]),
        "q_t2": np.array([NAN, 2, NAN, NAN, 2, NAN]),
        "q_t3": np.array([NAN, 2, NAN, 2, 2, NAN]),
        "w": np.array([1.0, 2, 1, 1, 3, 1]),
    }
    table.update(changes)
    return table


def codes(report: Any) -> list[str]:
    return [p.code for p in report.problems]


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
    np.testing.assert_array_equal(columns["bothered_upset"], [1, 0, NAN, NAN, 0, 1])
    # any_of: yes if one item is yes, no if all are no, missing otherwise (Kleene "or")
    np.testing.assert_array_equal(columns["harmful_content"], [1, 0, NAN, 1, NAN, NAN])
    np.testing.assert_array_equal(columns["tfse_any"], [NAN, 0, NAN, NAN, 1, NAN])
    assert harmonised.partial_composites == frozenset()
    assert harmonised.declared_levels == {"region": ("North", "South")}
    assert "tfse_any" in harmonised.available and "age_eko2010" not in harmonised.available
    assert harmonised.design.weight == "w"  # the survey's own name, for its error messages


def test_single_year_age_yields_every_banding() -> None:
    harmonised = mapping_apply(small_table(), mapping_parse(small_mapping()), framework_default())
    bands = {}
    for name in ("age_eko2010", "age_eko2020", "age_eko_gko_17", "age_dh"):
        column = harmonised.columns[name]
        assert isinstance(column, Factor)
        bands[name] = [column.levels[c] if c >= 0 else None for c in column.codes]
    assert bands["age_eko2010"] == ["9-10", "11-12", "13-14", "15-16", "15-16", "11-12"]
    assert bands["age_eko2020"] == ["9-11", "12-14", "12-14", "15-16", "15-16", "9-11"]
    assert bands["age_eko_gko_17"] == ["9-11", "12-14", "12-14", "15-17", "15-17", "9-11"]
    assert bands["age_dh"] == [None, "12-13", "12-13", "16-17", "14-15", None]


def test_a_clean_survey_validates_without_problems() -> None:
    report = validate(small_table(), mapping_parse(small_mapping()), framework_default())
    assert report.ok and report.problems == ()
    assert report.n_rows == 6
    assert dict(report.missing_counts)["bothered_upset"] == 2
    not_computable = dict(report.not_computable)
    assert not_computable["A2"] == ("daily_use",)
    assert "R1" not in not_computable and "R9" not in not_computable


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


def test_a_variable_without_any_valid_value_is_an_error() -> None:
    table = small_table(q_bother=np.array([8.0, 8, NAN, 8, NAN, 8]))
    report = validate(table, mapping_parse(small_mapping()), framework_default())
    assert [(p.code, p.variable) for p in report.errors] == [
        ("mapping_no_valid_value", "bothered_upset")
    ]


def test_framework_identity_and_version_are_checked() -> None:
    framework = framework_default()
    report = validate(small_table(), mapping_parse(small_mapping(framework="eu-kids")), framework)
    assert codes(report) == ["mapping_framework_mismatch"]
    report = validate(
        small_table(), mapping_parse(small_mapping(framework_version="2025.1.0")), framework
    )
    assert report.ok and codes(report) == ["mapping_framework_version"]


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


def test_nothing_is_built_from_data_that_do_not_validate() -> None:
    table = small_table(q_sex=np.array([1.0, 2, 3, 2, 1, 2]))
    with pytest.raises(MappingInvalid) as caught:
        mapping_apply(table, mapping_parse(small_mapping()), framework_default())
    assert caught.value.code == "mapping_data_invalid"
    assert caught.value.params["variable"] == "sex"
    assert caught.value.report.errors[0].rows == (3,)


def test_mapping_files_are_schema_checked_with_key_paths(tmp_path: Path) -> None:
    data = small_mapping()
    data["survey"]["population"] = "adults"
    with pytest.raises(FrameworkError) as caught:
        mapping_parse(data, "m.yaml")
    assert caught.value.code == "mapping_invalid"
    assert caught.value.params["path"] == "survey.population"
    data = small_mapping()
    data["survey"]["age"] = [17, 9]
    with pytest.raises(FrameworkError) as caught:
        mapping_parse(data, "m.yaml")
    assert caught.value.params["path"] == "survey.age"


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


def test_the_worked_example_of_the_documentation_validates() -> None:
    mapping = mapping_load(EXAMPLES / "fakeland-2025.mapping.yaml")
    table = table_read(EXAMPLES / "fakeland-2025.csv")
    report = validate(table, mapping, framework_default())
    assert report.ok and report.problems == ()
    assert report.n_rows == 436
    harmonised = mapping_apply(table, mapping, framework_default())
    daily = np.asarray(harmonised.columns["daily_use"])
    source = np.asarray(table["Q11"])
    np.testing.assert_array_equal(daily[source <= 2], 1.0)
    np.testing.assert_array_equal(daily[source >= 3], 0.0)
    assert np.isnan(daily[np.isnan(source)]).all()
