"""The one door to the statistics engine (``copcore.stats``): every computation of this app
(validation, estimation, disclosure control, differential privacy, synthetic data) goes
through these functions, which turn the engine's plain results into plain data for the
models. Importing the engine only here keeps the app working while the engine's modules move.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from copcore.stats import EstimateResult
from copcore.stats.ci import ci_korn_graubard, ci_logit, ci_wald
from copcore.stats.disclosure import disclosure_apply, disclosure_rule_parse
from copcore.stats.errors import StatsError
from copcore.stats.framework import Framework, framework_default
from copcore.stats.io import table_read
from copcore.stats.mapping import SurveyMapping, ValidationReport, mapping_parse, validate
from copcore.stats.messages import message_format
from copcore.stats.privacy import Account, Calibration, Ledger, ledger_charge
from copcore.stats.privacy import Release as LedgerRelease
from copcore.stats.synth import synth_generate
from copcore.stats.tabulate import TabulateOptions, tabulate, tabulate_private

TOTAL = "_T"
LEVEL = 0.95

__all__ = [
    "TOTAL",
    "Framework",
    "StatsError",
    "SurveyMapping",
    "ValidationReport",
    "framework",
]


def framework() -> Framework:
    """The indicator framework the platform publishes (the bundled ``cop-core``)."""
    return framework_default()


def engine_message(error: StatsError, language: str) -> str:
    """An engine error in ``language``, from the engine's own six-language catalogues."""
    return message_format(error.code, error.params, language)


def mapping_from_document(document: Any) -> SurveyMapping:
    """Check a mapping document (``cop-survey-mapping/1``) against the engine's schema; a
    :class:`StatsError` ``mapping_invalid`` names the key path of the first problem
    (:func:`error_key_path`)."""
    return mapping_parse(document, "mapping")


def error_key_path(error: StatsError) -> str:
    """The key path a framework or mapping error names (``variables.sex.codes``)."""
    params = error.params
    return str(params.get("key") or params.get("path") or "mapping")


def survey_read(path: Path) -> Mapping[str, Any]:
    """A microdata file as the engine's columnar table (the engine picks the reader)."""
    return table_read(path)


def survey_validate(table: Mapping[str, Any], mapping: SurveyMapping) -> ValidationReport:
    """The engine's validation report (nothing computed)."""
    return validate(table, mapping, framework())


NOT_COMPUTED = (
    "not_collected",
    "population_differs",
    "age_out_of_survey",
    "no_valid_value",
    "dp_not_supported",
)


@dataclass(frozen=True)
class Cell:
    """One computed cell, ready to become an ``Estimate`` row. ``computed`` is false on the
    single row of an indicator the survey cannot produce (its ``comparability`` says why)."""

    indicator: str
    statistic: str
    breakdown: str
    breakdown_value: str
    estimate: float | None
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    deff: float | None = None
    df: int | None = None
    n: int | None = None
    suppressed: bool = False
    flag: str = ""
    comparability: str = ""
    age_min: int | None = None
    age_max: int | None = None
    measure: str = ""
    computed: bool = True


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else number


def _integer(value: Any) -> int | None:
    return None if value is None else int(value)


def _cell(row: Mapping[str, Any], *, private: bool = False) -> Cell:
    comparability = str(row.get("comparability") or "")
    computed = not any(flag.startswith(NOT_COMPUTED) for flag in comparability.split(";"))
    estimate = _number(row.get("estimate"))
    suppressed = bool(row.get("suppressed", False))
    flag = str(row.get("flag") or "")
    if private:
        flag = "dp"
    if computed and estimate is None and not suppressed:
        # An empty cell (or a noisy denominator at or below zero): never shown as a number.
        suppressed, flag = True, ("dp-empty" if private else "empty")
    return Cell(
        indicator=str(row["indicator"]),
        statistic=str(row["statistic"]),
        breakdown=str(row["breakdown"]),
        breakdown_value=str(row["breakdown_value"]),
        estimate=estimate,
        se=_number(row.get("se")),
        ci_low=_number(row.get("ci_low")),
        ci_high=_number(row.get("ci_high")),
        deff=_number(row.get("deff")),
        df=_integer(row.get("df")),
        n=None if private else _integer(row.get("n")),
        suppressed=suppressed,
        flag=flag,
        comparability=comparability,
        age_min=_integer(row.get("age_min")),
        age_max=_integer(row.get("age_max")),
        computed=computed,
    )


