"""The strategies API, second part: the country profile and the year-on-year diff, action
plans and their export as a draft strategy, assistance requests, and the regional view."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from cophub.accounts.models import User
from cophub.portal.api_auth import AUTHENTICATED, api_language, api_user
from cophub.portal.documents import export_checked
from cophub.portal.errors import ObjectNotFound
from cophub.portal.paging import keyset_paginate
from cophub.reference.models import Country

from . import access, aggregates, assistance, plans, profiles, selectors
from .api_schemas import (
    ActionIn,
    ActionOut,
    ActionUpdateIn,
    ActionUpdateOut,
    AssessmentChangeOut,
    AssessmentDiffOut,
    AssistanceIn,
    AssistanceNoteIn,
    AssistanceNoteOut,
    AssistanceOut,
    CellsOut,
    PlanIn,
    PlanOut,
    ProfileOut,
    RegionalOut,
    SummaryIn,
    TableOut,
    action_out,
    assessment_out,
    assistance_out,
    profile_status_label,
)
from .diffs import assessment_diff, previous_assessment
from .exports import export_plan
from .models import ActionPlan, AssistanceRequest, MaturityPhase

router = Router(tags=["strategies"], auth=AUTHENTICATED)


def _view_rows(sections: list[profiles.SectionView]) -> list[dict[str, Any]]:
    return [
        {
            "section": section.key,
            "title": section.title,
            "items": [
                {
                    "item": row.item.key,
                    "text": row.item.text,
                    "value": row.answer.get("value") if row.answer else None,
                    "label": row.label,
                    "via": row.via.key if row.via else None,
                    "related": [other.key for other, _answer in row.related],
                }
                for row in section.rows
            ],
        }
        for section in sections
    ]


@router.get("/assessments/{assessment_id}/profile", response=ProfileOut)
def profile_get(request: HttpRequest, assessment_id: int, view: str | None = None) -> ProfileOut:
    """Focal points get the draft (or validated) profile; others the published one, if its
    confidentiality lets them. ``view`` reads it through another framework's items."""
    found, working = access.access_profile(api_user(request), assessment_id)
    assessment = found.assessment
    profile = assessment.profile
    if working:
        content = profile.validated_content or profiles.profile_content(assessment)
    else:
        content = profile.published_content or {}
    source = profiles.content_framework(content) or assessment.framework
    target = source
    if view:
        chosen = selectors.framework_list().filter(key=view).order_by("-version").first()
        if chosen is None:
            raise ObjectNotFound()
        target = chosen
    return ProfileOut(
        status=profile.status,
        status_label=profile_status_label(profile.status),
        validated_at=profile.validated_at,
        published_at=profile.published_at,
        content=content,
        view=_view_rows(profiles.framework_view(content, source, target)),
    )


@router.put("/assessments/{assessment_id}/profile/summary", response=ProfileOut)
def profile_summary(request: HttpRequest, assessment_id: int, payload: SummaryIn) -> ProfileOut:
    found = access.access_assessment_for_management(api_user(request), assessment_id)
    profiles.profile_update_summary(assessment=found.assessment, summary=payload.summary)
    return profile_get(request, assessment_id)


@router.post("/assessments/{assessment_id}/profile/validate", response=ProfileOut)
def profile_validate(request: HttpRequest, assessment_id: int) -> ProfileOut:
    """Freeze the profile of a submitted assessment (nothing is shared before this)."""
    found = access.access_assessment_for_management(api_user(request), assessment_id)
    profiles.profile_validate(assessment=found.assessment, user=api_user(request))
    return profile_get(request, assessment_id)


@router.post("/assessments/{assessment_id}/profile/publish", response=ProfileOut)
def profile_publish(request: HttpRequest, assessment_id: int) -> ProfileOut:
    """Share the validated profile as the confidentiality says."""
    found = access.access_assessment_for_management(api_user(request), assessment_id)
    profiles.profile_publish(assessment=found.assessment, user=api_user(request))
    return profile_get(request, assessment_id)


