"""The helpline directory, its topics, the registry of COP numbers, and anonymous reach counts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from copcore.helplines.model import Channel, Kind
from cophub.accounts.models import Organisation
from cophub.reference.models import Country, NamedInLanguages, Region


class Topic(NamedInLanguages):
    """A topic of the taxonomy (kept as data: ``data/topics.json``)."""

    code = models.SlugField(primary_key=True, verbose_name=_("code"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("parent")
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["code"]


class Helpline(NamedInLanguages):
    class SourceType(models.TextChoices):
        OPERATOR_WEBSITE = "operator_website", _("Operator's website")
        REGULATOR_DECISION = "regulator_decision", _("Regulator's decision")
        ITU_OPERATIONAL_BULLETIN = "itu_operational_bulletin", _("ITU Operational Bulletin")
        CHI_DIRECTORY = "chi_directory", _("Child Helpline International directory")
        GOVERNMENT_WEBSITE = "government_website", _("Government website")
        MEMBER_STATE_SUBMISSION = "member_state_submission", _("Member State submission")
        OTHER = "other", _("Other")

    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("identifier"))
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="helplines", verbose_name=_("country")
    )
    subdivisions = models.JSONField(default=list, blank=True, verbose_name=_("subdivisions"))
    kind = models.CharField(
        max_length=20, choices=[(k.value, k.value) for k in Kind], verbose_name=_("kind")
    )
    topics = models.ManyToManyField(Topic, blank=True, verbose_name=_("topics"))
    age_min = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("minimum age"))
    age_max = models.PositiveSmallIntegerField(null=True, blank=True, verbose_name=_("maximum age"))
    languages = models.JSONField(default=list, blank=True, verbose_name=_("languages"))
    timezone = models.CharField(max_length=64, verbose_name=_("time zone"))
    operator_name = models.CharField(max_length=200, blank=True, verbose_name=_("operator"))
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="helplines",
        verbose_name=_("operator organisation"),
    )
    chi_member = models.BooleanField(
        null=True, blank=True, verbose_name=_("Child Helpline International member")
    )
    # Services shown together or not at all in one-answer mode (e.g. one for children, one
    # for their parents); symmetric, see copcore.helplines.best.
    paired_with = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("paired with")
    )
    website = models.URLField(blank=True, verbose_name=_("website"))
    source_url = models.URLField(max_length=500, verbose_name=_("source URL"))
    source_type = models.CharField(max_length=30, choices=SourceType, verbose_name=_("source type"))
    source_note = models.CharField(max_length=500, blank=True, verbose_name=_("source note"))
    verified_at = models.DateField(null=True, blank=True, verbose_name=_("verified on"))
    # Who confirmed the entry last (the operator's contact who answered a campaign, or the BDT
    # staff member); never published. ``verification_checks``: what was checked, by check code
    # (``cophub.helplines.verification.score.CHECKS``), with the day it was checked.
    verified_by = models.CharField(max_length=200, blank=True, verbose_name=_("verified by"))
    verification_checks = models.JSONField(
        default=dict, blank=True, verbose_name=_("verification checks")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("helpline")
        verbose_name_plural = _("helplines")
        ordering = ["country_id", "slug"]
        # The directory's keyset order (API and export), which also serves the country filter.
        indexes = [models.Index(fields=["country", "slug"], name="helpline_country_slug")]


class Contact(models.Model):
    helpline = models.ForeignKey(
        Helpline, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("helpline")
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    channel = models.CharField(
        max_length=10, choices=[(c.value, c.value) for c in Channel], verbose_name=_("channel")
    )
    value = models.CharField(max_length=300, verbose_name=_("number or address"))
    free = models.BooleanField(null=True, blank=True, verbose_name=_("free of charge"))
    hours = models.JSONField(null=True, blank=True, verbose_name=_("hours"))
    closed_on = models.JSONField(default=list, blank=True, verbose_name=_("closed on"))

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["helpline", "position"]

    def __str__(self) -> str:
        return f"{self.channel}: {self.value}"


class CopNumber(models.Model):
    """A number allocated for child online protection in a country (MS-3)."""

    class Purpose(models.TextChoices):
        CHILD_HELPLINE = "child_helpline", _("Child helpline")
        MISSING_CHILDREN = "missing_children", _("Missing children")
        EMOTIONAL_SUPPORT = "emotional_support", _("Emotional support")
        VICTIMS_OF_CRIME = "victims_of_crime", _("Victims of crime")
        CSAM_HOTLINE = "csam_hotline", _("Hotline for child sexual abuse material")
        OTHER = "other", _("Other")

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="cop_numbers", verbose_name=_("country")
    )
    number = models.CharField(max_length=15, verbose_name=_("number"))
    purpose = models.CharField(max_length=20, choices=Purpose, verbose_name=_("purpose"))
    harmonised = models.CharField(max_length=15, blank=True, verbose_name=_("harmonised range"))

    class Meta:
        verbose_name = _("COP number")
        verbose_name_plural = _("COP numbers")
        ordering = ["country_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["country", "number"], name="unique_cop_number")
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.number}"


class NumberStatus(models.Model):
    """One dated step of a number's life: reserved → made available → assigned → operational
    (or suspended / withdrawn), each with its provenance."""

    class Status(models.TextChoices):
        RESERVED = "reserved", _("Reserved")
        MADE_AVAILABLE = "made_available", _("Made available")
        ASSIGNED = "assigned", _("Assigned")
        OPERATIONAL = "operational", _("Operational")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class SourceType(models.TextChoices):
        REGULATOR_DECISION = "regulator_decision", _("Regulator's decision")
        ITU_OPERATIONAL_BULLETIN = "itu_operational_bulletin", _("ITU Operational Bulletin")
        EUROPEAN_COMMISSION = "european_commission", _("European Commission")
        CHI_LIST = "chi_list", _("Child Helpline International list")
        MEMBER_STATE_SUBMISSION = "member_state_submission", _("Member State submission")
        OPERATOR_WEBSITE = "operator_website", _("Operator's website")
        OTHER = "other", _("Other")

    number = models.ForeignKey(
        CopNumber, on_delete=models.CASCADE, related_name="history", verbose_name=_("number")
    )
    status = models.CharField(max_length=20, choices=Status, verbose_name=_("status"))
    date = models.CharField(max_length=10, verbose_name=_("date"))  # YYYY, YYYY-MM or YYYY-MM-DD
    authority = models.CharField(max_length=200, blank=True, verbose_name=_("authority"))
    decision_ref = models.CharField(max_length=200, blank=True, verbose_name=_("decision"))
    provider = models.ForeignKey(
        Helpline,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="number_statuses",
        verbose_name=_("provider"),
    )
    source_url = models.URLField(max_length=500, verbose_name=_("source URL"))
    source_type = models.CharField(max_length=30, choices=SourceType, verbose_name=_("source type"))
    source_note = models.CharField(max_length=500, blank=True, verbose_name=_("source note"))

    class Meta:
        verbose_name = _("number status")
        verbose_name_plural = _("number statuses")
        ordering = ["number", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.status} {self.date}"


class ReachCount(models.Model):
    """Anonymous reach: how often answers were shown or buttons used, and how often an SMS was
    not sent because a sending limit was reached, per country, channel and day. No identifier
    of any kind; ``country`` is ``ZZ`` when the number gave none."""

    class Event(models.TextChoices):
        ANSWER_SHOWN = "answer_shown", _("Answer shown")
        CONTACT_USED = "contact_used", _("Contact used")
        SMS_REFUSED = "sms_refused", _("SMS not sent (limit reached)")

    day = models.DateField(verbose_name=_("day"))
    country = models.CharField(max_length=2, verbose_name=_("country"))
    channel = models.CharField(max_length=20, verbose_name=_("channel"))
    event = models.CharField(max_length=20, choices=Event, verbose_name=_("event"))
    count = models.PositiveBigIntegerField(default=0, verbose_name=_("count"))

    class Meta:
        verbose_name = _("reach count")
        verbose_name_plural = _("reach counts")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "country", "channel", "event"], name="unique_reach_count"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.country} {self.channel} {self.event}: {self.count}"


class VerificationContact(models.Model):
    """Whom a verification campaign asks about an entry: an address kept only for this, never
    published (not in the API's directory, the open data or any public page)."""

    helpline = models.ForeignKey(
        Helpline,
        on_delete=models.CASCADE,
        related_name="verification_contacts",
        verbose_name=_("helpline"),
    )
    email = models.EmailField(verbose_name=_("e-mail address"))
    language = models.CharField(
        max_length=10, choices=settings.LANGUAGES, default="en", verbose_name=_("language")
    )

    class Meta:
        verbose_name = _("verification contact")
        verbose_name_plural = _("verification contacts")
        ordering = ["helpline", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["helpline", "email"], name="unique_verification_contact"
            )
        ]

    def __str__(self) -> str:
        return f"{self.helpline_id}: {self.email}"


