from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .submissions import Submission
from .workflow import Criterion


class ReviewerAssignment(models.Model):
    """A reviewer assigned to a submission. ``conflict`` stays empty until the reviewer
    declares (no) conflict of interest; a declared conflict ends their part in the review."""

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("submission"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="review_assignments",
        verbose_name=_("reviewer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(auto_now_add=True, verbose_name=_("assigned at"))
    conflict = models.BooleanField(null=True, blank=True, verbose_name=_("conflict of interest"))
    conflict_note = models.TextField(blank=True, verbose_name=_("declaration"))
    declared_at = models.DateTimeField(null=True, blank=True, verbose_name=_("declared at"))
    comment = models.TextField(blank=True, verbose_name=_("overall comment"))

    class Meta:
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        constraints = [
            models.UniqueConstraint(fields=["submission", "reviewer"], name="unique_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} ← {self.reviewer_id}"


class Score(models.Model):
    assignment = models.ForeignKey(
        ReviewerAssignment,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("assignment"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    value = models.PositiveSmallIntegerField(verbose_name=_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="unique_score")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class InternalNote(models.Model):
    """For BDT staff and the assigned reviewers only; never shown to the author or public."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="notes", verbose_name=_("submission")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(verbose_name=_("text"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission_id} ({self.created_at:%Y-%m-%d})"


class ReaderReport(models.Model):
    """A reader's report on a published practice. Nothing about the reader is kept."""

    class Reason(models.TextChoices):
        PERSONAL_DATA = "personal_data", _("It shows personal data of a child")
        IMAGE_OF_CHILD = "image_of_child", _("It shows an image of a child")
        HARMFUL = "harmful", _("It is harmful or abusive")
        INACCURATE = "inaccurate", _("It is inaccurate")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        UPHELD = "upheld", _("Upheld: the item stays hidden")
        DISMISSED = "dismissed", _("Dismissed: the item is shown again")

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="reports", verbose_name=_("submission")
    )
    reason = models.CharField(max_length=20, choices=Reason, verbose_name=_("reason"))
    message = models.TextField(blank=True, max_length=2000, verbose_name=_("message"))
    status = models.CharField(
        max_length=10, choices=Status, default=Status.OPEN, verbose_name=_("status")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("reported at"))
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))

    class Meta:
        verbose_name = _("reader report")
        verbose_name_plural = _("reader reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.reason}"
