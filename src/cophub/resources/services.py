"""Writes of the hub: the hub pages themselves, resource pages made from code (demo, published
best practices), downloadable files, download counts, dissemination events and holds."""

from collections.abc import Iterable
from datetime import date
from pathlib import Path, PurePath
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.documents.models import Document
from wagtail.models import Locale, Page, Site

from cophub.accounts.models import User
from cophub.portal.errors import InvalidInput
from cophub.portal.uploads import too_large_problem, upload_problem
from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.reference.models import Country

from .errors import FileRejected
from .fingerprints import fingerprint_chunks, fingerprint_segments
from .languages import content_languages
from .models import (
    ContentHold,
    DisseminationEvent,
    DownloadCount,
    HubPage,
    ItemTranslation,
    ResourceDownload,
    ResourceDownloadFile,
    ResourcePage,
    TrackedItem,
)
from .source_tracking import download_source_track, item_source_update

HUB_SLUG = "resources"
DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def hub_ensure() -> HubPage:
    """The hub exists in every interface language and is the site's root; idempotent (also
    after a test database was emptied)."""
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in UI_LANGUAGE_CODES
    }
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locales["en"]))
    hub: HubPage | None = HubPage.objects.filter(depth=2, locale=locales["en"]).first()
    if hub is None:
        hub = HubPage(title="Resources", slug=HUB_SLUG, locale=locales["en"])
        root.add_child(instance=hub)
        hub.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=hub, is_default_site=True, site_name="COP Hub"
        )
    elif site.root_page_id != hub.pk:
        previous = site.root_page
        site.root_page = hub
        site.save()
        # Wagtail's placeholder home page ("Welcome to your new Wagtail site!") goes.
        if type(previous.specific) is Page and previous.depth == 2 and not previous.numchild:
            previous.delete()
    for code, locale in locales.items():
        if code != "en" and not hub.has_translation(locale):
            hub.copy_for_translation(locale, alias=True)
    Site.clear_site_root_paths_cache()
    return hub


def hub_for(language: str) -> HubPage:
    hub = hub_ensure()
    translated = hub.get_translation_or_none(Locale.objects.get(language_code=language))
    return translated.specific if translated else hub


