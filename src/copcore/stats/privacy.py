"""Differential privacy for counts and proportions, with a per-dataset privacy ledger.

Mechanism (pure ε-DP, unbounded neighbours: add or remove one child's record). Each weighted
number released is a sum ``sum_i min(w_i, cap) * y_i`` over one cell, ``y_i`` in ``{0, 1}``:
a weighted count of the numerator or of the denominator population. Capping the weights bounds
the sum's sensitivity by ``cap``. OpenDP builds and proves the pieces: the sum transformation
over ``vector_domain(atom_domain(bounds=(0, cap)))`` with ``symmetric_distance`` (its stability
map gives the sensitivity, float rounding included; Casacuberta et al. 2022) and the Laplace
measurement (``make_laplace``, sampled exactly from a discrete Laplace; Canonne, Kamath &
Steinke 2020) whose privacy map gives ε of one query. A proportion is the ratio of its noisy
numerator and noisy denominator (post-processing; Dwork & Roth 2014 Prop. 2.1).

Unweighted counts (each child counts once, weight cap 1) use OpenDP's count transformation
over ``vector_domain(atom_domain(T=bool))`` (sensitivity exactly 1) chained to ``make_laplace``
on integers, which is the discrete Laplace (geometric) mechanism: the noisy counts stay whole
numbers and no float rounding margin is needed (mechanism ``discrete_laplace``).

Accounting: cells of one breakdown are disjoint, so one breakdown costs one query's ε per
released sum column (parallel composition; McSherry 2009); different sums and breakdowns add
up (basic sequential composition; Dwork & Roth 2014 Thm 3.16). The categories of one
categorical column are disjoint too, so its counts over categories × cells of one breakdown
are one query (a histogram). A release of ``Q`` queries at
``ε_q`` each spends ``Q · ε_q`` from the dataset's budget, recorded in a JSON ledger that
refuses a release past the budget and is left untouched when it does.

Randomness: by default the noise comes from OpenDP's own cryptographically secure sampler,
which cannot be seeded. For exact tests and simulations an ``rng`` (``numpy.random.Generator``)
may be passed: the noise is then ``rng.laplace(0, scale)`` with the *same* scale OpenDP
calibrated (for counts, the difference of two ``rng.geometric`` draws, the discrete Laplace
law of the same scale). That path is reproducible but not safe for publication (a known seed,
and floating-point Laplace sampling leaks through its low bits; Mironov 2012), so the output
names the sampler.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import opendp.prelude as opendp_prelude

from copcore.stats.columns import BoolArray, FloatArray, IntArray
from copcore.stats.errors import (
    FileError,
    LedgerError,
    OptionError,
    PrivacyBudgetExceeded,
)

LEDGER_FORMAT = "cop-privacy-ledger/1"
MECHANISM = "laplace"
MECHANISM_DISCRETE = "discrete_laplace"
SAMPLER_OPENDP = "opendp"
SAMPLER_RNG = "numpy-rng-not-for-publication"


# OpenDP's Python bindings are only partly typed; the engine talks to them through this alias.
dp: Any = opendp_prelude


def _opendp() -> None:
    dp.enable_features("contrib")


@dataclass(frozen=True)
class Calibration:
    """Noise for one release: ``queries`` sums, each ``epsilon_query``-DP by OpenDP's map.

    ``sensitivity`` is OpenDP's stability bound of one capped sum (``cap`` plus a float
    rounding margin); ``scale`` the Laplace scale (standard deviation ``scale·√2``).
    """

    weight_cap: float
    queries: int
    scale: float
    sensitivity: float
    epsilon_query: float
    mechanism: str = MECHANISM

    @property
    def epsilon(self) -> float:
        """Total ε of the release (basic composition of its queries)."""
        return math.fsum([self.epsilon_query] * self.queries)


def _sum_transformation(weight_cap: float) -> Any:
    _opendp()
    space = (
        dp.vector_domain(dp.atom_domain(bounds=(0.0, float(weight_cap)))),
        dp.symmetric_distance(),
    )
    return space >> dp.t.then_sum()


def _query_measurement(weight_cap: float, scale: float) -> Any:
    return _sum_transformation(weight_cap) >> dp.m.then_laplace(scale=scale)


def _calibration_check(epsilon: float, queries: int, weight_cap: float = 1.0) -> None:
    if not (math.isfinite(epsilon) and epsilon > 0):
        raise OptionError("option_invalid", option="dp-epsilon", value=str(epsilon), allowed="> 0")
    if not (math.isfinite(weight_cap) and weight_cap > 0):
        raise OptionError(
            "option_invalid", option="dp-weight-cap", value=str(weight_cap), allowed="> 0"
        )
    if queries < 1:
        raise OptionError("option_invalid", option="dp-queries", value=str(queries), allowed=">= 1")


def dp_calibrate(epsilon: float, weight_cap: float, queries: int) -> Calibration:
    """Split ``epsilon`` evenly over ``queries`` capped sums and find the Laplace scale.

    The scale is the smallest OpenDP accepts for ``ε/queries`` on one sum (binary search over
    the composed measurement's privacy map), so the recorded ε never exceeds the request.

    >>> c = dp_calibrate(1.0, weight_cap=10.0, queries=4)
    >>> round(c.scale, 3), c.epsilon <= 1.0
    (40.0, True)
    """
    _calibration_check(epsilon, queries, weight_cap)
    per_query = epsilon / queries
    scale = float(
        dp.binary_search_param(lambda s: _query_measurement(weight_cap, s), d_in=1, d_out=per_query)
    )
    measurement = _query_measurement(weight_cap, scale)
    return Calibration(
        weight_cap=float(weight_cap),
        queries=queries,
        scale=scale,
        sensitivity=float(_sum_transformation(weight_cap).map(1)),
        epsilon_query=float(measurement.map(1)),
    )


def _count_transformation() -> Any:
    _opendp()
    space = dp.vector_domain(dp.atom_domain(T=bool)), dp.symmetric_distance()
    return space >> dp.t.then_count(TO="i64")


def _count_measurement(scale: float) -> Any:
    return _count_transformation() >> dp.m.then_laplace(scale=scale)


def dp_calibrate_counts(epsilon: float, queries: int) -> Calibration:
    """Split ``epsilon`` evenly over ``queries`` unweighted counts: OpenDP's count (sensitivity
    1) and discrete Laplace noise, the scale found as in :func:`dp_calibrate`. The weight cap
    is 1: each child counts once.

    >>> c = dp_calibrate_counts(1.0, queries=4)
    >>> c.scale, c.epsilon, c.mechanism
    (4.0, 1.0, 'discrete_laplace')
    """
    _calibration_check(epsilon, queries)
    per_query = epsilon / queries
    scale = float(dp.binary_search_param(_count_measurement, d_in=1, d_out=per_query))
    return Calibration(
        weight_cap=1.0,
        queries=queries,
        scale=scale,
        sensitivity=float(_count_transformation().map(1)),
        epsilon_query=float(_count_measurement(scale).map(1)),
        mechanism=MECHANISM_DISCRETE,
    )


def dp_sums(contributions: list[FloatArray], weight_cap: float) -> FloatArray:
    """Exact sums of capped contributions, each computed by OpenDP's sum transformation.

    ``contributions[j]`` holds the values ``min(w_i, cap)·y_i`` of the rows in query ``j``'s
    cell; values outside ``[0, cap]`` are an error of the caller.
    """
    transformation = _sum_transformation(weight_cap)
    return np.array(
        [
            float(transformation(values.tolist())) if len(values) else 0.0
            for values in contributions
        ],
        dtype=np.float64,
    )


def dp_counts(contributions: list[FloatArray]) -> FloatArray:
    """Exact numbers of rows of every query cell, each counted by OpenDP's count
    transformation (``contributions`` as for :func:`dp_sums`; only their lengths matter)."""
    transformation = _count_transformation()
    return np.array(
        [float(transformation([True] * len(values))) for values in contributions],
        dtype=np.float64,
    )


def dp_noise(
    sums: FloatArray, calibration: Calibration, rng: np.random.Generator | None = None
) -> tuple[FloatArray, str]:
    """Add noise of the calibrated scale to every sum; returns the noisy sums and the name of
    the sampler used (:data:`SAMPLER_OPENDP` unless ``rng`` is given).

    Laplace noise for weighted sums; discrete Laplace (whole numbers) when the calibration's
    mechanism is :data:`MECHANISM_DISCRETE`, with ``rng`` the difference of two geometric
    draws with success probability ``1 - exp(-1/scale)``.
    """
    discrete = calibration.mechanism == MECHANISM_DISCRETE
    if rng is not None:
        if discrete:
            p = -math.expm1(-1.0 / calibration.scale)
            size = len(sums)
            steps = rng.geometric(p, size=size) - rng.geometric(p, size=size)
            noise = np.asarray(steps, dtype=np.float64)
        else:
            noise = rng.laplace(0.0, calibration.scale, size=len(sums))
        return np.asarray(sums + noise, dtype=np.float64), SAMPLER_RNG
    if len(sums) == 0:
        return np.zeros(0), SAMPLER_OPENDP
    _opendp()
    if discrete:
        laplace = dp.m.make_laplace(
            dp.vector_domain(dp.atom_domain(T="i64")),
            dp.l1_distance(T="i64"),
            scale=calibration.scale,
        )
        counts = [int(v) for v in np.rint(sums)]
        return np.asarray(laplace(counts), dtype=np.float64), SAMPLER_OPENDP
    laplace = dp.m.make_laplace(
        dp.vector_domain(dp.atom_domain(T=float, nan=False)),
        dp.l1_distance(T=float),
        scale=calibration.scale,
    )
    return np.asarray(laplace(sums.tolist()), dtype=np.float64), SAMPLER_OPENDP


@dataclass(frozen=True)
class NoisyCells:
    """Noisy capped weighted counts: ``sums[q][cell]`` for query ``q``."""

    sums: tuple[FloatArray, ...]
    calibration: Calibration
    sampler: str


def _cell_contributions(
    values: FloatArray, masks: Sequence[BoolArray], cells: Sequence[tuple[IntArray, int]]
) -> tuple[list[FloatArray], list[int]]:
    """``values`` of the rows in every cell of every query, and each query's number of cells."""
    contributions: list[FloatArray] = []
    sizes: list[int] = []
    for mask, (codes, n_cells) in zip(masks, cells, strict=True):
        chosen = np.flatnonzero(mask & (codes >= 0))
        order = chosen[np.argsort(codes[chosen], kind="stable")]
        bounds = np.searchsorted(codes[order], np.arange(1, n_cells))
        contributions.extend(np.split(values[order], bounds))
        sizes.append(n_cells)
    return contributions, sizes


