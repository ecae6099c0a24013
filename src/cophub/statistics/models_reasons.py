"""Reasons for contact of child helplines (the Child Helpline International data framework's
categories) and their crosswalk to the helpline topic taxonomy, both kept as versioned data
(``data/contact_reasons.json``, ``data/contact_reason_topics.json``) and loaded by
:func:`cophub.statistics.reasons.reasons_load`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cophub.reference.models import NamedInLanguages


class ContactReason(NamedInLanguages):
    """A category (``parent`` empty) or sub-category of reasons for contact. Contacts are
    counted on the categories without sub-categories; each of those has its platform topic."""

    code = models.SlugField(max_length=60, primary_key=True, verbose_name=_("code"))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    provenance = models.CharField(max_length=20, verbose_name=_("provenance"))
    topic = models.CharField(max_length=40, blank=True, verbose_name=_("topic"))
    # Where the reason was found (the report cited) or, when not confirmed, what was found.
    source = models.TextField(blank=True, default="", verbose_name=_("source"))

    class Meta:
        verbose_name = _("reason for contact")
        verbose_name_plural = _("reasons for contact")
        ordering = ["position"]


class ContactReasonVersion(models.Model):
    """The versions of the reasons and of the crosswalk now loaded (a single row)."""

    reasons_version = models.CharField(max_length=40, verbose_name=_("version"))
    crosswalk_version = models.CharField(max_length=40, verbose_name=_("crosswalk version"))
    source = models.TextField(verbose_name=_("source"))
    loaded_at = models.DateTimeField(verbose_name=_("loaded at"))

    class Meta:
        verbose_name = _("version of the reasons for contact")
        verbose_name_plural = _("versions of the reasons for contact")

    def __str__(self) -> str:
        return f"{self.reasons_version} / {self.crosswalk_version}"
