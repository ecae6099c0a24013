"""Every permission check of the strategies module.

Who sees what (docs/decisions/0008-strategies.md):

- the country's focal points see and manage everything of their country's assessments;
- a co-respondent sees an assessment only through the sections assigned to them (a grant on
  that assessment, not a role), and only those sections;
- nobody else sees anything before the focal point has validated and published the profile;
  then BDT staff see ``shared_bdt``, ``aggregated`` and ``public`` ones, the regional officers
  of the country's region ``shared_bdt`` and ``public`` ones (``aggregated`` ones only as
  counts in the regional view), and everyone ``public`` ones. Nobody else sees a private one.

BDT staff do **not** inherit the focal-point role here (``accounts.access.user_has_role``
gives them every role): a private assessment stays private. A user who may not see an object
gets ``ObjectNotFound``, exactly as for a missing one; one who may see it but not act on it
gets ``ActionForbidden``."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from cophub.accounts.access import AnyUser, user_is_bdt_staff
from cophub.accounts.models import Role, RoleAssignment
from cophub.portal.errors import ActionForbidden, ObjectNotFound

from .models import (
    ActionPlan,
    Assessment,
    AssistanceRequest,
    Confidentiality,
    Evidence,
    Item,
    Section,
)

SEEN_BY_BDT = (Confidentiality.SHARED_BDT, Confidentiality.AGGREGATED, Confidentiality.PUBLIC)
SEEN_BY_REGIONAL_OFFICERS = (Confidentiality.SHARED_BDT, Confidentiality.PUBLIC)
COUNTED_IN_AGGREGATES = (Confidentiality.AGGREGATED, Confidentiality.PUBLIC)


def _active(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _user_id(user: AnyUser) -> int:
    """The id of a signed-in user (callers check ``_active`` first)."""
    return int(user.pk or 0)


def focal_point_countries(user: AnyUser) -> list[str]:
    """Countries ``user`` is focal point of, from their own role assignments only."""
    if not _active(user):
        return []
    assignments = RoleAssignment.objects.filter(user_id=_user_id(user), role=Role.FOCAL_POINT)
    return sorted({a for a in assignments.values_list("country_id", flat=True) if a})


def officer_regions(user: AnyUser) -> list[str]:
    if not _active(user):
        return []
    assignments = RoleAssignment.objects.filter(user_id=_user_id(user), role=Role.REGIONAL_OFFICER)
    return sorted({r for r in assignments.values_list("region_id", flat=True) if r})


def _published(confidentialities: tuple[str, ...]) -> Q:
    return Q(profile__published_at__isnull=False, confidentiality__in=confidentialities)


def assessments_visible_to(user: AnyUser) -> QuerySet[Assessment]:
    """Every assessment ``user`` may know exists (for lists: nothing else leaks)."""
    visible = _published((Confidentiality.PUBLIC,))
    if _active(user):
        visible |= Q(country_id__in=focal_point_countries(user))
        visible |= Q(
            pk__in=Assessment.objects.filter(assignments__user_id=_user_id(user)).values("pk")
        )
        visible |= _published(SEEN_BY_REGIONAL_OFFICERS) & Q(
            country__region_id__in=officer_regions(user)
        )
    if user_is_bdt_staff(user):
        visible |= _published(SEEN_BY_BDT)
    return Assessment.objects.filter(visible)


def shared_assessments_visible_to(user: AnyUser) -> QuerySet[Assessment]:
    """Published assessments ``user`` sees one by one in the regional view: those shared with
    BDT (and the aggregated ones) for BDT staff, those shared with BDT for regional officers."""
    shared = SEEN_BY_BDT if user_is_bdt_staff(user) else SEEN_BY_REGIONAL_OFFICERS
    return assessments_visible_to(user).filter(_published(shared))


def public_assessments() -> QuerySet[Assessment]:
    """Published profiles their countries made public: anyone, signed in or not."""
    return Assessment.objects.filter(_published((Confidentiality.PUBLIC,)))


@dataclass(frozen=True)
class AssessmentAccess:
    """What one user may do with one assessment.

    ``manages``: a focal point of the country. ``section_ids``: the sections whose working
    answers the user sees and answers (all for focal points; the assigned ones for a
    co-respondent; none for readers of the published profile)."""

    assessment: Assessment
    manages: bool
    section_ids: frozenset[int]

    @property
    def is_respondent(self) -> bool:
        return bool(self.section_ids)

    def sees_section(self, section_id: int) -> bool:
        return section_id in self.section_ids


def _fetch(assessment_id: int) -> Assessment:
    assessment = (
        Assessment.objects.select_related("country__region", "framework", "profile")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise ObjectNotFound()
    return assessment


def access_assessment(user: AnyUser, assessment_id: int) -> AssessmentAccess:
    assessment = _fetch(assessment_id)
    if _active(user) and assessment.country_id in focal_point_countries(user):
        sections = Section.objects.filter(framework_id=assessment.framework_id)
        return AssessmentAccess(assessment, True, frozenset(sections.values_list("pk", flat=True)))
    assigned = frozenset(
        assessment.assignments.filter(user_id=_user_id(user)).values_list("section_id", flat=True)
        if _active(user)
        else []
    )
    if assigned:
        return AssessmentAccess(assessment, False, assigned)
    if _sees_published(user, assessment):
        return AssessmentAccess(assessment, False, frozenset())
    raise ObjectNotFound()


def _sees_published(user: AnyUser, assessment: Assessment) -> bool:
    profile = getattr(assessment, "profile", None)
    if profile is None or profile.published_at is None:
        return False
    if assessment.confidentiality == Confidentiality.PUBLIC:
        return True
    if user_is_bdt_staff(user) and assessment.confidentiality in SEEN_BY_BDT:
        return True
    region = assessment.country.region_id
    return (
        assessment.confidentiality in SEEN_BY_REGIONAL_OFFICERS
        and region is not None
        and region in officer_regions(user)
    )


def access_assessment_for_management(user: AnyUser, assessment_id: int) -> AssessmentAccess:
    """Assign sections, submit, reopen, choose confidentiality, validate and publish the
    profile, record the consultation and stakeholders: the country's focal points only."""
    access = access_assessment(user, assessment_id)
    if not access.manages:
        raise ActionForbidden()
    return access


