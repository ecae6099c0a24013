"""Who may change a helpline entry: its own organisation's helpline editors, and BDT staff."""

from cophub.accounts.access import AnyUser, user_has_role, user_is_bdt_staff
from cophub.accounts.models import Role
from cophub.portal.errors import ActionForbidden, ObjectNotFound

from .models import Helpline


def access_helpline_for_update(user: AnyUser, slug: str) -> Helpline:
    helpline = Helpline.objects.filter(slug=slug).first()
    if helpline is None:
        raise ObjectNotFound()
    if user_is_bdt_staff(user):
        return helpline
    if helpline.organisation_id is not None and user_has_role(
        user, Role.HELPLINE_EDITOR, organisation_id=helpline.organisation_id
    ):
        return helpline
    raise ActionForbidden()


def access_helpline_for_verification(user: AnyUser, slug: str) -> Helpline:
    helpline = Helpline.objects.filter(slug=slug).first()
    if helpline is None:
        raise ObjectNotFound()
    if not user_is_bdt_staff(user):
        raise ActionForbidden()
    return helpline
