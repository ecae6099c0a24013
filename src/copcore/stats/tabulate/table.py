"""The tidy output table of a tabulation: its columns, options and metadata, and the rows
it is built from (a few thousand at most)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from copcore.stats.framework import Framework
from copcore.stats.mapping import SurveyMapping
from copcore.stats.tidy import tidy_arrow, tidy_rows

COLUMNS = (
    "country",
    "survey",
    "framework",
    "framework_version",
    "indicator",
    "group",
    "tier",
    "statistic",
    "denominator",
    "age_min",
    "age_max",
    "breakdown",
    "breakdown_value",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "deff",
    "df",
    "n",
    "suppressed",
    "flag",
    "comparability",
)

# Column types of the table (text columns are the others).
NUMERIC = ("estimate", "se", "ci_low", "ci_high", "deff")
INTEGER = ("tier", "age_min", "age_max", "df", "n")
DP_NUMERIC = ("dp_numerator", "dp_denominator", "dp_epsilon", "dp_scale", "dp_weight_cap")

DP_COLUMNS = (
    *COLUMNS[: COLUMNS.index("breakdown_value") + 1],
    "estimate",
    "dp_numerator",
    "dp_denominator",
    "comparability",
    "dp_mechanism",
    "dp_sampler",
    "dp_epsilon",
    "dp_scale",
    "dp_weight_cap",
)


@dataclass(frozen=True)
class TabulateOptions:
    """What to compute and how; ``tier=1`` keeps the short first tier."""

    country: str | None = None
    ci: str = "logit"
    level: float = 0.95
    singleton: str = "fail"
    tier: int | None = None
    indicators: tuple[str, ...] = ()


DEFAULT_OPTIONS = TabulateOptions()


@dataclass(frozen=True)
class Tabulation:
    """The tidy table (``columns`` in :attr:`column_names` order) and its metadata."""

    columns: Mapping[str, NDArray[Any]]
    column_names: tuple[str, ...]
    metadata: Mapping[str, str] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return len(self.columns["indicator"])

    @property
    def sdmx_structure(self) -> str:
        """The SDMX dataflow of COP indicators, versioned as the framework."""
        return f"COPHUB:DF_COP_INDICATORS({self.metadata.get('framework_version', '1.0')})"

    @property
    def sdmx_dimensions(self) -> tuple[str, ...]:
        """Country, indicator, breakdown and its value identify a row."""
        return ("country", "indicator", "breakdown", "breakdown_value")

    def rows(self) -> list[dict[str, Any]]:
        """Rows as plain dicts (blank numbers as ``None``)."""
        return tidy_rows(self)

    def to_arrow(self) -> pa.Table:
        """The table as Arrow, blank numbers as nulls, metadata on the schema."""
        return tidy_arrow(self)


class Rows:
    """Column lists of the output table, filled row by row (a few thousand rows at most);
    a name starting with ``_`` is a working number column, not published."""

    def __init__(self, names: Sequence[str]) -> None:
        self.data: dict[str, list[Any]] = {name: [] for name in names}

    def add(self, **values: Any) -> None:
        for name, column in self.data.items():
            numeric = name in (*NUMERIC, *DP_NUMERIC) or name.startswith("_")
            column.append(values.get(name, np.nan if numeric else ""))


def rows_as_arrays(data: Mapping[str, list[Any]]) -> dict[str, NDArray[Any]]:
    """The collected rows as typed columns (numbers float64, counts int64, text object)."""
    out: dict[str, NDArray[Any]] = {}
    for name, values in data.items():
        if (
            name in NUMERIC
            or name.startswith("_")
            or (name.startswith("dp_") and name not in ("dp_mechanism", "dp_sampler"))
        ):
            out[name] = np.asarray(values, dtype=np.float64)
        elif name in INTEGER:
            out[name] = np.asarray(values, dtype=np.int64)
        elif name == "suppressed":
            out[name] = np.asarray(values, dtype=np.bool_)
        else:
            out[name] = np.asarray(values, dtype=object)
    return out


def row_context(mapping: SurveyMapping, framework: Framework, country: str) -> dict[str, str]:
    """The provenance columns every row of one country carries."""
    return {
        "country": country,
        "survey": mapping.survey.name,
        "framework": framework.id,
        "framework_version": framework.version,
    }


def table_metadata(
    framework: Framework, mapping: SurveyMapping, extra: Mapping[str, str]
) -> dict[str, str]:
    """Metadata of the table: framework, survey, and what the caller adds."""
    return {
        "framework": framework.id,
        "framework_version": framework.version,
        "survey": mapping.survey.name,
        "survey_population": mapping.survey.population,
        "survey_age": f"{mapping.survey.age[0]}-{mapping.survey.age[1]}",
        **extra,
    }
