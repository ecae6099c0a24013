"""Quarterly reports to CWG-COP (BDT-9) and the implementation report to WTDC (BDT-12): one
engine. Compiling stores what the report shows in its snapshot (``snapshot.py``), so an
approved report never changes under its readers; editors add their own text per section and
language; approval completes the snapshot and numbers the report as a document of the meeting
it goes to; rendering in any of the six languages, DOCX and PDF read the snapshot
(``rendering.py``).

Every figure is a count over the frozen records, and every record names its source row
(``Record.source``), so a reader can trace any figure back to the platform."""

from collections.abc import Sequence
from datetime import date, timedelta
from typing import cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cophub.accounts.models import User
from cophub.portal.errors import FieldErrors
from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.reference.models import Region
from cophub.resources.record_sources import RecordSource, record_source_register
from cophub.resources.services import record_translations_track
from cophub.resources.translation_status import CellStatus

from ..deadlines import timeliness
from ..documents.models import Document, DocumentVersion
from ..errors import WrongState
from ..meetings.models import Body, Meeting
from .collected import Period, records_in_period
from .models import Report
from .snapshot import snapshot_approved, snapshot_compile
from .texts import section_keys, text_fingerprint, texts_status

CWG_COP = "cwg-cop"
# Report periods: nothing the platform records predates 2000; one WTDC cycle is four years.
EARLIEST_REPORT_DATE = date(2000, 1, 1)
MAX_REPORT_YEARS = 5


# --- compiling ------------------------------------------------------------------------------


def _period_checked(
    period_start: date, period_end: date, region_codes: Sequence[str]
) -> tuple[Period, list[Region]]:
    errors = FieldErrors()
    _period_bounds_check(period_start, period_end, errors)
    codes = [code.upper() for code in region_codes]
    regions = list(Region.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {region.code for region in regions})
    if unknown:
        errors.add("regions", _("Unknown ITU-D region."), "unknown_region")
    errors.raise_if_any()
    return Period(period_start, period_end, frozenset(codes)), regions


def _period_bounds_check(start: date, end: date, errors: FieldErrors) -> None:
    """A report covers at most one WTDC cycle and a year ahead at most (decision 0016)."""
    latest = timezone.localdate() + timedelta(days=366)
    if end < start:
        errors.add("period_end", _("The period ends before it starts."), "invalid_date")
    if start < EARLIEST_REPORT_DATE:
        errors.add(
            "period_start",
            _("A report period starts on %(date)s or later.")
            % {"date": EARLIEST_REPORT_DATE.isoformat()},
            "out_of_range",
        )
    if end > latest:
        errors.add(
            "period_end",
            _("A report period ends on %(date)s or earlier.") % {"date": latest.isoformat()},
            "out_of_range",
        )
    if end - start > timedelta(days=366 * MAX_REPORT_YEARS):
        errors.add(
            "period_end",
            _("A report period covers at most %(years)s years.") % {"years": MAX_REPORT_YEARS},
            "out_of_range",
        )


def _default_title(kind: str, period: Period) -> str:
    # Stored in English as the record's name; rendered titles are translated (report_view).
    name = "Quarterly report to CWG-COP" if kind == Report.Kind.QUARTERLY else "Report to WTDC"
    return f"{name}, {period.start.isoformat()} – {period.end.isoformat()}"


@transaction.atomic
def report_compile(
    *,
    user: User,
    kind: Report.Kind,
    period_start: date,
    period_end: date,
    regions: Sequence[str] = (),
    title: str = "",
    source_language: str = "en",
) -> Report:
    """A draft report over a period and ITU-D regions (codes; none: all regions): every
    record of the period, the figures, the participation in the period's meetings, the
    translation coverage and each clause's reading, stored now. A period with nothing
    recorded is refused (nothing to report)."""
    period, found_regions = _period_checked(period_start, period_end, regions)
    records = records_in_period(period)
    if not records:
        errors = FieldErrors()
        errors.add(
            "period_start",
            _(
                "Nothing was recorded between %(start)s and %(end)s in the regions chosen: "
                "there is nothing to report."
            )
            % {"start": period.start.isoformat(), "end": period.end.isoformat()},
            "empty_period",
        )
        errors.raise_if_any()
    report = Report.objects.create(
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        title=(title or _default_title(kind, period))[:300],
        snapshot=snapshot_compile(records=records, period=period, regions=found_regions),
        editor_texts={"source_language": source_language or "en", "sections": {}},
        created_by=user,
    )
    report.regions.set(found_regions)
    return report


def _require_draft(report: Report) -> None:
    if report.status != Report.Status.DRAFT:
        raise WrongState(_("An approved report can no longer be changed."))


@transaction.atomic
def report_text_set(
    *, user: User, report: Report, section: str, language: str, text: str
) -> Report:
    """An editor's text for one section in one language. In the report's source language it
    is the source (other languages become outdated when it changes); in another language it
    is a translation made from the source as it is now."""
    _require_draft(report)
    errors = FieldErrors()
    if section not in section_keys():
        errors.add("section", _("Unknown section."), "unknown")
    errors.add_unless_language("language", language)
    source_language = report.editor_texts.get("source_language", "en")
    sections = report.editor_texts.setdefault("sections", {})
    source = sections.get(section, {}).get(source_language)
    if language != source_language and not source:
        errors.add(
            "language",
            _("Write the text in the report's source language (%(language)s) first.")
            % {"language": source_language},
            "no_source",
        )
    errors.raise_if_any()
    made_from = text_fingerprint(source["text"]) if source and language != source_language else ""
    sections.setdefault(section, {})[language] = {"text": text.strip(), "from": made_from}
    report.save(update_fields=["editor_texts"])
    report_texts_track(report)
    return report