@router.get("/assessments/{assessment_id}/diff", response=AssessmentDiffOut)
def diff_get(request: HttpRequest, assessment_id: int) -> AssessmentDiffOut:
    """What changed since the previous assessment, in the sections you answer."""
    found = access.access_working_copy(api_user(request), assessment_id)
    previous = previous_assessment(found.assessment)
    if previous is None:
        return AssessmentDiffOut(current=assessment_id, previous=None, changes=[])
    changes = [
        AssessmentChangeOut(
            item=c.item.key,
            change=c.change,
            direction=c.direction,
            before=c.before,
            after=c.after,
            summary=c.summary,
            evidence=c.evidence,
        )
        for c in assessment_diff(found.assessment, previous)
        if found.sees_section(c.item.section_id)
    ]
    return AssessmentDiffOut(current=assessment_id, previous=previous.pk, changes=changes)


def _plan_out(plan: ActionPlan) -> PlanOut:
    actions = plan.actions.select_related("owner", "gap_item").prefetch_related(
        "items", "clauses", "updates__author"
    )
    return PlanOut(
        id=plan.pk,
        assessment=plan.assessment_id,
        title=plan.title,
        actions=[action_out(a) for a in actions],
    )


def _existing_plan(user: User, assessment_id: int) -> ActionPlan:
    _found, plan = access.access_plan(user, assessment_id)
    if plan is None:
        raise ObjectNotFound()
    return plan


@router.get("/assessments/{assessment_id}/plan", response=PlanOut)
def plan_get(request: HttpRequest, assessment_id: int) -> PlanOut:
    return _plan_out(_existing_plan(api_user(request), assessment_id))


@router.post("/assessments/{assessment_id}/plan", response={201: PlanOut})
def plan_open(request: HttpRequest, assessment_id: int, payload: PlanIn) -> Status[PlanOut]:
    """Create the plan; with ``from_gaps`` one action per gap (No, Partial, maturity below
    the top phase) not covered yet."""
    found, _plan = access.access_plan(api_user(request), assessment_id)
    plan = plans.plan_open(
        assessment=found.assessment, user=api_user(request), from_gaps=payload.from_gaps
    )
    return Status(201, _plan_out(plan))


def _action_input(payload: ActionIn) -> plans.ActionInput:
    data = payload.model_dump()
    return plans.ActionInput(
        owner_id=data.pop("owner"),
        item_keys=data.pop("items"),
        clause_ids=data.pop("clauses"),
        gap_item_key=data.pop("gap"),
        **data,
    )


@router.post("/assessments/{assessment_id}/plan/actions", response={201: ActionOut})
def action_create(request: HttpRequest, assessment_id: int, payload: ActionIn) -> Status[ActionOut]:
    plan = _existing_plan(api_user(request), assessment_id)
    action = plans.action_create(plan=plan, data=_action_input(payload))
    return Status(201, action_out(action))


@router.put("/assessments/{assessment_id}/plan/actions/{action_id}", response=ActionOut)
def action_update(
    request: HttpRequest, assessment_id: int, action_id: int, payload: ActionIn
) -> ActionOut:
    plan = _existing_plan(api_user(request), assessment_id)
    action = plans.action_update(
        action=plans.plan_action(plan, action_id), data=_action_input(payload)
    )
    return action_out(action)


@router.post(
    "/assessments/{assessment_id}/plan/actions/{action_id}/updates",
    response={201: ActionUpdateOut},
)
def action_progress(
    request: HttpRequest, assessment_id: int, action_id: int, payload: ActionUpdateIn
) -> Status[ActionUpdateOut]:
    """A dated progress update; it sets the action's status."""
    plan = _existing_plan(api_user(request), assessment_id)
    update = plans.action_progress(
        action=plans.plan_action(plan, action_id), user=api_user(request), **payload.model_dump()
    )
    return Status(
        201,
        ActionUpdateOut(
            id=update.pk, on=update.on, text=update.text, status=update.status,
            author=api_user(request).username,
        ),
    )  # fmt: skip


