"""The bundled starting set of the reference, loaded, and exported unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path

from copcore.stats.framework import (
    framework_as_dict,
    framework_default,
    framework_load,
)
from copcore.stats.messages import LANGUAGES
from tests.copcore.stats.framework.framework_documents import document

SCRIPTS = {
    "ar": re.compile(r"[\u0600-\u06ff]"),
    "zh-hans": re.compile(r"[\u4e00-\u9fff]"),
    "ru": re.compile(r"[\u0400-\u04ff]"),
}


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


def test_export_and_reload_give_the_same_framework(tmp_path: Path) -> None:
    framework = framework_default()
    exported = tmp_path / "framework.json"
    exported.write_text(json.dumps(framework_as_dict(framework), ensure_ascii=False), "utf-8")
    assert framework_load(exported) == framework
    assert framework_as_dict(framework) == document()
