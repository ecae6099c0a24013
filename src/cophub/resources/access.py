"""Who may do what in the hub. BDT staff everything; translators work in their language;
dissemination is recorded by BDT staff, regional officers and focal points for their area.
``ObjectNotFound`` when the user may not see the object at all, ``ActionForbidden`` when they
may see it but not act."""

from django.utils.translation import gettext as _

from cophub.accounts.access import AnyUser, user_has_role, user_is_bdt_staff
from cophub.accounts.models import Role, RoleAssignment
from cophub.portal.errors import ActionForbidden, ObjectNotFound
from cophub.reference.languages import UI_LANGUAGE_CODES

from .languages import content_languages
from .models import ItemTranslation, ResourceDownload, TrackedItem


def user_translation_languages(user: AnyUser) -> list[str]:
    """The languages ``user`` translates in (all of them for BDT staff)."""
    if user_is_bdt_staff(user):
        return list(content_languages())
    if not user.is_authenticated or not user.is_active:
        return []
    return sorted(
        RoleAssignment.objects.filter(user=user, role=Role.TRANSLATOR).values_list(
            "language", flat=True
        )
    )


def user_may_see_translations(user: AnyUser) -> bool:
    return bool(user_translation_languages(user))


def access_translation_matrix(user: AnyUser) -> None:
    if not user.is_authenticated:
        raise ObjectNotFound()
    if not user_may_see_translations(user):
        raise ActionForbidden()


def access_tracked_item(user: AnyUser, item_id: int) -> TrackedItem:
    if not user_may_see_translations(user):
        raise ObjectNotFound()
    item = TrackedItem.objects.filter(pk=item_id).first()
    if item is None:
        raise ObjectNotFound()
    return item


def _check_language(item: TrackedItem, language: str) -> None:
    if language not in content_languages():
        raise ObjectNotFound()
    if language == item.source_language:
        raise ActionForbidden(
            _("This is the item's source language: there is nothing to translate.")
        )
    if item.kind != TrackedItem.Kind.FILE and language not in UI_LANGUAGE_CODES:
        raise ActionForbidden(_("Only files are published in the extra languages."))


def access_translation_for_work(user: AnyUser, item_id: int, language: str) -> TrackedItem:
    """Translators of ``language`` (and BDT staff) draft, import and submit."""
    item = access_tracked_item(user, item_id)
    _check_language(item, language)
    if not user_has_role(user, Role.TRANSLATOR, language=language):
        raise ActionForbidden(_("You may only translate into the languages you are assigned to."))
    return item


def access_translation_for_review(user: AnyUser, item_id: int, language: str) -> ItemTranslation:
    """Another translator of ``language`` reviews, never the one who submitted (BDT staff may)."""
    item = access_translation_for_work(user, item_id, language)
    record = ItemTranslation.objects.select_related("item").filter(item=item, language=language)
    found = record.first()
    if found is None:
        raise ObjectNotFound()
    if user_is_bdt_staff(user):
        return found
    if found.submitted_by_id == user.pk:
        raise ActionForbidden(_("Another translator of this language must review your work."))
    return found


def access_download_for_upload(user: AnyUser, download_id: int, language: str) -> ResourceDownload:
    """BDT staff upload source files; translators upload the files in their language."""
    if not user_may_see_translations(user):
        raise ObjectNotFound()
    download: ResourceDownload | None = ResourceDownload.objects.filter(pk=download_id).first()
    if download is None or language not in content_languages():
        raise ObjectNotFound()
    if user_is_bdt_staff(user):
        return download
    if language == download.source_language:
        raise ActionForbidden(_("Only BDT staff replace the source file."))
    if not user_has_role(user, Role.TRANSLATOR, language=language):
        raise ActionForbidden(_("You may only translate into the languages you are assigned to."))
    return download


def user_may_record_dissemination(user: AnyUser) -> bool:
    return (
        user_is_bdt_staff(user)
        or user_has_role(user, Role.REGIONAL_OFFICER)
        or user_has_role(user, Role.FOCAL_POINT)
    )


def access_dissemination_log(user: AnyUser) -> None:
    """The dissemination page records events: BDT staff, regional officers, focal points."""
    if not user_may_record_dissemination(user):
        raise ActionForbidden()


def access_dissemination_for_record(user: AnyUser, country_iso2: str) -> None:
    """BDT staff anywhere; regional officers in their region; focal points in their country."""
    if not user.is_authenticated:
        raise ObjectNotFound()
    if user_is_bdt_staff(user):
        return
    if user_has_role(user, Role.REGIONAL_OFFICER, country_iso2=country_iso2):
        return
    if user_has_role(user, Role.FOCAL_POINT, country_iso2=country_iso2):
        return
    raise ActionForbidden(_("You record events for other countries."))
