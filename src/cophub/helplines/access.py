"""Who may change a helpline entry: the helpline editors of the organisation that owns it, and
BDT staff. Only BDT staff choose which organisation owns an entry. The same editors submit
their helpline's contact data to statistics (``*_for_contact_data``)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cophub.accounts.access import AnyUser, user_has_role, user_is_bdt_staff
from cophub.accounts.models import Role, RoleAssignment
from cophub.portal.errors import ActionForbidden, InvalidInput, ObjectNotFound

from .errors import LinkRefused
from .models import Helpline, VerificationCampaign, VerificationRequest
from .verification.links import LinkState, link_read


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
    if "paired_with" in document and set(document["paired_with"] or ()) != _pairs(helpline):
        # A pair changes what the partner's entry answers too: BDT staff decide it.
        message = _("Only BDT staff can pair helpline entries.")
        raise ActionForbidden(
            message,
            details={
                "errors": [{"field": "$.paired_with", "code": "pair_change", "message": message}]
            },
        )
    return helpline


def _pairs(helpline: Helpline) -> set[str]:
    return set(helpline.paired_with.values_list("slug", flat=True))


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


def helplines_for_contact_data(user: AnyUser) -> QuerySet[Helpline]:
    """Helplines whose contact data ``user`` may submit: their organisations' helplines (every
    helpline with an owner for BDT staff)."""
    if user_is_bdt_staff(user):
        return Helpline.objects.exclude(organisation=None)
    if not (user.is_authenticated and user.is_active):
        return Helpline.objects.none()
    organisations = RoleAssignment.objects.filter(user=user, role=Role.HELPLINE_EDITOR).values(
        "organisation_id"
    )
    return Helpline.objects.filter(organisation_id__in=organisations)


def access_helpline_for_contact_data(user: AnyUser, slug: str) -> Helpline:
    """Contact data of a helpline may be submitted by its organisation's helpline editors."""
    helpline = Helpline.objects.select_related("country").filter(slug=slug).first()
    if helpline is None:
        raise InvalidInput(
            _("There is no helpline %(helpline)s.") % {"helpline": slug},
            details={"errors": [{"field": "helpline", "message": _("Unknown helpline.")}]},
        )
    if user_is_bdt_staff(user):
        return helpline
    if helpline.organisation_id is not None and user_has_role(
        user, Role.HELPLINE_EDITOR, organisation_id=helpline.organisation_id
    ):
        return helpline
    message = _("You do not edit the helpline %(helpline)s.") % {"helpline": helpline.name}
    raise ActionForbidden(message, details={"errors": [{"field": "helpline", "message": message}]})


# Verification campaigns (decision 0032). Contacts' addresses and their answers are BDT's
# alone: everyone else is refused the campaign pages (403) and cannot see a campaign, a reply
# or the contacts of an entry (404). Whoever holds a valid link may answer for its entry,
# without an account: the link is the permission (``verification.links``).


def user_runs_verification(user: AnyUser) -> bool:
    return user_is_bdt_staff(user)


def access_verification(user: AnyUser) -> None:
    """The campaign pages and API: BDT staff only."""
    if not user_is_bdt_staff(user):
        raise ActionForbidden()


def access_verification_campaign(user: AnyUser, pk: int) -> VerificationCampaign:
    campaign = VerificationCampaign.objects.select_related("region").filter(pk=pk).first()
    if campaign is None or not user_is_bdt_staff(user):
        raise ObjectNotFound()
    return campaign


def access_verification_reply(user: AnyUser, pk: int) -> VerificationRequest:
    """A reply of a campaign (its proposed change, its review)."""
    request = (
        VerificationRequest.objects.select_related("helpline", "campaign", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if request is None or not user_is_bdt_staff(user):
        raise ObjectNotFound()
    return request


def access_verification_contacts(user: AnyUser, slug: str) -> Helpline:
    """The verification contacts of an entry: the entry is public, its contacts are not."""
    helpline = Helpline.objects.filter(slug=slug).first()
    if helpline is None:
        raise ObjectNotFound()
    if not user_is_bdt_staff(user):
        raise ActionForbidden()
    return helpline


def access_verification_link(token: str) -> VerificationRequest:
    """The request a campaign link answers, when the link may still be used; otherwise
    :class:`LinkRefused` saying why (invalid, expired, replaced or already used)."""
    link = link_read(token)
    if link.state is not LinkState.VALID or link.request is None:
        raise LinkRefused(link.state.value)
    return link.request
