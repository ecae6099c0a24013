"""The indicator framework as versioned data: the bundled starting set and the loader's checks."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from copcore.stats.framework import (
    DEFAULT_FRAMEWORK,
    LANGUAGES,
    FrameworkError,
    framework_as_dict,
    framework_default,
    framework_load,
    framework_parse,
)

SCRIPTS = {
    "ar": re.compile(r"[\u0600-\u06ff]"),
    "zh-hans": re.compile(r"[\u4e00-\u9fff]"),
    "ru": re.compile(r"[\u0400-\u04ff]"),
}


def document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))
    return loaded


def problem_of(data: dict[str, Any]) -> tuple[str, str]:
    with pytest.raises(FrameworkError) as caught:
        framework_parse(data, "test.yaml")
    assert caught.value.code == "framework_invalid"
    return str(caught.value.params["path"]), str(caught.value.params["reason"])


def test_the_starting_set_of_the_reference_is_shipped() -> None:
    framework = framework_default()
    ids = [i.id for i in framework.indicators]
    expected = [f"A{i}" for i in range(1, 6)] + [f"R{i}" for i in range(1, 10)]
    expected += [f"C{i}" for i in range(1, 4)] + [f"S{i}" for i in range(1, 6)]
    expected += [f"N{i}" for i in range(1, 8)]
    assert ids == expected
    assert framework.version == "2026.1.0"
    assert framework.changelog[0].version == framework.version
    tier1 = [i.id for i in framework.select(tier=1)]
    assert tier1 == ["A1", "A2", "R1", "R2", "R5", "R6", "C1", "S3", "N1", "N2", "N3", "N4"]


def test_denominators_and_age_restrictions_follow_the_reference() -> None:
    framework = framework_default()
    assert framework.indicator("A1").denominator == "all_children"
    for risk in ("R1", "R2", "R5", "R6", "R7", "R8"):
        assert framework.indicator(risk).denominator == "internet_users"
        assert framework.indicator(risk).age is None
    for teen in ("R3", "R4", "R9"):
        assert framework.indicator(teen).age == (12, 17)
    for help_item in ("C1", "C2", "C3"):
        assert framework.indicator(help_item).denominator == "harmed_users"
    assert framework.indicator("A4").statistic == "median"
    assert framework.indicator("N3").per == 100000
    assert framework.indicator("N1").scale == (0.0, 5.0)
    assert all(not i.is_survey for i in framework.select(group="national"))


def test_r9_is_a_national_level_composite() -> None:
    framework = framework_default()
    r9 = framework.indicator("R9")
    assert r9.national_only
    breakdowns = {b.id for b in framework.indicator_breakdowns(r9)}
    assert "region" not in breakdowns and "urban_rural" not in breakdowns
    composite = framework.variable("tfse_any")
    assert composite.derived_any_of == ("tfse_coerced", "tfse_images_shared", "tfse_offered_money")


def test_every_age_banding_is_derived_from_single_year_age() -> None:
    framework = framework_default()
    bands = {b.id: b.bands for b in framework.breakdowns if b.bands}
    assert bands == {
        "age_eko2010": ((9, 10), (11, 12), (13, 14), (15, 16)),
        "age_eko2020": ((9, 11), (12, 14), (15, 16)),
        "age_eko_gko_17": ((9, 11), (12, 14), (15, 17)),
        "age_dh": ((12, 13), (14, 15), (16, 17)),
    }
    assert all(b.variable == "age" for b in framework.breakdowns if b.bands)
    defaults = set(framework.default_breakdowns)
    wanted = {"age", "sex", "urban_rural", "region", "wealth_quintile", "disability", "in_school"}
    assert wanted <= defaults


def test_every_text_is_written_in_the_six_languages() -> None:
    framework = framework_default()
    texts = [framework.title]
    for indicator in framework.indicators:
        texts += [indicator.name, indicator.definition, indicator.comparability]
    texts += [v.label for v in framework.variables] + [p.label for p in framework.populations]
    texts += [b.label for b in framework.breakdowns]
    for text in texts:
        values = text.as_dict()
        assert tuple(values) == LANGUAGES
        for lang, pattern in SCRIPTS.items():
            assert pattern.search(values[lang]), (lang, values["en"])
        assert values["fr"] != values["en"]
        assert values["es"] != values["en"]


def test_text_falls_back_to_english_for_another_language() -> None:
    name = framework_default().indicator("R1").name
    assert name.get("de") == name.get("en") == "Bothered or upset by something online"
    assert name.get("zh-hans") == "在网上感到困扰或不安"


def test_export_and_reload_give_the_same_framework(tmp_path: Path) -> None:
    framework = framework_default()
    exported = tmp_path / "framework.json"
    exported.write_text(json.dumps(framework_as_dict(framework), ensure_ascii=False), "utf-8")
    assert framework_load(exported) == framework
    assert framework_as_dict(framework) == document()


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


def test_a_missing_translation_names_its_key_path() -> None:
    data = document()
    del data["indicators"][5]["name"]["ru"]
    path, reason = problem_of(data)
    assert path == "indicators[5].name"
    assert "'ru' is a required property" in reason


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


def test_schema_errors_name_the_key_path() -> None:
    data = document()
    data["indicators"][0]["statistic"] = "mode"
    assert problem_of(data)[0] == "indicators[0].statistic"
    data = document()
    data["changelog"][0]["date"] = "28 November 2026"
    assert problem_of(data)[0] == "changelog[0].date"
    data = document()
    del data["indicators"][5]["numerator"]
    assert problem_of(data)[0] == "indicators[5]"


def test_unreadable_files_raise_coded_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("indicators: [unclosed\n", encoding="utf-8")
    other = tmp_path / "framework.toml"
    other.write_text("", encoding="utf-8")
    for path, code in (
        (broken, "document_syntax"),
        (other, "document_type_unknown"),
        (tmp_path / "absent.yaml", "document_unreadable"),
    ):
        with pytest.raises(FrameworkError) as caught:
            framework_load(path)
        assert caught.value.code == code
