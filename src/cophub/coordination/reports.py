"""Quarterly reports to CWG-COP (BDT-9) and the implementation report to WTDC (BDT-12): one
engine. Compiling freezes the period's records and figures into the report (so an approved
report never changes under its readers); rendering turns them, clause by clause, into text in
any of the six languages; editors add their own text per section and language; approval
numbers the report as a document of the meeting it goes to; DOCX and PDF are exported from
the same rendering.

Every figure is a count over the frozen records, and every record names its source row
(``Record.source``), so a reader can trace any figure back to the platform."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cophub.accounts.access import AnyUser, user_is_bdt_staff
from cophub.accounts.models import User
from cophub.portal.documents import (
    DOCX_MEDIA_TYPE,
    DocxWriter,
    export_checked,
    pdf_bytes,
    pdf_layout,
)
from cophub.portal.errors import ActionForbidden, FieldErrors
from cophub.reference.languages import RTL_LANGUAGE_CODES, UI_LANGUAGE_CODES
from cophub.reference.models import Region, localized
from cophub.reference.selectors import operative_clauses
from cophub.resources.fingerprints import fingerprint_segments
from cophub.resources.models import ItemTranslation
from cophub.resources.record_sources import RecordSource, record_source_register
from cophub.resources.selectors import translation_matrix
from cophub.resources.source_tracking import item_source_update
from cophub.resources.translation_status import CellStatus, cell_status
from cophub.statistics.charts import ChartRow, chart_svg

from . import access
from .collected import Period, Record, records_in_period
from .errors import WrongState
from .models import Body, ClauseProgress, Document, DocumentVersion, Meeting, Report
from .participation import meeting_participation

CWG_COP = "cwg-cop"
TRAINING_KINDS = frozenset({"training", "workshop", "dissemination_training"})
ASSISTANCE_KINDS = frozenset({"assistance_request", "country_assistance"})
# Report periods: nothing the platform records predates 2000; one WTDC cycle is four years.
EARLIEST_REPORT_DATE = date(2000, 1, 1)
MAX_REPORT_YEARS = 5


def record_kind_labels() -> dict[str, str]:
    """What each kind of record is called, in the active language."""
    return {
        "workshop": _("Workshop"),
        "training": _("Training"),
        "country_assistance": _("Country assistance"),
        "campaign": _("Campaign"),
        "publication": _("Publication"),
        "joint_activity": _("Joint activity with partners"),
        "meeting": _("Meeting"),
        "liaison_in": _("Incoming liaison statement"),
        "liaison_out": _("Outgoing liaison statement"),
        "contribution": _("Contribution"),
        "agreement": _("Partnership agreement"),
        "assistance_request": _("Assistance request"),
        "assessment": _("National strategy self-assessment submitted"),
        "strategy_profile": _("Country profile published"),
        "statistics_release": _("Statistics release"),
        "helpline_added": _("Helpline added to the directory"),
        "number_status": _("COP number status change"),
        "best_practice": _("Best practice published"),
        "resource": _("Resource published"),
        "dissemination_training": _("Training"),
        "dissemination_national_launch": _("National launch event"),
        "dissemination_awareness": _("Awareness campaign"),
    }


# --- compiling ------------------------------------------------------------------------------


def _translation_coverage() -> float | None:
    cells = [
        cell
        for row in translation_matrix()
        for cell in row.cells
        if cell.language in UI_LANGUAGE_CODES
    ]
    if not cells:
        return None
    done = sum(cell.status in (CellStatus.SOURCE, CellStatus.APPROVED) for cell in cells)
    return round(100 * done / len(cells), 1)


def figures_of(records: list[Record]) -> dict[str, int]:
    """The headline figures, each a count over ``records``."""
    kinds = Counter(record.kind for record in records)
    trainings = [record for record in records if record.kind in TRAINING_KINDS]
    assisted = {
        code for record in records if record.kind in ASSISTANCE_KINDS for code in record.countries
    }
    return {
        "countries_assisted": len(assisted),
        "assessments": kinds["assessment"],
        "strategy_profiles": kinds["strategy_profile"],
        "helplines_added": kinds["helpline_added"],
        "number_changes": kinds["number_status"],
        "statistics_releases": kinds["statistics_release"],
        "trainings": len(trainings),
        "training_reach": sum(record.participants or 0 for record in trainings),
        "best_practices": kinds["best_practice"],
        "resources": kinds["resource"],
        "meetings": kinds["meeting"],
        "contributions": kinds["contribution"],
        "liaison_statements": kinds["liaison_in"] + kinds["liaison_out"],
        "agreements": kinds["agreement"],
    }


def _participation(period: Period) -> list[dict[str, Any]]:
    meetings = list(
        Meeting.objects.select_related("body")
        .filter(starts_on__range=(period.start, period.end))
        .order_by("starts_on")
    )
    return [row.as_json() for row in meeting_participation(meetings)]


def _period_checked(data: dict[str, Any]) -> tuple[Period, list[Region], str]:
    errors = FieldErrors()
    kind = data.get("kind")
    if kind not in Report.Kind.values:
        errors.add(
            "kind",
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(Report.Kind.values)},
            "invalid_choice",
        )
    dates = {}
    for name in ("period_start", "period_end"):
        try:
            dates[name] = date.fromisoformat(str(data.get(name) or ""))
        except ValueError:
            errors.add(name, _("Give a date as YYYY-MM-DD."), "invalid_date")
    if len(dates) == 2:
        _period_bounds_check(dates["period_start"], dates["period_end"], errors)
    codes = [str(code).upper() for code in data.get("regions") or []]
    regions = list(Region.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {region.code for region in regions})
    if unknown:
        errors.add("regions", _("Unknown ITU-D region."), "unknown_region")
    errors.raise_if_any()
    period = Period(dates["period_start"], dates["period_end"], frozenset(codes))
    return period, regions, str(kind)


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
def report_compile(*, user: User, data: dict[str, Any]) -> Report:
    """A draft report over a period (and regions): every record of the period, the figures,
    the participation in the period's meetings, and the translation coverage, frozen now.
    A period with nothing recorded is refused (there would be nothing to report)."""
    access.require_secretariat(user)
    period, regions, kind = _period_checked(data)
    for region in regions:
        access.require_region(user, region.code)
    if not regions:
        access.require_region(user, None)
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
    content = {
        "version": 1,
        "compiled_at": timezone.now().isoformat(),
        "records": [record.as_json() for record in records],
        "figures": figures_of(records),
        "translation_coverage": _translation_coverage(),
        "participation": _participation(period),
    }
    report = Report.objects.create(
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        title=str(data.get("title") or _default_title(kind, period))[:300],
        content=content,
        editor_texts={"source_language": data.get("source_language") or "en", "sections": {}},
        created_by=user,
    )
    report.regions.set(regions)
    return report


def _require_draft(report: Report) -> None:
    if report.status != Report.Status.DRAFT:
        raise WrongState(_("An approved report can no longer be changed."))


def section_keys() -> list[str]:
    return ["summary", *(clause.pk for clause in operative_clauses()), "action_required"]


@transaction.atomic
def report_text_set(
    *, user: User, report: Report, section: str, language: str, text: str
) -> Report:
    """An editor's text for one section in one language. In the report's source language it
    is the source (other languages become outdated when it changes); in another language it
    is a translation made from the source as it is now."""
    access.require_secretariat(user)
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
    made_from = _fingerprint(source["text"]) if source and language != source_language else ""
    sections.setdefault(section, {})[language] = {"text": text.strip(), "from": made_from}
    report.save(update_fields=["editor_texts"])
    report_texts_track(report)
    return report


def _fingerprint(text: str) -> str:
    return fingerprint_segments([("text", text)])


# --- the editors' texts in the translation matrix -------------------------------------------
# Each report with source texts is a record of the resources' translation matrix
# (``coordination.report:<id>``): translators see its status there and translate it in the
# workspace (PO/XLIFF, machine drafts, review) like any other record; approved translations
# come back into the report. Editors may also write a translation on the report page; both
# paths keep the matrix's status right.

REPORT_KEY_PREFIX = "coordination.report"
WORKFLOW_STATES = frozenset({"machine_draft", "human_draft", "in_review"})


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
                "from": _fingerprint(original["text"]),
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
    """Keep the report's row of the translation matrix in step with its texts."""
    segments = report_source_segments(report)
    if not segments:
        return
    item = item_source_update(
        kind="record",
        key=report_item_key(report),
        title=report.title,
        source_language=_source_language(report),
        fingerprint=fingerprint_segments(segments),
    )
    sections = [section for section, _text in segments]
    for language in UI_LANGUAGE_CODES:
        if language == item.source_language:
            continue
        record = ItemTranslation.objects.filter(item=item, language=language).first()
        if record is not None and record.state in WORKFLOW_STATES and record.draft:
            continue  # translators are at work: the workflow owns the record
        state = _matrix_state(report, language, sections)
        if state is None:
            continue
        name, current = state
        ItemTranslation.objects.update_or_create(
            item=item,
            language=language,
            defaults={
                "state": name,
                "made_from_hash": item.source_hash if current else "",
                "made_from_version": item.source_version,
            },
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
    """The same statuses as the resources' translation matrix: source, missing, approved
    (a translation of the current source) or outdated."""
    source_language = report.editor_texts.get("source_language", "en")
    texts = report.editor_texts.get("sections", {}).get(section, {})
    source = texts.get(source_language)
    if source is None:
        return CellStatus.MISSING
    entry = texts.get(language)
    return cell_status(
        language=language,
        source_language=source_language,
        state="approved" if entry else None,
        made_from_hash=entry["from"] if entry else None,
        source_hash=_fingerprint(source["text"]),
    )


def _next_cwg_meeting(today: date) -> Meeting | None:
    return (
        Meeting.objects.filter(body_id=CWG_COP, starts_on__gte=today).order_by("starts_on").first()
    )


@transaction.atomic
def report_approve(*, user: User, report: Report, meeting_id: int | None = None) -> Report:
    """Approve and number the report as a document of the CWG-COP meeting it goes to (the
    next one unless ``meeting_id`` says otherwise)."""
    if not user_is_bdt_staff(user):
        raise ActionForbidden()
    _require_draft(report)
    meeting = (
        Meeting.objects.filter(pk=meeting_id).first()
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
        timeliness="on_time",
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
    report.status = Report.Status.APPROVED
    report.approved_by = user
    report.approved_at = now
    report.save()
    return report


# --- rendering ------------------------------------------------------------------------------


@dataclass
class Line:
    on: str
    kind: str
    title: str
    countries: str
    source: str


@dataclass
class ClauseSection:
    clause: str
    text: str
    official: bool
    status: str
    progress: int | None
    generated: str
    lines: list[Line]
    editor_text: str
    editor_note: str


@dataclass
class ReportView:
    language: str
    rtl: bool
    title: str
    number: str
    subtitle: str
    status: str
    summary: str
    editor_summary: str
    figures: list[tuple[str, str]]
    chart: str
    sections: list[ClauseSection]
    participation_header: list[str]
    participation: list[list[str]]
    action_required: str
    headings: dict[str, str] = field(default_factory=dict)


def _number(value: float | int | None) -> str:
    if value is None:
        return "—"
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _figure_labels() -> dict[str, str]:
    return {
        "countries_assisted": _("Countries assisted"),
        "assessments": _("National self-assessments submitted"),
        "strategy_profiles": _("Country profiles published"),
        "helplines_added": _("Helplines added to the directory"),
        "number_changes": _("COP number status changes recorded"),
        "statistics_releases": _("Statistics releases"),
        "trainings": _("Trainings and workshops"),
        "training_reach": _("People reached by trainings and workshops"),
        "best_practices": _("Best practices published"),
        "resources": _("Resources published"),
        "meetings": _("Meetings held"),
        "contributions": _("Contributions received"),
        "liaison_statements": _("Liaison statements sent or received"),
        "agreements": _("Partnership agreements signed"),
    }


def _generated(records: list[Record], labels: dict[str, str]) -> str:
    if not records:
        return _("Nothing was recorded for this clause in the period.")
    kinds = Counter(record.kind for record in records)
    parts = ", ".join(
        f"{labels.get(kind, kind)}: {_number(count)}" for kind, count in kinds.most_common()
    )
    countries = {code for record in records for code in record.countries}
    sentence = ngettext(
        "%(count)s record in the period (%(parts)s).",
        "%(count)s records in the period (%(parts)s).",
        len(records),
    ) % {"count": _number(len(records)), "parts": parts}
    if countries:
        sentence += " " + ngettext(
            "It concerns %(count)s country.", "They concern %(count)s countries.", len(countries)
        ) % {"count": _number(len(countries))}
    return sentence


def _editor_text(report: Report, section: str, language: str) -> tuple[str, str]:
    """The editor's text in ``language`` if current, else the source text with a note."""
    source_language = report.editor_texts.get("source_language", "en")
    texts = report.editor_texts.get("sections", {}).get(section, {})
    status = text_status(report, section, language)
    if status in (CellStatus.SOURCE, CellStatus.APPROVED):
        return texts[language]["text"], ""
    source = texts.get(source_language)
    if source is None:
        return "", ""
    note = (
        _("Not yet translated; the text is in its original language.")
        if status == CellStatus.MISSING
        else _("The translation is out of date; the text is in its original language.")
    )
    return source["text"], note


def report_view(report: Report, language: str) -> ReportView:
    """Everything the report says, in ``language``."""
    with translation.override(language):
        labels = record_kind_labels()
        records = [Record.from_json(data) for data in report.content["records"]]
        figures = report.content["figures"]
        progress = {p.clause_id: p for p in ClauseProgress.objects.all()}
        names = dict(Region.objects.values_list("code", "names"))
        sections = []
        for clause in operative_clauses():
            mine = [record for record in records if clause.pk in record.clauses]
            text, note = _editor_text(report, clause.pk, language)
            reading = progress.get(clause.pk)
            sections.append(
                ClauseSection(
                    clause=clause.pk,
                    text=clause.text(language),
                    official=clause.is_official(language),
                    status=str(reading.get_status_display()) if reading else _("Not assessed"),
                    progress=reading.progress if reading else None,
                    generated=_generated(mine, labels),
                    lines=[
                        Line(
                            on=record.on.isoformat(),
                            kind=labels.get(record.kind, record.kind),
                            title=record.title,
                            countries=", ".join(record.countries),
                            source=record.source,
                        )
                        for record in mine
                    ],
                    editor_text=text,
                    editor_note=note,
                )
            )
        regions = [localized(names[code], language) for code in sorted(report_region_codes(report))]
        figure_rows = [
            (label, _number(figures.get(key))) for key, label in _figure_labels().items()
        ]
        coverage = report.content.get("translation_coverage")
        figure_rows.append(
            (
                _("Translation coverage of resources in the six languages"),
                "—" if coverage is None else f"{_number(coverage)} %",
            )
        )
        participation = report.content.get("participation", [])
        registrations = sum(row["registrations"] for row in participation)
        developing = sum(row["developing"] for row in participation)
        figure_rows.append(
            (
                _("Share of meeting registrations from developing countries"),
                f"{_number(round(100 * developing / registrations, 1))} %"
                if registrations
                else "—",
            )
        )
        chart = chart_svg(
            [
                ChartRow(label=section.clause, estimate=float(len(section.lines)))
                for section in sections
                if section.lines
            ],
            title=_("Records per clause"),
            description=_("How many records of the period serve each clause."),
            percent=False,
            rtl=language in RTL_LANGUAGE_CODES,
            chart_id=f"report-{report.pk}-chart",
        )
        summary_text, summary_note = _editor_text(report, "summary", language)
        action_text, _action_note = _editor_text(report, "action_required", language)
        kind_title = (
            _("Quarterly report to the Council Working Group on Child Online Protection")
            if report.kind == Report.Kind.QUARTERLY
            else _(
                "Report to the World Telecommunication Development Conference on the "
                "implementation of Resolution 67"
            )
        )
        return ReportView(
            language=language,
            rtl=language in RTL_LANGUAGE_CODES,
            title=kind_title,
            number=report.document.number(language) if report.document else "",
            subtitle=_("Period: %(start)s to %(end)s. Regions: %(regions)s.")
            % {
                "start": report.period_start.isoformat(),
                "end": report.period_end.isoformat(),
                "regions": ", ".join(regions) if regions else _("all regions"),
            },
            status=str(report.get_status_display()),
            summary=_(
                "In the period, %(records)s activities and results were recorded on the "
                "platform for the %(clauses)s operative clauses of Resolution 67; "
                "%(covered)s clauses have at least one."
            )
            % {
                "records": _number(len(records)),
                "clauses": _number(len(sections)),
                "covered": _number(sum(1 for s in sections if s.lines)),
            },
            editor_summary=summary_text
            if not summary_note
            else f"{summary_text}\n({summary_note})",
            figures=figure_rows,
            chart=str(chart),
            sections=sections,
            participation_header=[
                _("Meeting"),
                _("Registrations"),
                _("From developing countries"),
                _("Attended"),
                _("Fellowships granted"),
                _("Contributions"),
                _("Contributions from developing countries"),
            ],
            participation=[
                [
                    row["name"],
                    _number(row["registrations"]),
                    _number(row["developing"]),
                    _number(row["attended"]),
                    _number(row["fellowships_granted"]),
                    _number(row["contributions"]),
                    _number(row["contributions_developing"]),
                ]
                for row in participation
            ],
            action_required=action_text
            or (
                _("CWG-COP is invited to take note of this report.")
                if report.kind == Report.Kind.QUARTERLY
                else _("The Conference is invited to take note of this report.")
            ),
            headings={
                "summary": _("Summary"),
                "figures": _("Figures"),
                "clauses": _("Implementation by clause"),
                "participation": _("Participation in meetings"),
                "action": _("Action required"),
                "records": _("Records"),
                "status": _("Status"),
                "unofficial": _("Unofficial rendering of the clause."),
                "number": _("Document"),
                "date": _("Date"),
                "kind": _("Kind"),
                "title": _("Title"),
                "countries": _("Countries"),
                "source": _("Source"),
                "progress": _("Progress"),
            },
        )


def report_region_codes(report: Report) -> list[str]:
    return [region.code for region in report.regions.all()]


def report_pdf_layout(view: ReportView) -> Any:
    return pdf_layout("coordination/export/report.html", {"report": view})


def _docx(view: ReportView) -> bytes:
    writer = DocxWriter(rtl=view.rtl, title=view.title, language=view.language)
    headings = view.headings
    writer.heading(view.title, 0)
    if view.number:
        writer.text(f"{headings['number']}: {view.number}")
    writer.text(view.subtitle)
    writer.heading(headings["summary"], 1)
    writer.text(view.summary)
    if view.editor_summary:
        writer.text(view.editor_summary)
    writer.heading(headings["figures"], 1)
    writer.table(["", ""], [[label, value] for label, value in view.figures])
    writer.heading(headings["clauses"], 1)
    for section in view.sections:
        writer.heading(f"{section.clause} — {section.text}", 2)
        progress = "" if section.progress is None else f" ({section.progress} %)"
        writer.text(f"{headings['status']}: {section.status}{progress}")
        writer.text(section.generated)
        if section.editor_text:
            writer.text(section.editor_text)
        if section.editor_note:
            writer.text(section.editor_note)
        for line in section.lines:
            writer.text(
                f"{line.on} · {line.kind} · {line.title} {line.countries}".strip(), "List Bullet"
            )
    if view.participation:
        writer.heading(headings["participation"], 1)
        writer.table(view.participation_header, view.participation)
    writer.heading(headings["action"], 1)
    writer.text(view.action_required)
    return writer.bytes()


def report_export(report: Report, *, language: str, file_format: str) -> tuple[bytes, str, str]:
    """(content, media type, file name) of the report in ``language``."""
    export_checked(language, file_format)
    view = report_view(report, language)
    name = f"cophub-report-{report.kind}-{report.period_start}-{report.period_end}-{language}"
    if file_format == "pdf":
        return (
            pdf_bytes("coordination/export/report.html", {"report": view}),
            "application/pdf",
            f"{name}.pdf",
        )
    return _docx(view), DOCX_MEDIA_TYPE, f"{name}.docx"


def report_list(user: AnyUser) -> Any:
    reports = Report.objects.prefetch_related("regions").select_related("document__meeting__body")
    if access.user_is_secretariat(user):
        return reports
    return reports.filter(status=Report.Status.APPROVED)


def cwg_body() -> Body | None:
    return Body.objects.filter(pk=CWG_COP).first()