def access_profile(user: AnyUser, assessment_id: int) -> tuple[AssessmentAccess, bool]:
    """The profile: focal points see the working draft (``True``); others the published
    profile, if the confidentiality lets them see it. A co-respondent sees only their
    sections, so not the draft of the whole profile."""
    access = access_assessment(user, assessment_id)
    if access.manages:
        return access, True
    if _sees_published(user, access.assessment):
        return access, False
    raise ActionForbidden()


def access_country_for_opening(user: AnyUser, country_iso2: str) -> None:
    """Only a focal point of the country opens its assessments (BDT staff do not)."""
    if country_iso2 not in focal_point_countries(user):
        raise ActionForbidden()


def access_working_copy(user: AnyUser, assessment_id: int) -> AssessmentAccess:
    """The working answers (not the published profile): respondents only."""
    access = access_assessment(user, assessment_id)
    if not access.is_respondent:
        raise ActionForbidden()
    return access


def access_section(
    user: AnyUser, assessment_id: int, section_key: str
) -> tuple[AssessmentAccess, Section]:
    access = access_working_copy(user, assessment_id)
    section = Section.objects.filter(
        framework_id=access.assessment.framework_id, key=section_key
    ).first()
    if section is None or not access.sees_section(section.pk):
        raise ObjectNotFound()
    return access, section


def access_item_for_answer(
    user: AnyUser, assessment_id: int, item_key: str
) -> tuple[AssessmentAccess, Item]:
    """The item, if ``user`` answers its section (a focal point, or its co-respondent)."""
    access = access_working_copy(user, assessment_id)
    item = (
        Item.objects.select_related("section")
        .filter(framework_id=access.assessment.framework_id, key=item_key)
        .first()
    )
    if item is None or not access.sees_section(item.section_id):
        raise ObjectNotFound()
    return access, item


def access_evidence(user: AnyUser, assessment_id: int, evidence_id: int) -> Evidence:
    """Uploaded evidence files stay with the country's respondents (see the decision record)."""
    access = access_working_copy(user, assessment_id)
    evidence = (
        Evidence.objects.select_related("item")
        .filter(pk=evidence_id, assessment=access.assessment)
        .first()
    )
    if evidence is None or not access.sees_section(evidence.item.section_id):
        raise ObjectNotFound()
    return evidence


def access_plan(user: AnyUser, assessment_id: int) -> tuple[AssessmentAccess, ActionPlan | None]:
    """Action plans and their exports: the country's focal points only (a plan spans every
    section, so co-respondents do not see it; it is not part of the published profile)."""
    access = access_assessment(user, assessment_id)
    if not access.manages:
        raise ActionForbidden()
    return access, ActionPlan.objects.filter(assessment=access.assessment).first()


def assistance_visible_to(user: AnyUser) -> QuerySet[AssistanceRequest]:
    """The country's focal points, the regional officers of its region, and BDT staff."""
    if user_is_bdt_staff(user):
        return AssistanceRequest.objects.all()
    return AssistanceRequest.objects.filter(
        Q(country_id__in=focal_point_countries(user)) | Q(region_id__in=officer_regions(user))
    )


def access_assistance(user: AnyUser, request_id: int) -> AssistanceRequest:
    request = (
        assistance_visible_to(user)
        .select_related("country", "region", "assessment")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise ObjectNotFound()
    return request


def user_handles_assistance(user: AnyUser, request: AssistanceRequest) -> bool:
    """ITU's side of a request: BDT staff and the regional officers of its region."""
    return user_is_bdt_staff(user) or request.region_id in officer_regions(user)


def access_assistance_for_status(user: AnyUser, request_id: int) -> AssistanceRequest:
    request = access_assistance(user, request_id)
    if not user_handles_assistance(user, request):
        raise ActionForbidden()
    return request


def regions_for_regional_view(user: AnyUser) -> list[str] | None:
    """Regions whose view ``user`` may open: ``None`` means every region (BDT staff)."""
    if user_is_bdt_staff(user):
        return None
    regions = officer_regions(user)
    if not regions:
        raise ActionForbidden()
    return regions


def access_regional_view(user: AnyUser, region_code: str | None) -> str | None:
    """The region to show; regional officers only their own, BDT staff any (or all)."""
    allowed = regions_for_regional_view(user)
    if allowed is None:
        return region_code
    if region_code is None:
        return allowed[0]
    if region_code not in allowed:
        raise ActionForbidden()
    return region_code
