"""Reports to CWG-COP and WTDC. What a report shows is in its ``snapshot``, stored when it is
compiled (the records, figures, participation, translation coverage, and each clause's text,
status, progress and timeline) and completed when it is approved (the editors' texts and the
document numbers), so an approved report never changes (``reports/snapshot.py``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cophub.reference.models import Clause, Region


class Report(models.Model):
    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly report to CWG-COP")
        WTDC = "wtdc", _("Report to WTDC on the implementation of Resolution 67")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    kind = models.CharField(max_length=20, choices=Kind, verbose_name=_("kind"))
    period_start = models.DateField(verbose_name=_("period start"))
    period_end = models.DateField(verbose_name=_("period end"))
    regions = models.ManyToManyField(
        Region, blank=True, related_name="+", verbose_name=_("ITU-D regions")
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    snapshot = models.JSONField(
        verbose_name=_("snapshot"),
        help_text=_(
            "Everything the report shows, stored when it is compiled and completed when it is "
            "approved (format in report_snapshot.py)."
        ),
    )
    editor_texts = models.JSONField(default=dict, blank=True, verbose_name=_("editors' texts"))
    status = models.CharField(
        max_length=10, choices=Status, default=Status.DRAFT, verbose_name=_("status")
    )
    document = models.OneToOneField(
        "coordination.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="report",
        verbose_name=_("document"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
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
        ordering = ["-period_end", "-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        """The number it was approved under, in its original language ("" for a draft)."""
        approved = self.snapshot.get("approved")
        if not approved:
            return ""
        language = approved["texts"].get("source_language", "en")
        return str(approved["numbers"].get(language, ""))


class ClauseProgress(models.Model):
    """The secretariat's reading of one operative clause: status, progress and timeline."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        DONE = "done", _("Done")

    clause = models.OneToOneField(
        Clause, on_delete=models.CASCADE, related_name="+", verbose_name=_("clause")
    )
    status = models.CharField(
        max_length=20, choices=Status, default=Status.NOT_STARTED, verbose_name=_("status")
    )
    progress = models.PositiveSmallIntegerField(default=0, verbose_name=_("progress (%)"))
    timeline = models.CharField(max_length=200, blank=True, verbose_name=_("timeline"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("clause progress")
        verbose_name_plural = _("clause progress")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="clause_progress_percent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.clause_id}: {self.status}"
