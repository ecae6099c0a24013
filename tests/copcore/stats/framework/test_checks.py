"""Cross-reference checks of a framework name the key path of the first problem."""

from __future__ import annotations

import copy
from typing import Any

from tests.copcore.stats.framework.framework_documents import document, problem_of


def test_an_unknown_variable_in_a_numerator_names_its_key_path() -> None:
    data = document()
    data["indicators"][6]["numerator"] = {"var": "nasty_online", "eq": True}
    path, reason = problem_of(data)
    assert path == "indicators[6].numerator.var"
    assert "nasty_online" in reason


def test_a_value_that_a_variable_cannot_take_is_refused() -> None:
    data = document()
    data["indicators"][5]["numerator"] = {"var": "bothered_upset", "eq": "often"}
    assert problem_of(data)[0] == "indicators[5].numerator.eq"
    data = document()
    data["populations"]["internet_users"]["condition"] = {"var": "sex", "in": ["female", "x"]}
    assert problem_of(data)[0] == "populations.internet_users.condition.in"


def test_listed_variables_must_match_those_used() -> None:
    data = document()
    data["indicators"][5]["variables"] = ["bothered_upset"]
    path, reason = problem_of(data)
    assert path == "indicators[5].variables"
    assert "internet_use_3m" in reason


def test_bands_must_increase_without_overlap() -> None:
    data = document()
    data["breakdowns"]["age_eko2020"]["bands"] = [[9, 12], [12, 14]]
    assert problem_of(data)[0] == "breakdowns.age_eko2020.bands[1]"


def test_cross_references_are_checked() -> None:
    cases: list[tuple[str, Any, str]] = [
        ("indicators.0.group", "hobbies", "indicators[0].group"),
        ("indicators.0.denominator", "adults", "indicators[0].denominator"),
        ("indicators.13.breakdowns", ["sex", "planet"], "indicators[13].breakdowns[1]"),
        ("indicators.7.age", [5, 17], "indicators[7].age"),
        ("indicators.1.id", "A1", "indicators[1].id"),
        ("default_breakdowns", ["sex", "planet"], "default_breakdowns[1]"),
        ("variables.tfse_any.derived.any_of", ["tfse_coerced", "sex"], "variables.tfse_any"),
    ]
    for key, value, expected in cases:
        data = document()
        target: Any = data
        *parents, last = key.split(".")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = copy.deepcopy(value)
        assert problem_of(data)[0].startswith(expected), key