def _by_query(noisy: FloatArray, sizes: Sequence[int]) -> tuple[FloatArray, ...]:
    return tuple(np.split(noisy, np.cumsum(sizes)[:-1])) if sizes else ()


def dp_cell_counts(
    weights: FloatArray,
    masks: Sequence[BoolArray],
    cells: Sequence[tuple[IntArray, int]],
    *,
    epsilon: float,
    weight_cap: float,
    rng: np.random.Generator | None = None,
) -> NoisyCells:
    """Release ``len(masks)`` capped weighted counts per cell under ``epsilon``-DP in total.

    Query ``q`` counts, in each cell ``c`` of ``cells[q] = (codes, n_cells)``, the capped
    weights ``min(w_i, cap)`` of rows with ``masks[q]`` true and ``codes == c``. Every cell is
    released, empty or not, so the cells must be fixed in advance (not read from the data).
    Each query costs ``epsilon / len(masks)`` (parallel composition over its disjoint cells).
    """
    calibration = dp_calibrate(epsilon, weight_cap, len(masks))
    capped = np.minimum(np.asarray(weights, dtype=np.float64), calibration.weight_cap)
    contributions, sizes = _cell_contributions(capped, masks, cells)
    exact = dp_sums(contributions, calibration.weight_cap)
    noisy, sampler = dp_noise(exact, calibration, rng)
    return NoisyCells(sums=_by_query(noisy, sizes), calibration=calibration, sampler=sampler)