@router.get("/assessments/{assessment_id}/plan/export", response={200: None})
def plan_export(
    request: HttpRequest, assessment_id: int, format: str = "docx", lang: str | None = None
) -> HttpResponse:
    """The plan as a draft national strategy: ``format`` docx or pdf, ``lang`` one of
    ar, zh-hans, en, fr, ru, es (the request's language when absent)."""
    # Language and format are checked together (both named at once when both are wrong),
    # like every export's, before the plan is looked up.
    language = api_language(None) if lang is None else lang
    export_checked(language, format)
    plan = _existing_plan(api_user(request), assessment_id)
    content, media_type, name = export_plan(plan, language=language, file_format=format)
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/assistance", response=list[AssistanceOut])
@keyset_paginate(ordering=("-created_at", "-pk"), row=assistance_out)
def assistance_list(request: HttpRequest) -> QuerySet[AssistanceRequest]:
    """Requests of your country, of your region (regional officers), or all (BDT staff),
    newest first."""
    return access.assistance_visible_to(api_user(request)).prefetch_related(
        "items", "notes__author"
    )


@router.post("/assistance", response={201: AssistanceOut})
def assistance_create(request: HttpRequest, payload: AssistanceIn) -> Status[AssistanceOut]:
    """Ask ITU for support (focal points); it goes to the regional office and BDT."""
    user = api_user(request)
    country_code = payload.country.upper()
    access.access_country_for_opening(user, country_code)
    assessment = None
    if payload.assessment is not None:
        assessment = access.access_assessment(user, payload.assessment).assessment
    created = assistance.assistance_request_create(
        user=user,
        country=Country.objects.get(iso2=country_code),
        title=payload.title,
        description=payload.description,
        assessment=assessment,
        item_keys=payload.items,
    )
    return Status(201, assistance_out(created))


@router.get("/assistance/{request_id}", response=AssistanceOut)
def assistance_get(request: HttpRequest, request_id: int) -> AssistanceOut:
    return assistance_out(access.access_assistance(api_user(request), request_id))


@router.post("/assistance/{request_id}/notes", response={201: AssistanceNoteOut})
def assistance_note(
    request: HttpRequest, request_id: int, payload: AssistanceNoteIn
) -> Status[AssistanceNoteOut]:
    """A dated note; ``status`` (ITU staff only: acknowledged, in_progress, closed) moves it."""
    user = api_user(request)
    found = (
        access.access_assistance_for_status(user, request_id)
        if payload.status
        else access.access_assistance(user, request_id)
    )
    note = assistance.assistance_note_add(
        request=found,
        user=user,
        on=payload.on,
        text=payload.text,
        status=payload.status,
        may_change_status=True,
    )
    return Status(
        201,
        AssistanceNoteOut(
            id=note.pk, on=note.on, text=note.text, status=note.status, author=user.username
        ),
    )


@router.get("/regional", response=RegionalOut)
def regional(
    request: HttpRequest, region: str | None = None, year: int | None = None
) -> RegionalOut:
    """Regional officers (their region) and BDT staff (any region, or all): published
    assessments shared with them, and counts by maturity phase per MNR capability, by region
    and by development grouping, from assessments shared for aggregation; a count below 3 is
    ``null``."""
    user = api_user(request)
    chosen = access.access_regional_view(user, region.upper() if region else None)
    years = aggregates.counted_years(aggregates.region_countries(chosen))
    shown_year = year if year is not None else (years[0] if years else None)
    by_region: list[aggregates.AggregateTable] = []
    by_grouping: list[aggregates.AggregateTable] = []
    if shown_year is not None:
        by_region, by_grouping = aggregates.regional_aggregates(
            year=shown_year, region_code=chosen, groupings_within_region=chosen is not None
        )
    return RegionalOut(
        year=shown_year,
        region=chosen,
        phases=[p.name for p in MaturityPhase.objects.all()],
        min_countries=aggregates.MIN_COUNTRIES,
        by_region=[_table_out(t) for t in by_region],
        by_grouping=[_table_out(t) for t in by_grouping],
        assessments=[assessment_out(a) for a in selectors.regional_progress(user, chosen)],
    )


def _table_out(table: aggregates.AggregateTable) -> TableOut:
    return TableOut(
        key=table.key,
        title=table.title,
        shown=table.shown,
        rows=[
            CellsOut(capability=row.item.key, title=row.item.text, counts=row.cells)
            for row in table.rows
        ],
    )
