"""Design-based estimates of proportions, means, totals and ratios for many domains at once.

``estimate`` is the engine's front door: it validates the design, codes the breakdowns, hands
every requested variable to the reduction kernel (:func:`copcore.stats.variance.ratio_estimate`)
in one call, and lays the results out as one tidy table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from copcore.stats.ci import (
    CiMethod,
    ci_korn_graubard,
    ci_logit,
    ci_method_parse,
    ci_wald,
    level_parse,
)
from copcore.stats.columns import (
    Factor,
    FloatArray,
    IntArray,
    Table,
    column_get,
    factor_combine,
    factorize,
    table_from_arrow,
    table_length,
)
from copcore.stats.design import Design, PreparedDesign, design_prepare
from copcore.stats.errors import InputError, OptionError
from copcore.stats.replication import replicate_ratio_estimate, replicates_prepare
from copcore.stats.requests import STATISTICS as STATISTICS
from copcore.stats.requests import KernelColumn, KernelInput, request_columns
from copcore.stats.requests import Request as Request
from copcore.stats.requests import Statistic as Statistic
from copcore.stats.requests import ratio_request as ratio_request
from copcore.stats.requests import request_parse as request_parse
from copcore.stats.tidy import MetadataValue, tidy_arrow, tidy_rows
from copcore.stats.variance import Breakdown, RatioEstimates, ratio_estimate

DfRule = Literal["domain", "design"]
TOTAL_LEVEL = "_T"
SDMX_STRUCTURE = "COPHUB:DF_COP_SURVEY_ESTIMATES(1.0)"
RESULT_HEAD = ("statistic", "variable", "category")
RESULT_TAIL = (
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "deff",
    "df",
    "n",
    "suppressed",
    "flag",
)


@dataclass(frozen=True)
class EstimateResult:
    """A tidy result table: ``columns`` in the order of :attr:`column_names`.

    Text columns are ``object`` arrays, ``df`` and ``n`` are int64, ``suppressed`` is bool and
    the numeric columns are float64 (``NaN`` blank).
    """

    columns: Mapping[str, NDArray[Any]]
    by_columns: tuple[str, ...]
    level: float
    ci: CiMethod
    disclosure: str = "none"
    notes: tuple[str, ...] = field(default_factory=tuple)
    variance: str = "taylor"
    psu_nesting: str = "none"
    replication_method: str = ""
    replicates: int = 0

    @property
    def column_names(self) -> tuple[str, ...]:
        """``statistic, variable, category, <by columns>, estimate, …, flag``."""
        return (*RESULT_HEAD, *self.by_columns, *RESULT_TAIL)

    @property
    def n_rows(self) -> int:
        """Number of result rows."""
        return len(self.columns["estimate"])

    @property
    def metadata(self) -> Mapping[str, MetadataValue]:
        """Level, CI method, variance method, how PSUs are identified, disclosure rule, by
        columns and notes (written with the table); with replicate weights, also the
        replication method and the number of replicates."""
        metadata: dict[str, MetadataValue] = {
            "generator": "copstats",
            "confidence_level": self.level,
            "ci": self.ci,
            "variance": self.variance,
            "psu_nesting": self.psu_nesting,
        }
        if self.variance == "replication":
            metadata["replication_method"] = self.replication_method
            metadata["replicates"] = self.replicates
        metadata.update(
            disclosure=self.disclosure, by_columns=list(self.by_columns), notes=list(self.notes)
        )
        return metadata

    @property
    def sdmx_structure(self) -> str:
        """The SDMX dataflow of survey estimates (no registered DSD yet)."""
        return SDMX_STRUCTURE

    @property
    def sdmx_dimensions(self) -> tuple[str, ...]:
        """``statistic, variable, category`` and the by columns identify a row."""
        return (*RESULT_HEAD, *self.by_columns)

    def to_arrow(self) -> pa.Table:
        """The result as an Arrow table (blank numbers as nulls, metadata on the schema)."""
        return tidy_arrow(self)

    def rows(self) -> list[dict[str, Any]]:
        """The result as a list of plain dicts (blank numbers as ``None``)."""
        return tidy_rows(self)


@dataclass(frozen=True)
class _Breakdown:
    columns: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]
    kernel: Breakdown


def _breakdowns(table: Table, by: Sequence[Sequence[str]], n_rows: int) -> list[_Breakdown]:
    out = [
        _Breakdown(
            columns=(),
            labels=((),),
            kernel=Breakdown(codes=np.zeros(n_rows, dtype=np.int64), n_cells=1),
        )
    ]
    for group in by:
        names = tuple(group)
        if not names:
            continue
        factors = [factorize(column_get(table, name)) for name in names]
        combined: Factor = factor_combine(factors) if len(factors) > 1 else factors[0]
        labels = tuple(tuple(label.split("\x1f")) for label in combined.levels)
        out.append(
            _Breakdown(
                columns=names,
                labels=labels,
                kernel=Breakdown(codes=combined.codes, n_cells=len(combined.levels)),
            )
        )
    return out


def estimate(
    table: Table | pa.Table,
    design: Design,
    requests: Sequence[Request],
    by: Sequence[Sequence[str]] = (),
    *,
    ci: str = "logit",
    level: float = 0.95,
    singleton: str = "fail",
    df_rule: DfRule = "domain",
) -> EstimateResult:
    """Weighted proportions, means, totals and ratios with design-based SEs, for every domain.

    With ``design.replicates`` the variance comes from the replicate weights
    (:mod:`copcore.stats.replication`; ``singleton`` and ``df_rule`` do not apply: every row has
    the replicate design's df). Otherwise Taylor linearisation of ratio estimators,
    with-replacement PSUs within strata (FPC when ``design.fpc`` is given); Wolter 2007 §6; Korn
    & Graubard 1998, 1999. Each entry of ``by`` is one breakdown (a tuple of columns is their
    cross-classification); the overall row (``_T`` in every by column) is always first. Domains
    keep the full design. A row whose variable is missing is out of the domain for that variable
    only (for a ratio, a row missing either column). ``ci`` applies to proportions (``logit``,
    ``korn-graubard``, ``wald``); means, totals and ratios take ``wald``, all on ``t`` with the
    design df. A ratio ``Request("ratio", Y, X)`` is ``sum w y / sum w x`` with the linearised
    value ``(y - R x) / X`` (Taylor) or its replicate estimates; a domain whose rows in the
    ratio's universe have a denominator total of zero raises ``ratio_denominator_zero``.
    ``df_rule="domain"`` (default, as ``svy`` and R ``svyby``) counts PSUs minus strata among
    those holding domain members; ``"design"`` uses the whole sample's PSUs minus strata for
    every row.

    >>> import numpy as np
    >>> data = {"y": np.array([1.0, 0.0, 1.0, 1.0]), "w": np.array([1.0, 1.0, 2.0, 2.0])}
    >>> result = estimate(data, Design(weight="w"), [Request("mean", "y")])
    >>> round(float(result.columns["estimate"][0]), 4)
    0.8333
    """
    columns_in: Table = table_from_arrow(table) if isinstance(table, pa.Table) else table
    method = ci_method_parse(ci)
    level = level_parse(level)
    if df_rule not in ("domain", "design"):
        raise OptionError(
            "option_invalid", option="df", value=str(df_rule), allowed="domain, design"
        )
    if not requests:
        raise OptionError(
            "option_invalid", option="statistic", value="", allowed="prop, mean, total"
        )
    replicated = design.replicates is not None
    prepared = None if replicated else design_prepare(columns_in, design, singleton)
    prepared_reps = replicates_prepare(columns_in, design) if replicated else None
    n_rows = table_length(columns_in)
    breakdowns = _breakdowns(columns_in, by, n_rows)
    mats = KernelInput(
        numerators=[], den_keys={}, dens=[], general=[], den_index=[], columns=[], binary=[]
    )
    request_columns(columns_in, requests, mats)
    kernel_columns = [c for c in mats.columns if c.complement_of != -2]
    totals = np.asarray([c.total for c in kernel_columns], dtype=np.bool_)
    options: dict[str, Any] = {
        "totals": totals,
        "denominator_index": np.asarray(mats.den_index, dtype=np.int64),
        "binary": np.asarray(mats.binary, dtype=np.bool_),
        "general": np.asarray(mats.general, dtype=np.bool_),
    }
    kernels = [b.kernel for b in breakdowns]
    if prepared_reps is not None:
        kernel = replicate_ratio_estimate(
            prepared_reps, mats.numerators, mats.dens, kernels, **options
        )
    else:
        assert prepared is not None  # noqa: S101 - one of the two is prepared
        kernel = ratio_estimate(prepared, mats.numerators, mats.dens, kernels, **options)
        if df_rule == "design":
            kernel = tuple(_design_df(prepared, result) for result in kernel)
    _ratio_check(requests, kernel_columns, breakdowns, kernel)
    by_columns = _by_union(breakdowns)
    result = _assemble(requests, mats.columns, breakdowns, kernel, by_columns, method, level)
    if prepared_reps is not None:
        return replace(
            result,
            variance="replication",
            psu_nesting="none",
            replication_method=prepared_reps.method,
            replicates=prepared_reps.n_replicates,
        )
    return replace(result, psu_nesting=design.psu_nesting)


def _ratio_check(
    requests: Sequence[Request],
    columns: Sequence[KernelColumn],
    breakdowns: Sequence[_Breakdown],
    kernel: Sequence[RatioEstimates],
) -> None:
    """A ratio whose denominator totals zero in a domain holding rows of its universe is
    not defined: refuse it, naming the ratio, the column and the domain."""
    for j, column in enumerate(columns):
        request = requests[column.request]
        if request.statistic != "ratio":
            continue
        for breakdown, result in zip(breakdowns, kernel, strict=True):
            zero = (result.denominator_total[:, j] == 0.0) & (result.n[:, j] > 0)
            if zero.any():
                cell = int(np.flatnonzero(zero)[0])
                labels = breakdown.labels[cell]
                domain = ", ".join(
                    f"{name} = {level}"
                    for name, level in zip(breakdown.columns, labels, strict=True)
                )
                raise InputError(
                    "ratio_denominator_zero",
                    ratio=request.label,
                    column=request.denominator,
                    domain=domain or TOTAL_LEVEL,
                )


def _design_df(prepared: PreparedDesign, result: RatioEstimates) -> RatioEstimates:
    design_df = max(prepared.n_psu - prepared.n_strata, 0)
    return RatioEstimates(
        estimate=result.estimate,
        variance=result.variance,
        se=result.se,
        deff=result.deff,
        numerator_total=result.numerator_total,
        denominator_total=result.denominator_total,
        n=result.n,
        df=np.full(result.df.shape, design_df, dtype=np.int64),
    )


def _by_union(breakdowns: Sequence[_Breakdown]) -> tuple[str, ...]:
    seen: list[str] = []
    for breakdown in breakdowns:
        for name in breakdown.columns:
            if name not in seen:
                seen.append(name)
    return tuple(seen)


def _assemble(
    requests: Sequence[Request],
    columns: Sequence[KernelColumn],
    breakdowns: Sequence[_Breakdown],
    kernel: Sequence[RatioEstimates],
    by_columns: tuple[str, ...],
    method: CiMethod,
    level: float,
) -> EstimateResult:
    text: dict[str, list[str]] = {name: [] for name in (*RESULT_HEAD, *by_columns)}
    est: list[FloatArray] = []
    se: list[FloatArray] = []
    deff: list[FloatArray] = []
    dfs: list[IntArray] = []
    ns: list[IntArray] = []
    is_prop: list[NDArray[np.bool_]] = []
    kernel_at: list[int] = []
    position = 0
    for column in columns:
        if column.complement_of == -2:
            kernel_at.append(position - 1)
        else:
            kernel_at.append(position)
            position += 1
    for request_index, request in enumerate(requests):
        mine = [i for i, c in enumerate(columns) if c.request == request_index]
        if request.statistic == "prop":
            mine = sorted(mine, key=lambda i: _level_order(columns, mine, i))
        for breakdown, result in zip(breakdowns, kernel, strict=True):
            for cell, labels in enumerate(breakdown.labels):
                by_value = dict(zip(breakdown.columns, labels, strict=True))
                for i in mine:
                    column = columns[i]
                    j = kernel_at[i]
                    value = float(result.estimate[cell, j])
                    if column.complement_of == -2:
                        value = 1.0 - value
                    est.append(np.asarray([value + column.centre]))
                    se.append(result.se[cell : cell + 1, j])
                    deff.append(result.deff[cell : cell + 1, j])
                    dfs.append(result.df[cell : cell + 1, j])
                    ns.append(result.n[cell : cell + 1, j])
                    is_prop.append(np.asarray([request.statistic == "prop"]))
                    text["statistic"].append(request.statistic)
                    text["variable"].append(request.label)
                    text["category"].append(column.category)
                    for name in by_columns:
                        text[name].append(by_value.get(name, TOTAL_LEVEL))
    estimate_arr = np.concatenate(est) if est else np.zeros(0)
    se_arr = np.concatenate(se) if se else np.zeros(0)
    df_arr = np.concatenate(dfs) if dfs else np.zeros(0, dtype=np.int64)
    n_arr = np.concatenate(ns) if ns else np.zeros(0, dtype=np.int64)
    prop_mask = np.concatenate(is_prop) if is_prop else np.zeros(0, dtype=np.bool_)
    low, high = ci_wald(estimate_arr, se_arr, df_arr, level)
    if prop_mask.any():
        p, s, d, n = estimate_arr[prop_mask], se_arr[prop_mask], df_arr[prop_mask], n_arr[prop_mask]
        if method == "logit":
            plow, phigh = ci_logit(p, s, d, level)
        elif method == "korn-graubard":
            plow, phigh = ci_korn_graubard(p, s, d, n, level)
        else:
            plow, phigh = ci_wald(p, s, d, level)
            plow, phigh = np.clip(plow, 0.0, 1.0), np.clip(phigh, 0.0, 1.0)
        low[prop_mask] = plow
        high[prop_mask] = phigh
    out: dict[str, NDArray[Any]] = {
        name: np.asarray(values, dtype=object) for name, values in text.items()
    }
    out["estimate"] = estimate_arr
    out["se"] = se_arr
    out["ci_low"] = low
    out["ci_high"] = high
    out["deff"] = np.concatenate(deff) if deff else np.zeros(0)
    out["df"] = df_arr
    out["n"] = n_arr
    out["suppressed"] = np.zeros(len(estimate_arr), dtype=np.bool_)
    out["flag"] = np.full(len(estimate_arr), "", dtype=object)
    ordered = {name: out[name] for name in (*RESULT_HEAD, *by_columns, *RESULT_TAIL)}
    return EstimateResult(columns=ordered, by_columns=by_columns, level=level, ci=method)


def _level_order(columns: Sequence[KernelColumn], mine: Sequence[int], i: int) -> int:
    """Categories of a two-level prop in level order (the complement row was added second)."""
    if len(mine) == 2 and columns[mine[1]].complement_of == -2:
        return 0 if i == mine[1] else 1
    return mine.index(i)