def dp_cell_counts_unweighted(
    masks: Sequence[BoolArray],
    cells: Sequence[tuple[IntArray, int]],
    *,
    epsilon: float,
    rng: np.random.Generator | None = None,
) -> NoisyCells:
    """As :func:`dp_cell_counts` with every weight 1: numbers of rows, by OpenDP's count and
    discrete Laplace noise (:func:`dp_calibrate_counts`); the noisy counts are whole numbers."""
    calibration = dp_calibrate_counts(epsilon, len(masks))
    n_rows = len(cells[0][0]) if cells else 0
    contributions, sizes = _cell_contributions(np.ones(n_rows), masks, cells)
    exact = dp_counts(contributions)
    noisy, sampler = dp_noise(exact, calibration, rng)
    return NoisyCells(sums=_by_query(noisy, sizes), calibration=calibration, sampler=sampler)


def calibration_metadata(calibration: Calibration, sampler: str) -> dict[str, str]:
    """What a release's file metadata says about its privacy loss and noise."""
    return {
        "dp_mechanism": calibration.mechanism,
        "dp_sampler": sampler,
        "dp_epsilon": repr(calibration.epsilon),
        "dp_epsilon_query": repr(calibration.epsilon_query),
        "dp_queries": str(calibration.queries),
        "dp_scale": repr(calibration.scale),
        "dp_sensitivity": repr(calibration.sensitivity),
        "dp_weight_cap": repr(calibration.weight_cap),
    }


# ----------------------------------------------------------------------------- ledger


@dataclass(frozen=True)
class Release:
    """One recorded release of a dataset."""

    at: str
    epsilon: float
    mechanism: str
    weight_cap: float
    queries: int
    description: str


@dataclass(frozen=True)
class Account:
    """A dataset's budget and its releases; ``spent`` sums their ε."""

    dataset: str
    budget: float
    releases: tuple[Release, ...] = ()

    @property
    def spent(self) -> float:
        """ε spent so far (basic composition across releases)."""
        return math.fsum(r.epsilon for r in self.releases)