class VerificationCampaign(models.Model):
    """BDT staff ask every verification contact of a region (or of all regions) to confirm
    their entry; ``region`` empty means every region."""

    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("region")
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(auto_now_add=True, verbose_name=_("started at"))
    remind_after_days = models.PositiveSmallIntegerField(
        default=14, verbose_name=_("reminder after (days)")
    )
    link_days = models.PositiveSmallIntegerField(
        default=30, verbose_name=_("links valid for (days)")
    )

    class Meta:
        verbose_name = _("verification campaign")
        verbose_name_plural = _("verification campaigns")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.pk} {self.region_id or 'all'}"


class VerificationRequest(models.Model):
    """One contact asked about one entry in one campaign. The link's secret is never stored:
    only the SHA-256 of its random part (``token_hash``), replaced on each reminder."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Not answered")
        CORRECT = "correct", _("All correct")
        CHANGED = "changed", _("Something changed")
        CLOSED = "closed", _("Answered by another contact")

    class Review(models.TextChoices):
        NONE = "", _("Nothing to review")
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    campaign = models.ForeignKey(
        VerificationCampaign,
        on_delete=models.CASCADE,
        related_name="requests",
        verbose_name=_("campaign"),
    )
    helpline = models.ForeignKey(
        Helpline,
        on_delete=models.CASCADE,
        related_name="verification_requests",
        verbose_name=_("helpline"),
    )
    email = models.EmailField(verbose_name=_("e-mail address"))
    language = models.CharField(max_length=10, default="en", verbose_name=_("language"))
    token_hash = models.CharField(max_length=64, blank=True, verbose_name=_("link fingerprint"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    reminded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reminded at"))
    answer = models.CharField(
        max_length=10, choices=Answer, default=Answer.PENDING, verbose_name=_("answer")
    )
    answered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("answered at"))
    answered_by = models.CharField(max_length=200, blank=True, verbose_name=_("answered by"))
    proposed = models.JSONField(null=True, blank=True, verbose_name=_("proposed entry"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    review = models.CharField(
        max_length=10, choices=Review, default=Review.NONE, blank=True, verbose_name=_("review")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    review_note = models.TextField(blank=True, verbose_name=_("review note"))

    class Meta:
        verbose_name = _("verification request")
        verbose_name_plural = _("verification requests")
        ordering = ["campaign", "helpline", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "helpline", "email"], name="unique_verification_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.helpline_id} {self.answer}"


class DirectoryVersion(models.Model):
    """Which version of a country's directory is current: a new token each time a helpline of
    the country, one of its contacts, topics or pairs changes (``*``: the topic taxonomy).
    Written in the transaction of the change, so a process that reads the new token reads the
    new data too; processes key their prepared answers on it (decision 0040)."""

    country = models.CharField(max_length=2, primary_key=True, verbose_name=_("country"))
    version = models.CharField(max_length=32, verbose_name=_("version"))

    class Meta:
        verbose_name = _("directory version")
        verbose_name_plural = _("directory versions")

    def __str__(self) -> str:
        return f"{self.country} {self.version}"
