"""Who may change a helpline entry: the helpline editors of the organisation that owns it, and
BDT staff. Only BDT staff choose which organisation owns an entry."""

from typing import Any

from django.utils.translation import gettext as _

from cophub.accounts.access import AnyUser, user_has_role, user_is_bdt_staff
from cophub.accounts.models import Role
from cophub.portal.errors import ActionForbidden, ObjectNotFound

from .models import Helpline


def _owner_code(helpline: Helpline) -> str | None:
    return helpline.organisation.code if helpline.organisation else None


def access_helpline_for_update(user: AnyUser, slug: str, document: dict[str, Any]) -> Helpline:
    """``document`` is the entry the user sends: a helpline editor may leave its ``owner`` out
    or send it back unchanged, never name another one (or none)."""
    helpline = Helpline.objects.select_related("organisation").filter(slug=slug).first()
    if helpline is None:
        raise ObjectNotFound()
    if user_is_bdt_staff(user):
        return helpline
    if helpline.organisation_id is None:
        raise ActionForbidden()
    if not user_has_role(user, Role.HELPLINE_EDITOR, organisation_id=helpline.organisation_id):
        raise ActionForbidden()
    if "owner" in document and document["owner"] != _owner_code(helpline):
        message = _("Only BDT staff can change which organisation owns a helpline entry.")
        raise ActionForbidden(
            message,
            details={"errors": [{"field": "$.owner", "code": "owner_change", "message": message}]},
        )
    return helpline


def access_helpline_for_verification(user: AnyUser, slug: str) -> Helpline:
    helpline = Helpline.objects.filter(slug=slug).first()
    if helpline is None:
        raise ObjectNotFound()
    if not user_is_bdt_staff(user):
        raise ActionForbidden()
    return helpline


def user_sees_directory_upkeep(user: AnyUser) -> bool:
    """BDT staff see the upkeep columns of the coverage view (entries not verified within 12
    months, by country); everyone sees the coverage itself."""
    return user_is_bdt_staff(user)
