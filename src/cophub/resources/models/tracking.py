"""Translation tracking for pages, files and records alike.

A ``TrackedItem`` is one thing to translate, with a fingerprint (SHA-256) of its source as
published now. An ``ItemTranslation`` keeps, with each language's translation, the fingerprint
of the source it was made from: the translation is *outdated* exactly when the two differ, so
staleness is computed, never remembered (see ``translation_status``)."""

from collections.abc import Iterable
from uuid import UUID

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackedItem(models.Model):
    class Kind(models.TextChoices):
        PAGE = "page", _("Page")
        FILE = "file", _("File")
        RECORD = "record", _("Records")

    kind = models.CharField(max_length=10, choices=Kind, verbose_name=_("kind"))
    key = models.CharField(
        max_length=64,
        verbose_name=_("key"),
        help_text=_("Page translation key, download number or record set name."),
    )
    title = models.CharField(max_length=255, verbose_name=_("title"))
    source_language = models.CharField(max_length=16, verbose_name=_("source language"))
    source_hash = models.CharField(max_length=64, verbose_name=_("source fingerprint"))
    source_version = models.PositiveIntegerField(default=1, verbose_name=_("source version"))
    source_changed_at = models.DateTimeField(verbose_name=_("source changed at"))

    class Meta:
        verbose_name = _("tracked item")
        verbose_name_plural = _("tracked items")
        ordering = ["kind", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="unique_tracked_item"),
        ]

    def __str__(self) -> str:
        return self.title


class ItemTranslation(models.Model):
    class State(models.TextChoices):
        MACHINE_DRAFT = "machine_draft", _("Machine draft")
        HUMAN_DRAFT = "human_draft", _("Human draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")

    item = models.ForeignKey(
        TrackedItem,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("item"),
    )
    language = models.CharField(max_length=16, verbose_name=_("language"))
    state = models.CharField(max_length=20, choices=State, verbose_name=_("state"))
    made_from_hash = models.CharField(max_length=64, verbose_name=_("made from source"))
    made_from_version = models.PositiveIntegerField(verbose_name=_("made from version"))
    # Records only: the draft texts by segment context ({"text": ..., "machine": bool}).
    draft = models.JSONField(default=dict, blank=True, verbose_name=_("draft"))
    review_note = models.TextField(blank=True, verbose_name=_("review note"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("updated by"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted for review by"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("approved at"))

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["item", "language"], name="unique_item_translation"),
        ]

    def __str__(self) -> str:
        return f"{self.item} [{self.language}]"

    @property
    def is_outdated(self) -> bool:
        return self.made_from_hash != self.item.source_hash


class ContentHold(models.Model):
    """A hub item hidden from the public while a reader's report is moderated."""

    translation_key = models.UUIDField(unique=True, verbose_name=_("translation key"))
    reason = models.CharField(max_length=200, verbose_name=_("reason"))
    held_at = models.DateTimeField(auto_now_add=True, verbose_name=_("held at"))

    class Meta:
        verbose_name = _("held item")
        verbose_name_plural = _("held items")

    def __str__(self) -> str:
        return str(self.translation_key)

    @classmethod
    def holds(cls, translation_key: UUID) -> bool:
        """Whether the item with ``translation_key`` is hidden from the public."""
        return cls.objects.filter(translation_key=translation_key).exists()


def page_source_languages(keys: Iterable[str]) -> dict[str, str]:
    """The source language of each tracked page, by translation key (as text)."""
    return dict(
        TrackedItem.objects.filter(kind=TrackedItem.Kind.PAGE, key__in=list(keys)).values_list(
            "key", "source_language"
        )
    )