@dataclass(frozen=True)
class Tabulated:
    """The cells of a design-based tabulation and its variance method (:func:`variance_of`)."""

    cells: list[Cell]
    variance: dict[str, Any]


def survey_tabulate(
    table: Mapping[str, Any], mapping: SurveyMapping, *, disclosure: str, ci: str
) -> Tabulated:
    """Every indicator × breakdown, design-based on the mapping's design (Taylor
    linearisation, or its replicate weights), with the disclosure rule applied."""
    options = TabulateOptions(ci=ci, level=LEVEL, singleton="certainty")
    result = tabulate(table, mapping, framework(), options, disclosure=disclosure)
    cells = [_cell(row) for row in result.rows()]
    return Tabulated(cells=cells, variance=variance_of(mapping, result.metadata, cells))


def variance_of(
    mapping: SurveyMapping, metadata: Mapping[str, str], cells: Sequence[Cell]
) -> dict[str, Any]:
    """How the standard errors were computed, as the engine reports it: ``taylor`` with the
    PSUs' nesting (``nested``, ``unique`` or ``none``) and whether there are strata, or
    ``replication`` with the method, the number of replicates (from the tabulation's
    metadata), ρ and multipliers when given; ``df`` the design degrees of freedom of the
    first national total."""
    design = mapping.design
    df = next((c.df for c in cells if c.breakdown == TOTAL and c.df is not None), None)
    if design.replicates is None:
        return {
            "method": design.variance,
            "psu": design.psu_nesting,
            "strata": design.strata is not None,
            "df": df,
        }
    spec = design.replicates
    out: dict[str, Any] = {
        "method": str(metadata.get("variance", design.variance)),
        "replication_method": str(metadata.get("replication_method", spec.method)),
        "replicates": int(metadata.get("replicates", 0)),
        "df": df,
    }
    if spec.fay:
        out["fay"] = spec.fay
    if spec.multipliers is not None:
        out["multipliers"] = list(spec.multipliers)
    return out


@dataclass(frozen=True)
class PrivateTabulation:
    cells: list[Cell]
    calibration: Calibration
    sampler: str


def survey_tabulate_private(
    table: Mapping[str, Any],
    mapping: SurveyMapping,
    *,
    epsilon: float,
    weight_cap: float,
    rng: np.random.Generator | None = None,
) -> PrivateTabulation:
    """Tier-1 proportions under ε-differential privacy (only noisy estimates: no SE, CI or n).
    Rows with no released estimate (a noisy denominator at or below zero) stay suppressed."""
    options = TabulateOptions(tier=1, singleton="certainty")
    result, calibration = tabulate_private(
        table, mapping, framework(), options, epsilon=epsilon, weight_cap=weight_cap, rng=rng
    )
    cells = [_cell(row, private=True) for row in result.rows()]
    sampler = str(result.metadata.get("dp_sampler", ""))
    return PrivateTabulation(cells=cells, calibration=calibration, sampler=sampler)


def ledger_charge_release(
    entries: Sequence[Mapping[str, Any]],
    *,
    dataset_key: str,
    budget: float,
    calibration: Calibration,
    now: datetime,
    description: str,
) -> float:
    """Check one release against the dataset's budget with the engine's ledger (raises
    :class:`PrivacyBudgetExceeded`); returns ε spent after it."""
    releases = tuple(
        LedgerRelease(
            at=entry["at"].isoformat(),
            epsilon=entry["epsilon"],
            mechanism=entry["mechanism"],
            weight_cap=entry["weight_cap"],
            queries=entry["queries"],
            description=entry["description"],
        )
        for entry in entries
    )
    ledger = Ledger(accounts=(Account(dataset=dataset_key, budget=budget, releases=releases),))
    charged = ledger_charge(
        ledger,
        dataset=dataset_key,
        calibration=calibration,
        budget=budget,
        now=now,
        description=description,
    )
    account = charged.account(dataset_key)
    return account.spent if account is not None else 0.0


