"""Liaison statements: documents exchanged with other bodies, with their addressees and
the reply they ask for."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..documents.models import Document


class LiaisonStatement(models.Model):
    """The ITU-D liaison-statement fields of a document of type liaison in or out."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AGREED = "agreed", _("Agreed")
        SENT = "sent", _("Sent")
        REPLY_DUE = "reply_due", _("Reply due")
        REPLIED = "replied", _("Replied")

    document = models.OneToOneField(
        Document,
        on_delete=models.CASCADE,
        related_name="liaison",
        verbose_name=_("document"),
    )
    origin = models.CharField(max_length=200, verbose_name=_("originating body"))
    origin_questions = models.CharField(
        max_length=200, blank=True, verbose_name=_("originating Questions")
    )
    addressees = models.JSONField(
        verbose_name=_("addressees"),
        help_text=_('A list of {"body": …, "for": "action" | "comments" | "information"}.'),
    )
    subject = models.CharField(max_length=300, verbose_name=_("subject"))
    approval = models.CharField(max_length=200, verbose_name=_("approval level"))
    deadline = models.DateField(null=True, blank=True, verbose_name=_("deadline"))
    contact = models.CharField(max_length=200, verbose_name=_("contact"))
    status = models.CharField(
        max_length=20, choices=Status, default=Status.DRAFT, verbose_name=_("status")
    )
    reply_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    sent_on = models.DateField(null=True, blank=True, verbose_name=_("sent on"))
    reminded_on = models.DateField(null=True, blank=True, verbose_name=_("reminder sent on"))

    class Meta:
        verbose_name = _("liaison statement")
        verbose_name_plural = _("liaison statements")

    def __str__(self) -> str:
        return self.subject

    def addressee_rows(self) -> list[dict[str, str]]:
        """Each addressee with what it is asked for, as a label."""
        labels = {
            "action": _("For action"),
            "comments": _("For comments"),
            "information": _("For information"),
        }
        return [
            {"body": entry["body"], "purpose": str(labels.get(entry["for"], entry["for"]))}
            for entry in self.addressees
        ]

    def next_statuses(self) -> list[tuple[str, str]]:
        """The states the statement may take next, with their labels."""
        labels = dict(self.Status.choices)
        allowed = LIAISON_NEXT.get(self.status, set())
        return [(value, str(labels[value])) for value in self.Status.values if value in allowed]


# The next states an outgoing statement may take, and what an addressee is asked for.
LIAISON_NEXT: dict[str, set[str]] = {
    LiaisonStatement.Status.DRAFT: {LiaisonStatement.Status.AGREED},
    LiaisonStatement.Status.AGREED: {LiaisonStatement.Status.SENT},
    LiaisonStatement.Status.SENT: {
        LiaisonStatement.Status.REPLY_DUE,
        LiaisonStatement.Status.REPLIED,
    },
    LiaisonStatement.Status.REPLY_DUE: {LiaisonStatement.Status.REPLIED},
    LiaisonStatement.Status.REPLIED: set(),
}


ADDRESSEE_FOR = ("action", "comments", "information")
