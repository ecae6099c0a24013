"""Pages for action plans (with the draft-strategy export), assistance requests, the regional
view and the list of public country profiles."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cophub.accounts.models import User
from cophub.portal.api_auth import page_user
from cophub.portal.errors import ActionForbidden, InvalidInput, ObjectNotFound
from cophub.portal.pages import page_errors
from cophub.reference.models import Country, Region

from . import access, aggregates, assistance, plans, selectors
from .forms import ActionForm, AssistanceForm, ExportForm, NoteForm, ProgressForm, errors_to_form
from .models import Action, ActionPlan, Assessment, MaturityPhase
from .profiles import PROFILE_STATUSES, framework_view, gaps, profile_content
from .services import maturity_range


def _plan_context(found: access.AssessmentAccess, plan: ActionPlan | None) -> dict[str, Any]:
    assessment = found.assessment
    sections = framework_view(
        profile_content(assessment), assessment.framework, assessment.framework
    )
    found_gaps = gaps(sections, maturity_range()[1])
    actions = []
    if plan is not None:
        actions = list(
            plan.actions.select_related("owner", "gap_item").prefetch_related(
                "items", "clauses", "updates"
            )
        )
    covered = {a.gap_item_id for a in actions}
    today = timezone.localdate()
    return {
        "assessment": assessment,
        "access": found,
        "plan": plan,
        "actions": [
            {
                "action": action,
                "progress_form": ProgressForm(
                    initial={"on": today, "status": action.status},
                    auto_id=f"progress-{action.pk}-%s",
                ),
            }
            for action in actions
        ],
        "uncovered": [row for row in found_gaps if row.item.pk not in covered],
        "export_form": ExportForm(initial={"format": "docx", "lang": get_language() or "en"}),
    }


@login_required
@page_errors
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan; POST creates it, with one action per gap when asked."""
    found, plan = access.access_plan(page_user(request), pk)
    if request.method == "POST":
        plans.plan_open(
            assessment=found.assessment,
            user=page_user(request),
            from_gaps=request.POST.get("from_gaps") == "1",
        )
        messages.success(request, _("The action plan is ready."))
        return redirect("strategies:plan", pk=pk)
    return render(request, "strategies/plan.html", _plan_context(found, plan))


def _action_form(assessment: Assessment, data: Any = None, initial: Any = None) -> ActionForm:
    owners = [(o.pk, o.name) for o in plans.owner_choices(assessment)]
    items = [(i.key, f"{i.key} — {i.text}") for i in assessment.framework.items.all()]
    return ActionForm(data, initial=initial, owners=owners, items=items)


def _action_input(form: ActionForm) -> plans.ActionInput:
    data = dict(form.cleaned_data)
    return plans.ActionInput(
        title=data["title"],
        owner_id=data["owner"],
        description=data["description"],
        partners=data["partners"].splitlines(),
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        budget_line=data["budget_line"],
        budget_amount=data["budget_amount"],
        currency=data["currency"],
        target_maturity=data["target_maturity"],
        indicators=data["indicators"],
        status=data["status"],
        item_keys=data["items"],
        clause_ids=data["clauses"],
    )


