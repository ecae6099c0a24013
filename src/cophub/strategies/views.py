"""Pages of a self-assessment under /<lang>/strategies/: the list, an assessment and its
sections (answer forms with evidence), co-respondents, the consultation with children, the
stakeholder map, the diff with last year and the country profile. Plans, assistance and the
regional view are in ``plan_views``. Every page calls the same access functions and services
as the API; forms work without JavaScript."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cophub.accounts.models import User
from cophub.portal.api_auth import page_user
from cophub.portal.errors import InvalidInput, ObjectNotFound
from cophub.portal.pages import page_errors
from cophub.portal.paging import rows_page
from cophub.reference.models import Country

from . import access, assessment_parts, selectors, services
from .diffs import previous_assessment
from .errors import AssessmentLocked
from .forms import (
    AnswerForm,
    AssignForm,
    ConfidentialityForm,
    ConsultationForm,
    OpenAssessmentForm,
    StakeholderForm,
    errors_to_form,
    language_choices,
)
from .models import Framework, Item, Section
from .profiles import (
    PROFILE_STATUSES,
)
from .profiles import profile_publish as publish_profile
from .profiles import profile_validate as validate_profile


def _locked(request: HttpRequest, locked: AssessmentLocked, pk: int) -> HttpResponse:
    """A change to a submitted assessment: its message on the assessment page. Most forms
    here post to an address that is not a page, so ``page_errors``' redirect to the same
    address would not do."""
    messages.error(request, str(locked.message))
    return redirect("strategies:detail", pk=pk)


def _country_choices(user: User) -> list[tuple[str, str]]:
    countries = Country.objects.filter(iso2__in=access.focal_point_countries(user))
    return [(c.iso2, c.name) for c in countries]


@require_GET
@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    return _list_page(request, OpenAssessmentForm(countries=_country_choices(user)))


def _list_page(request: HttpRequest, form: OpenAssessmentForm, status: int = 200) -> HttpResponse:
    user = page_user(request)
    countries = set(access.focal_point_countries(user))
    assigned = set(user.strategy_assignments.values_list("assessment_id", flat=True))
    rows = []
    page = rows_page(request, selectors.assessment_list(user), ordering=("country_id", "-year"))
    for assessment in page.rows:
        if assessment.country_id in countries:
            relation = _("Your country")
        elif assessment.pk in assigned:
            relation = _("Sections assigned to you")
        else:
            relation = _("Shared with you")
        rows.append({"assessment": assessment, "relation": relation})
    context = {
        "rows": rows,
        "page": page,
        "form": form if countries else None,
        "statuses": PROFILE_STATUSES,
        "has_frameworks": Framework.objects.exists(),
    }
    return render(request, "strategies/list.html", context, status=status)


@require_POST
@login_required
@page_errors
def assessment_open(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    form = OpenAssessmentForm(request.POST, countries=_country_choices(user))
    if not form.is_valid():
        return _list_page(request, form, status=422)
    access.access_country_for_opening(user, form.cleaned_data["country"])
    try:
        assessment = services.assessment_open(
            user=user,
            country=Country.objects.get(iso2=form.cleaned_data["country"]),
            year=form.cleaned_data["year"],
            framework=Framework.objects.get(pk=form.cleaned_data["framework"]),
            start_from_previous=form.cleaned_data["start_from_previous"],
        )
    except InvalidInput as invalid:
        errors_to_form(form, invalid)
        return _list_page(request, form, status=422)
    messages.success(request, _("The assessment is open."))
    return redirect("strategies:detail", pk=assessment.pk)


def _section_choices(assessment_framework_id: int) -> list[tuple[str, str]]:
    sections = Section.objects.filter(framework_id=assessment_framework_id)
    return [(s.key, s.title) for s in sections]


def _detail_page(
    request: HttpRequest,
    found: access.AssessmentAccess,
    assign_form: AssignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    assessment = found.assessment
    context: dict[str, Any] = {
        "assessment": assessment,
        "access": found,
        "sections": selectors.section_statuses(found),
        "profile_status": PROFILE_STATUSES[assessment.profile.status],
        "previous": previous_assessment(assessment),
    }
    if found.manages:
        context.update(
            assignments=selectors.assignments(assessment),
            assign_form=assign_form
            or AssignForm(sections=_section_choices(assessment.framework_id)),
            confidentiality_form=ConfidentialityForm(
                initial={"confidentiality": assessment.confidentiality}
            ),
            missing=services.missing_items(assessment) if not assessment.is_locked else [],
        )
    return render(request, "strategies/detail.html", context, status=status)


@require_GET
@login_required
@page_errors
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.access_assessment(page_user(request), pk)
    if not found.is_respondent:
        return redirect("strategies:profile", pk=pk)
    return _detail_page(request, found)


def _answer_forms(
    found: access.AssessmentAccess, section: Section, bound: AnswerForm | None
) -> list[dict[str, Any]]:
    assessment = found.assessment
    answers = {a.item_id: a for a in selectors.answers_in_sections(assessment, [section.pk])}
    evidence: dict[int, list[Any]] = {}
    for piece in selectors.evidence_in_sections(assessment, [section.pk]):
        evidence.setdefault(piece.item_id, []).append(piece)
    blocks = []
    for item in selectors.section_items(section):
        answer = answers.get(item.pk)
        if bound is not None and bound.item.pk == item.pk:
            form = bound
        else:
            initial = {}
            if answer is not None:
                value = {
                    Item.Kind.YES_NO_PARTIAL: answer.choice,
                    Item.Kind.MATURITY: str(answer.maturity or ""),
                    Item.Kind.NUMERIC: format(answer.number.normalize(), "f")
                    if answer.number is not None
                    else "",
                    Item.Kind.TEXT: answer.text,
                }[Item.Kind(item.kind)]
                initial = {"value": value, "comment": answer.comment}
            form = AnswerForm(initial=initial, item=item)
        blocks.append(
            {"item": item, "answer": answer, "evidence": evidence.get(item.pk, []), "form": form}
        )
    return blocks


def _section_page(
    request: HttpRequest,
    found: access.AssessmentAccess,
    section: Section,
    bound: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "assessment": found.assessment,
        "access": found,
        "section": section,
        "blocks": _answer_forms(found, section, bound),
        "framework": found.assessment.framework,
        "languages": language_choices(),
    }
    return render(request, "strategies/section.html", context, status=status)


@require_GET
@login_required
@page_errors
def section_page(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    found, chosen = access.access_section(page_user(request), pk, section)
    return _section_page(request, found, chosen)


@require_POST
@login_required
@page_errors
def answer_submit(request: HttpRequest, pk: int, item: str) -> HttpResponse:
    user = page_user(request)
    found, question = access.access_item_for_answer(user, pk, item)
    form = AnswerForm(request.POST, request.FILES, item=question)
    if not form.is_valid():
        return _section_page(request, found, question.section, form, status=422)
    data = form.cleaned_data
    evidence = []
    if form.has_new_evidence:
        evidence.append(
            services.EvidenceInput(
                title=data["evidence_title"],
                issuing_body=data["evidence_issuing_body"],
                issued_on=data["evidence_issued_on"],
                language=data["evidence_language"],
                url=data["evidence_url"],
                file=data["evidence_file"] or None,
            )
        )
    try:
        services.answer_save(
            assessment=found.assessment,
            item=question,
            user=user,
            value=data["value"],
            comment=data["comment"],
            evidence=evidence,
            evidence_prefix="evidence_",
        )
    except AssessmentLocked as locked:
        return _locked(request, locked, pk)
    except InvalidInput as invalid:
        errors_to_form(form, invalid, aliases={"evidence": "evidence_url"})
        return _section_page(request, found, question.section, form, status=422)
    messages.success(request, _("Answer saved."))
    section_url = reverse("strategies:section", kwargs={"pk": pk, "section": question.section.key})
    return redirect(f"{section_url}#item-{question.pk}")


@require_GET
@login_required
@page_errors
def evidence_download(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponseBase:
    evidence = access.access_evidence(page_user(request), pk, evidence_id)
    if not evidence.file:
        raise ObjectNotFound()
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.file_name or "evidence"
    )


@require_POST
@login_required
@page_errors
def evidence_delete(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    evidence = access.access_evidence(page_user(request), pk, evidence_id)
    section_key = evidence.item.section.key
    try:
        services.evidence_delete(assessment=evidence.assessment, evidence=evidence)
        messages.success(request, _("The evidence was removed."))
    except AssessmentLocked as locked:
        return _locked(request, locked, pk)
    except InvalidInput as invalid:
        for error in invalid.details.get("errors", []):
            messages.error(request, str(error["message"]))
    return redirect("strategies:section", pk=pk, section=section_key)


@require_POST
@login_required
@page_errors
def assignment_create(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.access_assessment_for_management(page_user(request), pk)
    form = AssignForm(request.POST, sections=_section_choices(found.assessment.framework_id))
    if form.is_valid():
        try:
            services.assignment_create(
                assessment=found.assessment,
                section_key=form.cleaned_data["section"],
                username=form.cleaned_data["username"],
                by=page_user(request),
            )
        except AssessmentLocked as locked:
            return _locked(request, locked, pk)
        except InvalidInput as invalid:
            errors_to_form(form, invalid)
    if form.errors:
        return _detail_page(request, found, assign_form=form, status=422)
    messages.success(request, _("The section was assigned."))
    return redirect("strategies:detail", pk=pk)


@require_POST
@login_required
@page_errors
def assignment_delete(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    found = access.access_assessment_for_management(page_user(request), pk)
    try:
        services.assignment_delete(assessment=found.assessment, assignment_id=assignment_id)
    except AssessmentLocked as locked:
        return _locked(request, locked, pk)
    messages.success(request, _("The co-respondent no longer answers this section."))
    return redirect("strategies:detail", pk=pk)


def _messages_from(request: HttpRequest, invalid: InvalidInput) -> None:
    messages.error(request, str(invalid.message))
    for error in invalid.details.get("errors", []):
        messages.error(request, str(error["message"]))


@require_POST
@login_required
@page_errors
def assessment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Submit, reopen, set the confidentiality, validate or publish the profile."""
    user = page_user(request)
    found = access.access_assessment_for_management(user, pk)
    assessment = found.assessment
    done = {
        "submit": _("The assessment was submitted; its answers are locked."),
        "reopen": _("The assessment is open again; validate its profile again once submitted."),
        "confidentiality": _("The confidentiality was saved."),
        "validate": _("The profile was validated."),
        "publish": _("The profile was published."),
    }
    if action not in done:
        raise ObjectNotFound()
    try:
        if action == "submit":
            services.assessment_submit(assessment=assessment, user=user)
        elif action == "reopen":
            services.assessment_reopen(assessment=assessment)
        elif action == "confidentiality":
            services.assessment_set_confidentiality(
                assessment=assessment, confidentiality=request.POST.get("confidentiality", "")
            )
        elif action == "validate":
            validate_profile(assessment=assessment, user=user)
        else:
            publish_profile(assessment=assessment, user=user)
    except AssessmentLocked as locked:
        return _locked(request, locked, pk)
    except InvalidInput as invalid:
        _messages_from(request, invalid)
    else:
        messages.success(request, done[action])
    target = "strategies:profile" if action in ("validate", "publish") else "strategies:detail"
    return redirect(target, pk=pk)


