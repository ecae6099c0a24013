"""The action plan exported as a draft national COP strategy, in any of the six languages:
DOCX (python-docx, right-to-left paragraphs for Arabic) and PDF (WeasyPrint, from the HTML
template ``strategies/export/strategy.html``). Both are built from one ``StrategyDraft``:
structured by area of the framework, with the actions of each area and the evidence list."""

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from cophub.portal.documents import DOCX_MEDIA_TYPE, export_checked, pdf_bytes, pdf_layout
from cophub.reference.languages import RTL_LANGUAGE_CODES
from cophub.reference.models import localized

from .export_draft import ActionBlock, AreaBlock, Fact, StrategyDraft
from .exports_docx import docx_bytes
from .models import Action, ActionPlan, Consultation, Item, MaturityPhase, Stakeholder
from .profiles import evidence_list, framework_view, profile_content


def _money(action: Action) -> str:
    if action.budget_amount is None:
        return action.budget_line
    amount = f"{action.budget_amount:,.2f} {action.currency}".strip()
    return f"{action.budget_line} — {amount}" if action.budget_line else amount


def _action_block(action: Action, phases: dict[int, str], language: str) -> ActionBlock:
    facts = [
        Fact(_("Owner"), action.owner.name),
        Fact(_("Status"), str(action.get_status_display())),
    ]
    if action.partners:
        facts.append(Fact(_("Partners"), ", ".join(action.partners)))
    if action.starts_on or action.ends_on:
        facts.append(
            Fact(
                _("Timeline"),
                _("%(start)s to %(end)s")
                % {"start": action.starts_on or "…", "end": action.ends_on or "…"},
            )
        )
    if action.budget_line or action.budget_amount is not None:
        facts.append(Fact(_("Budget"), _money(action)))
    if action.target_maturity:
        facts.append(
            Fact(
                _("Target maturity"),
                phases.get(action.target_maturity, str(action.target_maturity)),
            )
        )
    if action.indicators:
        facts.append(Fact(_("Indicators"), action.indicators))
    clauses = [clause.pk for clause in action.clauses.all()]
    if clauses:
        facts.append(Fact(_("Resolution 67 clauses"), ", ".join(clauses)))
    updates = list(action.updates.all())
    if updates:
        last = updates[-1]
        facts.append(Fact(_("Latest progress"), f"{last.on.isoformat()}: {last.text}"))
    return ActionBlock(title=action.title, facts=facts, description=action.description)


def strategy_draft(plan: ActionPlan, language: str) -> StrategyDraft:
    """Everything the document says, in ``language`` (labels via gettext, framework texts
    and country names from the data)."""
    assessment = plan.assessment
    profile = getattr(assessment, "profile", None)
    content = (
        profile.validated_content
        if profile is not None and profile.validated_content
        else profile_content(assessment)
    )
    with translation.override(language):
        phases = {p.value: localized(p.names, language) for p in MaturityPhase.objects.all()}
        country = localized(assessment.country.names, language)
        framework = assessment.framework
        actions = list(
            plan.actions.select_related("owner", "gap_item__section").prefetch_related(
                "items__section", "clauses", "updates"
            )
        )
        placed: set[int] = set()
        areas = []
        for section in framework_view(content, framework, framework):
            standing = []
            for row in section.rows:
                if row.answer is None or row.item.kind == Item.Kind.TEXT:
                    continue
                label = _standing_label(row.item.kind, row.answer.get("value"), phases)
                standing.append(Fact(localized(row.item.texts, language), label))
            mine = [a for a in actions if a.pk not in placed and _in_section(a, section.key)]
            placed.update(a.pk for a in mine)
            areas.append(
                AreaBlock(
                    title=_section_title(framework, section.key, language),
                    standing=standing,
                    actions=[_action_block(a, phases, language) for a in mine],
                )
            )
        others = [_action_block(a, phases, language) for a in actions if a.pk not in placed]
        validated = profile.validated_at if profile is not None else None
        notice = (
            _("Based on the country profile validated on %(date)s.")
            % {"date": validated.date().isoformat()}
            if validated and profile and profile.validated_content
            else _("Based on answers not yet validated by the focal point.")
        )
        return StrategyDraft(
            language=language,
            rtl=language in RTL_LANGUAGE_CODES,
            title=_("Draft national child online protection strategy: %(country)s")
            % {"country": country},
            subtitle=_("Self-assessment %(year)s (%(framework)s) and action plan “%(plan)s”")
            % {
                "year": assessment.year,
                "framework": localized(framework.titles, language),
                "plan": plan.title,
            },
            notice=_(
                "A draft for national consultation, prepared on COP Hub. It is not an "
                "official document of ITU or of the government. %(basis)s"
            )
            % {"basis": notice},
            summary=content.get("summary", ""),
            areas=areas,
            other_actions=others,
            consultations=[_consultation_line(c) for c in content.get("consultations", [])],
            stakeholders=[_stakeholder_line(s) for s in content.get("stakeholders", [])],
            evidence=[_evidence_line(e, language) for e in evidence_list(content, framework)],
            headings={
                "summary": _("Summary"),
                "standing": _("Where the country stands"),
                "actions": _("Actions"),
                "no_action": _("No action planned in this area yet."),
                "other": _("Other actions"),
                "consultations": _("Consultation with children and young people"),
                "stakeholders": _("Stakeholders"),
                "evidence": _("Evidence"),
                "none": _("None recorded."),
            },
        )


