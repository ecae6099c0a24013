"""Partner initiatives and their agreements, and the activities BDT and the regional
offices record (workshops, missions, trainings…), linked to Resolution 67 clauses."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cophub.reference.models import Clause, Country, Region


class Partner(models.Model):
    """Another COP initiative or organisation the COP Initiative works with (BDT-4)."""

    class Kind(models.TextChoices):
        INITIATIVE = "initiative", _("Initiative")
        ORGANISATION = "organisation", _("Organisation")

    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    kind = models.CharField(max_length=20, choices=Kind, verbose_name=_("kind"))
    url = models.URLField(blank=True, verbose_name=_("website"))
    description = models.TextField(blank=True, verbose_name=_("description"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("partner")
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    signed_on = models.DateField(verbose_name=_("signed on"))
    ends_on = models.DateField(null=True, blank=True, verbose_name=_("ends on"))

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    """Work recorded by BDT or a regional office, with the clauses it serves."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        TRAINING = "training", _("Training")
        COUNTRY_ASSISTANCE = "country_assistance", _("Country assistance")
        CAMPAIGN = "campaign", _("Campaign")
        PUBLICATION = "publication", _("Publication")
        JOINT_ACTIVITY = "joint_activity", _("Joint activity with partners")

    kind = models.CharField(max_length=30, choices=Kind, verbose_name=_("kind"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    starts_on = models.DateField(verbose_name=_("first day"))
    ends_on = models.DateField(verbose_name=_("last day"))
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("ITU-D region")
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("countries")
    )
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="activities", verbose_name=_("partners")
    )
    clauses = models.ManyToManyField(
        Clause, related_name="+", verbose_name=_("Resolution 67 clauses")
    )
    participants = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("participants")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        ordering = ["-starts_on"]
        # The period filter of the activities page, feed and reports (decision 0042).
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="activity_period")]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title