def _parts_page(
    request: HttpRequest, found: access.AssessmentAccess, kind: str, form: Any, status: int = 200
) -> HttpResponse:
    assessment = found.assessment
    records = (
        assessment.consultations.all() if kind == "consultation" else assessment.stakeholders.all()
    )
    context = {
        "assessment": assessment,
        "access": found,
        "records": records,
        "form": form,
        "kind": kind,
    }
    return render(request, f"strategies/{kind}.html", context, status=status)


@login_required
@page_errors
def consultation_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The consultation with children and young people that informed the assessment."""
    found = access.access_assessment_for_management(page_user(request), pk)
    if request.method != "POST":
        return _parts_page(request, found, "consultation", ConsultationForm())
    form = ConsultationForm(request.POST)
    if form.is_valid():
        try:
            assessment_parts.consultation_add(
                assessment=found.assessment,
                user=page_user(request),
                data=assessment_parts.ConsultationInput(**form.cleaned_data),
            )
        except AssessmentLocked as locked:
            return _locked(request, locked, pk)
        except InvalidInput as invalid:
            errors_to_form(form, invalid)
    if form.errors:
        return _parts_page(request, found, "consultation", form, status=422)
    messages.success(request, _("The consultation was recorded."))
    return redirect("strategies:consultation", pk=pk)


@login_required
@page_errors
def stakeholders_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.access_assessment_for_management(page_user(request), pk)
    if request.method != "POST":
        return _parts_page(request, found, "stakeholders", StakeholderForm())
    form = StakeholderForm(request.POST)
    if form.is_valid():
        try:
            assessment_parts.stakeholder_add(assessment=found.assessment, **form.cleaned_data)
        except AssessmentLocked as locked:
            return _locked(request, locked, pk)
        except InvalidInput as invalid:
            errors_to_form(form, invalid)
    if form.errors:
        return _parts_page(request, found, "stakeholders", form, status=422)
    messages.success(request, _("The stakeholder was added."))
    return redirect("strategies:stakeholders", pk=pk)


@require_POST
@login_required
@page_errors
def part_delete(request: HttpRequest, pk: int, kind: str, part_id: int) -> HttpResponse:
    found = access.access_assessment_for_management(page_user(request), pk)
    if kind not in ("consultation", "stakeholder"):
        raise ObjectNotFound()
    try:
        assessment_parts.assessment_part_delete(
            assessment=found.assessment, kind=kind, part_id=part_id
        )
    except AssessmentLocked as locked:
        return _locked(request, locked, pk)
    messages.success(request, _("Deleted."))
    target = "strategies:consultation" if kind == "consultation" else "strategies:stakeholders"
    return redirect(target, pk=pk)