def _free_slug(slug: str) -> str:
    """Slugs are kept the same across languages, so they must be unique across the hubs."""
    base, number, candidate = slug[:70], 1, slug[:70]
    while ResourcePage.objects.filter(slug=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


@transaction.atomic
def resource_page_create(
    *,
    language: str,
    kind: str,
    title: str,
    summary: str,
    body: str = "",
    slug: str = "",
    audiences: Iterable[str] = (),
    topics: Iterable[str] = (),
    regions: Iterable[str] = (),
    clauses: Iterable[str] = (),
    edition: str = "",
    edition_date: date | None = None,
    licence: str | None = None,
    attribution: str = "",
    practice_reference: str = "",
    user: User | None = None,
    publish: bool = True,
) -> ResourcePage:
    """A resource page in its source ``language``, published unless told otherwise."""
    if language not in UI_LANGUAGE_CODES:
        raise InvalidInput(_("Pages are published in the six ITU languages only."))
    page = ResourcePage(
        title=title,
        slug=_free_slug(slug or slugify(title) or "resource"),
        kind=kind,
        summary=summary,
        body=body,
        edition=edition,
        edition_date=edition_date,
        licence_id=licence,
        attribution=attribution,
        practice_reference=practice_reference,
        owner=user,
    )
    hub_for(language).add_child(instance=page)
    page.audiences.set(list(audiences))
    page.topics.set(list(topics))
    page.regions.set(list(regions))
    page.clauses.set(list(clauses))
    revision = page.save_revision(user=user)
    if publish:
        revision.publish(user=user, skip_permission_checks=True)
    return page


def best_practice_page_create(**fields: Any) -> ResourcePage:
    """The hub page of a best practice the practices module publishes (``fields`` as for
    ``resource_page_create``, without the kind)."""
    return resource_page_create(kind=ResourcePage.Kind.BEST_PRACTICE, **fields)


@transaction.atomic
def resource_page_update(page: ResourcePage, *, user: User | None = None, **changes: Any) -> None:
    """Change text fields of a source page and publish the change (as an editor would)."""
    page = ResourcePage.objects.get(pk=page.pk)
    for field, value in changes.items():
        setattr(page, field, value)
    page.save_revision(user=user).publish(user=user, skip_permission_checks=True)


def _validated_upload(uploaded: Any, *, field: str) -> tuple[str, bytes]:
    """The file's name and bytes, or ``FileRejected`` (the shared upload check: type, size,
    emptiness, content and, for Office files, their packing)."""
    name = PurePath(uploaded.name or "").name
    limit = settings.COPHUB_PRACTICES_MAX_ATTACHMENT_BYTES
    early = too_large_problem(size=uploaded.size or 0, max_bytes=limit)  # before reading it
    content = b"" if early else b"".join(uploaded.chunks())
    problem = early or upload_problem(
        name=name,
        size=len(content),
        content=content,
        accepted=tuple(settings.WAGTAILDOCS_EXTENSIONS),
        max_bytes=limit,
    )
    if problem is not None:
        raise FileRejected(problem.message, field=field, reason=problem.code)
    return name, content


@transaction.atomic
def download_create(*, resource: Page, title: str, source_language: str) -> ResourceDownload:
    if source_language not in content_languages():
        raise InvalidInput(_("Unknown language."))
    download: ResourceDownload = ResourceDownload.objects.create(
        resource=resource, title=title, source_language=source_language
    )
    return download


@transaction.atomic
def download_file_store(
    *,
    download: ResourceDownload,
    language: str,
    uploaded: Any,
    user: User | None,
    machine: bool = False,
) -> ResourceDownloadFile:
    """Store the file of ``download`` in ``language``. The source-language file sets the
    fingerprint its translations are compared with; a translated file is a draft made from
    the current source file, to be reviewed."""
    name, content = _validated_upload(uploaded, field="file")
    item = None
    if language != download.source_language:
        item = TrackedItem.objects.filter(kind=TrackedItem.Kind.FILE, key=str(download.pk)).first()
        if item is None:
            raise InvalidInput(_("Upload the file in the source language first."))
    document = Document(title=f"{download.title} [{language}]")
    document.file.save(name, ContentFile(content), save=False)
    document.file_size = len(content)
    document.save()
    existing = download.files.filter(language=language).first()
    previous_document = existing.document if existing else None
    stored: ResourceDownloadFile
    stored, _created = ResourceDownloadFile.objects.update_or_create(
        download=download,
        language=language,
        defaults={"document": document, "sha256": fingerprint_chunks([content])},
    )
    if previous_document is not None:
        previous_document.delete()
    if item is None:
        download_source_track(download)
    else:
        ItemTranslation.objects.update_or_create(
            item=item,
            language=language,
            defaults={
                "state": ItemTranslation.State.MACHINE_DRAFT
                if machine
                else ItemTranslation.State.HUMAN_DRAFT,
                "made_from_hash": item.source_hash,
                "made_from_version": item.source_version,
                "updated_by": user,
                "review_note": "",
            },
        )
    return stored


def download_count(*, file: ResourceDownloadFile, country: Country | None, day: date) -> None:
    """Add one to the month's counter of ``file`` for the country the reader named."""
    month = day.replace(day=1)
    counters = DownloadCount.objects.filter(file=file, country=country, month=month)
    if counters.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            DownloadCount.objects.create(file=file, country=country, month=month, count=1)
    except IntegrityError:  # created meanwhile by a concurrent download
        counters.update(count=F("count") + 1)


@transaction.atomic
def dissemination_event_record(*, user: User, **fields: Any) -> DisseminationEvent:
    event = DisseminationEvent(recorded_by=user, **fields)
    try:
        event.full_clean()
    except ValidationError as invalid:
        raise InvalidInput(
            details={
                "errors": [
                    {"field": field, "message": str(message)}
                    for field, messages in invalid.message_dict.items()
                    for message in messages
                ]
            }
        ) from invalid
    event.save()
    return event


def content_hold(*, translation_key: UUID, reason: str) -> None:
    ContentHold.objects.get_or_create(translation_key=translation_key, defaults={"reason": reason})


def content_release(*, translation_key: UUID) -> None:
    ContentHold.objects.filter(translation_key=translation_key).delete()


# States in which translators are at work on a translation: the workflow owns its row.
WORKFLOW_STATES = frozenset({"machine_draft", "human_draft", "in_review"})


def record_translations_track(
    *,
    key: str,
    title: str,
    source_language: str,
    segments: list[tuple[str, str]],
    states: dict[str, tuple[str, bool]],
) -> None:
    """Keep the translation-matrix row of a record another module put in the matrix (see
    ``record_sources.py``; e.g. ``coordination.report:<id>``) in step with that module's
    texts: its source (``segments``: (section, text)) and, by language, the state the module
    reads from its own texts as (state, current); ``current`` is False when the translation
    was made from an older source. A language where translators are at work (a draft in the
    workflow) is left to the workflow, and so is a language not in ``states``. Nothing is
    tracked for a record without source text."""
    if not segments:
        return
    item = item_source_update(
        kind="record",
        key=key,
        title=title,
        source_language=source_language,
        fingerprint=fingerprint_segments(segments),
    )
    existing = {translation.language: translation for translation in item.translations.all()}
    for language, (state, current) in states.items():
        if language == item.source_language:
            continue
        translation = existing.get(language)
        if translation and translation.state in WORKFLOW_STATES and translation.draft:
            continue
        ItemTranslation.objects.update_or_create(
            item=item,
            language=language,
            defaults={
                "state": state,
                "made_from_hash": item.source_hash if current else "",
                "made_from_version": item.source_version,
            },
        )
