from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cophub.accounts.models import Organisation
from cophub.reference.models import Region, localized


def _default_kinds() -> list[str]:
    return [
        Organisation.Kind.MEMBER_STATE,
        Organisation.Kind.SECTOR_MEMBER,
        Organisation.Kind.ACADEMIA,
    ]


class Call(models.Model):
    """A call for submissions of best practices, open → review → publication."""

    class Phase(models.TextChoices):
        ANNOUNCED = "announced", _("Announced")
        OPEN = "open", _("Open for submissions")
        REVIEW = "review", _("Review")
        PUBLICATION = "publication", _("Publication")

    titles = models.JSONField(verbose_name=_("titles"), help_text=_("By language code."))
    descriptions = models.JSONField(default=dict, blank=True, verbose_name=_("descriptions"))
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("ITU-D region"),
        help_text=_("Empty: open to every region."),
    )
    phase = models.CharField(
        max_length=20, choices=Phase, default=Phase.ANNOUNCED, verbose_name=_("phase")
    )
    opens_at = models.DateTimeField(verbose_name=_("opens at"))
    closes_at = models.DateTimeField(verbose_name=_("closes at"))
    eligible_kinds = models.JSONField(
        default=_default_kinds,
        verbose_name=_("eligible organisations"),
        help_text=_("Kinds of organisation that may submit; others only when invited."),
    )
    invited = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("invited organisations")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("call for submissions")
        verbose_name_plural = _("calls for submissions")
        ordering = ["-opens_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.titles)

    @property
    def description(self) -> str:
        return localized(self.descriptions) if self.descriptions else ""

    def accepts_submissions(self, now: datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.phase == self.Phase.OPEN and self.opens_at <= moment < self.closes_at
