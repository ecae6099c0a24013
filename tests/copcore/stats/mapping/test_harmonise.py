"""Validation before anything is computed, and the harmonised table it allows."""

from __future__ import annotations

import numpy as np
import pytest

from copcore.stats.columns import Factor
from copcore.stats.framework import FRAMEWORKS_DIR, framework_default
from copcore.stats.io import table_read
from copcore.stats.mapping import (
    MappingInvalid,
    mapping_apply,
    mapping_load,
    mapping_parse,
    validate,
)
from tests.copcore.stats.mapping.small_survey import small_mapping, small_table

EXAMPLES = FRAMEWORKS_DIR / "examples"


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


def test_nothing_is_built_from_data_that_do_not_validate() -> None:
    table = small_table(q_sex=np.array([1.0, 2, 3, 2, 1, 2]))
    with pytest.raises(MappingInvalid) as caught:
        mapping_apply(table, mapping_parse(small_mapping()), framework_default())
    assert caught.value.code == "mapping_data_invalid"
    assert caught.value.params["variable"] == "sex"
    assert caught.value.report.errors[0].rows == (3,)


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
