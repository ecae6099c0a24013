"""Pooled files: one table per country, each with its own design."""

from __future__ import annotations

from copcore.stats.columns import BoolArray, Column, Factor, Table, factorize
from copcore.stats.errors import InputError
from copcore.stats.mapping import SurveyMapping


def table_subset(table: Table, rows: BoolArray) -> dict[str, Column]:
    """The rows of ``table`` where ``rows`` is true (coded columns stay coded)."""
    out: dict[str, Column] = {}
    for name, values in table.items():
        if isinstance(values, Factor):
            out[name] = Factor(codes=values.codes[rows], levels=values.levels)
        else:
            out[name] = values[rows]
    return out


def survey_countries(
    table: Table, mapping: SurveyMapping, country: str | None
) -> list[tuple[str, Table]]:
    """The table of each country: one pooled file is split on ``survey.country_column``
    (separate national surveys with their own designs, so splitting is not domain
    estimation); otherwise the whole table under ``country`` or the mapping's country."""
    column = mapping.survey.country_column
    if column is None:
        return [(country or mapping.survey.country or "", table)]
    if column not in table:
        raise InputError("column_missing", column=column)
    factor = factorize(table[column])
    if country is not None and country not in factor.levels:
        raise InputError("country_not_in_data", column=column, value=country)
    chosen = [country] if country is not None else list(factor.levels)
    out: list[tuple[str, Table]] = []
    for name in chosen:
        rows = factor.codes == factor.levels.index(name)
        out.append((name, table if rows.all() else table_subset(table, rows)))
    return out
