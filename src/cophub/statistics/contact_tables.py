"""Published helpline contact counts as tables: by reason for contact (the CHI data framework's
categories, each followed by its sub-categories) or by helpline topic through the crosswalk
(each topic group followed by its topics). Categories and topic groups are published by
quarter and for the year; sub-categories and topics for the year only. Only disclosure-
controlled observations are read: a suppressed cell has no value here either."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cophub.helplines.selectors import topic_names, topic_parents
from cophub.reference.models import localized

from . import engine, reasons
from .contact_counts import CROSS, INDICATOR
from .models import Observation, Release

VIEWS = ("reason", "topic")
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
_BREAKDOWNS = {
    "reason": ("reason_group", "reason", "quarter_reason_group"),
    "topic": ("topic_group", "topic", "quarter_topic_group"),
}


@dataclass(frozen=True)
class Value:
    value: int | None
    suppressed: bool


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    level: str  # "category" (by quarter and for the year) or "subcategory" (year only)
    quarters: list[Value]
    total: Value


@dataclass
class Table:
    release: str
    country: str
    year: int
    helpline: str
    view: str
    reasons_version: str
    crosswalk_version: str
    total: Value
    rows: list[Row] = field(default_factory=list)


def observations(*, country: str | None, year: int | None) -> QuerySet[Observation]:
    rows = Observation.objects.filter(indicator=INDICATOR, current=True).select_related(
        "release", "release__dataset", "release__dataset__helpline"
    )
    if country:
        rows = rows.filter(country_id=country.upper())
    if year:
        rows = rows.filter(year=year)
    return rows.order_by("country_id", "-year", "release_id", "pk")


RELEASE_ORDER = ("country_id", "-year")  # then the primary key (paged lists add it)


def contact_releases(*, country: str | None, year: int | None) -> QuerySet[Release]:
    """The releases that publish helpline contact counts (one table each), by country and
    newest year first: what the API and the page page by."""
    counted = observations(country=country, year=year).order_by().values("release_id")
    return Release.objects.filter(pk__in=counted).order_by(*RELEASE_ORDER, "pk")


def _value(row: Observation | None) -> Value:
    if row is None:
        return Value(None, False)
    if row.suppressed or row.estimate is None:
        return Value(None, True)
    return Value(round(row.estimate), False)


def _order(view: str) -> tuple[list[tuple[str, list[str]]], dict[str, str]]:
    """The groups of the view in order, each with its members, and every code's name."""
    if view == "reason":
        groups: dict[str, list[str]] = defaultdict(list)
        names: dict[str, str] = {}
        for reason in reasons.reason_list():
            names[reason.code] = reason.name
            groups.setdefault(reason.group, [])
            if reason.code != reason.group:
                groups[reason.group].append(reason.code)
        return list(groups.items()), names
    parents = topic_parents()
    topic_groups: dict[str, list[str]] = {}
    for code, parent in sorted(parents.items()):
        topic_groups.setdefault(parent or code, [])
        if parent:
            topic_groups[parent].append(code)
    names = {code: localized(texts) for code, texts in topic_names().items()}
    for group, members in topic_groups.items():
        if members:
            # A reason broader than every sub-topic is mapped to the group itself.
            members.insert(0, group)
            names[f"{group}:self"] = _("%(name)s (not further specified)") % {
                "name": names.get(group, group)
            }
    return sorted(topic_groups.items()), names


def contact_tables(
    *,
    view: str,
    country: str | None = None,
    year: int | None = None,
    releases: list[Release] | None = None,
) -> list[Table]:
    """One table per published helpline dataset (newest year first within a country); with
    ``releases`` (a page of :func:`contact_releases`), those releases' tables in that order."""
    group_breakdown, member_breakdown, cross_breakdown = _BREAKDOWNS[view]
    order, names = _order(view)
    by_release: dict[int, dict[tuple[str, str], Observation]] = defaultdict(dict)
    read: dict[int, Any] = {}
    rows = observations(country=country, year=year)
    if releases is not None:
        rows = rows.filter(release_id__in=[release.pk for release in releases])
        by_release.update({release.pk: {} for release in releases})  # (their order)
    for row in rows:
        by_release[row.release_id][(row.breakdown, row.breakdown_value)] = row
        read[row.release_id] = row.release
    tables = []
    for release_id, cells in by_release.items():
        if release_id not in read:
            continue
        release = read[release_id]
        dataset = release.dataset
        report = dataset.check_report or {}
        table = Table(
            release=release.code,
            country=release.country_id,
            year=release.year,
            helpline=localized(dataset.helpline.names) if dataset.helpline else "",
            view=view,
            reasons_version=str(report.get("reasons_version", "")),
            crosswalk_version=str(report.get("crosswalk_version", "")),
            total=_value(cells.get((engine.TOTAL, engine.TOTAL))),
        )
        for group, members in order:
            if (group_breakdown, group) not in cells:
                continue  # nothing counted under it
            quarters = [cells.get((cross_breakdown, f"{q}{CROSS}{group}")) for q in QUARTERS]
            table.rows.append(
                Row(
                    code=group,
                    name=names.get(group, group),
                    level="category",
                    quarters=[_value(cell) for cell in quarters],
                    total=_value(cells.get((group_breakdown, group))),
                )
            )
            for member in members:
                cell = cells.get((member_breakdown, member))
                if cell is not None:
                    name = names.get(f"{member}:self" if member == group else member, member)
                    table.rows.append(Row(member, name, "subcategory", [], _value(cell)))
        tables.append(table)
    return tables