# --- the editors' texts in the translation matrix -------------------------------------------
# Each report with source texts is a record of the resources' translation matrix
# (``coordination.report:<id>``): translators see its status there and translate it in the
# workspace (PO/XLIFF, machine drafts, review) like any other record; approved translations
# come back into the report. Editors may also write a translation on the report page; both
# paths keep the matrix's status right.

REPORT_KEY_PREFIX = "coordination.report"


def report_item_key(report: Report) -> str:
    return f"{REPORT_KEY_PREFIX}:{report.pk}"


def _report_of(key: str) -> Report:
    return Report.objects.get(pk=int(key.split(":", 1)[1]))


def _source_language(report: Report) -> str:
    return str(report.editor_texts.get("source_language", "en"))


def report_source_segments(report: Report) -> list[tuple[str, str]]:
    """(section, source text) of every section with a source text, in report order."""
    sections = report.editor_texts.get("sections", {})
    source = _source_language(report)
    return [
        (key, sections[key][source]["text"])
        for key in section_keys()
        if sections.get(key, {}).get(source, {}).get("text")
    ]


def _translations(report: Report, language: str) -> dict[str, str]:
    sections = report.editor_texts.get("sections", {})
    return {
        key: entries[language]["text"]
        for key, entries in sections.items()
        if entries.get(language, {}).get("text")
    }


def _translations_write(key: str, language: str, texts: dict[str, str]) -> None:
    """Approved in the matrix: the texts become the report's translation into ``language``."""
    report = _report_of(key)
    source = _source_language(report)
    sections = report.editor_texts.setdefault("sections", {})
    for section, text in texts.items():
        original = sections.get(section, {}).get(source)
        if original and text.strip():
            sections[section][language] = {
                "text": text.strip(),
                "from": text_fingerprint(original["text"]),
            }
    report.save(update_fields=["editor_texts"])


def _matrix_state(report: Report, language: str, sections: list[str]) -> tuple[str, bool] | None:
    """(state, current) of ``language`` for the matrix, None when nothing is translated."""
    statuses = [text_status(report, section, language) for section in sections]
    if all(status == CellStatus.APPROVED for status in statuses):
        return "approved", True
    if CellStatus.OUTDATED in statuses:
        return "approved", False
    if CellStatus.APPROVED in statuses:
        return "human_draft", True
    return None


def report_texts_track(report: Report) -> None:
    """Keep the report's row of the translation matrix in step with its texts (the matrix is
    resources': ``resources.services`` writes it)."""
    segments = report_source_segments(report)
    sections = [section for section, _text in segments]
    states = {
        language: state
        for language in UI_LANGUAGE_CODES
        if (state := _matrix_state(report, language, sections)) is not None
    }
    record_translations_track(
        key=report_item_key(report),
        title=report.title,
        source_language=_source_language(report),
        segments=segments,
        states=states,
    )


def report_source_register() -> None:
    """Registered when the app is ready (see ``apps.py``)."""
    record_source_register(
        REPORT_KEY_PREFIX,
        RecordSource(
            segments=lambda key: report_source_segments(_report_of(key)),
            texts=lambda key, language: _translations(_report_of(key), language),
            write=_translations_write,
        ),
    )


def text_status(report: Report, section: str, language: str) -> CellStatus:
    """The status of a draft's text (see ``texts.texts_status``)."""
    return texts_status(report.editor_texts, section, language)


def _next_cwg_meeting(today: date) -> Meeting | None:
    return (
        Meeting.objects.select_related("body__rule_set")
        .filter(body_id=CWG_COP, starts_on__gte=today)
        .order_by("starts_on")
        .first()
    )


@transaction.atomic
def report_approve(*, user: User, report: Report, meeting_id: int | None = None) -> Report:
    """Approve and number the report as a document of the CWG-COP meeting it goes to (the
    next one unless ``meeting_id`` says otherwise)."""
    _require_draft(report)
    meeting = (
        Meeting.objects.select_related("body__rule_set").filter(pk=meeting_id).first()
        if meeting_id
        else _next_cwg_meeting(timezone.localdate())
    )
    if meeting is None:
        errors = FieldErrors()
        errors.add(
            "meeting",
            _("There is no coming CWG-COP meeting to number the report for; choose a meeting."),
            "no_meeting",
        )
        errors.raise_if_any()
    meeting = cast(Meeting, meeting)
    top = meeting.documents.order_by("-seq").values_list("seq", flat=True).first() or 0
    now = timezone.now()
    document = Document.objects.create(
        meeting=meeting,
        seq=top + 1,
        kind=Document.Kind.REPORT,
        purpose=Document.Purpose.INFORMATION,
        title=report.title,
        source=_("Director, Telecommunication Development Bureau"),
        original_language=report.editor_texts.get("source_language", "en"),
        timeliness=timeliness(
            meeting.body.rule_set,
            meeting_starts=meeting.starts_on,
            received=timezone.localdate(now),
            kind=Document.Kind.REPORT,
        ),
        status=Document.Status.PUBLISHED,
        submitted_by=user,
        received_at=now,
        published_at=now,
    )
    for language in UI_LANGUAGE_CODES:
        DocumentVersion.objects.create(
            document=document, language=language, status=DocumentVersion.Status.APPROVED
        )
    report.document = document
    report.snapshot = snapshot_approved(report, document)
    report.status = Report.Status.APPROVED
    report.approved_by = user
    report.approved_at = now
    report.save()
    return report


def report_region_codes(report: Report) -> list[str]:
    return [region.code for region in report.regions.all()]


def cwg_body() -> Body | None:
    return Body.objects.filter(pk=CWG_COP).first()
