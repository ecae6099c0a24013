"""Disclosure control of a tabulation, through the engine's rule sets."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from copcore.stats.disclosure import disclosure_apply, disclosure_rule_parse
from copcore.stats.estimate import EstimateResult
from copcore.stats.tabulate.cells import TOTAL


def tabulation_disclose(
    columns: dict[str, NDArray[Any]], rule_text: str, level: float
) -> dict[str, NDArray[Any]]:
    """Apply the core's disclosure rule set (:func:`copcore.stats.disclosure.disclosure_apply`,
    primary rule then complementary suppression) to the tidy table.

    The rows are laid out as the core's estimate result: one by column per breakdown holding
    the cell's level and ``_T`` elsewhere, each country's indicator as its own variable,
    proportions as ``prop`` (NCHS proportion standard) and means, medians and totals as
    ``mean`` (``n >= 30``). Rows of indicators not computed (``n = 0``) are left alone.
    """
    rule = disclosure_rule_parse(rule_text)
    if rule.name == "none":
        return columns
    computed = np.flatnonzero(columns["n"] > 0)
    breakdowns = tuple(dict.fromkeys(b for b in columns["breakdown"][computed] if b != TOTAL))
    by: dict[str, NDArray[Any]] = {}
    for name in breakdowns:
        values = np.full(len(computed), TOTAL, dtype=object)
        here = columns["breakdown"][computed] == name
        values[here] = columns["breakdown_value"][computed][here]
        by[f"by_{name}"] = values
    proportion = columns["statistic"][computed] == "proportion"
    variable = np.array(
        [
            f"{c}|{i}"
            for c, i in zip(
                columns["country"][computed], columns["indicator"][computed], strict=True
            )
        ],
        dtype=object,
    )
    estimate_columns: dict[str, NDArray[Any]] = {
        "statistic": np.where(proportion, "prop", "mean").astype(object),
        "variable": variable,
        "category": np.where(proportion, "1", "").astype(object),
        **by,
        **{
            name: columns[name][computed]
            for name in ("estimate", "se", "ci_low", "ci_high", "deff", "df", "n")
        },
        "suppressed": np.zeros(len(computed), dtype=np.bool_),
        "flag": np.full(len(computed), "", dtype=object),
    }
    result = EstimateResult(columns=estimate_columns, by_columns=tuple(by), level=level, ci="logit")
    disclosed = disclosure_apply(result, rule).columns
    out = {name: values.copy() for name, values in columns.items()}
    for name in ("estimate", "se", "ci_low", "ci_high", "deff", "suppressed", "flag"):
        out[name][computed] = disclosed[name]
    return out
