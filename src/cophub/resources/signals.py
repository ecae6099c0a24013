"""Receivers that keep translation tracking and admin access in step with changes, whichever
door (admin, API, code) they came through."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.documents.models import Document
from wagtail.signals import page_published

from cophub.accounts.models import Role, RoleAssignment, User

from .cms_access import editor_membership_sync
from .fingerprints import fingerprint_chunks
from .models import (
    Audience,
    CourseModulePage,
    HubPage,
    ItemTranslation,
    Licence,
    ResourceDownloadFile,
    ResourcePage,
    RiskTopic,
    TrackedItem,
)
from .source_tracking import download_source_track, page_source_track
from .taxonomy import taxonomy_loading, taxonomy_source_track


@receiver(page_published, sender=HubPage)
@receiver(page_published, sender=ResourcePage)
@receiver(page_published, sender=CourseModulePage)
def _page_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    page_source_track(instance)


def _file_fingerprint(file: ResourceDownloadFile) -> str:
    with file.document.file.open("rb") as handle:
        return fingerprint_chunks(iter(lambda: handle.read(1 << 16), b""))


@receiver(post_save, sender=ResourceDownloadFile)
def _download_file_saved(sender: Any, instance: ResourceDownloadFile, **kwargs: Any) -> None:
    """Files added in the admin (the API and services set the fingerprint themselves)."""
    if kwargs.get("raw") or instance.sha256:
        return
    instance.sha256 = _file_fingerprint(instance)
    ResourceDownloadFile.objects.filter(pk=instance.pk).update(sha256=instance.sha256)
    download = instance.download
    if instance.language == download.source_language:
        download_source_track(download)
        return
    item = TrackedItem.objects.filter(kind=TrackedItem.Kind.FILE, key=str(download.pk)).first()
    if item is not None:
        ItemTranslation.objects.update_or_create(
            item=item,
            language=instance.language,
            defaults={
                "state": ItemTranslation.State.HUMAN_DRAFT,
                "made_from_hash": item.source_hash,
                "made_from_version": item.source_version,
            },
        )


@receiver(post_save, sender=Document)
def _document_saved(sender: Any, instance: Document, **kwargs: Any) -> None:
    """A document replaced in the admin's library: refingerprint the files using it."""
    if kwargs.get("raw") or kwargs.get("created"):
        return
    for file in ResourceDownloadFile.objects.filter(document=instance).select_related("download"):
        fingerprint = _file_fingerprint(file)
        if fingerprint != file.sha256:
            ResourceDownloadFile.objects.filter(pk=file.pk).update(sha256=fingerprint)
            if file.language == file.download.source_language:
                download_source_track(file.download)


@receiver(post_save, sender=Audience)
@receiver(post_save, sender=RiskTopic)
@receiver(post_save, sender=Licence)
def _taxonomy_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not kwargs.get("raw") and not taxonomy_loading.get():
        taxonomy_source_track()


@receiver(post_save, sender=RoleAssignment)
@receiver(post_delete, sender=RoleAssignment)
def _role_changed(sender: Any, instance: RoleAssignment, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance.role != Role.BDT_STAFF:
        return
    user = User.objects.filter(pk=instance.user_id).first()
    if user is not None:  # not when the user is being deleted with their roles
        editor_membership_sync(user)
