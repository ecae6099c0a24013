"""Every permission check of the platform goes through these functions.

Rules: a user who may not see an object gets ``ObjectNotFound`` (the same answer as for a
missing one); a user who may see an object but not act on it gets ``ActionForbidden``.
One condition per line, so each rule can be read and tested on its own."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from cophub.portal.errors import ActionForbidden, ObjectNotFound

from .models import Organisation, Role, RoleAssignment, User
from .services import DEMO_PASSWORD, DEMO_USERNAMES

AnyUser = User | AnonymousUser


def _assignments(user: AnyUser) -> QuerySet[RoleAssignment]:
    if not user.is_authenticated or not user.is_active:
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(user=user)


def user_is_bdt_staff(user: AnyUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return _assignments(user).filter(role=Role.BDT_STAFF).exists()


def user_has_role(
    user: AnyUser,
    role: Role,
    *,
    region_code: str | None = None,
    country_iso2: str | None = None,
    organisation_id: int | None = None,
    language: str | None = None,
) -> bool:
    """Whether ``user`` holds ``role`` for the given scope (BDT staff hold every role)."""
    if user_is_bdt_staff(user):
        return True
    assignments = _assignments(user).filter(role=role)
    if region_code is not None:
        assignments = assignments.filter(region_id=region_code)
    if country_iso2 is not None:
        assignments = assignments.filter(
            Q(country_id=country_iso2) | Q(region__countries__iso2=country_iso2)
            if role == Role.REGIONAL_OFFICER
            else Q(country_id=country_iso2)
        )
    if organisation_id is not None:
        assignments = assignments.filter(organisation_id=organisation_id)
    if language is not None:
        assignments = assignments.filter(language=language)
    return assignments.exists()


def organisations_visible_to(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations ``user`` may see: all for BDT staff; otherwise their own, those in the
    regions they serve as regional officer, and those of the countries they are focal point of."""
    if user_is_bdt_staff(user):
        return Organisation.objects.all()
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    assignments = _assignments(user)
    regions = assignments.filter(role=Role.REGIONAL_OFFICER).values("region_id")
    countries = assignments.filter(role=Role.FOCAL_POINT).values("country_id")
    return Organisation.objects.filter(
        Q(pk=user.organisation_id)
        | Q(region_id__in=regions)
        | Q(country__region_id__in=regions)
        | Q(country_id__in=countries)
    ).distinct()


def access_organisation(user: AnyUser, organisation_id: int) -> Organisation:
    try:
        return organisations_visible_to(user).get(pk=organisation_id)
    except Organisation.DoesNotExist as missing:
        raise ObjectNotFound() from missing


def access_organisation_for_update(user: AnyUser, organisation_id: int) -> Organisation:
    """BDT staff edit any organisation; a focal point edits those of their country."""
    organisation = access_organisation(user, organisation_id)
    if user_is_bdt_staff(user):
        return organisation
    if organisation.country_id and user_has_role(
        user, Role.FOCAL_POINT, country_iso2=organisation.country_id
    ):
        return organisation
    raise ActionForbidden()


def username_may_sign_in(username: str | None) -> bool:
    """Demo accounts sign in only in demo mode (``COPHUB_DEMO``): password, session or token."""
    if settings.COPHUB_DEMO:
        return True
    return username not in DEMO_USERNAMES


def password_may_sign_in(password: str | None) -> bool:
    """The published demo password opens no account outside demo mode, whatever its name."""
    if settings.COPHUB_DEMO:
        return True
    return password != DEMO_PASSWORD
