"""Consultations with children and young people: a question, anonymous answers that wait
for a moderator, and the secretariat's summary."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cophub.reference.models import Region

from ..meetings.models import Meeting


class YouthConsultation(models.Model):
    """An online consultation with children and young people between meetings."""

    title = models.CharField(max_length=200, verbose_name=_("title"))
    question = models.TextField(verbose_name=_("question"))
    opens_on = models.DateField(verbose_name=_("opens on"))
    closes_on = models.DateField(verbose_name=_("closes on"))
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("reported to meeting"),
    )
    summary = models.TextField(blank=True, verbose_name=_("summary for the meeting"))

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("youth consultation")
        verbose_name_plural = _("youth consultations")

    def __str__(self) -> str:
        return self.title


class YouthSubmission(models.Model):
    """An anonymous answer: no name, account, address or IP; text that looks like contact
    details is held for a moderator and never shown."""

    class AgeBand(models.TextChoices):
        UNDER_13 = "under_13", _("Under 13")
        FROM_13_TO_15 = "13_15", _("13 to 15")
        FROM_16_TO_17 = "16_17", _("16 to 17")
        FROM_18_TO_24 = "18_24", _("18 to 24")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        ACCEPTED = "accepted", _("Accepted")
        HIDDEN = "hidden", _("Hidden")

    consultation = models.ForeignKey(
        YouthConsultation,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("consultation"),
    )
    text = models.TextField(verbose_name=_("text"))
    age_band = models.CharField(max_length=10, choices=AgeBand, verbose_name=_("age"))
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("ITU-D region")
    )
    status = models.CharField(
        max_length=10, choices=Status, default=Status.PENDING, verbose_name=_("status")
    )
    flagged = models.BooleanField(default=False, verbose_name=_("contains contact details"))
    submitted_on = models.DateField(verbose_name=_("submitted on"))

    class Meta:
        verbose_name = _("youth submission")
        verbose_name_plural = _("youth submissions")

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.pk}"
