"""Proportion indicators released under differential privacy (:mod:`copcore.stats.privacy`)."""

from __future__ import annotations

import numpy as np

from copcore.stats.columns import BoolArray, IntArray, Table
from copcore.stats.design import design_weights
from copcore.stats.framework import Framework
from copcore.stats.mapping import SurveyMapping, mapping_apply
from copcore.stats.privacy import (
    SAMPLER_OPENDP,
    Calibration,
    calibration_metadata,
    dp_calibrate,
    dp_cell_counts,
)
from copcore.stats.tabulate.cells import TOTAL, Cells, cells_code
from copcore.stats.tabulate.countries import survey_countries
from copcore.stats.tabulate.indicators import IndicatorColumn, indicator_columns
from copcore.stats.tabulate.rows import row_flags, row_identity, skipped_rows
from copcore.stats.tabulate.table import (
    DEFAULT_OPTIONS,
    DP_COLUMNS,
    Rows,
    TabulateOptions,
    Tabulation,
    row_context,
    rows_as_arrays,
    table_metadata,
)


def outside_ages(column: IndicatorColumn, cells: Cells, cell: int) -> bool:
    """Whether a cell of an age breakdown lies wholly outside the indicator's ages."""
    if cells.bands:
        low, high = cells.bands[cell]
    elif cells.breakdown == "age":
        low = high = int(cells.labels[cell])
    else:
        return False
    return high < column.age[0] or low > column.age[1]


def tabulate_private(
    table: Table,
    mapping: SurveyMapping,
    framework: Framework,
    options: TabulateOptions = DEFAULT_OPTIONS,
    *,
    epsilon: float,
    weight_cap: float,
    rng: np.random.Generator | None = None,
) -> tuple[Tabulation, Calibration]:
    """Every proportion indicator × breakdown under ``epsilon``-differential privacy.

    For each indicator and breakdown, two queries: the capped weighted count of its
    numerator and of its universe in every cell (cells fixed in advance: framework levels,
    the survey's age range, the mapping's region codes). The proportion is their ratio,
    clipped to [0, 1]; no SE, interval or unweighted n is released (they would spend budget
    too). Countries of a pooled file are disjoint, so each gets the whole ``epsilon``
    (parallel composition) and the release costs ``epsilon``. Returns the table and the
    calibration to record in the ledger (:func:`copcore.stats.privacy.ledger_charge`).
    Means and medians are listed as ``dp_not_supported``.
    """
    rows = Rows(DP_COLUMNS)
    calibrations: list[Calibration] = []
    sampler = SAMPLER_OPENDP
    for country, part in survey_countries(table, mapping, options.country):
        harmonised = mapping_apply(part, mapping, framework)
        n_rows = len(harmonised.columns["age"])
        columns, skipped = indicator_columns(framework, harmonised, options, n_rows, private=True)
        context = row_context(mapping, framework, country)
        cells = cells_code(framework, harmonised, columns, n_rows, fixed=True)
        skipped_rows(rows, skipped, context)
        if not columns:
            continue
        masks: list[BoolArray] = []
        query_cells: list[tuple[IntArray, int]] = []
        plan: list[tuple[IndicatorColumn, str]] = []
        for column in columns:
            for breakdown in (TOTAL, *column.breakdowns):
                if breakdown not in cells:
                    continue
                coded = (cells[breakdown].codes, len(cells[breakdown].labels))
                masks.extend([column.valid & (column.values == 1.0), column.valid])
                query_cells.extend([coded, coded])
                plan.append((column, breakdown))
        weights = design_weights(harmonised.columns, harmonised.design)
        noisy = dp_cell_counts(
            weights, masks, query_cells, epsilon=epsilon, weight_cap=weight_cap, rng=rng
        )
        calibrations.append(noisy.calibration)
        sampler = noisy.sampler
        release = {
            "dp_mechanism": noisy.calibration.mechanism,
            "dp_sampler": noisy.sampler,
            "dp_epsilon": noisy.calibration.epsilon,
            "dp_scale": noisy.calibration.scale,
            "dp_weight_cap": noisy.calibration.weight_cap,
        }
        for q, (column, breakdown) in enumerate(plan):
            numerator, denominator = noisy.sums[2 * q], noisy.sums[2 * q + 1]
            for cell, label in enumerate(cells[breakdown].labels):
                if outside_ages(column, cells[breakdown], cell):
                    continue
                den = float(denominator[cell])
                ratio = float(np.clip(numerator[cell] / den, 0.0, 1.0)) if den > 0 else np.nan
                rows.add(
                    **row_identity(column, context),
                    **release,
                    breakdown=breakdown,
                    breakdown_value=label,
                    estimate=ratio,
                    dp_numerator=float(numerator[cell]),
                    dp_denominator=den,
                    comparability=row_flags(column, cells[breakdown], cell),
                )
    worst = max(calibrations, key=lambda c: c.epsilon) if calibrations else None
    calibration = worst or dp_calibrate(epsilon, weight_cap, 1)
    metadata = table_metadata(framework, mapping, calibration_metadata(calibration, sampler))
    arrays = rows_as_arrays(rows.data)
    return Tabulation(columns=arrays, column_names=DP_COLUMNS, metadata=metadata), calibration