@dataclass(frozen=True)
class Ledger:
    """Every dataset's privacy account."""

    accounts: tuple[Account, ...] = ()

    def account(self, dataset: str) -> Account | None:
        """The account of ``dataset``, if it has one."""
        return next((a for a in self.accounts if a.dataset == dataset), None)


def ledger_charge(
    ledger: Ledger,
    *,
    dataset: str,
    calibration: Calibration,
    budget: float | None,
    now: datetime,
    description: str = "",
) -> Ledger:
    """The ledger after recording one release; raises instead when it would exceed the budget.

    A dataset's first release needs ``budget``; afterwards ``budget`` must be ``None`` or equal
    to the recorded one (a budget is never raised silently). Raises
    :class:`PrivacyBudgetExceeded` ``privacy_budget_exceeded`` or :class:`LedgerError`
    ``ledger_budget_missing`` / ``ledger_budget_mismatch``; the input ledger is never changed.
    """
    account = ledger.account(dataset)
    if account is None:
        if budget is None:
            raise LedgerError("ledger_budget_missing", dataset=dataset)
        if not (math.isfinite(budget) and budget > 0):
            raise OptionError(
                "option_invalid", option="dp-budget", value=str(budget), allowed="> 0"
            )
        account = Account(dataset=dataset, budget=float(budget))
    elif budget is not None and budget != account.budget:
        raise LedgerError(
            "ledger_budget_mismatch", dataset=dataset, budget=account.budget, requested=budget
        )
    total = math.fsum([account.spent, calibration.epsilon])
    if total > account.budget:
        raise PrivacyBudgetExceeded(
            "privacy_budget_exceeded",
            dataset=dataset,
            budget=account.budget,
            spent=account.spent,
            requested=calibration.epsilon,
        )
    release = Release(
        at=now.isoformat(),
        epsilon=calibration.epsilon,
        mechanism=calibration.mechanism,
        weight_cap=calibration.weight_cap,
        queries=calibration.queries,
        description=description,
    )
    updated = replace(account, releases=(*account.releases, release))
    others = tuple(a for a in ledger.accounts if a.dataset != dataset)
    return Ledger(accounts=(*others, updated))


def ledger_as_dict(ledger: Ledger) -> dict[str, Any]:
    """The JSON form of a ledger."""
    return {
        "format": LEDGER_FORMAT,
        "datasets": {
            a.dataset: {
                "budget_epsilon": a.budget,
                "spent_epsilon": a.spent,
                "releases": [
                    {
                        "at": r.at,
                        "epsilon": r.epsilon,
                        "mechanism": r.mechanism,
                        "weight_cap": r.weight_cap,
                        "queries": r.queries,
                        "description": r.description,
                    }
                    for r in a.releases
                ],
            }
            for a in ledger.accounts
        },
    }


def ledger_read(path: Path | str) -> Ledger:
    """Read a ledger file; a file that does not exist is an empty ledger."""
    file = Path(path)
    if not file.exists():
        return Ledger()
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if data.get("format") != LEDGER_FORMAT:
            raise ValueError(f"format is not {LEDGER_FORMAT}")
        accounts = tuple(
            Account(
                dataset=name,
                budget=float(spec["budget_epsilon"]),
                releases=tuple(
                    Release(
                        at=str(r["at"]),
                        epsilon=float(r["epsilon"]),
                        mechanism=str(r["mechanism"]),
                        weight_cap=float(r["weight_cap"]),
                        queries=int(r["queries"]),
                        description=str(r.get("description", "")),
                    )
                    for r in spec["releases"]
                ),
            )
            for name, spec in data["datasets"].items()
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise LedgerError("ledger_unreadable", path=str(file), reason=str(exc)) from None
    return Ledger(accounts=accounts)


def ledger_write(ledger: Ledger, path: Path | str) -> None:
    """Write the ledger atomically (temporary file in the same folder, then rename)."""
    file = Path(path)
    text = json.dumps(ledger_as_dict(ledger), indent=2, ensure_ascii=False) + "\n"
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent or ".")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, file)
    except OSError as exc:
        raise FileError("output_unwritable", path=str(file), reason=str(exc)) from None


@contextmanager
def ledger_lock(path: Path | str) -> Iterator[None]:
    """Hold an exclusive lock on ``<ledger>.lock`` so concurrent releases cannot both pass the
    budget check (POSIX ``flock``)."""
    lock_path = Path(f"{path}.lock")
    try:
        handle = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o600)
    except OSError as exc:
        raise FileError("output_unwritable", path=str(lock_path), reason=str(exc)) from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)
