"""Bodies (CWG-COP, its expert groups, ITU-D study groups…), their meetings and who
registers for them. The deadline rule sets of the bodies are in ``deadline_models.py``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cophub.accounts.models import Organisation
from cophub.reference.models import Country, Region, localized

from ..deadline_models import DeadlineRuleSet


class Body(models.Model):
    """A body that meets or receives documents: CWG-COP, ITU-D SG2 and its Q3/2 rapporteur
    group, Council, WTDC, regional offices, expert groups."""

    class Kind(models.TextChoices):
        COUNCIL_WORKING_GROUP = "council_working_group", _("Council working group")
        STUDY_GROUP = "study_group", _("Study group")
        RAPPORTEUR_GROUP = "rapporteur_group", _("Rapporteur group")
        COUNCIL = "council", _("Council")
        CONFERENCE = "conference", _("Conference")
        REGIONAL_OFFICE = "regional_office", _("Regional office")
        EXPERT_GROUP = "expert_group", _("Expert group")

    code = models.SlugField(max_length=30, primary_key=True, verbose_name=_("code"))
    kind = models.CharField(max_length=30, choices=Kind, verbose_name=_("kind"))
    names = models.JSONField(verbose_name=_("names"), help_text=_("By language code."))
    document_prefix = models.CharField(
        max_length=30, verbose_name=_("document prefix"), help_text=_("For example CWG-COP.")
    )
    document_pattern = models.CharField(
        max_length=80,
        default="{prefix}-{meeting}/{seq}{rev}-{lang}",
        verbose_name=_("document number pattern"),
        help_text=_("Fields: {prefix}, {meeting}, {seq}, {rev}, {lang}."),
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("ITU-D region")
    )
    rule_set = models.ForeignKey(
        DeadlineRuleSet,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies",
        verbose_name=_("deadline rules"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names)


class Meeting(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        REMOTE = "remote", _("Remote")
        HYBRID = "hybrid", _("In person and remote")

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("body")
    )
    ordinal = models.PositiveSmallIntegerField(verbose_name=_("number"))
    starts_on = models.DateField(verbose_name=_("first day"))
    ends_on = models.DateField(verbose_name=_("last day"))
    mode = models.CharField(max_length=20, choices=Mode, verbose_name=_("format"))
    venue = models.CharField(max_length=200, blank=True, verbose_name=_("venue"))
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("chair"),
    )
    vice_chairs = models.JSONField(default=list, blank=True, verbose_name=_("vice-chairs"))
    agenda = models.TextField(blank=True, verbose_name=_("agenda"))
    outcome = models.TextField(blank=True, verbose_name=_("outcome"))
    registration_closes_on = models.DateField(verbose_name=_("registration closes on"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["body", "ordinal"], name="unique_meeting_ordinal"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.document_prefix} {self.ordinal}"


class Registration(models.Model):
    class Category(models.TextChoices):
        MEMBER_STATE = "member_state", _("Member State")
        SECTOR_MEMBER = "sector_member", _("Sector Member")
        ACADEMIA = "academia", _("Academia")
        EXPERT = "expert", _("External stakeholder or expert")

    class Attendance(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        REMOTE = "remote", _("Remote")

    class Fellowship(models.TextChoices):
        NONE = "none", _("Not requested")
        REQUESTED = "requested", _("Requested")
        GRANTED = "granted", _("Granted")
        REFUSED = "refused", _("Refused")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("meeting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    category = models.CharField(max_length=20, choices=Category, verbose_name=_("category"))
    attendance = models.CharField(max_length=20, choices=Attendance, verbose_name=_("attendance"))
    fellowship = models.CharField(
        max_length=20, choices=Fellowship, default=Fellowship.NONE, verbose_name=_("fellowship")
    )
    fellowship_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("fellowship decided by"),
    )
    attended = models.BooleanField(null=True, blank=True, verbose_name=_("attended"))
    registered_at = models.DateTimeField(auto_now_add=True, verbose_name=_("registered at"))

    class Meta:
        ordering = ["registered_at"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="unique_registration")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.user_id}"