def cells_disclose(cells: Sequence[Cell], rule: str) -> list[Cell]:
    """Apply the engine's disclosure rule set (primary rule, then complementary suppression
    within each breakdown of each indicator) to cells that were not computed by
    :func:`survey_tabulate`: aggregate tables and helpline counts (whose callers then run
    the suppression audit, :func:`.disclosure_audit.cells_audit_protect`).

    The cells are laid out as the engine's estimate result: one ``by`` column per breakdown
    (the cell's level, ``_T`` elsewhere), each indicator and measure its own variable,
    proportions as ``prop`` and everything else as ``mean``. Cells without ``n`` are
    administrative values and pass through unchanged."""
    parsed = disclosure_rule_parse(rule)
    chosen = [i for i, cell in enumerate(cells) if cell.n is not None]
    if parsed.name == "none" or not chosen:
        return list(cells)
    breakdowns = list(
        dict.fromkeys(cells[i].breakdown for i in chosen if cells[i].breakdown != TOTAL)
    )
    by: dict[str, np.ndarray] = {}
    for name in breakdowns:
        by[f"by_{name}"] = np.array(
            [cells[i].breakdown_value if cells[i].breakdown == name else TOTAL for i in chosen],
            dtype=object,
        )
    proportion = np.array([cells[i].statistic == "proportion" for i in chosen])

    def floats(field: str) -> np.ndarray:
        values = [getattr(cells[i], field) for i in chosen]
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

    columns: dict[str, np.ndarray] = {
        "statistic": np.where(proportion, "prop", "mean").astype(object),
        "variable": np.array(
            [f"{cells[i].indicator}|{cells[i].measure}" for i in chosen], dtype=object
        ),
        "category": np.where(proportion, "1", "").astype(object),
        **by,
        "estimate": floats("estimate"),
        "se": floats("se"),
        "ci_low": floats("ci_low"),
        "ci_high": floats("ci_high"),
        "deff": floats("deff"),
        "df": np.array([cells[i].df or 0 for i in chosen], dtype=np.int64),
        "n": np.array([cells[i].n or 0 for i in chosen], dtype=np.int64),
        "suppressed": np.zeros(len(chosen), dtype=np.bool_),
        "flag": np.full(len(chosen), "", dtype=object),
    }
    result = EstimateResult(columns=columns, by_columns=tuple(by), level=LEVEL, ci="logit")
    disclosed = disclosure_apply(result, parsed).columns
    out = list(cells)
    for position, index in enumerate(chosen):
        suppressed = bool(disclosed["suppressed"][position])
        flag = str(disclosed["flag"][position] or "")
        cell = cells[index]
        out[index] = Cell(
            **{
                **cell.__dict__,
                "suppressed": suppressed,
                "flag": flag,
                "estimate": None if suppressed else cell.estimate,
                "se": None if suppressed else cell.se,
                "ci_low": None if suppressed else cell.ci_low,
                "ci_high": None if suppressed else cell.ci_high,
                "deff": None if suppressed else cell.deff,
            }
        )
    return out


def submitted_interval(
    estimate: float, se: float, n: int, *, statistic: str, method: str
) -> tuple[float | None, float | None]:
    """A CI for an estimate submitted with its SE and n, on ``n - 1`` degrees of freedom
    (an aggregate table does not give the design df; its rows are flagged ``df_assumed``):
    logit or Korn–Graubard for proportions, Wald otherwise."""
    p = np.array([estimate], dtype=np.float64)
    s = np.array([se], dtype=np.float64)
    df = np.array([max(n - 1, 1)], dtype=np.int64)
    if statistic != "proportion":
        low, high = ci_wald(p, s, df, LEVEL)
    elif method == "korn-graubard":
        low, high = ci_korn_graubard(p, s, df, np.array([n], dtype=np.int64), LEVEL)
    else:
        low, high = ci_logit(p, s, df, LEVEL)
    return _number(low[0]), _number(high[0])


def synthetic_survey(rows: int, seed: int) -> pa.Table:
    """Clearly synthetic child-survey microdata from ``copstats synth``: one country (code
    ``XA``, which no country has), every row ``synthetic = true``."""
    rng = np.random.default_rng(seed)
    return synth_generate(rows, 1, rng, strata=20, psus=max(40, min(rows // 20, 200)))
