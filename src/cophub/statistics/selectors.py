"""Reads for statistics: the framework in the reader's language, the latest published values
of an indicator across countries, a country's figures over time, and open-data queries.
Public reads touch only :class:`Observation` and :class:`Release` rows."""

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet

from cophub.portal.records import Period, PeriodRecord, day_of, regions_filter
from cophub.reference.models import Country, Grouping, Region

from . import engine, labels
from .models import Dataset, Observation, Release


def framework_overview() -> dict[str, Any]:
    """Title, version, changelog and the indicators by group, in the active language."""
    framework = engine.framework()
    language = labels.language()
    tiers = dict(framework.tiers)
    groups = []
    for group_id, group_label in framework.groups:
        indicators = [
            {
                "id": i.id,
                "name": i.name.get(language),
                "tier": i.tier,
                "statistic": i.statistic,
                "source": i.source,
            }
            for i in framework.select(group=group_id)
        ]
        groups.append(
            {"id": group_id, "label": group_label.get(language), "indicators": indicators}
        )
    return {
        "id": framework.id,
        "version": framework.version,
        "title": framework.title.get(language),
        "age_range": framework.age_range,
        "tiers": [{"tier": t, "label": text.get(language)} for t, text in tiers.items()],
        "changelog": [
            {"version": e.version, "date": e.date, "summary": e.summary.get(language)}
            for e in framework.changelog
        ],
        "groups": groups,
    }


def indicator_detail(indicator_id: str) -> dict[str, Any] | None:
    """Everything the framework says about one indicator, or ``None`` when it has no such."""
    framework = engine.framework()
    try:
        indicator = framework.indicator(indicator_id)
    except engine.StatsError:
        return None
    language = labels.language()
    detail: dict[str, Any] = {
        "id": indicator.id,
        "name": indicator.name.get(language),
        "definition": indicator.definition.get(language),
        "comparability": indicator.comparability.get(language),
        "group": framework.group_label(indicator.group).get(language),
        "tier": dict(framework.tiers)[indicator.tier].get(language),
        "recall": dict(framework.recall_periods)[indicator.recall].get(language),
        "statistic": indicator.statistic,
        "source": indicator.source,
        "survey": indicator.is_survey,
        "per": indicator.per,
        "scale": indicator.scale,
        "measures": list(indicator.measures),
        "age": indicator.age or (framework.age_range if indicator.is_survey else None),
        "denominator": "",
        "variables": [],
        "breakdowns": [],
    }
    if indicator.is_survey:
        detail["denominator"] = framework.population(indicator.denominator or "").label.get(
            language
        )
        detail["variables"] = [
            {"id": v, "label": framework.variable(v).label.get(language)}
            for v in indicator.variables
        ]
        detail["breakdowns"] = [
            {"id": b.id, "label": b.label.get(language)}
            for b in framework.indicator_breakdowns(indicator)
        ]
    return detail


@dataclass(frozen=True)
class IndicatorFilters:
    breakdown: str = engine.TOTAL
    value: str = engine.TOTAL
    region: str = ""
    grouping: str = ""
    measure: str = ""


def _current(indicator: str) -> QuerySet[Observation]:
    return Observation.objects.filter(indicator=indicator, current=True)


def breakdown_values(indicator: str, breakdown: str) -> list[str]:
    """Levels of ``breakdown`` published for ``indicator`` (one query)."""
    values = (
        _current(indicator)
        .filter(breakdown=breakdown)
        .order_by("breakdown_value")
        .values_list("breakdown_value", flat=True)
        .distinct()
    )
    return list(values)


def indicator_latest(indicator: str, filters: IndicatorFilters) -> list[Observation]:
    """Each country's latest published value of one cell (latest year, then latest release),
    in one query however many countries there are."""
    rows = (
        _current(indicator)
        .filter(breakdown=filters.breakdown, breakdown_value=filters.value)
        .select_related("country", "release")
        .order_by("country_id", "-year", "-release__published_at", "-pk")
    )
    if filters.measure:
        rows = rows.filter(measure=filters.measure)
    if filters.region:
        rows = rows.filter(country__region_id=filters.region)
    if filters.grouping:
        rows = rows.filter(country__groupings__code=filters.grouping)
    latest: dict[str, Observation] = {}
    for row in rows:
        latest.setdefault(row.country_id, row)
    return list(latest.values())


def regions() -> list[Region]:
    return list(Region.objects.all())


def groupings() -> list[Grouping]:
    return list(Grouping.objects.all())


def country_observations(iso2: str) -> list[Observation]:
    """A country's current published figures, every year, totals only."""
    return list(
        Observation.objects.filter(country_id=iso2, current=True, breakdown=engine.TOTAL)
        .select_related("release")
        .order_by("indicator", "measure", "year", "release__published_at")
    )


def country_releases(iso2: str) -> QuerySet[Release]:
    """Every release of a country, withdrawn ones included (the history)."""
    return Release.objects.filter(country_id=iso2).select_related("replaced_by")


def country_helpline_contacts(iso2: str) -> list[Observation]:
    """The latest published helpline contact counts by topic of each helpline dataset."""
    return list(
        Observation.objects.filter(
            country_id=iso2,
            current=True,
            indicator="helpline_contacts",
            breakdown__in=(engine.TOTAL, "topic_group", "topic"),
        )
        .select_related("release", "release__dataset__helpline")
        .order_by("-year", "release_id", "breakdown", "breakdown_value")
    )


def observations_query(
    *,
    indicator: str | None = None,
    country: str | None = None,
    breakdown: str | None = None,
    year: int | None = None,
    release: str | None = None,
    include_withdrawn: bool = False,
) -> QuerySet[Observation]:
    """Open-data rows, filtered; ordered so downloads are stable."""
    rows = Observation.objects.select_related("release").order_by(
        "country_id", "indicator", "measure", "year", "breakdown", "breakdown_value", "pk"
    )
    if not include_withdrawn:
        rows = rows.filter(current=True)
    if indicator:
        rows = rows.filter(indicator=indicator)
    if country:
        rows = rows.filter(country_id=country.upper())
    if breakdown:
        rows = rows.filter(breakdown=breakdown)
    if year:
        rows = rows.filter(year=year)
    if release:
        rows = rows.filter(release__code=release)
    return rows


def release_list() -> QuerySet[Release]:
    return Release.objects.select_related("country", "replaced_by")


def country_get(iso2: str) -> Country | None:
    return (
        Country.objects.select_related("region")
        .prefetch_related("groupings")
        .filter(iso2=iso2.upper())
        .first()
    )


def dataset_history(dataset: Dataset) -> QuerySet[Any]:
    return dataset.events.select_related("actor")


# Every model ``records_in_period`` reads (the countries only when regions are chosen):
# coordination refreshes its summaries after their rows change, and only theirs.
PERIOD_RECORD_MODELS: tuple[type[Model], ...] = (Release, Country)


def records_in_period(
    *, period: Period, regions: Collection[str] | None = None
) -> list[PeriodRecord]:
    """For reports (decision 0025): statistics releases published in the period. One query."""
    start, end = period.instants()
    releases = Release.objects.filter(
        regions_filter(regions, country="country"), published_at__range=(start, end)
    ).order_by("published_at", "pk")
    return [
        PeriodRecord(
            on=day_of(release.published_at),
            kind="statistics_release",
            title=release.code,
            source=f"statistics.release:{release.pk}",
            clauses=("BDT-6", "MS-4"),
            countries=(release.country_id,),
        )
        for release in releases
    ]
