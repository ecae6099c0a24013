"""Run the same estimates through svy (the peer) and through copstats, keyed for comparison."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import svy

from copcore.stats.columns import level_label


def svy_rows(
    table: dict[str, np.ndarray],
    *,
    weight: str | None,
    strata: str | None,
    psu: str | None,
    fpc: str | None,
    statistic: str,
    variable: str,
    by: tuple[str, ...] | None,
    singleton: str | None = None,
    ci: str = "logit",
    rep_wgts: Any = None,
    variance_center: str = "estimate",
    denominator: str | None = None,
) -> dict[tuple[str, ...], dict[str, Any]]:
    """svy results keyed by (category, *by levels); with ``rep_wgts`` (an svy replicate
    weights object) by ``method="replication"``; ``statistic="ratio"`` is ``variable`` over
    ``denominator``."""
    frame = pl.DataFrame(
        {
            name: pl.Series(name, values.tolist(), dtype=pl.Float64, nan_to_null=True)
            if values.dtype.kind == "f"
            else pl.Series(name, values.tolist())
            for name, values in table.items()
        }
    )
    kwargs: dict[str, Any] = {"wgt": weight or None}
    if strata:
        kwargs["stratum"] = strata
    if psu:
        kwargs["psu"] = psu
    if fpc:
        kwargs["pop_size"] = fpc
    if singleton:
        kwargs["singleton"] = singleton
    if weight is None:
        frame = frame.with_columns(pl.lit(1.0).alias("__w"))
        kwargs["wgt"] = "__w"
    if rep_wgts is not None:
        kwargs["rep_wgts"] = rep_wgts
    sample = svy.Sample(frame, svy.Design(**kwargs))
    by_arg: Any = None if not by else (by[0] if len(by) == 1 else by)
    options: dict[str, Any] = {"by": by_arg, "drop_nulls": True, "deff": "wr"}
    if rep_wgts is not None:
        options.update(method="replication", variance_center=variance_center, deff=None)
    if statistic == "prop":
        result = sample.estimation.prop(variable, ci_method=ci, **options)
    elif statistic == "ratio":
        result = sample.estimation.ratio(variable, denominator, **options)
    elif statistic == "mean":
        result = sample.estimation.mean(variable, **options)
    else:
        result = sample.estimation.total(variable, **options)
    out: dict[tuple[str, ...], dict[str, Any]] = {}
    for row in result.to_polars().iter_rows(named=True):
        category = level_label(row[variable]) if statistic == "prop" else ""
        levels = tuple(level_label(row[name]) for name in (by or ()))
        out[(category, *levels)] = row
    return out
