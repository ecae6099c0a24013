"""A small survey of 10–16-year-olds and its mapping, changed at will by the tests."""

from __future__ import annotations

from typing import Any

import numpy as np

from copcore.stats.columns import Factor


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
        "q_bother": np.array([1.0, 2, np.nan, 8, 2, 1]),
        "q_c1": np.array([1.0, 2, np.nan, 2, np.nan, 2]),
        "q_c2": np.array([2.0, 2, np.nan, 1, 2, np.nan]),
        "q_t1": np.array([np.nan, 2, np.nan, 2, 1, np.nan]),
        "q_t2": np.array([np.nan, 2, np.nan, np.nan, 2, np.nan]),
        "q_t3": np.array([np.nan, 2, np.nan, 2, 2, np.nan]),
        "w": np.array([1.0, 2, 1, 1, 3, 1]),
    }
    table.update(changes)
    return table


def codes(report: Any) -> list[str]:
    return [p.code for p in report.problems]
