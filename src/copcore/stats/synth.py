"""Synthetic child-survey microdata: realistic in shape, clearly not real.

Every row carries ``synthetic = True``; countries use ISO 3166 user-assigned codes (``XA``,
``XB``, …), which no real country has. The design is stratified (region × urban/rural, then
split further), with clusters (PSUs) that share a random effect on the logit scale of every
item, so design effects of about 2–5 arise as in face-to-face household surveys (Kish 1965
§5.4: ``deff ≈ 1 + (m - 1) ρ``). Rates follow the orders of magnitude reported by Global Kids
Online, EU Kids Online 2020 and Disrupting Harm (see ``shared/reference/statistics.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from copcore.stats.errors import OptionError

REGIONS_PER_COUNTRY = 10


@dataclass(frozen=True)
class Item:
    """A harmonised binary item: base rate, age slope (logit per year) and universe."""

    name: str
    rate: float
    age_slope: float
    universe: str  # "all", "users", "users_12_17", "harmed"


ITEMS: tuple[Item, ...] = (
    Item("A1", 0.85, 0.25, "all"),
    Item("A2", 0.60, 0.20, "users"),
    Item("A3", 0.50, 0.35, "users"),
    Item("A5", 0.65, 0.30, "users"),
    Item("R1", 0.20, 0.05, "users"),
    Item("R2", 0.15, 0.00, "users"),
    Item("R3", 0.25, 0.15, "users_12_17"),
    Item("R4", 0.12, 0.15, "users_12_17"),
    Item("R5", 0.30, 0.10, "users"),
    Item("R6", 0.08, 0.15, "users"),
    Item("R7", 0.30, 0.10, "users"),
    Item("R8", 0.10, 0.05, "users"),
    Item("R9", 0.05, 0.10, "users_12_17"),
    Item("C1", 0.60, -0.05, "harmed"),
    Item("C2", 0.40, -0.10, "harmed"),
    Item("C3", 0.10, 0.05, "harmed"),
    Item("S1", 0.60, 0.20, "users"),
    Item("S2", 0.50, 0.15, "users"),
    Item("S3", 0.55, 0.00, "all"),
    Item("S4", 0.60, -0.15, "all"),
    Item("S5", 0.35, -0.10, "all"),
    Item("household_internet", 0.75, 0.00, "all"),
    Item("in_school", 0.88, -0.15, "all"),
    Item("disability", 0.07, 0.00, "all"),
)


def _logit(p: float) -> float:
    return float(np.log(p / (1.0 - p)))


def synth_generate(
    rows: int,
    countries: int,
    rng: np.random.Generator,
    *,
    strata: int | None = None,
    psus: int | None = None,
) -> pa.Table:
    """Generate ``rows`` synthetic child-survey records in ``countries`` countries.

    ``strata`` and ``psus`` are totals over all countries (default 20 strata and 10 PSUs per
    stratum per country). Deterministic given the state of ``rng``.
    """
    if rows < 1 or countries < 1 or countries > 26:
        raise OptionError(
            "option_invalid",
            option="rows/countries",
            value=f"{rows}/{countries}",
            allowed="rows >= 1, 1 <= countries <= 26",
        )
    n_strata = strata if strata is not None else 20 * countries
    n_psu = psus if psus is not None else 10 * n_strata
    if n_strata < countries or n_psu < 2 * n_strata or rows < n_psu:
        raise OptionError(
            "option_invalid",
            option="strata/psus",
            value=f"{n_strata}/{n_psu}",
            allowed="countries <= strata, 2 x strata <= psus <= rows",
        )
    # Strata are dealt to countries in turn; PSUs to strata in turn (each gets >= 2).
    stratum_country = np.arange(n_strata) % countries
    stratum_index_in_country = np.arange(n_strata) // countries
    stratum_region = stratum_index_in_country % REGIONS_PER_COUNTRY
    stratum_urban = (stratum_index_in_country // REGIONS_PER_COUNTRY) % 2 == 0
    psu_stratum = np.arange(n_psu) % n_strata
    psu = np.sort(rng.integers(0, n_psu, rows))
    psu[:n_psu] = np.arange(n_psu)  # every PSU is sampled at least once
    psu = np.sort(psu)
    stratum = psu_stratum[psu]
    country = stratum_country[stratum]
    region = stratum_region[stratum]
    urban = stratum_urban[stratum]

    cluster_size = rows / n_psu
    # Latent intra-cluster correlation giving deff of roughly 2-5 on the observed scale.
    rho = min(0.3, 3.0 / max(cluster_size - 1.0, 1.0))
    sigma = float(np.sqrt(rho * (np.pi**2 / 3.0) / (1.0 - rho)))

    age = rng.integers(9, 18, rows)
    female = rng.random(rows) < 0.5
    base_weight = (
        np.where(stratum_urban, 180.0, 320.0)[stratum] * rng.uniform(0.7, 1.4, n_strata)[stratum]
    )
    weight = base_weight * rng.uniform(0.8, 1.25, rows)
    country_shift = rng.normal(0.0, 0.35, countries)[country]
    region_shift = rng.normal(0.0, 0.15, countries * REGIONS_PER_COUNTRY)[
        country * REGIONS_PER_COUNTRY + region
    ]
    setting = np.where(urban, 0.25, -0.25)
    columns: dict[str, np.ndarray] = {}
    user = np.ones(rows, dtype=np.bool_)
    harmed = np.zeros(rows, dtype=np.bool_)
    for item in ITEMS:
        cluster_effect = rng.normal(0.0, sigma, n_psu)[psu]
        logit = (
            _logit(item.rate)
            + item.age_slope * (age - 13)
            + country_shift
            + region_shift
            + setting * (1.0 if item.name.startswith(("A", "S")) else 0.3)
            + cluster_effect
        )
        value = (rng.random(rows) < 1.0 / (1.0 + np.exp(-logit))).astype(np.float64)
        universe = {
            "all": np.ones(rows, dtype=np.bool_),
            "users": user,
            "users_12_17": user & (age >= 12),
            "harmed": harmed,
        }[item.universe]
        item_nonresponse = rng.random(rows) < (0.02 if item.name.startswith("R") else 0.005)
        value[~universe | (item_nonresponse & (item.name != "A1"))] = np.nan
        columns[item.name] = value
        if item.name == "A1":
            user = value == 1.0
            columns["internet_user"] = value.copy()
        if item.name == "R9":
            harmed = (
                (columns["R1"] == 1.0) | (columns["R2"] == 1.0) | (columns["R9"] == 1.0)
            ) & user
    first_use = np.where(user, np.minimum(age, rng.integers(5, 13, rows)), np.nan)
    codes = np.array([chr(ord("A") + i) for i in range(countries)])
    country_code = np.char.add("X", codes)[country]
    region_code = np.char.add(
        np.char.add(country_code, "-R"), np.char.zfill((region + 1).astype(str), 2)
    )
    table: dict[str, pa.Array] = {
        "country": pa.array(country_code.tolist(), type=pa.string()).dictionary_encode(),
        "stratum": pa.array(stratum + 1, type=pa.int32()),
        "psu": pa.array(psu + 1, type=pa.int32()),
        "weight": pa.array(weight),
        "age": pa.array(age.astype(np.int16)),
        "sex": pa.array(np.where(female, "female", "male").tolist()).dictionary_encode(),
        "urban": pa.array(np.where(urban, "urban", "rural").tolist()).dictionary_encode(),
        "region": pa.array(region_code.tolist()).dictionary_encode(),
        "wealth_quintile": pa.array(rng.integers(1, 6, rows).astype(np.int8)),
    }
    for name, values in columns.items():
        table[name] = pa.array(values, mask=np.isnan(values))
    table["A4"] = pa.array(first_use, mask=np.isnan(first_use))
    table["synthetic"] = pa.array(np.ones(rows, dtype=np.bool_))
    return pa.table(table)
