"""Every permission check of the statistics module.

Who sees a dataset: BDT staff (all); the focal points of its country; the statistics-office
users the focal point named on it (a grant); for helpline contact data, the helpline editors
of the helpline's organisation. Anyone else gets ``ObjectNotFound``, as for a dataset that
does not exist. Among those who see it, who may do what is checked one rule per line, and a
refusal is ``ActionForbidden``. The public sees only published observations (selectors)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cophub.accounts.access import AnyUser, user_has_role, user_is_bdt_staff
from cophub.accounts.models import Role, RoleAssignment, User
from cophub.helplines import access as helpline_access
from cophub.portal.errors import ActionForbidden, InvalidInput, ObjectNotFound
from cophub.reference.models import Country

from .models import Dataset, Release

if TYPE_CHECKING:  # a type only: statistics reads helplines through their access and selectors
    from cophub.helplines.models import Helpline


def _signed_in(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def countries_held(user: AnyUser) -> QuerySet[Country]:
    """Countries whose statistics ``user`` may submit: all for BDT staff, else those they are
    focal point of."""
    if user_is_bdt_staff(user):
        return Country.objects.filter(itu_member=True)
    if not _signed_in(user):
        return Country.objects.none()
    held = RoleAssignment.objects.filter(user=cast(User, user), role=Role.FOCAL_POINT).values(
        "country_id"
    )
    return Country.objects.filter(iso2__in=held)


def helplines_reported_by(user: AnyUser) -> "QuerySet[Helpline]":
    """Helplines whose contact data ``user`` may submit (helplines' own rule)."""
    return helpline_access.helplines_for_contact_data(user)


# What a list row never shows and what grows with a dataset (the check's report, the mapping):
# left unread by the lists (issue 17, item 6).
DATASET_HEAVY_FIELDS = ("check_report", "mapping")


def datasets_visible_to(user: AnyUser) -> QuerySet[Dataset]:
    if user_is_bdt_staff(user):
        return Dataset.objects.all()
    if not _signed_in(user):
        return Dataset.objects.none()
    assignments = RoleAssignment.objects.filter(user=cast(User, user))
    countries = assignments.filter(role=Role.FOCAL_POINT).values("country_id")
    organisations = assignments.filter(role=Role.HELPLINE_EDITOR).values("organisation_id")
    return Dataset.objects.filter(
        Q(country_id__in=countries)
        | Q(grants__user_id=user.pk)
        | Q(kind=Dataset.Kind.HELPLINE, organisation_id__in=organisations)
    ).distinct()


def access_dataset(user: AnyUser, dataset_id: int) -> Dataset:
    dataset = datasets_visible_to(user).filter(pk=dataset_id).first()
    if dataset is None:
        raise ObjectNotFound()
    # ``distinct()`` querysets cannot be locked or updated: hand back a plain instance.
    return Dataset.objects.select_related("country", "helpline").get(pk=dataset.pk)


def _is_focal_point(user: AnyUser, dataset: Dataset) -> bool:
    return user_has_role(user, Role.FOCAL_POINT, country_iso2=dataset.country_id)


def _may_edit(user: AnyUser, dataset: Dataset) -> bool:
    if user_is_bdt_staff(user):
        return True
    if dataset.kind == Dataset.Kind.HELPLINE:
        return dataset.organisation_id is not None and user_has_role(
            user, Role.HELPLINE_EDITOR, organisation_id=dataset.organisation_id
        )
    if _is_focal_point(user, dataset):
        return True
    return user.pk is not None and dataset.grants.filter(user_id=user.pk).exists()


def access_dataset_for_update(user: AnyUser, dataset_id: int) -> Dataset:
    """Upload, map, submit: those who work on the dataset (focal point, named users, the
    helpline's editors)."""
    dataset = access_dataset(user, dataset_id)
    if not _may_edit(user, dataset):
        raise ActionForbidden()
    return dataset


def access_dataset_for_check_retry(user: AnyUser, dataset_id: int) -> Dataset:
    """Retry a check that did not finish: the same people as for uploading its file."""
    return access_dataset_for_update(user, dataset_id)


def access_dataset_for_grant(user: AnyUser, dataset_id: int) -> Dataset:
    """Name statistics-office users: the country's focal point."""
    dataset = access_dataset(user, dataset_id)
    if dataset.kind == Dataset.Kind.HELPLINE:
        raise ActionForbidden()
    if not _is_focal_point(user, dataset):
        raise ActionForbidden()
    return dataset


def access_dataset_for_approval(user: AnyUser, dataset_id: int) -> Dataset:
    """Approve, return for changes, publish: the country's focal point (and BDT staff)."""
    dataset = access_dataset(user, dataset_id)
    if not _is_focal_point(user, dataset):
        raise ActionForbidden()
    return dataset


def access_dataset_for_review(user: AnyUser, dataset_id: int) -> Dataset:
    """Review: BDT staff only."""
    dataset = access_dataset(user, dataset_id)
    if not user_is_bdt_staff(user):
        raise ActionForbidden()
    return dataset


def access_release_for_withdrawal(user: AnyUser, code: str) -> Release:
    """Releases are public, so a missing one is the only 404; withdrawing is for the country's
    focal point and BDT staff."""
    release = Release.objects.select_related("dataset").filter(code=code).first()
    if release is None:
        raise ObjectNotFound()
    if not user_has_role(user, Role.FOCAL_POINT, country_iso2=release.country_id):
        raise ActionForbidden()
    return release


def access_country_for_submission(user: AnyUser, iso2: str) -> Country:
    """A survey or aggregate dataset may be opened only for a country the user holds."""
    country = Country.objects.filter(iso2=iso2.upper()).first()
    if country is None:
        raise InvalidInput(
            _("There is no country with the code %(code)s.") % {"code": iso2},
            details={"errors": [{"field": "country", "message": _("Unknown country.")}]},
        )
    if not user_has_role(user, Role.FOCAL_POINT, country_iso2=country.iso2):
        message = _("You are not the focal point of %(country)s.") % {"country": country.name}
        raise ActionForbidden(
            message, details={"errors": [{"field": "country", "message": message}]}
        )
    return country


def access_helpline_for_reporting(user: AnyUser, slug: str) -> "Helpline":
    """Contact data of a helpline may be submitted by its organisation's helpline editors."""
    return helpline_access.access_helpline_for_contact_data(user, slug)


@dataclass(frozen=True)
class DatasetActions:
    """What a user may do on a dataset they see (for showing the right buttons)."""

    edit: bool
    grant: bool
    approve: bool
    review: bool


def dataset_actions(user: AnyUser, dataset: Dataset) -> DatasetActions:
    focal = _is_focal_point(user, dataset)
    return DatasetActions(
        edit=_may_edit(user, dataset),
        grant=focal and dataset.kind != Dataset.Kind.HELPLINE,
        approve=focal,
        review=user_is_bdt_staff(user),
    )
