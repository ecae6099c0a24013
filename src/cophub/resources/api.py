"""The hub's API: the public catalogue and search, the translation matrix and workflow for
staff and translators, downloadable files, and the dissemination log."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile

from cophub.portal.api_auth import AUTHENTICATED, api_language, api_user
from cophub.portal.errors import InvalidInput
from cophub.portal.paging import keyset_paginate
from cophub.reference.models import Country

from . import access, selectors, services, translation_workflow
from .languages import content_languages
from .models import Audience, DisseminationEvent, Licence, ResourcePage, RiskTopic, TrackedItem
from .translation_status import CellStatus

router = Router(tags=["resources"])


def _unknown(field: str, value: object, choices: Iterable[str] = ()) -> dict[str, str]:
    listed = ", ".join(choices)
    message = (
        _("Unknown value %(value)s; use one of: %(choices)s.") % {"value": value, "choices": listed}
        if listed
        else _("Unknown value %(value)s.") % {"value": value}
    )
    return {"field": field, "message": message}


class ResourceOut(Schema):
    key: str
    title: str
    kind: str
    language: str
    in_requested_language: bool
    outdated: bool
    url: str
    summary: str


def _listed_out(entry: selectors.ListedResource) -> ResourceOut:
    specific = entry.page.specific
    return ResourceOut(
        key=str(entry.page.translation_key),
        title=entry.page.title,
        kind=getattr(specific, "kind", "course_module"),
        language=entry.language,
        in_requested_language=entry.in_requested_language,
        outdated=entry.outdated,
        url=entry.page.url or "",
        summary=getattr(specific, "summary", ""),
    )


def _filters(params: dict[str, Any]) -> dict[str, str]:
    names = ("kind", "audience", "topic", "clause", "region")
    return {name: params[name] for name in names if params.get(name)}


def _items(page: list[ResourcePage], params: dict[str, Any]) -> list[ResourceOut]:
    language = api_language(params.get("lang"))
    listed = selectors.hub_resource_page(page, language=language, filters=_filters(params))
    return [_listed_out(entry) for entry in listed]


@router.get("/items", response=list[ResourceOut])
@keyset_paginate(ordering=("-listed_edition", "title"), rows=_items)
def item_list(
    request: HttpRequest,
    lang: str | None = None,
    kind: str = "",
    audience: str = "",
    topic: str = "",
    clause: str = "",
    region: str = "",
) -> QuerySet[ResourcePage]:
    """Published resources, each in ``lang`` when translated (else in its source language),
    the latest edition first; one row per resource, paged by resource."""
    api_language(lang)  # an unknown language is refused before anything is read
    filters = {"kind": kind, "audience": audience, "topic": topic, "clause": clause}
    return selectors.hub_resource_firsts(_filters({**filters, "region": region}))


@router.get("/search", response=list[ResourceOut])
def search(request: HttpRequest, q: str, lang: str | None = None) -> list[ResourceOut]:
    """Full-text search in all six languages (Chinese by character bigrams, Arabic folded)."""
    if len(q) > 200:
        message = _("The search is too long: use at most %(count)s characters.") % {"count": 200}
        raise InvalidInput(details={"errors": [{"field": "q", "message": message}]})
    return [_listed_out(e) for e in selectors.resource_search(q, language=api_language(lang))]


class TermOut(Schema):
    code: str
    names: dict[str, str]
    parent: str | None = None


class TaxonomyOut(Schema):
    audiences: list[TermOut]
    topics: list[TermOut]
    licences: list[TermOut]


@router.get("/taxonomy", response=TaxonomyOut)
def taxonomy(request: HttpRequest) -> TaxonomyOut:
    return TaxonomyOut(
        audiences=[TermOut(code=a.code, names=a.names) for a in Audience.objects.all()],
        topics=[
            TermOut(code=t.code, names=t.names, parent=t.parent_id) for t in RiskTopic.objects.all()
        ],
        licences=[TermOut(code=lic.code, names=lic.names) for lic in Licence.objects.all()],
    )


class CellOut(Schema):
    language: str
    status: str
    state: str | None
    made_from_version: int | None


class MatrixRowOut(Schema):
    item: int
    kind: str
    title: str
    source_language: str
    source_version: int
    source_changed_at: datetime
    cells: list[CellOut]


def _row_out(row: selectors.MatrixRow) -> MatrixRowOut:
    item = row.item
    return MatrixRowOut(
        item=item.pk,
        kind=item.kind,
        title=item.title,
        source_language=item.source_language,
        source_version=item.source_version,
        source_changed_at=item.source_changed_at,
        cells=[
            CellOut(
                language=c.language,
                status=c.status,
                state=c.state,
                made_from_version=c.made_from_version,
            )
            for c in row.cells
        ],
    )


def _matrix(page: list[TrackedItem], params: dict[str, Any]) -> list[MatrixRowOut]:
    rows = selectors.matrix_rows(page, language=params.get("language"), status=params.get("status"))
    return [_row_out(row) for row in rows]


@router.get("/translations", response=list[MatrixRowOut], auth=AUTHENTICATED)
@keyset_paginate(ordering=("kind", "title"), rows=_matrix)
def translation_matrix(
    request: HttpRequest,
    language: str | None = None,
    status: str | None = None,
    kind: str | None = None,
) -> QuerySet[TrackedItem]:
    """Item × language. ``status=outdated&language=ar``: what is outdated in Arabic. Paged by
    item: with ``status`` a page keeps only the items in that status, so it may hold fewer
    rows than ``page_size`` (follow ``next`` until it is null)."""
    access.access_translation_matrix(api_user(request))
    errors = []
    if language is not None and language not in content_languages():
        errors.append(_unknown("language", language, content_languages()))
    if status is not None and status not in set(CellStatus):
        errors.append(_unknown("status", status, CellStatus))
    if kind is not None and kind not in TrackedItem.Kind.values:
        errors.append(_unknown("kind", kind, TrackedItem.Kind.values))
    if errors:
        raise InvalidInput(details={"errors": errors})
    return selectors.translation_items(kind=kind)


class SegmentOut(Schema):
    context: str
    source: str
    target: str | None
    machine: bool


class WorkspaceOut(Schema):
    item: int
    language: str
    status: str
    state: str | None
    source_version: int
    made_from_version: int | None
    review_note: str
    segments: list[SegmentOut] | None


def _workspace_out(item: TrackedItem, language: str) -> WorkspaceOut:
    workspace = selectors.translation_workspace(item, language)
    return WorkspaceOut(
        item=item.pk,
        language=language,
        status=workspace.cell.status,
        state=workspace.cell.state,
        source_version=item.source_version,
        made_from_version=workspace.cell.made_from_version,
        review_note=workspace.record.review_note if workspace.record else "",
        segments=[
            SegmentOut(context=s.context, source=s.source, target=s.target, machine=s.machine)
            for s in workspace.segments
        ]
        if workspace.segments is not None
        else None,
    )


PATH = "/translations/{item_id}/{language}"


@router.get(PATH, response=WorkspaceOut, auth=AUTHENTICATED)
def translation_detail(request: HttpRequest, item_id: int, language: str) -> WorkspaceOut:
    item = access.access_tracked_item(api_user(request), item_id)
    if language not in content_languages():
        raise InvalidInput(
            details={"errors": [_unknown("language", language, content_languages())]}
        )
    return _workspace_out(item, language)


@router.post(PATH + "/start", response=WorkspaceOut, auth=AUTHENTICATED)
def translation_start(request: HttpRequest, item_id: int, language: str) -> WorkspaceOut:
    user = api_user(request)
    item = access.access_translation_for_work(user, item_id, language)
    translation_workflow.translation_start(item=item, language=language, user=user)
    return _workspace_out(item, language)


@router.get(PATH + "/export", auth=AUTHENTICATED)
def translation_export(
    request: HttpRequest, item_id: int, language: str, format: str = "po"
) -> HttpResponse:
    """A PO or XLIFF 1.2 file holding the source version it was made from."""
    item = access.access_translation_for_work(api_user(request), item_id, language)
    exported = translation_workflow.translation_export(
        item=item, language=language, file_format=format
    )
    response = HttpResponse(
        exported.content, content_type=f"{exported.content_type}; charset=utf-8"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


class ImportOut(Schema):
    imported: int
    translated: int
    total: int


@router.post(PATH + "/import", response=ImportOut, auth=AUTHENTICATED)
def translation_import(
    request: HttpRequest, item_id: int, language: str, file: File[UploadedFile]
) -> ImportOut:
    """Refused (409 ``source_changed``) when the source changed since the export; nothing is
    imported when any entry does not match the source (422)."""
    user = api_user(request)
    item = access.access_translation_for_work(user, item_id, language)
    summary = translation_workflow.translation_import(
        item=item, language=language, data=file.read(), filename=file.name or "", user=user
    )
    return ImportOut(imported=summary.imported, translated=summary.translated, total=summary.total)


@router.post(PATH + "/machine-draft", response=WorkspaceOut, auth=AUTHENTICATED)
def translation_machine_draft(request: HttpRequest, item_id: int, language: str) -> WorkspaceOut:
    user = api_user(request)
    item = access.access_translation_for_work(user, item_id, language)
    translation_workflow.translation_machine_draft(item=item, language=language, user=user)
    return _workspace_out(item, language)


@router.post(PATH + "/submit", response=WorkspaceOut, auth=AUTHENTICATED)
def translation_submit(request: HttpRequest, item_id: int, language: str) -> WorkspaceOut:
    user = api_user(request)
    item = access.access_translation_for_work(user, item_id, language)
    translation_workflow.translation_submit(item=item, language=language, user=user)
    return _workspace_out(item, language)


@router.post(PATH + "/approve", response=WorkspaceOut, auth=AUTHENTICATED)
def translation_approve(request: HttpRequest, item_id: int, language: str) -> WorkspaceOut:
    """Another translator of the language (or BDT staff) approves; the translation is published."""
    user = api_user(request)
    record = access.access_translation_for_review(user, item_id, language)
    translation_workflow.translation_approve(record=record, user=user)
    return _workspace_out(record.item, language)


class ReturnIn(Schema):
    note: str


@router.post(PATH + "/return", response=WorkspaceOut, auth=AUTHENTICATED)
def translation_return(
    request: HttpRequest, item_id: int, language: str, payload: ReturnIn
) -> WorkspaceOut:
    user = api_user(request)
    record = access.access_translation_for_review(user, item_id, language)
    translation_workflow.translation_return(record=record, user=user, note=payload.note)
    return _workspace_out(record.item, language)


class FileOut(Schema):
    download: int
    language: str
    sha256: str


@router.post(
    "/downloads/{download_id}/files/{language}", response={201: FileOut}, auth=AUTHENTICATED
)
def download_file_upload(
    request: HttpRequest,
    download_id: int,
    language: str,
    file: File[UploadedFile],
    machine: Form[bool] = False,
) -> Status[FileOut]:
    """The file of a download in one language: BDT staff for the source language, translators
    for theirs (a draft translation until approved)."""
    user = api_user(request)
    download = access.access_download_for_upload(user, download_id, language)
    stored = services.download_file_store(
        download=download, language=language, uploaded=file, user=user, machine=machine
    )
    return Status(201, FileOut(download=download.pk, language=language, sha256=stored.sha256))


class DownloadCountOut(Schema):
    country: str | None
    language: str
    downloads: int


@router.get("/dissemination/downloads", response=list[DownloadCountOut])
def download_counts(
    request: HttpRequest,
    country: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[DownloadCountOut]:
    """Downloads by the country readers chose to name (``null``: not named), and language.
    Counts only: nothing about readers is kept."""
    return [
        DownloadCountOut(
            country=row["country_id"], language=row["file__language"], downloads=row["downloads"]
        )
        for row in selectors.download_counts(country=country, since=since, until=until)
    ]


class EventIn(Schema):
    kind: str
    title: str
    held_on: date
    country: str
    audience: str
    attendance: int
    language: str = ""
    resource_key: str | None = None
    notes: str = ""


class EventOut(Schema):
    id: int
    kind: str
    title: str
    held_on: date
    country: str
    audience: str
    attendance: int
    language: str


def _event(e: DisseminationEvent) -> EventOut:
    return EventOut(
        id=e.pk,
        kind=e.kind,
        title=e.title,
        held_on=e.held_on,
        country=e.country_id,
        audience=e.audience_id,
        attendance=e.attendance,
        language=e.language,
    )


@router.get("/dissemination/events", response=list[EventOut])
@keyset_paginate(ordering=("-held_on", "-pk"), row=_event)
def event_list(
    request: HttpRequest,
    country: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[DisseminationEvent]:
    """Events, the latest first."""
    return selectors.dissemination_events(country=country, since=since, until=until)


@router.post("/dissemination/events", response={201: EventOut}, auth=AUTHENTICATED)
def event_create(request: HttpRequest, payload: EventIn) -> Status[EventOut]:
    """Trainings and national launch events: BDT staff, regional officers (their region) and
    focal points (their country)."""
    user = api_user(request)
    access.access_dissemination_for_record(user, payload.country.upper())
    errors = []
    country = Country.objects.filter(iso2=payload.country.upper()).first()
    audience = Audience.objects.filter(code=payload.audience).first()
    if country is None:
        errors.append(_unknown("country", payload.country))
    if audience is None:
        errors.append(_unknown("audience", payload.audience))
    if payload.language and payload.language not in content_languages():
        errors.append(_unknown("language", payload.language, content_languages()))
    if errors:
        raise InvalidInput(details={"errors": errors})
    event = services.dissemination_event_record(
        user=user,
        kind=payload.kind,
        title=payload.title,
        held_on=payload.held_on,
        country=country,
        audience=audience,
        attendance=payload.attendance,
        language=payload.language,
        resource_key=payload.resource_key,
        notes=payload.notes,
    )
    return Status(
        201,
        EventOut(
            id=event.pk,
            kind=event.kind,
            title=event.title,
            held_on=event.held_on,
            country=event.country_id,
            audience=event.audience_id,
            attendance=event.attendance,
            language=event.language,
        ),
    )
