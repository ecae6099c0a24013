"""Reads for accounts."""

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import ApiToken, Organisation, RoleAssignment, User


def user_role_assignments(*, user: User) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(user=user).select_related(
        "region", "country", "organisation"
    )


def user_api_tokens(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("-created_at")


def organisation_ids_by_code(*, codes: Iterable[str]) -> dict[str, int]:
    """The id of each organisation whose stable ``code`` is among ``codes`` (unknown codes are
    left out). Names are never looked up: they are display text that focal points may change."""
    return dict(Organisation.objects.filter(code__in=set(codes)).values_list("code", "pk"))
