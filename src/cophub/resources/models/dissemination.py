"""Trainings and national launch events that spread the guidelines (MS-6, BDT-11)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cophub.reference.models import Country

from .taxonomy import Audience


class DisseminationEvent(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        NATIONAL_LAUNCH = "national_launch", _("National launch event")
        AWARENESS = "awareness", _("Awareness campaign")

    kind = models.CharField(max_length=20, choices=Kind, verbose_name=_("kind"))
    title = models.CharField(max_length=200, verbose_name=_("title"))
    held_on = models.DateField(verbose_name=_("date"))
    country = models.ForeignKey(Country, on_delete=models.PROTECT, verbose_name=_("country"))
    audience = models.ForeignKey(Audience, on_delete=models.PROTECT, verbose_name=_("audience"))
    attendance = models.PositiveIntegerField(verbose_name=_("attendance"))
    language = models.CharField(max_length=16, blank=True, verbose_name=_("language"))
    resource_key = models.UUIDField(
        null=True, blank=True, verbose_name=_("resource"), help_text=_("The resource presented.")
    )
    notes = models.TextField(blank=True, verbose_name=_("notes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        verbose_name = _("dissemination event")
        verbose_name_plural = _("dissemination events")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title
