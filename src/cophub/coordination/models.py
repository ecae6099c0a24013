"""CWG-COP coordination: bodies, meetings and who takes part, the document register and
liaison statements, partner initiatives, activities, consultations with children and young
people, the implementation view per clause, and reports (BDT-2, 4, 7–10, 12; MSSM-1). The
deadline rule sets are in ``deadline_models.py``, the reports in ``report_models.py``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cophub.accounts.models import Organisation
from cophub.reference.models import Clause, Country, Region, localized

from .deadline_models import DeadlineRuleSet
from .report_models import Report as Report  # defined there, registered with the app here


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
        from .numbering import document_number

        return document_number(self, language or self.original_language)


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


class Partner(models.Model):
    """Another COP initiative or organisation the COP Initiative works with (BDT-4)."""

    class Kind(models.TextChoices):
        INITIATIVE = "initiative", _("Initiative")
        ORGANISATION = "organisation", _("Organisation")

    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    kind = models.CharField(max_length=20, choices=Kind, verbose_name=_("kind"))
    url = models.URLField(blank=True, verbose_name=_("website"))
    description = models.TextField(blank=True, verbose_name=_("description"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("partner")
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    signed_on = models.DateField(verbose_name=_("signed on"))
    ends_on = models.DateField(null=True, blank=True, verbose_name=_("ends on"))

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    """Work recorded by BDT or a regional office, with the clauses it serves."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        TRAINING = "training", _("Training")
        COUNTRY_ASSISTANCE = "country_assistance", _("Country assistance")
        CAMPAIGN = "campaign", _("Campaign")
        PUBLICATION = "publication", _("Publication")
        JOINT_ACTIVITY = "joint_activity", _("Joint activity with partners")

    kind = models.CharField(max_length=30, choices=Kind, verbose_name=_("kind"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    starts_on = models.DateField(verbose_name=_("first day"))
    ends_on = models.DateField(verbose_name=_("last day"))
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("ITU-D region")
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("countries")
    )
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="activities", verbose_name=_("partners")
    )
    clauses = models.ManyToManyField(
        Clause, related_name="+", verbose_name=_("Resolution 67 clauses")
    )
    participants = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("participants")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ClauseProgress(models.Model):
    """The secretariat's reading of one operative clause: status, progress and timeline."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        ON_TRACK = "on_track", _("On track")
        AT_RISK = "at_risk", _("At risk")
        DONE = "done", _("Done")

    clause = models.OneToOneField(
        Clause, on_delete=models.CASCADE, related_name="+", verbose_name=_("clause")
    )
    status = models.CharField(
        max_length=20, choices=Status, default=Status.NOT_STARTED, verbose_name=_("status")
    )
    progress = models.PositiveSmallIntegerField(default=0, verbose_name=_("progress (%)"))
    timeline = models.CharField(max_length=200, blank=True, verbose_name=_("timeline"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("clause progress")
        verbose_name_plural = _("clause progress")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="clause_progress_percent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.clause_id}: {self.status}"


class YouthConsultation(models.Model):
    """An online consultation with children and young people between meetings."""

    title = models.CharField(max_length=200, verbose_name=_("title"))
    question = models.TextField(verbose_name=_("question"))
    opens_on = models.DateField(verbose_name=_("opens on"))
    closes_on = models.DateField(verbose_name=_("closes on"))
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("reported to meeting"),
    )
    summary = models.TextField(blank=True, verbose_name=_("summary for the meeting"))

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("youth consultation")
        verbose_name_plural = _("youth consultations")

    def __str__(self) -> str:
        return self.title


class YouthSubmission(models.Model):
    """An anonymous answer: no name, account, address or IP; text that looks like contact
    details is held for a moderator and never shown."""

    class AgeBand(models.TextChoices):
        UNDER_13 = "under_13", _("Under 13")
        FROM_13_TO_15 = "13_15", _("13 to 15")
        FROM_16_TO_17 = "16_17", _("16 to 17")
        FROM_18_TO_24 = "18_24", _("18 to 24")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        ACCEPTED = "accepted", _("Accepted")
        HIDDEN = "hidden", _("Hidden")

    consultation = models.ForeignKey(
        YouthConsultation,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("consultation"),
    )
    text = models.TextField(verbose_name=_("text"))
    age_band = models.CharField(max_length=10, choices=AgeBand, verbose_name=_("age"))
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("ITU-D region")
    )
    status = models.CharField(
        max_length=10, choices=Status, default=Status.PENDING, verbose_name=_("status")
    )
    flagged = models.BooleanField(default=False, verbose_name=_("contains contact details"))
    submitted_on = models.DateField(verbose_name=_("submitted on"))

    class Meta:
        verbose_name = _("youth submission")
        verbose_name_plural = _("youth submissions")

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.pk}"
