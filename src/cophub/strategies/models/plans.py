"""Action plans (each gap becomes an action, with dated progress updates) and requests to ITU
for assistance (BDT-5, BDT-7), routed to the country's regional office and BDT."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cophub.accounts.models import Organisation
from cophub.reference.models import Clause, Country, Region

from .assessments import Assessment
from .frameworks import Item


class ActionPlan(models.Model):
    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="plan", verbose_name=_("assessment")
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DELAYED = "delayed", _("Delayed")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300, verbose_name=_("title"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    gap_item = models.ForeignKey(
        Item,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gap"),
    )
    items = models.ManyToManyField(
        Item, blank=True, related_name="actions", verbose_name=_("framework items")
    )
    clauses = models.ManyToManyField(
        Clause, blank=True, related_name="+", verbose_name=_("Resolution 67 clauses")
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner organisation"),
    )
    partners = models.JSONField(default=list, blank=True, verbose_name=_("partners"))
    starts_on = models.DateField(null=True, blank=True, verbose_name=_("start"))
    ends_on = models.DateField(null=True, blank=True, verbose_name=_("end"))
    budget_line = models.CharField(max_length=200, blank=True, verbose_name=_("budget line"))
    budget_amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, verbose_name=_("budget")
    )
    currency = models.CharField(max_length=3, blank=True, verbose_name=_("currency"))
    target_maturity = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("target maturity")
    )
    indicators = models.TextField(blank=True, verbose_name=_("indicators"))
    status = models.CharField(
        max_length=12, choices=Status, default=Status.PLANNED, verbose_name=_("status")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionUpdate(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(verbose_name=_("date"))
    text = models.TextField(verbose_name=_("progress"))
    status = models.CharField(max_length=12, choices=Action.Status, verbose_name=_("status"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.action_id} {self.on}"


class AssistanceRequest(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("ITU-D region")
    )
    assessment = models.ForeignKey(
        Assessment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assistance_requests",
        verbose_name=_("assessment"),
    )
    items = models.ManyToManyField(Item, blank=True, related_name="+", verbose_name=_("gaps"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    description = models.TextField(verbose_name=_("support needed"))
    status = models.CharField(
        max_length=12, choices=Status, default=Status.SUBMITTED, verbose_name=_("status")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("requested at"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))

    class Meta:
        verbose_name = _("assistance request")
        verbose_name_plural = _("assistance requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class AssistanceNote(models.Model):
    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="notes")
    on = models.DateField(verbose_name=_("date"))
    text = models.TextField(verbose_name=_("note"))
    status = models.CharField(
        max_length=12, choices=AssistanceRequest.Status, blank=True, verbose_name=_("new status")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assistance note")
        verbose_name_plural = _("assistance notes")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.on}"