def _in_section(action: Action, section_key: str) -> bool:
    if action.gap_item is not None:
        return action.gap_item.section.key == section_key
    return any(item.section.key == section_key for item in action.items.all())


def _section_title(framework: Any, key: str, language: str) -> str:
    section = framework.sections.get(key=key)
    return localized(section.titles, language)


def _standing_label(kind: str, value: Any, phases: dict[int, str]) -> str:
    if kind == Item.Kind.YES_NO_PARTIAL:
        return {"yes": _("Yes"), "no": _("No"), "partial": _("Partial")}.get(value, str(value))
    if kind == Item.Kind.MATURITY and value is not None:
        return phases.get(int(value), str(value))
    return str(value)


def _consultation_line(data: dict[str, Any]) -> str:
    method = dict(Consultation.Method.choices).get(data["method"], data["method"])
    return _("%(date)s, %(method)s, %(count)s participants: %(summary)s") % {
        "date": data["held_on"],
        "method": method,
        "count": data["participants"],
        "summary": data["summary"],
    }


def _stakeholder_line(data: dict[str, Any]) -> str:
    sector = dict(Stakeholder.Sector.choices).get(data["sector"], data["sector"])
    involvement = dict(Stakeholder.Involvement.choices).get(
        data["involvement"], data["involvement"]
    )
    return f"{data['name']} ({sector}; {involvement})"


def _evidence_line(evidence: dict[str, Any], language: str) -> str:
    where = evidence["url"] or evidence["file_name"]
    question = localized(evidence["item"].texts, language) if evidence["item"] else ""
    return _("%(title)s, %(body)s, %(date)s [%(language)s] %(where)s — %(question)s") % {
        "title": evidence["title"],
        "body": evidence["issuing_body"],
        "date": evidence["issued_on"],
        "language": evidence["language"],
        "where": where,
        "question": question,
    }


def render_pdf(draft: StrategyDraft) -> bytes:
    return pdf_bytes("strategies/export/strategy.html", {"draft": draft})


def render_pdf_document(draft: StrategyDraft) -> Any:
    """The laid-out WeasyPrint document (its boxes carry the text: tests read them)."""
    return pdf_layout("strategies/export/strategy.html", {"draft": draft})


def render_docx(draft: StrategyDraft) -> bytes:
    return docx_bytes(draft)


def export_plan(plan: ActionPlan, *, language: str, file_format: str) -> tuple[bytes, str, str]:
    """(content, media type, file name) of the plan as a draft strategy."""
    export_checked(language, file_format)
    draft = strategy_draft(plan, language)
    name = f"cop-strategy-{plan.assessment.country_id}-{plan.assessment.year}-{language}"
    if file_format == "pdf":
        return render_pdf(draft), "application/pdf", f"{name}.pdf"
    return render_docx(draft), DOCX_MEDIA_TYPE, f"{name}.docx"
