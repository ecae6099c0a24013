"""Counts of countries by maturity phase for each WeProtect MNR capability, per ITU-D region
and per development grouping, from published assessments whose countries agreed to be counted
(``aggregated`` or ``public``). A cell of fewer than ``MIN_COUNTRIES`` countries is never shown
(nor zero: "none" would be as telling), no totals are shown, and a table with fewer than
``MIN_COUNTRIES`` countries in all is not shown at all. Nothing here ranks countries."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from cophub.reference.models import Country, Grouping, Region

from .access import COUNTED_IN_AGGREGATES
from .models import Assessment, CrosswalkLink, Framework, Item, MaturityPhase

MIN_COUNTRIES = 3
CAPABILITY_FRAMEWORK = "weprotect-mnr"


def suppress(counts: Iterable[int], minimum: int = MIN_COUNTRIES) -> list[int | None]:
    """``None`` in place of every count below ``minimum`` (zero included).

    >>> suppress([5, 2, 0, 3])
    [5, None, None, 3]
    """
    return [count if count >= minimum else None for count in counts]


@dataclass(frozen=True)
class CapabilityRow:
    item: Item
    cells: list[int | None]


@dataclass(frozen=True)
class AggregateTable:
    key: str
    title: str
    shown: bool
    rows: list[CapabilityRow]


def counted_assessments(year: int) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        year=year,
        confidentiality__in=COUNTED_IN_AGGREGATES,
        profile__published_at__isnull=False,
    ).select_related("profile", "country")


def counted_years(countries: Iterable[str] | None = None) -> list[int]:
    assessments = Assessment.objects.filter(
        confidentiality__in=COUNTED_IN_AGGREGATES, profile__published_at__isnull=False
    )
    if countries is not None:
        assessments = assessments.filter(country_id__in=list(countries))
    return sorted(set(assessments.values_list("year", flat=True)), reverse=True)


def region_countries(region_code: str | None) -> list[str] | None:
    """The countries of a region; ``None`` (no limit) for all regions."""
    if region_code is None:
        return None
    return list(Country.objects.filter(region_id=region_code).values_list("iso2", flat=True))


def capability_framework() -> Framework | None:
    return (
        Framework.objects.filter(key=CAPABILITY_FRAMEWORK)
        .defer("document")
        .order_by("-version")
        .first()
    )


def _capability_sources(capabilities: Framework) -> dict[tuple[str, str], list[str]]:
    """(source framework "key/version", capability key) → keys of the items that stand for
    the capability through a ``same`` crosswalk link (or the capability itself)."""
    sources: dict[tuple[str, str], list[str]] = {}
    own = f"{capabilities.key}/{capabilities.version}"
    for item in capabilities.items.all():
        sources.setdefault((own, item.key), []).append(item.key)
    links = (
        CrosswalkLink.objects.filter(relation=CrosswalkLink.Relation.SAME)
        .select_related("source__framework", "target__framework")
        .defer("source__framework__document", "target__framework__document")
    )
    for link in links:
        for mine, other in ((link.source, link.target), (link.target, link.source)):
            if mine.framework_id == capabilities.pk and other.kind == Item.Kind.MATURITY:
                fw = f"{other.framework.key}/{other.framework.version}"
                sources.setdefault((fw, mine.key), []).append(other.key)
    return sources


def country_phases(year: int) -> tuple[Framework | None, dict[str, dict[str, int]]]:
    """country → capability key → maturity phase, from the counted published profiles."""
    capabilities = capability_framework()
    if capabilities is None:
        return None, {}
    sources = _capability_sources(capabilities)
    items = list(capabilities.items.all())
    phases: dict[str, dict[str, int]] = {}
    for assessment in counted_assessments(year).order_by("-profile__published_at"):
        content = assessment.profile.published_content or {}
        reference = content.get("framework", {})
        framework = f"{reference.get('key')}/{reference.get('version')}"
        answers = content.get("answers", {})
        mine = phases.setdefault(assessment.country_id, {})
        for item in items:
            if item.key in mine:
                continue  # the latest published profile of the country counts
            for key in sources.get((framework, item.key), []):
                value = answers.get(key, {}).get("value")
                if isinstance(value, int):
                    mine[item.key] = value
                    break
    return capabilities, phases


def aggregate_table(
    key: str,
    title: str,
    countries: set[str],
    capabilities: Framework,
    phases: dict[str, dict[str, int]],
    phase_values: list[int],
) -> AggregateTable:
    members = [code for code in phases if code in countries and phases[code]]
    if len(members) < MIN_COUNTRIES:
        return AggregateTable(key=key, title=title, shown=False, rows=[])
    rows = []
    for item in capabilities.items.select_related("section").order_by(
        "section__position", "position"
    ):
        counts = [
            sum(1 for code in members if phases[code].get(item.key) == value)
            for value in phase_values
        ]
        rows.append(CapabilityRow(item=item, cells=suppress(counts)))
    return AggregateTable(key=key, title=title, shown=True, rows=rows)


def regional_aggregates(
    *, year: int, region_code: str | None, groupings_within_region: bool
) -> tuple[list[AggregateTable], list[AggregateTable]]:
    """Tables by region (one, or all when ``region_code`` is None) and by grouping."""
    capabilities, phases = country_phases(year)
    if capabilities is None:
        return [], []
    phase_values = list(MaturityPhase.objects.values_list("value", flat=True))
    regions = Region.objects.all() if region_code is None else Region.objects.filter(pk=region_code)
    region_countries = {
        region.code: set(Country.objects.filter(region=region).values_list("iso2", flat=True))
        for region in regions
    }
    by_region = [
        aggregate_table(
            region.code, region.name, region_countries[region.code], capabilities, phases,
            phase_values,
        )
        for region in regions
    ]  # fmt: skip
    scope = set().union(*region_countries.values()) if groupings_within_region else None
    by_grouping = []
    for grouping in Grouping.objects.prefetch_related("countries"):
        members = {country.iso2 for country in grouping.countries.all()}
        if scope is not None:
            members &= scope
        by_grouping.append(
            aggregate_table(
                grouping.code, grouping.name, members, capabilities, phases, phase_values
            )
        )
    return by_region, by_grouping
