"""A country's self-assessment for a year: who answers which section, the answers with their
evidence, the consultation with children, the stakeholder map and the country profile."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cophub.accounts.models import Organisation
from cophub.reference.models import Country

from .frameworks import Framework, Item, Section


class Confidentiality(models.TextChoices):
    """Who may see a validated, published assessment (see docs/decisions/0008)."""

    PRIVATE = "private", _("Private to the country")
    SHARED_BDT = "shared_bdt", _("Shared with BDT and its regional office")
    AGGREGATED = "aggregated", _("Counted in aggregated regional statistics")
    PUBLIC = "public", _("Public")


class Assessment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open for answers")
        SUBMITTED = "submitted", _("Submitted")

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("country")
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("year"))
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("framework")
    )
    status = models.CharField(
        max_length=10, choices=Status, default=Status.OPEN, verbose_name=_("status")
    )
    confidentiality = models.CharField(
        max_length=12,
        choices=Confidentiality,
        default=Confidentiality.PRIVATE,
        verbose_name=_("confidentiality"),
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_assessments",
        verbose_name=_("started from"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reopened_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reopened at"))

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["country_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "year", "framework"], name="unique_assessment_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.year}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Assignment(models.Model):
    """A section given to a co-respondent: a grant on this assessment only, not a global role."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assignments")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="strategy_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("section assignment")
        verbose_name_plural = _("section assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "section", "user"], name="unique_section_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.section.key} → {self.user_id}"


class Answer(models.Model):
    class Choice(models.TextChoices):
        YES = "yes", _("Yes")
        PARTIAL = "partial", _("Partial (advanced draft)")
        NO = "no", _("No")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    choice = models.CharField(max_length=10, choices=Choice, blank=True, verbose_name=_("answer"))
    maturity = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("maturity"))
    number = models.DecimalField(
        max_digits=18, decimal_places=4, null=True, blank=True, verbose_name=_("number")
    )
    text = models.TextField(blank=True, verbose_name=_("text"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(verbose_name=_("answered at"))
    carried_over = models.BooleanField(default=False, verbose_name=_("carried over"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="unique_answer_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.item.key}"


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    # A random name: the original file name may carry personal data; it is kept in the row.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"strategies/evidence/{instance.assessment_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A document (uploaded file) or a link supporting the answer to one item."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300, verbose_name=_("title"))
    file = models.FileField(
        upload_to=evidence_upload_to, max_length=200, blank=True, verbose_name=_("file")
    )
    file_name = models.CharField(max_length=200, blank=True, verbose_name=_("file name"))
    url = models.URLField(max_length=500, blank=True, verbose_name=_("link"))
    issuing_body = models.CharField(max_length=200, verbose_name=_("issuing body"))
    issued_on = models.DateField(verbose_name=_("date"))
    language = models.CharField(max_length=8, verbose_name=_("language"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    carried_over = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["item_id", "issued_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(file="") | ~models.Q(url=""), name="evidence_file_or_url"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Consultation(models.Model):
    """How children and young people were consulted. Counts only: no child is named."""

    class Method(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop or meeting")
        FOCUS_GROUP = "focus_group", _("Focus groups")
        SURVEY = "survey", _("Survey")
        ONLINE = "online", _("Online consultation")
        YOUTH_COUNCIL = "youth_council", _("Youth council or parliament")
        OTHER = "other", _("Other")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="consultations"
    )
    held_on = models.DateField(verbose_name=_("date"))
    method = models.CharField(max_length=20, choices=Method, verbose_name=_("method"))
    participants = models.PositiveIntegerField(verbose_name=_("number of participants"))
    age_min = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("youngest"))
    age_max = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("oldest"))
    inclusion = models.TextField(blank=True, verbose_name=_("inclusion"))
    summary = models.TextField(verbose_name=_("what children and young people said"))
    influence = models.TextField(blank=True, verbose_name=_("how it informed the assessment"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consultation with children")
        verbose_name_plural = _("consultations with children")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.assessment} {self.held_on}"


class Stakeholder(models.Model):
    class Sector(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        REGULATOR = "regulator", _("Regulator")
        LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement and justice")
        CHILD_PROTECTION = "child_protection", _("Child protection and social services")
        EDUCATION = "education", _("Education")
        HEALTH = "health", _("Health")
        INDUSTRY = "industry", _("Industry")
        NGO = "ngo", _("Civil society and NGOs")
        CHILD_HELPLINE = "child_helpline", _("Child helpline")
        ACADEMIA = "academia", _("Academia")
        CHILDREN_YOUTH = "children_youth", _("Children and youth organisations")
        INTERNATIONAL = "international", _("International organisations")
        OTHER = "other", _("Other")

    class Involvement(models.TextChoices):
        LEAD = "lead", _("Leads")
        RESPONDENT = "respondent", _("Answers sections")
        CONSULTED = "consulted", _("Consulted")
        INFORMED = "informed", _("Kept informed")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="stakeholders"
    )
    name = models.CharField(max_length=200, verbose_name=_("name"))
    sector = models.CharField(max_length=20, choices=Sector, verbose_name=_("sector"))
    involvement = models.CharField(
        max_length=12, choices=Involvement, verbose_name=_("involvement")
    )
    role = models.CharField(
        max_length=300, blank=True, verbose_name=_("role in child online protection")
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")
        ordering = ["sector", "name"]

    def __str__(self) -> str:
        return self.name


class CountryProfile(models.Model):
    """The profile drafted from the answers. ``validated_content`` is the snapshot the focal
    point validated; ``published_content`` is what others see, per the confidentiality."""

    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="profile")
    summary = models.TextField(blank=True, verbose_name=_("summary"))
    validated_content = models.JSONField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_content = models.JSONField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("country profile")
        verbose_name_plural = _("country profiles")

    def __str__(self) -> str:
        return str(self.assessment)

    @property
    def status(self) -> str:
        # validated_at is set and cleared with validated_content (profile_validate, and the
        # reopening of an assessment); reading it keeps lists off the whole snapshot.
        if self.validated_at is None:
            return "draft"
        if self.published_at is None or (
            self.validated_at is not None and self.published_at < self.validated_at
        ):
            return "validated"
        return "published"
