"""Demo content for the hub (demo mode only): a guideline set for each audience in several
languages, with translations in every state (some deliberately outdated), one course with its
modules, a downloadable file, dissemination events and download counts."""

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape

from cophub.accounts.models import User
from cophub.reference.models import Country

from .models import (
    Audience,
    CourseModulePage,
    ItemTranslation,
    ResourcePage,
    TrackedItem,
)
from .services import (
    DATA_DIR,
    dissemination_event_record,
    download_count,
    download_create,
    download_file_store,
    hub_ensure,
    resource_page_create,
    resource_page_update,
)
from .translation_content import Segment, SegmentKey, item_apply, item_segments
from .translation_workflow import translation_approve, translation_start, translation_submit

DEMO_FILE = DATA_DIR / "demo_resources.json"


def _html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def _pairs(segments: list[Segment], target: Mapping[str, Any]) -> dict[SegmentKey, str]:
    """Translated text by segment: field by field, paragraph by paragraph in order; what the
    target leaves empty stays untranslated. The attribution is not translated."""
    pairs: dict[SegmentKey, str] = {}
    paragraphs = iter(target.get("body", []))
    for segment in segments:
        if segment.context == "body":
            text = next(paragraphs, "")
        elif segment.context == "attribution":
            text = segment.source
        else:
            text = target.get(segment.context, "")
        if text:
            pairs[segment.key] = escape(text) if segment.context != "attribution" else text
    return pairs


def _translate(
    item: TrackedItem,
    language: str,
    texts: dict[SegmentKey, str],
    state: str,
    *,
    translator: User,
    reviewer: User,
) -> None:
    translation_start(item=item, language=language, user=translator)
    item_apply(
        item,
        language,
        texts,
        user=translator,
        machine=state == ItemTranslation.State.MACHINE_DRAFT,
        tool_name="demo" if state == ItemTranslation.State.MACHINE_DRAFT else "",
    )
    record = ItemTranslation.objects.get(item=item, language=language)
    record.made_from_hash, record.made_from_version = item.source_hash, item.source_version
    if state == ItemTranslation.State.MACHINE_DRAFT:
        record.state = state
    record.save()
    if state in (ItemTranslation.State.IN_REVIEW, ItemTranslation.State.APPROVED):
        record = translation_submit(item=item, language=language, user=translator)
    if state == ItemTranslation.State.APPROVED:
        translation_approve(record=record, user=reviewer)


def _item_load(spec: Mapping[str, Any], *, editor: User, translators: Mapping[str, User]) -> None:
    source = spec["source"]
    texts = spec["texts"]
    page = resource_page_create(
        language=source,
        kind=spec["kind"],
        title=texts[source]["title"],
        summary=texts[source]["summary"],
        body=_html(texts[source]["body"]),
        slug=spec["slug"],
        audiences=spec["audiences"],
        topics=spec["topics"],
        clauses=spec["clauses"],
        edition=spec["edition"],
        edition_date=date.fromisoformat(spec["edition_date"]),
        licence=spec["licence"],
        attribution=spec["attribution"],
        user=editor,
    )
    for module in spec.get("modules", []):
        child = CourseModulePage(
            title=module["title"],
            slug=module["slug"],
            summary=module["summary"],
            body=_html(module["body"]),
            duration_minutes=module["minutes"],
            owner=editor,
        )
        page.add_child(instance=child)
        child.save_revision(user=editor).publish(user=editor, skip_permission_checks=True)
    item = TrackedItem.objects.get(kind=TrackedItem.Kind.PAGE, key=str(page.translation_key))

    for language, state in spec["translations"].items():
        pairs = _pairs(item_segments(item, language), texts[language])
        translator = translators.get(language, editor)
        _translate(item, language, pairs, state, translator=translator, reviewer=editor)
    if "update" in spec:
        resource_page_update(page, user=editor, **spec["update"][source])
        item.refresh_from_db()
        for language, state in spec["after_update"].items():
            translated = {**texts[language], **spec["update"].get(language, {})}
            pairs = _pairs(item_segments(item, language), translated)
            record = ItemTranslation.objects.get(item=item, language=language)
            record.state = ItemTranslation.State.HUMAN_DRAFT
            record.save()
            item_apply(item, language, pairs, user=translators.get(language, editor), machine=False)
            if state == ItemTranslation.State.APPROVED:
                submitted = translation_submit(
                    item=item, language=language, user=translators.get(language, editor)
                )
                translation_approve(record=submitted, user=editor)


def _demo_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (ASCII), built by hand: no PDF library needed."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return body


def _download_load(
    spec: Mapping[str, Any], *, editor: User, translators: Mapping[str, User]
) -> None:
    page = ResourcePage.objects.get(slug=spec["resource"], locale__language_code="en")
    download = download_create(resource=page, title=spec["title"], source_language=spec["source"])
    for language, state in spec["files"].items():
        upload = SimpleUploadedFile(
            f"cophub-demo-{language}.pdf", _demo_pdf(f"COP Hub demo: {spec['title']} [{language}]")
        )
        translator = translators.get(language, editor)
        download_file_store(download=download, language=language, uploaded=upload, user=translator)
        if language == spec["source"]:
            continue
        item = TrackedItem.objects.get(kind=TrackedItem.Kind.FILE, key=str(download.pk))
        record = translation_submit(item=item, language=language, user=translator)
        if state == ItemTranslation.State.APPROVED:
            translation_approve(record=record, user=editor)
    source_file = download.files.get(language=spec["source"])
    today = timezone.now().date()
    for country, count in spec["counts"]:
        named = Country.objects.get(iso2=country) if country else None
        for _download in range(count):
            download_count(file=source_file, country=named, day=today)


def demo_resources_load(*, editor: User, translators: Mapping[str, User]) -> int:
    """Load the demo content once; returns the number of resources created (0 if present)."""
    hub_ensure()
    document = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    if ResourcePage.objects.filter(slug=document["items"][0]["slug"]).exists():
        return 0
    for spec in document["items"]:
        _item_load(spec, editor=editor, translators=translators)
    for spec in document["downloads"]:
        _download_load(spec, editor=editor, translators=translators)
    for event in document["events"]:
        dissemination_event_record(
            user=editor,
            kind=event["kind"],
            title=event["title"],
            held_on=date.fromisoformat(event["held_on"]),
            country=Country.objects.get(iso2=event["country"]),
            audience=Audience.objects.get(code=event["audience"]),
            attendance=event["attendance"],
            language=event["language"],
        )
    return len(document["items"])
