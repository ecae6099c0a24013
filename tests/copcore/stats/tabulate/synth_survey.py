"""Synthetic survey data and their tabulation, shared by the tabulation tests."""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

from copcore.stats import Design
from copcore.stats.columns import Column, table_from_arrow
from copcore.stats.framework import FRAMEWORKS_DIR, framework_default
from copcore.stats.mapping import mapping_load
from copcore.stats.synth import synth_generate
from copcore.stats.tabulate import Tabulation, tabulate

EXAMPLES = FRAMEWORKS_DIR / "examples"
DESIGN = Design(weight="weight", strata="stratum", psu="psu")


@cache
def synth(countries: int = 1) -> dict[str, Column]:
    return table_from_arrow(synth_generate(2400, countries, np.random.default_rng(7)))


def synth_mapping() -> Any:
    return mapping_load(EXAMPLES / "synth.mapping.yaml")


@cache
def synth_tabulation() -> Tabulation:
    return tabulate(synth(), synth_mapping(), framework_default())


def rows_of(tab: Tabulation, **where: str) -> list[dict[str, Any]]:
    return [r for r in tab.rows() if all(r[k] == v for k, v in where.items())]
