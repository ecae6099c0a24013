"""Keeping the fingerprint of every translation source current, and telling the translators
of each language when a source they translated changes.

Pages: when a page is published in its source language, its wagtail-localize
``TranslationSource`` is refreshed, so the text segments are the published ones; the page's
fingerprint is that of its segments. Files: of the source-language file's bytes. Records (the
taxonomies): of their source-language names."""

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page
from wagtail_localize.models import StringSegment, TranslationSource

from .fingerprints import fingerprint_segments
from .models import ItemTranslation, ResourceDownload, TrackedItem


def item_source_update(
    *, kind: str, key: str, title: str, source_language: str, fingerprint: str
) -> TrackedItem:
    """Record the current source of an item; a new fingerprint bumps its version and, once
    the change is committed, notifies the translators of the languages it was translated into."""
    item, created = TrackedItem.objects.get_or_create(
        kind=kind,
        key=key,
        defaults={
            "title": title[:255],
            "source_language": source_language,
            "source_hash": fingerprint,
            "source_changed_at": timezone.now(),
        },
    )
    if created:
        return item
    changed = item.source_hash != fingerprint
    if changed:
        item.source_hash = fingerprint
        item.source_version += 1
        item.source_changed_at = timezone.now()
    if changed or item.title != title[:255] or item.source_language != source_language:
        item.title = title[:255]
        item.source_language = source_language
        item.save()
    if changed and item.translations.exists():
        from .tasks import translators_notify_source_changed

        item_id, version = item.pk, item.source_version
        transaction.on_commit(
            lambda: translators_notify_source_changed.enqueue(item_id=item_id, version=version)
        )
    return item


def page_source_language(page: Page) -> str | None:
    """The language a page's text is translated from: that of its ``TranslationSource`` if it
    has one, else its own (a page nobody translated yet is its own source)."""
    source = TranslationSource.objects.filter(object_id=page.translation_key).first()
    return source.locale.language_code if source else None


def page_segments(source: TranslationSource) -> list[tuple[str, str]]:
    return list(
        StringSegment.objects.filter(source=source)
        .order_by("order")
        .values_list("context__path", "string__data")
    )


@transaction.atomic
def page_source_track(page: Page) -> TrackedItem | None:
    """Called when a page is published. A translation is not a source: its publication is
    recorded against its item instead (``None`` is returned)."""
    page = page.specific
    source_language = page_source_language(page)
    if source_language is not None and source_language != page.locale.language_code:
        page_translation_published(page)
        return None
    source, _created = TranslationSource.update_or_create_from_instance(page)
    return item_source_update(
        kind=TrackedItem.Kind.PAGE,
        key=str(page.translation_key),
        title=page.title,
        source_language=page.locale.language_code,
        fingerprint=fingerprint_segments(page_segments(source)),
    )


def download_source_track(download: ResourceDownload) -> TrackedItem | None:
    """Track a download once its source-language file exists."""
    source_file = download.files.filter(language=download.source_language).first()
    if source_file is None or not source_file.sha256:
        return None
    return item_source_update(
        kind=TrackedItem.Kind.FILE,
        key=str(download.pk),
        title=download.title,
        source_language=download.source_language,
        fingerprint=source_file.sha256,
    )


def page_translation_published(page: Page) -> None:
    """A translation published from the Wagtail admin (by BDT staff, with wagtail-localize's
    editor) shows in the matrix too: approved when it covers every segment of the current
    source, else a human draft. Translations approved through the hub pass here as well."""
    from .translation_content import item_segments

    item = TrackedItem.objects.filter(kind=TrackedItem.Kind.PAGE, key=str(page.translation_key))
    found = item.first()
    if found is None:
        return
    language = page.locale.language_code
    complete = all(segment.target for segment in item_segments(found, language))
    record, _created = ItemTranslation.objects.get_or_create(
        item=found,
        language=language,
        defaults={
            "state": ItemTranslation.State.HUMAN_DRAFT,
            "made_from_hash": found.source_hash,
            "made_from_version": found.source_version,
        },
    )
    if complete:
        record.state = ItemTranslation.State.APPROVED
        record.made_from_hash, record.made_from_version = found.source_hash, found.source_version
        record.approved_at = record.approved_at or timezone.now()
        record.save()
