"""Reads of the hub: the translation matrix, the public listing and search, downloads and the
dissemination log."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Min, Model, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from wagtail.models import Page

from cophub.portal.records import Period, PeriodRecord, day_of, regions_filter
from cophub.reference.models import Clause, Country

from .languages import content_languages
from .models import (
    ContentHold,
    CourseModulePage,
    DisseminationEvent,
    DownloadCount,
    ItemTranslation,
    ResourceDownload,
    ResourceDownloadFile,
    ResourcePage,
    RiskTopic,
    TrackedItem,
)
from .models.tracking import page_source_languages
from .search_text import query_terms
from .translation_content import Segment, item_segments
from .translation_status import Cell, cell_status

MAX_SEARCH_RESULTS = 50


@dataclass(frozen=True)
class MatrixRow:
    item: TrackedItem
    cells: tuple[Cell, ...]

    def cell(self, language: str) -> Cell | None:
        return next((cell for cell in self.cells if cell.language == language), None)


def _cells(item: TrackedItem, languages: tuple[str, ...]) -> tuple[Cell, ...]:
    records = {record.language: record for record in item.translations.all()}
    cells = []
    for language in languages:
        record = records.get(language)
        status = cell_status(
            language=language,
            source_language=item.source_language,
            state=record.state if record else None,
            made_from_hash=record.made_from_hash if record else None,
            source_hash=item.source_hash,
        )
        cells.append(
            Cell(
                language=language,
                status=status,
                state=record.state if record else None,
                made_from_version=record.made_from_version if record else None,
                updated_at=record.updated_at if record else None,
            )
        )
    return tuple(cells)


def translation_matrix(
    *, language: str | None = None, status: str | None = None, kind: str | None = None
) -> list[MatrixRow]:
    """Every tracked item × every content language. ``status`` with ``language`` keeps the
    items in that status in that language ("outdated in Arabic"); ``status`` alone keeps the
    items in that status in any language. Files cover the extra languages too; pages and
    records only the six."""
    return matrix_rows(list(translation_items(kind=kind)), language=language, status=status)


def translation_items(*, kind: str | None = None) -> QuerySet[TrackedItem]:
    """The tracked items of the matrix (the API pages them; see ``matrix_rows``)."""
    items = TrackedItem.objects.prefetch_related("translations").order_by("kind", "title", "pk")
    return items.filter(kind=kind) if kind else items


def matrix_rows(
    items: list[TrackedItem], *, language: str | None = None, status: str | None = None
) -> list[MatrixRow]:
    """The matrix rows of ``items``, kept as ``translation_matrix`` says."""
    languages = content_languages()
    rows = [MatrixRow(item=item, cells=_cells(item, languages)) for item in items]
    if status and language:
        return [row for row in rows if (c := row.cell(language)) and c.status == status]
    if status:
        return [row for row in rows if any(cell.status == status for cell in row.cells)]
    return rows


@dataclass(frozen=True)
class Workspace:
    item: TrackedItem
    language: str
    record: ItemTranslation | None
    cell: Cell
    segments: list[Segment] | None
    files: dict[str, ResourceDownloadFile]

    @property
    def progress(self) -> tuple[int, int] | None:
        if self.segments is None:
            return None
        return len(self.segments), sum(1 for segment in self.segments if segment.target)


def translation_workspace(item: TrackedItem, language: str) -> Workspace:
    record = item.translations.filter(language=language).first()
    cell = _cells(item, (language,))[0]
    files: dict[str, ResourceDownloadFile] = {}
    segments = None
    if item.kind == TrackedItem.Kind.FILE:
        files = {
            row.language: row
            for row in ResourceDownloadFile.objects.filter(download_id=int(item.key))
            .select_related("document")
            .filter(language__in=[item.source_language, language])
        }
    else:
        segments = item_segments(item, language)
    return Workspace(item, language, record, cell, segments, files)


def resource_is_held(translation_key: UUID) -> bool:
    return ContentHold.holds(translation_key)


@dataclass(frozen=True)
class ListedResource:
    page: Page
    language: str
    in_requested_language: bool
    outdated: bool


def _outdated_languages(keys: list[str]) -> set[tuple[str, str]]:
    """(translation key, language) of the outdated translations of these page items."""
    records = ItemTranslation.objects.filter(
        item__kind=TrackedItem.Kind.PAGE, item__key__in=keys
    ).values_list("item__key", "language", "made_from_hash", "item__source_hash")
    return {(key, language) for key, language, made, current in records if made != current}


def _pick_versions(pages: list[Page], language: str) -> list[ListedResource]:
    """One entry per resource: the version in ``language`` if it is live, else the source."""
    by_key: dict[str, list[Page]] = defaultdict(list)
    order: list[str] = []
    for page in pages:
        key = str(page.translation_key)
        if key not in by_key:
            order.append(key)
        by_key[key].append(page)
    sources = page_source_languages(order)
    outdated = _outdated_languages(order)
    listed = []
    for key in order:
        versions = {page.locale.language_code: page for page in by_key[key]}
        if language in versions:
            page, shown = versions[language], language
        else:
            shown = sources.get(key) or next(iter(versions))
            page = versions.get(shown) or next(iter(versions.values()))
            shown = page.locale.language_code
        listed.append(
            ListedResource(
                page=page,
                language=shown,
                in_requested_language=shown == language,
                outdated=(key, shown) in outdated,
            )
        )
    return listed


def _public_resources() -> Any:
    """Live, public, not held (a Wagtail ``PageQuerySet``, which can also ``search``)."""
    return (
        ResourcePage.objects.live()
        .public()
        .exclude(translation_key__in=ContentHold.objects.values("translation_key"))
        .select_related("locale")
    )


def hub_resource_firsts(filters: dict[str, str]) -> QuerySet[ResourcePage]:
    """One row per resource of the hub's listing (its first version, the lowest key), for
    paging by resource: ``listed_edition`` is its edition date (the oldest possible date when it
    has none), so the newest editions come first with ``-listed_edition``."""
    firsts = (
        ResourcePage.objects.filter(pk__in=_hub_matching(filters).values("pk"))
        .order_by()
        .values("translation_key")
        .annotate(first=Min("pk"))
        .values("first")
    )
    listed: QuerySet[ResourcePage] = ResourcePage.objects.filter(pk__in=firsts).annotate(
        listed_edition=Coalesce("edition_date", Value(date.min))
    )
    return listed


def hub_resource_page(
    firsts: list[ResourcePage], *, language: str, filters: dict[str, str]
) -> list[ListedResource]:
    """The entries of a page of ``hub_resource_firsts``, in its order, each in ``language``
    when translated (two queries for the page, whatever its size)."""
    index = {str(page.translation_key): n for n, page in enumerate(firsts)}
    keys = [page.translation_key for page in firsts]
    versions = list(_hub_matching(filters).filter(translation_key__in=keys).distinct())
    versions.sort(key=lambda page: (index[str(page.translation_key)], page.pk))
    return _pick_versions(versions, language)


def _hub_matching(filters: dict[str, str]) -> Any:
    pages = _public_resources()
    if filters.get("kind"):
        pages = pages.filter(kind=filters["kind"])
    if filters.get("audience"):
        pages = pages.filter(audiences__code=filters["audience"])
    if filters.get("topic"):
        topics = RiskTopic.objects.filter(Q(code=filters["topic"]) | Q(parent_id=filters["topic"]))
        pages = pages.filter(topics__in=topics)
    if filters.get("clause"):
        pages = pages.filter(clauses__id=filters["clause"])
    if filters.get("region"):
        pages = pages.filter(regions__code=filters["region"])
    return pages.distinct()


def resource_search(query: str, *, language: str) -> list[ListedResource]:
    """Full-text search in every language (see ``search_text``): all the query's terms must
    occur. Resources and course modules; one entry per resource, in ``language`` if it has
    a live version in it."""
    terms = query_terms(query)
    if not terms:
        return []
    expression = " ".join(terms)
    held = ContentHold.objects.values("translation_key")
    found: list[Page] = list(
        _public_resources().search(expression, operator="and")[:MAX_SEARCH_RESULTS]
    )
    modules = (
        CourseModulePage.objects.live()
        .public()
        .select_related("locale")
        .search(expression, operator="and")[:MAX_SEARCH_RESULTS]
    )
    held_keys = {str(key) for key in held.values_list("translation_key", flat=True)}
    for module in modules:
        parent = module.get_parent()
        if parent is not None and str(parent.translation_key) not in held_keys:
            found.append(module)
    return _pick_versions(found, language)


def resource_translations(page: Page) -> list[Page]:
    """The live versions of a page in every language, in the order of the content languages."""
    versions = {
        p.locale.language_code: p
        for p in Page.objects.live()
        .filter(translation_key=page.translation_key)
        .select_related("locale")
    }
    return [versions[code] for code in content_languages() if code in versions]


@dataclass(frozen=True)
class PublicFile:
    file: ResourceDownloadFile
    outdated: bool


@dataclass(frozen=True)
class PublicDownload:
    download: ResourceDownload
    files: list[PublicFile]


def resource_downloads(page: Page) -> list[PublicDownload]:
    """The downloads of a resource (whatever the language of the page shown): the source file
    and the approved translations, outdated ones marked."""
    downloads = list(
        ResourceDownload.objects.filter(resource__translation_key=page.translation_key)
        .prefetch_related("files__document")
        .order_by("position", "pk")
    )
    items = {
        item.key: item
        for item in TrackedItem.objects.filter(
            kind=TrackedItem.Kind.FILE, key__in=[str(d.pk) for d in downloads]
        ).prefetch_related("translations")
    }
    result = []
    for download in downloads:
        item = items.get(str(download.pk))
        records = {r.language: r for r in item.translations.all()} if item else {}
        files = []
        for file in download.files.all():
            if file.language == download.source_language:
                files.append(PublicFile(file, outdated=False))
                continue
            record = records.get(file.language)
            if record is not None and record.state == ItemTranslation.State.APPROVED and item:
                files.append(PublicFile(file, outdated=record.made_from_hash != item.source_hash))
        if files:
            order = {code: position for position, code in enumerate(content_languages())}
            files.sort(key=lambda f: order.get(f.file.language, len(order)))
            result.append(PublicDownload(download, files))
    return result


def download_file_public(file_id: int) -> ResourceDownloadFile | None:
    """The file if the public may download it now."""
    file: ResourceDownloadFile | None = (
        ResourceDownloadFile.objects.select_related("download__resource", "document")
        .filter(pk=file_id)
        .first()
    )
    if file is None:
        return None
    resource = file.download.resource
    if not resource.live or resource_is_held(resource.translation_key):
        return None
    if file.language == file.download.source_language:
        return file
    approved = ItemTranslation.objects.filter(
        item__kind=TrackedItem.Kind.FILE,
        item__key=str(file.download_id),
        language=file.language,
        state=ItemTranslation.State.APPROVED,
    ).exists()
    return file if approved else None


def download_counts(
    *, country: str | None = None, since: date | None = None, until: date | None = None
) -> list[dict[str, Any]]:
    """Downloads by country (``None``: not named by the reader) and language, largest first."""
    counts = DownloadCount.objects.all()
    if country:
        counts = counts.filter(country_id=country.upper())
    if since:
        counts = counts.filter(month__gte=since.replace(day=1))
    if until:
        counts = counts.filter(month__lte=until)
    rows = [
        dict(row)
        for row in counts.values("country_id", "file__language")
        .annotate(downloads=Sum("count"))
        .order_by("-downloads", "country_id", "file__language")
    ]
    return rows


def dissemination_events(
    *, country: str | None = None, since: date | None = None, until: date | None = None
) -> QuerySet[DisseminationEvent]:
    events = DisseminationEvent.objects.select_related("country", "audience")
    if country:
        events = events.filter(country_id=country.upper())
    if since:
        events = events.filter(held_on__gte=since)
    if until:
        events = events.filter(held_on__lte=until)
    return events


# Every model ``records_in_period`` reads (the countries only when regions are chosen):
# coordination refreshes its summaries after their rows change, and only theirs. A resource
# page's save writes Wagtail's page row as well and signals as the ResourcePage; the
# clauses' through table is their many-to-many.
PERIOD_RECORD_MODELS: tuple[type[Model], ...] = (
    ResourcePage,
    ResourcePage.clauses.through,
    Clause,
    DisseminationEvent,
    Country,
)


def records_in_period(
    *, period: Period, regions: Collection[str] | None = None
) -> list[PeriodRecord]:
    """For reports (decision 0025): resources first published in the period (a resource
    counts once, on the day its first language went live; its translations are not new
    resources) and dissemination events held in the period. Resources are global: they are
    left out when regions are chosen. Three queries."""
    start, end = period.instants()
    pages = (
        ResourcePage.objects.filter(
            regions_filter(regions),
            live=True,
            first_published_at__range=(start, end),
            alias_of__isnull=True,
        )
        .prefetch_related("clauses")
        .order_by("first_published_at", "pk")
    )
    records = []
    seen: set[UUID] = set()
    for page in pages:
        if page.translation_key in seen:
            continue  # a translation of a resource already counted
        seen.add(page.translation_key)
        records.append(
            PeriodRecord(
                on=day_of(page.first_published_at),
                kind="resource",
                title=page.title,
                source=f"resources.resourcepage:{page.pk}",
                clauses=tuple(sorted({c.pk for c in page.clauses.all()} | {"BDT-11"})),
            )
        )
    events = DisseminationEvent.objects.filter(
        regions_filter(regions, country="country"),
        held_on__range=(period.start, period.end),
    )
    records += [
        PeriodRecord(
            on=event.held_on,
            kind=f"dissemination_{event.kind}",
            title=event.title,
            source=f"resources.disseminationevent:{event.pk}",
            clauses=("MS-6", "BDT-11"),
            countries=(event.country_id,),
            participants=event.attendance,
        )
        for event in events
    ]
    return sorted(records, key=lambda record: (record.on, record.source))
