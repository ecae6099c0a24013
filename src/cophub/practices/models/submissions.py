"""Submissions of best practices and everything kept with them: versions, events,
attachments and safeguarding findings."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cophub.accounts.models import Organisation
from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.reference.models import Clause, Country, Region

from .calls import Call
from .workflow import Category, ReviewState

LANGUAGE_CHOICES = [(code, code) for code in UI_LANGUAGE_CODES]


class Submission(models.Model):
    """A best practice or technical solution, modelled on an ITU-D contribution."""

    reference = models.CharField(max_length=20, unique=True, verbose_name=_("reference"))
    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="submissions", verbose_name=_("call")
    )
    state = models.ForeignKey(
        ReviewState, on_delete=models.PROTECT, related_name="+", verbose_name=_("state")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="practice_submissions",
        verbose_name=_("author"),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    source_entity = models.CharField(max_length=200, blank=True, verbose_name=_("source"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    abstract = models.TextField(blank=True, verbose_name=_("abstract"))
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("country")
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("ITU-D region")
    )
    clauses = models.ManyToManyField(
        Clause, blank=True, related_name="+", verbose_name=_("Resolution 67 clauses")
    )
    framework_items = models.JSONField(
        default=list,
        blank=True,
        verbose_name=_("framework items"),
        help_text=_("Codes of the national-strategy framework items this practice serves."),
    )
    lessons_learned = models.TextField(blank=True, verbose_name=_("lessons learned"))
    suggested_practice = models.TextField(blank=True, verbose_name=_("suggested best practice"))
    evidence_of_impact = models.TextField(blank=True, verbose_name=_("evidence of impact"))
    contact_name = models.CharField(max_length=200, blank=True, verbose_name=_("contact name"))
    contact_email = models.EmailField(blank=True, verbose_name=_("contact e-mail"))
    original_language = models.CharField(
        max_length=8, choices=LANGUAGE_CHOICES, verbose_name=_("original language")
    )
    published_answer = models.TextField(blank=True, verbose_name=_("answer to the author"))
    published_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published page"),
    )
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))

    class Meta:
        verbose_name = _("best-practice submission")
        verbose_name_plural = _("best-practice submissions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class ReferenceCounter(models.Model):
    """The last sequence number given in a year (``COP-BP-<year>-<seq>``)."""

    year = models.PositiveSmallIntegerField(primary_key=True, verbose_name=_("year"))
    last = models.PositiveIntegerField(default=0, verbose_name=_("last number"))

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class SubmissionVersion(models.Model):
    """The submission's content after each edit, for the history and its diffs."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="versions", verbose_name=_("submission")
    )
    number = models.PositiveIntegerField(verbose_name=_("number"))
    content = models.JSONField(verbose_name=_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("at"))

    class Meta:
        verbose_name = _("submission version")
        verbose_name_plural = _("submission versions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} v{self.number}"


class SubmissionEvent(models.Model):
    """A change of state, with who made it and the answer given."""

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="events", verbose_name=_("submission")
    )
    source = models.ForeignKey(
        ReviewState, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    target = models.ForeignKey(
        ReviewState, on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("at"))

    class Meta:
        verbose_name = _("submission event")
        verbose_name_plural = _("submission events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission_id}: {self.source_id} → {self.target_id}"


def _attachment_path(instance: "Attachment", filename: str) -> str:
    # Unguessable names: attachments are served only through the access-checked view.
    return f"practices/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Attachment(models.Model):
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("submission"),
    )
    file = models.FileField(upload_to=_attachment_path, verbose_name=_("file"))
    original_name = models.CharField(max_length=255, verbose_name=_("file name"))
    size = models.PositiveIntegerField(verbose_name=_("size"))
    sha256 = models.CharField(max_length=64, verbose_name=_("SHA-256"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ScreeningFinding(models.Model):
    """Something safeguarding screening flagged (an e-mail address, a phone number, an image
    inside a document); staff resolve it before the submission is evaluated."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail address")
        PHONE = "phone", _("Phone number")
        IMAGE = "image", _("Image inside a document")

    class Resolution(models.TextChoices):
        NOT_PERSONAL = "not_personal", _("Not personal data of a child")
        REDACTED = "redacted", _("Removed from the submission")

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="findings", verbose_name=_("submission")
    )
    field = models.CharField(max_length=60, verbose_name=_("field"))
    kind = models.CharField(max_length=10, choices=Kind, verbose_name=_("kind"))
    excerpt = models.CharField(max_length=200, verbose_name=_("excerpt (masked)"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("found at"))
    resolution = models.CharField(
        max_length=20, choices=Resolution, blank=True, verbose_name=_("resolution")
    )
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
        verbose_name = _("screening finding")
        verbose_name_plural = _("screening findings")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.field}: {self.kind}"
