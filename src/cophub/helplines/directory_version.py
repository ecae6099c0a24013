"""Which version of each country's directory is current, for every process.

Each change to a helpline, its contacts, topics or pairs writes a new token for the helpline's
country (``DirectoryVersion``) in the transaction of the change, through the model signals (so
imports, the API, verification and the back office all count). Each process reads the tokens of
every country in one query at most every ``COPHUB_HELPLINE_VERSION_CHECK_SECONDS`` (1 s), and
at once after a change it made itself; what it keeps of a country (the directory as plain
data, the answer prepared for the hour) is kept under that token (decision 0040)."""

import threading
import time
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import Contact, DirectoryVersion, Helpline

_lock = threading.Lock()
_versions: dict[str, str] = {}
_read_at: list[float] = []  # monotonic time of the last read; empty: read on next use


def directory_versions_forget() -> None:
    """This process reads the tokens again on next use."""
    _read_at.clear()


def directory_version(country: str) -> str:
    """The current token of ``country``'s directory ("" before its first change)."""
    now = time.monotonic()
    interval = settings.COPHUB_HELPLINE_VERSION_CHECK_SECONDS
    if not _read_at or now - _read_at[0] >= interval:
        versions = dict(DirectoryVersion.objects.values_list("country", "version"))
        with _lock:
            _versions.clear()
            _versions.update(versions)
            _read_at[:] = [now]
    return _versions.get(country, "")


def directory_version_bump(*, countries: set[str]) -> None:
    """A new token for each of ``countries``, in the current transaction (one upsert)."""
    if not countries:
        return
    token = uuid.uuid4().hex
    DirectoryVersion.objects.bulk_create(
        [DirectoryVersion(country=country, version=token) for country in sorted(countries)],
        update_conflicts=True,
        unique_fields=["country"],
        update_fields=["version"],
    )
    directory_versions_forget()
    transaction.on_commit(directory_versions_forget)


def _helpline_changed(instance: Helpline, **_kwargs: Any) -> None:
    directory_version_bump(countries={instance.country_id})


def _contact_changed(instance: Contact, **_kwargs: Any) -> None:
    country = (
        Helpline.objects.filter(pk=instance.helpline_id)
        .values_list("country_id", flat=True)
        .first()
    )
    directory_version_bump(countries={country} if country else set())


def _relation_changed(instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        directory_version_bump(countries={instance.country_id})
        return
    # Changed from the topic's side (never done by the code, possible in a shell): the
    # countries of the helplines named, or of every helpline when the topic was cleared.
    pk_set = kwargs.get("pk_set")
    helplines = Helpline.objects.filter(pk__in=pk_set) if pk_set else Helpline.objects.all()
    directory_version_bump(countries=set(helplines.values_list("country_id", flat=True)))


post_save.connect(_helpline_changed, sender=Helpline, dispatch_uid="dirv-helpline")
post_delete.connect(_helpline_changed, sender=Helpline, dispatch_uid="dirv-helpline-del")
post_save.connect(_contact_changed, sender=Contact, dispatch_uid="dirv-contact")
post_delete.connect(_contact_changed, sender=Contact, dispatch_uid="dirv-contact-del")
m2m_changed.connect(_relation_changed, sender=Helpline.topics.through, dispatch_uid="dirv-topics")
m2m_changed.connect(
    _relation_changed, sender=Helpline.paired_with.through, dispatch_uid="dirv-pairs"
)
