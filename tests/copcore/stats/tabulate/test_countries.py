"""Pooled files are tabulated country by country, each on its own design."""

from __future__ import annotations

import pytest

from copcore.stats.errors import InputError
from copcore.stats.framework import framework_default
from copcore.stats.tabulate import TabulateOptions, tabulate
from tests.copcore.stats.tabulate.synth_survey import (
    synth,
    synth_mapping,
)


def test_pooled_files_are_tabulated_country_by_country() -> None:
    table = synth(2)
    tab = tabulate(table, synth_mapping(), framework_default(), TabulateOptions(tier=1))
    assert {r["country"] for r in tab.rows()} == {"XA", "XB"}
    only = tabulate(
        table, synth_mapping(), framework_default(), TabulateOptions(tier=1, country="XB")
    )
    xb = [r for r in tab.rows() if r["country"] == "XB"]
    assert only.rows() == xb
    with pytest.raises(InputError) as caught:
        tabulate(table, synth_mapping(), framework_default(), TabulateOptions(country="XZ"))
    assert caught.value.code == "country_not_in_data"
