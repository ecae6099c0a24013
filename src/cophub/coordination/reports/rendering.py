"""Rendering a report in any of the six languages, from its snapshot only
(``snapshot.py``): the page, DOCX and PDF all come from ``report_view``. Labels are
translated through gettext at rendering; everything the report says about the platform — the
records, figures, participation, each clause's text, status, progress and timeline, the
editors' texts of an approved report and its number — is read from the snapshot, so editing
the platform's rows after approval changes nothing the report shows."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cophub.portal.documents import (
    DOCX_MEDIA_TYPE,
    DocxWriter,
    export_checked,
    pdf_bytes,
    pdf_layout,
)
from cophub.reference.languages import RTL_LANGUAGE_CODES
from cophub.reference.models import localized
from cophub.statistics.charts import ChartRow, chart_svg

from .collected import Record
from .models import ClauseProgress, Report
from .snapshot import snapshot_number, snapshot_texts
from .texts import texts_in


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


@dataclass
class Line:
    """One record of the report, listed once (in the records annex), numbered in date order."""

    number: int
    on: str
    kind: str
    title: str
    countries: str
    clauses: tuple[str, ...]  # codes; joined only where shown (pages, exports, files)
    source: str
    kind_code: str = ""


@dataclass
class ClauseSection:
    clause: str
    text: str
    official: bool
    status: str
    progress: int | None
    timeline: str
    generated: str
    count: int
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
    progress_note: str
    participation_header: list[str]
    participation: list[list[str]]
    action_required: str
    records: list[Line] = field(default_factory=list)
    headings: dict[str, str] = field(default_factory=dict)
    # In an export whose annex is cut: how many are listed and where the rest are.
    records_more: str = ""


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


def _status_label(status: str | None) -> str:
    if status is None:
        return _("Not assessed")
    return str(dict(ClauseProgress.Status.choices).get(status, status))


def _progress_note(snapshot: dict[str, Any], approved: bool) -> str:
    """When the clauses' readings were taken, and a warning when a report compiled before
    reports kept their own copy shows readings that had changed since."""
    as_of = formats.date_format(
        datetime.fromisoformat(snapshot["progress_as_of"]).date(), "DATE_FORMAT"
    )
    note = _("Clause status, progress and timeline as recorded on %(date)s.") % {"date": as_of}
    backfilled = snapshot.get("backfilled")
    if backfilled and backfilled.get("progress_changed"):
        warning = (
            _(
                "This report was approved before reports kept their own copy of each clause's "
                "status and progress; some of them had changed since the approval."
            )
            if approved
            else _(
                "This draft was compiled before reports kept their own copy of each clause's "
                "status and progress; some of them had changed since it was compiled."
            )
        )
        note = f"{note} {warning}"
    return note


def _sections(report: Report, records: list[Record], language: str) -> list[ClauseSection]:
    """Each clause with its reading and the count of its records by kind; the records
    themselves are listed once, in the annex (``record_lines``), not under every clause
    they serve."""
    labels = record_kind_labels()
    texts = snapshot_texts(report)
    by_clause: dict[str, list[Record]] = {}
    for record in records:
        for clause in record.clauses:
            by_clause.setdefault(clause, []).append(record)
    sections = []
    for clause in report.snapshot["clauses"]:
        mine = by_clause.get(clause["clause"], [])
        editor_text, note = texts_in(texts, clause["clause"], language)
        sections.append(
            ClauseSection(
                clause=clause["clause"],
                text=localized(clause["texts"], language),
                official=language in clause["official_languages"],
                status=_status_label(clause["status"]),
                progress=clause["progress"],
                timeline=clause["timeline"],
                generated=_generated(mine, labels),
                count=len(mine),
                editor_text=editor_text,
                editor_note=note,
            )
        )
    return sections


def record_lines(records: list[Record]) -> list[Line]:
    """The records annex: every record once, in date order, with the clauses it serves."""
    labels = record_kind_labels()
    ordered = sorted(records, key=lambda record: (record.on, record.kind, record.title))
    return [
        Line(
            number=number,
            on=record.on.isoformat(),
            kind=labels.get(record.kind, record.kind),
            title=record.title,
            countries=", ".join(record.countries),
            clauses=tuple(record.clauses),
            source=record.source,
            kind_code=record.kind,
        )
        for number, record in enumerate(ordered, start=1)
    ]


def _figure_rows(snapshot: dict[str, Any]) -> list[tuple[str, str]]:
    figures = snapshot["figures"]
    rows = [(label, _number(figures.get(key))) for key, label in _figure_labels().items()]
    coverage = snapshot.get("translation_coverage")
    rows.append(
        (
            _("Translation coverage of resources in the six languages"),
            "—" if coverage is None else f"{_number(coverage)} %",
        )
    )
    participation = snapshot.get("participation", [])
    registrations = sum(row["registrations"] for row in participation)
    developing = sum(row["developing"] for row in participation)
    rows.append(
        (
            _("Share of meeting registrations from developing countries"),
            f"{_number(round(100 * developing / registrations, 1))} %" if registrations else "—",
        )
    )
    return rows


def _headings() -> dict[str, str]:
    return {
        "summary": _("Summary"),
        "figures": _("Figures"),
        "clauses": _("Implementation by clause"),
        "participation": _("Participation in meetings"),
        "action": _("Action required"),
        "records": _("Records"),
        "status": _("Status"),
        "timeline": _("Timeline"),
        "unofficial": _("Unofficial rendering of the clause."),
        "number": _("Document"),
        "date": _("Date"),
        "kind": _("Kind"),
        "title": _("Title"),
        "countries": _("Countries"),
        "source": _("Source"),
        "progress": _("Progress"),
        "clauses_column": _("Clauses"),
        "records_note": _(
            "Each record of the period is listed once, with the clauses it serves; each "
            "clause above gives its count."
        ),
    }


def report_view(report: Report, language: str) -> ReportView:
    """Everything the report says, in ``language``, from its snapshot."""
    snapshot = report.snapshot
    approved = report.status == Report.Status.APPROVED
    with translation.override(language):
        records = [Record.from_json(data) for data in snapshot["records"]]
        sections = _sections(report, records, language)
        regions = [
            localized(names, language) for _code, names in sorted(snapshot["regions"].items())
        ]
        chart = chart_svg(
            [
                ChartRow(label=section.clause, estimate=float(section.count))
                for section in sections
                if section.count
            ],
            title=_("Records per clause"),
            description=_("How many records of the period serve each clause."),
            percent=False,
            rtl=language in RTL_LANGUAGE_CODES,
            chart_id=f"report-{report.pk}-chart",
        )
        texts = snapshot_texts(report)
        summary_text, summary_note = texts_in(texts, "summary", language)
        action_text, _action_note = texts_in(texts, "action_required", language)
        participation = snapshot.get("participation", [])
        quarterly = report.kind == Report.Kind.QUARTERLY
        return ReportView(
            language=language,
            rtl=language in RTL_LANGUAGE_CODES,
            title=_("Quarterly report to the Council Working Group on Child Online Protection")
            if quarterly
            else _(
                "Report to the World Telecommunication Development Conference on the "
                "implementation of Resolution 67"
            ),
            number=snapshot_number(report, language),
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
                "covered": _number(sum(1 for s in sections if s.count)),
            },
            editor_summary=summary_text
            if not summary_note
            else f"{summary_text}\n({summary_note})",
            figures=_figure_rows(snapshot),
            chart=str(chart),
            sections=sections,
            progress_note=_progress_note(snapshot, approved),
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
                if quarterly
                else _("The Conference is invited to take note of this report.")
            ),
            records=record_lines(records),
            headings=_headings(),
        )


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
    writer.text(view.progress_note)
    for section in view.sections:
        writer.heading(f"{section.clause} — {section.text}", 2)
        progress = "" if section.progress is None else f" ({section.progress} %)"
        writer.text(f"{headings['status']}: {section.status}{progress}")
        if section.timeline:
            writer.text(f"{headings['timeline']}: {section.timeline}")
        writer.text(section.generated)
        if section.editor_text:
            writer.text(section.editor_text)
        if section.editor_note:
            writer.text(section.editor_note)
    if view.participation:
        writer.heading(headings["participation"], 1)
        writer.table(view.participation_header, view.participation)
    writer.heading(headings["action"], 1)
    writer.text(view.action_required)
    if view.records:
        writer.heading(headings["records"], 1)
        writer.text(headings["records_note"])
        # One paragraph per record: a Word table of thousands of rows costs python-docx
        # several times as much as paragraphs do.
        for line in view.records:
            countries = f" ({line.countries})" if line.countries else ""
            writer.text(
                f"{line.number}. {line.on} · {line.kind} · {line.title}{countries} — "
                f"{headings['clauses_column']}: {', '.join(line.clauses)}"
            )
        if view.records_more:
            writer.text(view.records_more)
    return writer.bytes()


EXPORT_RECORDS = 200  # records listed in a DOCX or PDF; every one is in the records file


def report_export(
    report: Report, *, language: str, file_format: str, records_url: str
) -> tuple[bytes, str, str]:
    """(content, media type, file name) of the report in ``language``; its annex lists the
    first ``EXPORT_RECORDS`` records and names ``records_url`` (the CSV of every record)."""
    export_checked(language, file_format)
    view = report_view(report, language)
    total = len(view.records)
    if total > EXPORT_RECORDS:
        view.records = view.records[:EXPORT_RECORDS]
        with translation.override(language):
            view.records_more = _(
                "Records listed here: %(shown)s of %(total)s. Every record, with its "
                "clauses, is in the records file (CSV): %(url)s"
            ) % {"shown": _number(EXPORT_RECORDS), "total": _number(total), "url": records_url}
    name = f"cophub-report-{report.kind}-{report.period_start}-{report.period_end}-{language}"
    if file_format == "pdf":
        return (
            pdf_bytes("coordination/export/report.html", {"report": view}),
            "application/pdf",
            f"{name}.pdf",
        )
    return _docx(view), DOCX_MEDIA_TYPE, f"{name}.docx"


def report_clauses(report: Report) -> list[dict[str, Any]]:
    """Each clause's reading as the report shows it (for the API)."""
    return [
        {key: clause[key] for key in ("clause", "status", "progress", "timeline")}
        for clause in report.snapshot["clauses"]
    ]
