"""The document register: every document of a meeting, numbered ITU-style
(``numbering.py``), with its language versions and their translation status."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cophub.accounts.models import Organisation
from cophub.reference.models import Country
from cophub.resources.languages import language_name

from ..meetings.models import Meeting
from ..numbering import format_number


class Document(models.Model):
    """One revision of a numbered document. Revision 0 is the original; ``Rev.1`` and later
    keep the sequence number of the original."""

    class Kind(models.TextChoices):
        AGENDA = "agenda", _("Agenda")
        CONTRIBUTION = "contribution", _("Contribution")
        INFORMATION = "information", _("Information document")
        LIAISON_IN = "liaison_in", _("Incoming liaison statement")
        LIAISON_OUT = "liaison_out", _("Outgoing liaison statement")
        REPORT = "report", _("Report")
        OUTCOME = "outcome", _("Outcome document")
        # The types Council Decision 556 exempts from its deadlines (decides 3).
        ADMINISTRATIVE = "administrative", _("Administrative document")
        CHAIR_PROPOSAL = "chair_proposal", _("Proposal from the chair or a convenor")
        COMPILATION = "compilation", _("Compilation of proposals")
        REQUESTED = "requested", _("Contribution requested by the meeting")
        EVENT_REPORT = "event_report", _("Report on an event held less than 21 days before")

    class Purpose(models.TextChoices):
        ACTION = "action", _("For action")
        INFORMATION = "information", _("For information")

    class Timeliness(models.TextChoices):
        ON_TIME = "on_time", _("On time")
        DELAYED = "delayed", _("Delayed: accepted without translation")
        HELD = "held", _("Late: held for the next meeting")
        EXEMPT = "exempt", _("Not bound by the submission deadlines")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="documents", verbose_name=_("meeting")
    )
    seq = models.PositiveIntegerField(verbose_name=_("sequence number"))
    revision = models.PositiveSmallIntegerField(default=0, verbose_name=_("revision"))
    kind = models.CharField(max_length=20, choices=Kind, verbose_name=_("type"))
    purpose = models.CharField(max_length=20, choices=Purpose, verbose_name=_("purpose"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    abstract = models.TextField(blank=True, verbose_name=_("abstract"))
    action_required = models.TextField(blank=True, verbose_name=_("action required"))
    source = models.CharField(max_length=200, verbose_name=_("source"))
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("country"),
    )
    original_language = models.CharField(max_length=8, verbose_name=_("original language"))
    contact = models.CharField(max_length=200, blank=True, verbose_name=_("contact"))
    timeliness = models.CharField(
        max_length=10, choices=Timeliness, verbose_name=_("deadline rule")
    )
    status = models.CharField(
        max_length=20, choices=Status, default=Status.SUBMITTED, verbose_name=_("status")
    )
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("related documents")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    received_at = models.DateTimeField(verbose_name=_("received at"))
    published_at = models.DateTimeField(null=True, blank=True, verbose_name=_("published at"))

    class Meta:
        ordering = ["meeting", "seq", "revision"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "seq", "revision"], name="unique_document_number"
            )
        ]

    def __str__(self) -> str:
        return self.number()

    def number(self, language: str | None = None) -> str:
        """The number of the ``language`` version (by default the original's)."""
        body = self.meeting.body
        return format_number(
            body.document_pattern,
            prefix=body.document_prefix,
            meeting=self.meeting.ordinal,
            seq=self.seq,
            rev=self.revision,
            lang=language or self.original_language,
        )

    @property
    def awaits_publication(self) -> bool:
        """Submitted, not yet published (the meeting's managers may publish it)."""
        return self.status == self.Status.SUBMITTED

    def version_rows(self) -> list[dict[str, Any]]:
        """Each language version: its language, number and translation status."""
        return [
            {
                "language": version.language,
                "name": language_name(version.language),
                "number": self.number(version.language),
                "status": version.status,
                "status_label": version.get_status_display(),
                "has_file": bool(version.file),
            }
            for version in self.versions.all()
        ]


class DocumentVersion(models.Model):
    """A language version of a document, with its translation status."""

    class Status(models.TextChoices):
        MISSING = "missing", _("Missing")
        MACHINE_DRAFT = "machine_draft", _("Machine draft")
        HUMAN_DRAFT = "human_draft", _("Human draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        OUTDATED = "outdated", _("Outdated")

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    language = models.CharField(max_length=8, verbose_name=_("language"))
    status = models.CharField(
        max_length=20, choices=Status, default=Status.MISSING, verbose_name=_("status")
    )
    file = models.FileField(upload_to="coordination/documents/", blank=True, verbose_name=_("file"))
    file_name = models.CharField(max_length=200, blank=True, verbose_name=_("file name"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["document", "language"]
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language"], name="unique_document_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.language}"
