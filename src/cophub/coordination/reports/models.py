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
        if "listed_numbers" in self.__dict__:  # a list's row (access.report_rows_visible_to)
            numbers = self.__dict__["listed_numbers"] or {}
            return str(numbers.get(self.__dict__["listed_language"] or "en", ""))
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


# --- the summaries the implementation view and the activity feed read (decision 0041) -------
# Internal copies kept by ``reports/summaries.py``, never edited by people (no labels).


class CollectedRecord(models.Model):
    """One record of the platform as the activity feed lists it: what the modules'
    ``records_in_period`` give over all time (``collected.py``), copied by the refresh task so
    a page reads one period of it instead of collecting every module on each request."""

    source = models.CharField(max_length=200, unique=True)
    on = models.DateField()
    # The last day it counts on: an activity's last day (it counts in every period it
    # overlaps, on the period's first day when it started before); any other record: ``on``.
    ends_on = models.DateField()
    kind = models.CharField(max_length=60)
    title = models.TextField()
    clauses = models.JSONField(default=list)
    countries = models.JSONField(default=list)
    region = models.CharField(max_length=10, blank=True)  # "": none
    participants = models.PositiveIntegerField(null=True, blank=True)
    # The ITU-D regions it counts in (its own and its countries'), " AFR EUR ": filtered with
    # ``contains`` alike on SQLite and PostgreSQL; empty for a global record.
    regions = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["on", "source"], name="coord_collected_on")]

    def __str__(self) -> str:
        return self.source


class ClauseRecord(models.Model):
    """A record serving a clause (one row per record and clause): the implementation view
    counts them per clause and kind in one query."""

    clause = models.CharField(max_length=20)
    source = models.CharField(max_length=200)
    kind = models.CharField(max_length=60)
    on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clause", "source"], name="coord_clause_record_once")
        ]
        indexes = [models.Index(fields=["on", "ends_on"], name="coord_clause_record_on")]

    def __str__(self) -> str:
        return f"{self.clause}: {self.source}"


class SummaryState(models.Model):
    """The one row saying how current the summaries are: ``version`` grows with each refresh
    that changed them (the pages' cache key; ``built_at`` is when), ``pending`` says a change
    waits for the refresh task."""

    version = models.PositiveBigIntegerField(default=0)
    pending = models.BooleanField(default=False)
    requested_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"summaries v{self.version}"
