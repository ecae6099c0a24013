"""Replicate weights made from a stratified clustered design: jackknife (JK1, JKn), balanced
repeated replication (BRR, with Fay's coefficient) and the Rao–Wu rescaling bootstrap.

* **JK1 / JKn** (Wolter 2007 §4.5; Rust & Rao 1996): one replicate per PSU; replicate ``r``
  deletes PSU ``r`` (weight 0) and multiplies the other PSUs of its stratum by
  ``n_h / (n_h - 1)``. Multiplier ``(n_h - 1)/n_h`` of the deleted PSU's stratum (JK1: one
  stratum, ``(R - 1)/R``).
* **BRR** (McCarthy 1969; Wolter 2007 §3): two PSUs per stratum; ``R`` is the order of a
  Hadamard matrix larger than the number of strata (the smallest multiple of 4 that this
  module can build: Sylvester, Paley I and II, and doubling); stratum ``h`` takes row
  ``h + 1`` of the matrix normalised to a first row of ones, so the design is in full
  orthogonal balance. ``+1`` keeps the first PSU (weight ``(2 - ρ) w``), ``-1`` the second
  (``ρ w`` to the other, Fay 1989; plain BRR has ρ = 0). Multiplier ``1/(R(1 - ρ)²)``.
* **Bootstrap** (Rao & Wu 1988; Rao, Wu & Yue 1992): in each stratum ``n_h - 1`` PSUs drawn
  with replacement; a PSU drawn ``m`` times gets weight ``w · m · n_h / (n_h - 1)``.
  Multiplier ``1/R``.

Degrees of freedom of the design the replicates stand for: PSUs − strata (what ``svy``
records for the weights it creates).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import scipy.linalg

from copcore.stats.columns import FloatArray, Table
from copcore.stats.design import Design, PreparedDesign, design_prepare
from copcore.stats.errors import DesignError, OptionError

CreateMethod = Literal["jk1", "jkn", "brr", "bootstrap"]
CREATE_METHODS: tuple[str, ...] = get_args(CreateMethod)
BOOTSTRAP_DEFAULT_REPS = 500


@dataclass(frozen=True)
class CreatedReplicates:
    """``weights`` is ``n × R`` (column ``r`` is replicate ``r + 1``); ``method``, ``fay``,
    ``multipliers`` and ``df`` are what ``estimate`` needs to use them."""

    weights: FloatArray
    method: str
    fay: float
    multipliers: FloatArray
    df: int

    @property
    def count(self) -> int:
        """Number of replicates."""
        return int(self.weights.shape[1])


def replicates_create(
    table: Table,
    design: Design,
    method: str,
    *,
    reps: int | None = None,
    seed: int | None = None,
    fay: float = 0.0,
) -> CreatedReplicates:
    """Make replicate weights for ``design`` (weight, strata, PSU) by ``method``.

    Raises :class:`OptionError` (no PSU column, strata with ``jk1``, ``reps`` where the method
    fixes it or out of range, ``fay`` outside [0, 1) or without ``brr``) and
    :class:`DesignError` (a stratum with one PSU; a stratum without exactly two under BRR).
    """
    if method not in CREATE_METHODS:
        raise OptionError(
            "option_invalid", option="--method", value=method, allowed=", ".join(CREATE_METHODS)
        )
    if design.psu is None:
        raise OptionError("option_needs", option=f"--method {method}", needs="--psu")
    if design.fpc is not None:
        raise OptionError("option_conflict", option="--fpc", other="replicate")
    if method == "jk1" and design.strata is not None:
        raise OptionError("option_conflict", option="--strata", other="--method jk1")
    if not (0.0 <= fay < 1.0):
        raise OptionError("option_invalid", option="--fay", value=str(fay), allowed="[0, 1)")
    if fay and method != "brr":
        raise OptionError("option_conflict", option="--fay", other=f"--method {method}")
    if reps is not None and method in ("jk1", "jkn"):
        raise OptionError("option_conflict", option="--reps", other=f"--method {method}")
    prepared = design_prepare(table, design, singleton="certainty")
    lonely = np.flatnonzero(prepared.stratum_n_psu < 2)
    if len(lonely):
        raise DesignError(
            "replicate_stratum_singleton",
            column=design.strata or "",
            stratum=prepared.strata_levels[int(lonely[0])],
        )
    df = max(prepared.n_psu - prepared.n_strata, 1)
    if method in ("jk1", "jkn"):
        weights, multipliers = _jackknife(prepared)
        return CreatedReplicates(weights, method, 0.0, multipliers, df)
    if method == "brr":
        weights = _brr(prepared, design, reps, fay)
        count = weights.shape[1]
        multipliers = np.full(count, 1.0 / (count * (1.0 - fay) ** 2))
        return CreatedReplicates(weights, "fay" if fay else "brr", fay, multipliers, df)
    count = BOOTSTRAP_DEFAULT_REPS if reps is None else reps
    if count < 2:
        raise OptionError("option_invalid", option="--reps", value=str(count), allowed="2, 3, …")
    weights = _bootstrap(prepared, count, np.random.default_rng(seed))
    return CreatedReplicates(weights, "bootstrap", 0.0, np.full(count, 1.0 / count), df)


def _psu_codes(prepared: PreparedDesign) -> np.ndarray:
    assert prepared.psu is not None  # noqa: S101 - replicates_create requires a PSU column
    return prepared.psu


def _jackknife(prepared: PreparedDesign) -> tuple[FloatArray, FloatArray]:
    """One replicate per PSU, in PSU (stratum) order."""
    psu = _psu_codes(prepared)
    n_h = prepared.stratum_n_psu.astype(np.float64)
    # Replicate r (deleting PSU r) scales the rows of PSU r's stratum by n_h / (n_h - 1).
    scale = (n_h / (n_h - 1.0))[prepared.psu_stratum]  # per replicate
    same = prepared.stratum[:, None] == prepared.psu_stratum[None, :]
    factors = np.where(same, scale[None, :], 1.0)
    factors[np.arange(prepared.n_rows), psu] = 0.0
    weights = np.asfortranarray(prepared.weights[:, None] * factors)
    multipliers = ((n_h - 1.0) / n_h)[prepared.psu_stratum]
    return weights, multipliers


def _brr(prepared: PreparedDesign, design: Design, reps: int | None, fay: float) -> FloatArray:
    strata = prepared.n_strata
    two = prepared.stratum_n_psu == 2
    if not two.all():
        h = int(np.flatnonzero(~two)[0])
        raise DesignError(
            "replicate_brr_pairs",
            column=design.strata or "",
            stratum=prepared.strata_levels[h],
            count=int(prepared.stratum_n_psu[h]),
        )
    order = hadamard_order(strata) if reps is None else reps
    matrix = hadamard(order) if order > strata else None
    if matrix is None:
        raise OptionError(
            "option_invalid",
            option="--reps",
            value=str(reps),
            allowed=f"{hadamard_order(strata)} or a larger Hadamard order (multiple of 4)",
        )
    signs = matrix[1 : strata + 1, :]  # (strata, R): row h + 1 for stratum h
    psu = _psu_codes(prepared)
    first = np.zeros(prepared.n_psu, dtype=np.bool_)
    first[np.searchsorted(prepared.psu_stratum, np.arange(strata))] = True  # first PSU of each
    row_sign = signs[prepared.stratum] * np.where(first[psu], 1.0, -1.0)[:, None]
    factors = np.where(row_sign > 0, 2.0 - fay, fay)
    return np.asfortranarray(prepared.weights[:, None] * factors)


def _bootstrap(prepared: PreparedDesign, count: int, rng: np.random.Generator) -> FloatArray:
    """Rao–Wu rescaling with ``n_h - 1`` PSUs drawn per stratum."""
    draws = np.empty((prepared.n_psu, count), dtype=np.float64)
    start = 0
    for h in range(prepared.n_strata):
        n_h = int(prepared.stratum_n_psu[h])
        counts = rng.multinomial(n_h - 1, np.full(n_h, 1.0 / n_h), size=count)  # (R, n_h)
        draws[start : start + n_h] = counts.T * (n_h / (n_h - 1.0))
        start += n_h
    psu = _psu_codes(prepared)
    return np.asfortranarray(prepared.weights[:, None] * draws[psu])


# --- Hadamard matrices -------------------------------------------------------------------


def _is_prime(value: int) -> bool:
    if value < 2:
        return False
    return all(value % d for d in range(2, int(value**0.5) + 1))


def _paley_q(q: int) -> np.ndarray:
    """The Jacobsthal matrix of GF(q), q prime: ``Q[i, j] = χ(j - i)``."""
    residues = np.zeros(q, dtype=np.int64)
    residues[(np.arange(1, q) ** 2) % q] = 1
    chi = np.where(residues == 1, 1, -1)
    chi[0] = 0
    index = (np.arange(q)[None, :] - np.arange(q)[:, None]) % q
    return np.asarray(chi[index], dtype=np.int64)


def hadamard(order: int) -> np.ndarray | None:
    """A Hadamard matrix of ``order`` normalised to a first row (and column) of ones, or
    ``None`` when none of the constructions here (Sylvester, Paley I, Paley II, doubling)
    gives that order."""
    matrix = _hadamard_raw(order)
    if matrix is None:
        return None
    matrix = matrix * matrix[0:1, :]  # first row all +1
    matrix = matrix * matrix[:, 0:1]  # first column all +1
    return np.asarray(matrix, dtype=np.int64)


def _hadamard_raw(order: int) -> np.ndarray | None:
    if order < 1:
        return None
    if order in (1, 2) or (order & (order - 1)) == 0:
        return np.asarray(scipy.linalg.hadamard(order), dtype=np.int64)
    if order % 4:
        return None
    q = order - 1
    if _is_prime(q) and q % 4 == 3:
        jac = _paley_q(q)
        core = np.zeros((order, order), dtype=np.int64)
        core[0, 1:] = 1
        core[1:, 0] = -1
        core[1:, 1:] = jac
        return np.asarray(core + np.eye(order, dtype=np.int64), dtype=np.int64)
    q = order // 2 - 1
    if _is_prime(q) and q % 4 == 1:
        jac = _paley_q(q)
        s = np.zeros((q + 1, q + 1), dtype=np.int64)
        s[0, 1:] = 1
        s[1:, 0] = 1
        s[1:, 1:] = jac
        plus = np.array([[1, -1], [-1, -1]], dtype=np.int64)
        minus = np.array([[1, 1], [1, -1]], dtype=np.int64)
        out = np.zeros((order, order), dtype=np.int64)
        for i in range(q + 1):
            for j in range(q + 1):
                block = minus if s[i, j] == 0 else (plus if s[i, j] == 1 else -plus)
                out[2 * i : 2 * i + 2, 2 * j : 2 * j + 2] = block
        return out
    half = _hadamard_raw(order // 2) if order % 8 == 0 else None
    if half is None:
        return None
    return np.asarray(np.block([[half, half], [half, -half]]), dtype=np.int64)


def hadamard_order(strata: int) -> int:
    """The number of BRR replicates for ``strata`` strata: the smallest Hadamard order larger
    than ``strata`` that :func:`hadamard` builds (2 for one stratum)."""
    if strata <= 1:
        return 2
    order = (strata // 4 + 1) * 4
    while _hadamard_raw(order) is None:
        order += 4
    return order