@login_required
@page_errors
def action_edit(request: HttpRequest, pk: int, action_id: int | None = None) -> HttpResponse:
    found, plan = access.access_plan(page_user(request), pk)
    if plan is None:
        raise ObjectNotFound()
    action = plans.plan_action(plan, action_id) if action_id is not None else None
    initial = _action_initial(action) if action else {"status": Action.Status.PLANNED}
    form = _action_form(found.assessment, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if action is None:
                plans.action_create(plan=plan, data=_action_input(form))
            else:
                plans.action_update(action=action, data=_action_input(form))
        except InvalidInput as invalid:
            errors_to_form(form, invalid)
        else:
            messages.success(request, _("The action was saved."))
            return redirect("strategies:plan", pk=pk)
    status = 422 if form.errors else 200
    context = {"assessment": found.assessment, "action": action, "form": form}
    return render(request, "strategies/action_form.html", context, status=status)


def _action_initial(action: Action) -> dict[str, Any]:
    return {
        "title": action.title,
        "description": action.description,
        "owner": action.owner_id,
        "partners": "\n".join(action.partners),
        "starts_on": action.starts_on,
        "ends_on": action.ends_on,
        "budget_line": action.budget_line,
        "budget_amount": action.budget_amount,
        "currency": action.currency,
        "target_maturity": action.target_maturity,
        "indicators": action.indicators,
        "status": action.status,
        "items": [i.key for i in action.items.all()],
        "clauses": [c.pk for c in action.clauses.all()],
    }


@require_POST
@login_required
@page_errors
def action_progress(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    _found, plan = access.access_plan(page_user(request), pk)
    if plan is None:
        raise ObjectNotFound()
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            plans.action_progress(
                action=plans.plan_action(plan, action_id),
                user=page_user(request),
                **form.cleaned_data,
            )
            messages.success(request, _("The progress update was recorded."))
        except InvalidInput as invalid:
            for error in invalid.details.get("errors", []):
                messages.error(request, str(error["message"]))
    else:
        for field, errors in form.errors.items():
            text = " ".join(str(error) for error in errors)
            messages.error(request, f"{form.fields[field].label}: {text}")
    return redirect("strategies:plan", pk=pk)


@require_GET
@login_required
@page_errors
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    from .exports import export_plan

    _found, plan = access.access_plan(page_user(request), pk)
    if plan is None:
        raise ObjectNotFound()
    try:
        content, media_type, name = export_plan(
            plan,
            language=request.GET.get("lang", "en"),
            file_format=request.GET.get("format", "docx"),
        )
    except InvalidInput as invalid:
        for error in invalid.details.get("errors", []):
            messages.error(request, str(error["message"]))
        return redirect("strategies:plan", pk=pk)
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _assistance_form(
    user: User, data: Any = None, assessment_id: int | None = None
) -> AssistanceForm:
    countries = Country.objects.filter(iso2__in=access.focal_point_countries(user))
    assessments = Assessment.objects.filter(country__in=countries).select_related("framework")
    items: list[tuple[str, str]] = []
    chosen = next((a for a in assessments if a.pk == assessment_id), None)
    if chosen is not None:
        sections = framework_view(profile_content(chosen), chosen.framework, chosen.framework)
        items = [(row.item.key, row.item.text) for row in gaps(sections, maturity_range()[1])]
    return AssistanceForm(
        data,
        initial={"assessment": assessment_id},
        countries=[(c.iso2, c.name) for c in countries],
        assessments=[(a.pk, f"{a.country_id} {a.year} — {a.framework.title}") for a in assessments],
        items=items,
    )


@login_required
@page_errors
def assistance_list(request: HttpRequest) -> HttpResponse:
    """Requests the user may see; focal points ask for support here."""
    user = page_user(request)
    requests = access.assistance_visible_to(user).select_related("country", "region")
    asks = bool(access.focal_point_countries(user))
    chosen = request.POST.get("assessment") or request.GET.get("assessment")
    assessment_id = int(chosen) if chosen and chosen.isdigit() else None
    form = _assistance_form(user, request.POST or None, assessment_id) if asks else None
    if request.method == "POST":
        if form is None:
            raise ActionForbidden()
        if form.is_valid():
            data = form.cleaned_data
            access.access_country_for_opening(user, data["country"])
            assessment = (
                access.access_assessment(user, data["assessment"]).assessment
                if data["assessment"]
                else None
            )
            try:
                created = assistance.assistance_request_create(
                    user=user,
                    country=Country.objects.get(iso2=data["country"]),
                    title=data["title"],
                    description=data["description"],
                    assessment=assessment,
                    item_keys=data["items"],
                )
            except InvalidInput as invalid:
                errors_to_form(form, invalid)
            else:
                messages.success(request, _("Your request was sent to ITU."))
                return redirect("strategies:assistance_detail", request_id=created.pk)
    context = {"requests": requests, "form": form}
    status = 422 if form is not None and form.errors else 200
    return render(request, "strategies/assistance_list.html", context, status=status)


@login_required
@page_errors
def assistance_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    user = page_user(request)
    found = access.access_assistance(user, request_id)
    handles = access.user_handles_assistance(user, found)
    form = NoteForm(request.POST or None, may_change_status=handles)
    if request.method == "POST" and form.is_valid():
        try:
            assistance.assistance_note_add(
                request=found,
                user=user,
                on=form.cleaned_data["on"],
                text=form.cleaned_data["text"],
                status=form.cleaned_data.get("status", ""),
                may_change_status=handles,
            )
        except InvalidInput as invalid:
            errors_to_form(form, invalid)
        else:
            messages.success(request, _("The note was added."))
            return redirect("strategies:assistance_detail", request_id=request_id)
    if request.method != "POST":
        form = NoteForm(initial={"on": timezone.localdate()}, may_change_status=handles)
    context = {
        "request_obj": found,
        "notes": found.notes.select_related("author__organisation"),
        "items": found.items.all(),
        "form": form,
    }
    return render(
        request, "strategies/assistance_detail.html", context, status=422 if form.errors else 200
    )


@require_GET
@login_required
@page_errors
def regional_view(request: HttpRequest) -> HttpResponse:
    """Regional officers (their region) and BDT staff: shared assessments and aggregates."""
    user = page_user(request)
    asked = request.GET.get("region") or None
    region = access.access_regional_view(user, asked.upper() if asked else None)
    years = aggregates.counted_years(aggregates.region_countries(region))
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else (years[0] if years else None)
    by_region: list[aggregates.AggregateTable] = []
    by_grouping: list[aggregates.AggregateTable] = []
    if year is not None:
        by_region, by_grouping = aggregates.regional_aggregates(
            year=year, region_code=region, groupings_within_region=region is not None
        )
    allowed = access.regions_for_regional_view(user)
    regions = Region.objects.all() if allowed is None else Region.objects.filter(pk__in=allowed)
    context = {
        "region": region,
        "regions": regions,
        "all_regions": allowed is None,
        "year": year,
        "years": years,
        "phases": MaturityPhase.objects.all(),
        "by_region": by_region,
        "by_grouping": by_grouping,
        "minimum": aggregates.MIN_COUNTRIES,
        "assessments": selectors.regional_progress(user, region),
        "statuses": PROFILE_STATUSES,
    }
    return render(request, "strategies/regional.html", context)


@require_GET
def public_profiles(request: HttpRequest) -> HttpResponse:
    """Published profiles that their countries made public (no sign-in needed)."""
    assessments = sorted(
        # A row shows the country, year and framework title: the framework's document and
        # the profile's contents are not read for a list (a decoded JSON document per row).
        access.public_assessments()
        .select_related("country", "framework", "profile")
        .defer(*selectors.LIST_DEFERRED),
        key=lambda a: (a.country.name, -a.year),
    )
    return render(request, "strategies/public_profiles.html", {"assessments": assessments})
