"""The life of one translation (an item in one language): start, export for an external
translator, import (refused when the source changed since the export), machine draft, submit
for review, approve (which publishes it) or return to the translator. All or nothing; the
caller has checked permissions (``access``)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.strings import StringValue

from cophub.accounts.models import User
from cophub.portal.errors import InvalidInput

from .errors import NotApplicable, SourceChanged, TranslationStateError
from .models import ItemTranslation, TrackedItem
from .translation_content import (
    Segment,
    item_apply,
    item_publish,
    item_segments,
    item_start,
    source_locale,
    target_locale,
)
from .translation_files import (
    CONTENT_TYPES,
    FileEntry,
    FileHeader,
    translation_file_build,
    translation_file_parse,
)

State = ItemTranslation.State
DRAFT_STATES = (State.MACHINE_DRAFT, State.HUMAN_DRAFT)


@dataclass(frozen=True)
class TranslationExport:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class ImportSummary:
    imported: int
    translated: int
    total: int


def translation_record(item: TrackedItem, language: str) -> ItemTranslation | None:
    return ItemTranslation.objects.filter(item=item, language=language).first()


def _progress(segments: list[Segment]) -> tuple[int, int]:
    return len(segments), sum(1 for segment in segments if segment.target)


def _draft_state(item: TrackedItem, language: str) -> str:
    """A draft holding any machine translation stays marked as a machine draft."""
    if item.kind == TrackedItem.Kind.FILE:
        return State.HUMAN_DRAFT
    segments = item_segments(item, language)
    return State.MACHINE_DRAFT if any(s.machine for s in segments) else State.HUMAN_DRAFT


@transaction.atomic
def translation_start(*, item: TrackedItem, language: str, user: User) -> ItemTranslation:
    record = translation_record(item, language)
    if record is not None:
        return record
    item_start(item, language, user=user)
    return ItemTranslation.objects.create(
        item=item,
        language=language,
        state=State.HUMAN_DRAFT,
        made_from_hash=item.source_hash,
        made_from_version=item.source_version,
        updated_by=user,
    )


def translation_export(*, item: TrackedItem, language: str, file_format: str) -> TranslationExport:
    if file_format not in CONTENT_TYPES:
        raise InvalidInput(
            _("Unknown file format %(format)s: use po or xliff.") % {"format": file_format},
            details={"errors": [{"field": "format", "message": _("Use po or xliff.")}]},
        )
    segments = item_segments(item, language)
    header = FileHeader(
        item_id=item.pk,
        kind=item.kind,
        source_language=item.source_language,
        target_language=language,
        source_hash=item.source_hash,
        source_version=item.source_version,
    )
    entries = [FileEntry(s.context, s.source, s.target or "") for s in segments]
    extension = "po" if file_format == "po" else "xlf"
    return TranslationExport(
        filename=f"cophub-{item.pk}-v{item.source_version}-{language}.{extension}",
        content_type=CONTENT_TYPES[file_format],
        content=translation_file_build(file_format, header, entries, title=item.title),
    )


def _check_file_matches(item: TrackedItem, language: str, header: FileHeader) -> None:
    if header.item_id != item.pk or header.kind != item.kind:
        raise InvalidInput(
            _("This file was exported for another item (number %(item)s).")
            % {"item": header.item_id}
        )
    if header.target_language != language:
        raise InvalidInput(
            _("This file is a translation into %(file_language)s, not %(language)s.")
            % {"file_language": header.target_language, "language": language}
        )
    if header.source_hash != item.source_hash:
        raise SourceChanged(
            _(
                "The source of “%(title)s” changed on %(date)s, after this file was exported "
                "(version %(file_version)s; the source is now at version %(version)s). Nothing "
                "was imported: export the item again and translate the new file."
            )
            % {
                "title": item.title,
                "date": date_format(item.source_changed_at, "DATE_FORMAT"),
                "file_version": header.source_version,
                "version": item.source_version,
            },
            details={
                "file_version": header.source_version,
                "current_version": item.source_version,
                "changed_at": item.source_changed_at.isoformat(),
            },
        )


@transaction.atomic
def translation_import(
    *, item: TrackedItem, language: str, data: bytes, filename: str, user: User
) -> ImportSummary:
    header, entries = translation_file_parse(data, filename=filename)
    _check_file_matches(item, language, header)
    current = {segment.key: segment for segment in item_segments(item, language)}
    errors = []
    for number, entry in enumerate(entries, start=1):
        if (entry.context, entry.source) not in current:
            errors.append(
                {
                    "field": f"entries.{number}",
                    "message": _(
                        "This source text is not in the item (was it edited in the file?)."
                    ),
                }
            )
    if errors:
        raise InvalidInput(
            _("The file does not match the source; nothing was imported."),
            details={"errors": errors},
        )
    texts = {(e.context, e.source): e.target for e in entries if e.target.strip()}
    if not texts:
        raise InvalidInput(_("The file holds no translations; nothing was imported."))
    record = translation_start(item=item, language=language, user=user)
    item_apply(item, language, texts, user=user, machine=header.machine)
    record.state = _draft_state(item, language)
    record.made_from_hash, record.made_from_version = item.source_hash, item.source_version
    record.updated_by = user
    record.save()
    total, translated = _progress(item_segments(item, language))
    return ImportSummary(imported=len(texts), translated=translated, total=total)


@transaction.atomic
def translation_machine_draft(*, item: TrackedItem, language: str, user: User) -> ItemTranslation:
    """Fill the untranslated segments with the configured machine translator; the draft stays
    marked as a machine draft until a reviewer approves it."""
    translator = get_machine_translator()
    source, target = source_locale(item), target_locale(language)
    if translator is None or not translator.can_translate(source, target):
        raise NotApplicable(_("No machine translation service is configured for this language."))
    missing = [segment for segment in item_segments(item, language) if not segment.target]
    record = translation_start(item=item, language=language, user=user)
    if missing:
        as_html = item.kind == TrackedItem.Kind.PAGE
        values = {
            segment.key: (
                StringValue(segment.source)
                if as_html
                else StringValue.from_plaintext(segment.source)
            )
            for segment in missing
        }
        translated = translator.translate(source, target, list(values.values()))
        texts = {
            key: (translated[value].data if as_html else translated[value].render_text())
            for key, value in values.items()
        }
        item_apply(
            item, language, texts, user=user, machine=True, tool_name=str(translator.display_name)
        )
    record.state = _draft_state(item, language)
    record.made_from_hash, record.made_from_version = item.source_hash, item.source_version
    record.updated_by = user
    record.save()
    return record


def _require(record: ItemTranslation | None, *states: str) -> ItemTranslation:
    if record is None or record.state not in states:
        raise TranslationStateError()
    return record


@transaction.atomic
def translation_submit(*, item: TrackedItem, language: str, user: User) -> ItemTranslation:
    record = _require(translation_record(item, language), *DRAFT_STATES)
    if item.kind == TrackedItem.Kind.FILE:
        if record.made_from_hash != item.source_hash:
            raise SourceChanged(
                _("The source file changed since this file was translated: upload a new one.")
            )
    else:
        total, translated = _progress(item_segments(item, language))
        if translated < total:
            raise TranslationStateError(
                _("%(missing)s of %(total)s segments still need translating.")
                % {"missing": total - translated, "total": total}
            )
        # Every segment of the current source is translated: made from the current source.
        record.made_from_hash, record.made_from_version = item.source_hash, item.source_version
    record.state = State.IN_REVIEW
    record.submitted_by = record.updated_by = user
    record.review_note = ""
    record.save()
    return record


@transaction.atomic
def translation_approve(*, record: ItemTranslation, user: User) -> ItemTranslation:
    _require(record, State.IN_REVIEW)
    item = record.item
    if record.made_from_hash != item.source_hash:
        raise SourceChanged(
            _("The source changed while this translation was in review; it must be updated first.")
        )
    item_publish(item, record.language, user=user)
    record.state = State.APPROVED
    record.approved_by = record.updated_by = user
    record.approved_at = timezone.now()
    record.save()
    return record


@transaction.atomic
def translation_return(*, record: ItemTranslation, user: User, note: str) -> ItemTranslation:
    _require(record, State.IN_REVIEW)
    if not note.strip():
        raise InvalidInput(
            _("Say what needs changing."),
            details={"errors": [{"field": "note", "message": _("This field is required.")}]},
        )
    record.state = _draft_state(record.item, record.language)
    record.review_note = note.strip()
    record.updated_by = user
    record.save()
    return record
