"""The deadline rules a body follows, as data with their source: ITU-D Resolution 1 for the
study groups and their rapporteur groups, Council Decision 556 for Council sessions and Council
working groups (CWG-COP), Plenipotentiary Resolution 165 for proposals to conferences (WTDC).

Each number carries a flag saying whether it was checked against the published text; a value
that could not be is stored all the same, flagged unconfirmed and shown so, and BDT staff
confirm or correct it in the back office. A rule set edited there is never overwritten by
``cophub setup`` (see ``bodies.py``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cophub.reference.models import localized


class DeadlineRuleSet(models.Model):
    code = models.SlugField(max_length=40, primary_key=True, verbose_name=_("code"))
    names = models.JSONField(verbose_name=_("names"), help_text=_("By language code."))
    source = models.CharField(
        max_length=300,
        verbose_name=_("source"),
        help_text=_("The resolution or decision and its points, as published."),
    )
    source_url = models.URLField(max_length=500, blank=True, verbose_name=_("source address"))
    translated_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        verbose_name=_("translated: days before the meeting"),
        help_text=_(
            "A document received at least this many calendar days before the first day is "
            "translated. Empty: the rule set has no translation deadline."
        ),
    )
    translated_days_confirmed = models.BooleanField(
        default=True, verbose_name=_("translation deadline confirmed")
    )
    accepted_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        verbose_name=_("accepted: days before the meeting"),
        help_text=_(
            "The last day a document is accepted for the meeting (without translation when "
            "there is a translation deadline). Empty: the translation deadline is the last day."
        ),
    )
    accepted_days_confirmed = models.BooleanField(
        default=True, verbose_name=_("acceptance deadline confirmed")
    )
    posted_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        verbose_name=_("posted: days before the meeting"),
        help_text=_("Documents are posted on the website at least this many days before."),
    )
    posted_days_confirmed = models.BooleanField(
        default=True, verbose_name=_("posting deadline confirmed")
    )
    exempt_kinds = models.JSONField(
        default=list,
        blank=True,
        verbose_name=_("exempt document types"),
        help_text=_("Document types the submission deadlines do not bind."),
    )
    exempt_posted_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        verbose_name=_("exempt types: days before the item"),
        help_text=_(
            "Exempt documents are posted at least this many days before the item is discussed."
        ),
    )
    exempt_posted_days_confirmed = models.BooleanField(
        default=True, verbose_name=_("exempt posting deadline confirmed")
    )
    note = models.TextField(
        blank=True, verbose_name=_("note"), help_text=_("What could not be confirmed, and why.")
    )
    edited_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("edited in the back office on")
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("edited by"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("deadline rule set")
        verbose_name_plural = _("deadline rule sets")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names)

    @property
    def unconfirmed(self) -> list[str]:
        """The names of the values not checked against the published text."""
        return [
            name
            for name in ("translated_days", "accepted_days", "posted_days", "exempt_posted_days")
            if getattr(self, name) is not None and not getattr(self, f"{name}_confirmed")
        ]

    def clean(self) -> None:
        """A rule set says when a document is too late, and its deadlines are in order."""
        if self.translated_days is None and self.accepted_days is None:
            raise ValidationError(
                {"accepted_days": _("Give a translation deadline, an acceptance deadline or both.")}
            )
        if (
            self.translated_days is not None
            and self.accepted_days is not None
            and self.accepted_days > self.translated_days
        ):
            raise ValidationError(
                {
                    "accepted_days": _(
                        "The acceptance deadline comes after the translation deadline: give "
                        "it fewer days before the meeting."
                    )
                }
            )
