"""What is translated in an item, by kind: the text segments of a page (wagtail-localize's
translation memory), the names of the taxonomy records, or (files) nothing textual at all.

Every function takes a tracked item and a target language; permission checks are done before."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from cophub.portal.errors import InvalidInput

from .errors import NotApplicable
from .models import ItemTranslation, TrackedItem
from .record_sources import record_source

MACHINE = StringTranslation.TRANSLATION_TYPE_MACHINE
MANUAL = StringTranslation.TRANSLATION_TYPE_MANUAL


@dataclass(frozen=True)
class Segment:
    """One translatable string. Several may share a context (the paragraphs of a rich text
    field all have the field's name), so a segment is known by its context *and* source."""

    context: str
    source: str
    target: str | None
    machine: bool

    @property
    def key(self) -> "SegmentKey":
        return (self.context, self.source)


SegmentKey = tuple[str, str]


def _locale(language: str) -> Locale:
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        locale = Locale.objects.create(language_code=language)
    return locale


def _page_source(item: TrackedItem) -> TranslationSource:
    return TranslationSource.objects.select_related("locale").get(
        object_id=item.key, locale__language_code=item.source_language
    )


def _page_translation(item: TrackedItem, language: str) -> Translation:
    translation, _created = Translation.objects.get_or_create(
        source=_page_source(item), target_locale=_locale(language)
    )
    return translation


def _text_only(item: TrackedItem) -> None:
    if item.kind == TrackedItem.Kind.FILE:
        raise NotApplicable(_("Files are translated by uploading the file in the target language."))


def item_segments(item: TrackedItem, language: str) -> list[Segment]:
    """The source segments with their current translation into ``language``, in order."""
    _text_only(item)
    if item.kind == TrackedItem.Kind.RECORD:
        record = ItemTranslation.objects.filter(item=item, language=language).first()
        draft = record.draft if record else {}
        source = record_source(item.key)
        approved = source.texts(item.key, language)
        segments = []
        for context, text in source.segments(item.key):
            drafted = draft.get(context)
            if drafted:
                segments.append(Segment(context, text, drafted["text"], bool(drafted["machine"])))
            else:
                segments.append(Segment(context, text, approved.get(context), False))
        return segments
    source = _page_source(item)
    translations = {
        (row.translation_of_id, row.context_id): row
        for row in StringTranslation.objects.filter(
            locale__language_code=language, context__object_id=item.key, has_error=False
        )
    }
    segments = []
    for segment in (
        StringSegment.objects.filter(source=source)
        .order_by("order")
        .select_related("context", "string")
    ):
        found = translations.get((segment.string_id, segment.context_id))
        segments.append(
            Segment(
                context=segment.context.path,
                source=segment.string.data,
                target=found.data if found else None,
                machine=bool(found and found.translation_type == MACHINE),
            )
        )
    return segments


def item_start(item: TrackedItem, language: str, *, user: object) -> None:
    """Make room for a translation: for a page, the draft page in the target locale."""
    _text_only(item)
    if item.kind == TrackedItem.Kind.PAGE:
        _page_save_draft(item, language, user=user)


def _page_save_draft(item: TrackedItem, language: str, *, user: object) -> Page:
    translation = _page_translation(item, language)
    try:
        translation.save_target(user=user, publish=False)
    except ValidationError as invalid:
        raise InvalidInput(
            _("The translated page could not be saved: %(errors)s")
            % {"errors": "; ".join(invalid.messages)}
        ) from invalid
    return translation.get_target_instance()


@transaction.atomic
def item_apply(
    item: TrackedItem,
    language: str,
    texts: dict[SegmentKey, str],
    *,
    user: object,
    machine: bool,
    tool_name: str = "",
) -> None:
    """Store translations of segments (by context and source) and refresh the draft."""
    _text_only(item)
    if item.kind == TrackedItem.Kind.RECORD:
        record = ItemTranslation.objects.get(item=item, language=language)
        record.draft = {
            **record.draft,
            **{
                context: {"text": text, "machine": machine}
                for (context, _source), text in texts.items()
            },
        }
        record.save(update_fields=["draft"])
        return
    source = _page_source(item)
    locale = _locale(language)
    by_key = {
        (segment.context.path, segment.string.data): segment
        for segment in StringSegment.objects.filter(source=source).select_related(
            "context", "string"
        )
    }
    invalid = []
    for (context, source), text in texts.items():
        segment = by_key[(context, source)]
        saved, _created = StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": text,
                "translation_type": MACHINE if machine else MANUAL,
                "tool_name": tool_name,
                "last_translated_by": user,
                "has_error": False,
                "field_error": "",
            },
        )
        saved.refresh_from_db(fields=["has_error"])
        if saved.has_error:
            invalid.append(context)
    if invalid:
        raise InvalidInput(
            _("Some translations are not valid: their markup or links differ from the source."),
            details={
                "errors": [
                    {"field": context, "message": _("Keep the tags and links of the source.")}
                    for context in invalid
                ]
            },
        )
    _page_save_draft(item, language, user=user)


@transaction.atomic
def item_publish(item: TrackedItem, language: str, *, user: object) -> None:
    """Make an approved translation public: publish the translated page, or write the record
    names. Approved files are public by their translation's state alone."""
    if item.kind == TrackedItem.Kind.PAGE:
        page = _page_save_draft(item, language, user=user)
        revision = page.get_latest_revision()
        if revision is not None:
            # Permission was checked by ``access`` (a reviewer of the language need not be a
            # Wagtail editor).
            revision.publish(user=user, skip_permission_checks=True)
    elif item.kind == TrackedItem.Kind.RECORD:
        record = ItemTranslation.objects.get(item=item, language=language)
        record_source(item.key).write(
            item.key, language, {context: entry["text"] for context, entry in record.draft.items()}
        )
        record.draft = {}
        record.save(update_fields=["draft"])


def source_locale(item: TrackedItem) -> Locale:
    return _locale(item.source_language)


def target_locale(language: str) -> Locale:
    return _locale(language)
