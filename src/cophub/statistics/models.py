"""COP statistics on the platform: datasets and their workflow, the private results of their
checks, releases and the public observations they publish, and each dataset's privacy ledger.

Microdata never live in the database: an encrypted file in the default storage holds them
(:mod:`cophub.statistics.encryption`), named by :class:`Microdata`. Public pages and the API
read only :class:`Observation` rows, which are copied from the disclosure-controlled
:class:`Estimate` rows of a dataset when it is published."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cophub.accounts.models import Organisation
from cophub.reference.models import Country

LICENCE = "CC-BY-4.0"


class Dataset(models.Model):
    """One submission of a country's statistics for a year: survey microdata, an aggregate
    table, or a helpline's quarterly contact counts."""

    class Kind(models.TextChoices):
        SURVEY = "survey", _("Survey microdata")
        AGGREGATE = "aggregate", _("Aggregate table")
        HELPLINE = "helpline", _("Helpline contact data")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Check(models.TextChoices):
        NONE = "none", _("Nothing uploaded yet")
        PENDING = "pending", _("Being checked")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        # The check did not finish (an unexpected error, or its worker stopped): nothing of it
        # was written, the file is kept, and the check can be retried.
        ERROR = "error", _("Check failed — retry")

    class Disclosure(models.TextChoices):
        DHS = "dhs", _("DHS: fewer than 25 cases suppressed, 25–49 flagged")
        NCHS = "nchs", _("NCHS 2017 proportion standard")
        MIN_N_10 = "min-n:10", _("Fewer than 10 cases suppressed")
        MIN_N_5 = "min-n:5", _("Fewer than 5 cases suppressed")
        DP = "dp", _("Differential privacy (tier 1 proportions)")

    class Ci(models.TextChoices):
        LOGIT = "logit", _("Logit")
        KORN_GRAUBARD = "korn-graubard", _("Korn–Graubard")

    kind = models.CharField(max_length=10, choices=Kind, verbose_name=_("kind"))
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="statistics_datasets",
        verbose_name=_("country"),
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("reference year"))
    title = models.CharField(max_length=200, verbose_name=_("title"))
    source = models.CharField(max_length=300, blank=True, verbose_name=_("source"))
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statistics_datasets",
        verbose_name=_("organisation"),
    )
    helpline = models.ForeignKey(
        "helplines.Helpline",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statistics_datasets",
        verbose_name=_("helpline"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    status = models.CharField(
        max_length=10, choices=Status, default=Status.DRAFT, verbose_name=_("status")
    )
    check_status = models.CharField(
        max_length=10, choices=Check, default=Check.NONE, verbose_name=_("check")
    )
    # Bumped by every upload and mapping change, so a check that finishes late for an older
    # upload does not overwrite the newer one's result.
    check_generation = models.PositiveIntegerField(default=0, verbose_name=_("check generation"))
    check_report = models.JSONField(default=dict, blank=True, verbose_name=_("check report"))
    checked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("checked at"))
    mapping = models.JSONField(null=True, blank=True, verbose_name=_("variable mapping"))
    framework_version = models.CharField(
        max_length=20, blank=True, verbose_name=_("framework version")
    )
    disclosure = models.CharField(
        max_length=10, choices=Disclosure, default=Disclosure.DHS, verbose_name=_("disclosure rule")
    )
    ci = models.CharField(
        max_length=15, choices=Ci, default=Ci.LOGIT, verbose_name=_("confidence intervals")
    )
    dp_epsilon = models.FloatField(null=True, blank=True, verbose_name=_("ε per release"))
    dp_weight_cap = models.FloatField(null=True, blank=True, verbose_name=_("weight cap"))
    dp_budget = models.FloatField(null=True, blank=True, verbose_name=_("ε budget"))
    keep_microdata = models.BooleanField(
        default=False, verbose_name=_("keep the microdata after publication")
    )
    synthetic = models.BooleanField(default=False, verbose_name=_("synthetic demonstration data"))
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("approved at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    replaces = models.ForeignKey(
        "Release",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replacements",
        verbose_name=_("replaces release"),
    )

    class Meta:
        verbose_name = _("statistics dataset")
        verbose_name_plural = _("statistics datasets")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.country_id} {self.year} {self.title}"


class DatasetGrant(models.Model):
    """A statistics-office user named by the focal point to work on one dataset."""

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="grants", verbose_name=_("dataset")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="statistics_grants",
        verbose_name=_("user"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(auto_now_add=True, verbose_name=_("granted at"))

    class Meta:
        verbose_name = _("dataset grant")
        verbose_name_plural = _("dataset grants")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "user"], name="unique_dataset_grant")
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id}: {self.user_id}"


class DatasetEvent(models.Model):
    """One step of a dataset's history; nothing is ever removed from it."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        MAPPING_SET = "mapping_set", _("Variable mapping saved")
        UPLOADED = "uploaded", _("File uploaded")
        CHECK_PASSED = "check_passed", _("Check passed")
        CHECK_FAILED = "check_failed", _("Check failed")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved by the focal point")
        REVIEWED = "reviewed", _("Reviewed by BDT staff")
        RETURNED = "returned", _("Returned for changes")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        GRANTED = "granted", _("Access granted")
        GRANT_REVOKED = "grant_revoked", _("Access revoked")
        MICRODATA_DELETED = "microdata_deleted", _("Microdata deleted")
        PRIVACY_SPENT = "privacy_spent", _("Privacy budget spent")
        CHECK_INTERRUPTED = "check_interrupted", _("Check did not finish")
        CHECK_RETRIED = "check_retried", _("Check retried")

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="events", verbose_name=_("dataset")
    )
    action = models.CharField(max_length=20, choices=Action, verbose_name=_("action"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("at"))
    comment = models.TextField(blank=True, verbose_name=_("comment"))
    status_after = models.CharField(
        max_length=10, choices=Dataset.Status, verbose_name=_("status after")
    )

    class Meta:
        verbose_name = _("dataset event")
        verbose_name_plural = _("dataset events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.dataset_id}: {self.action}"


class Microdata(models.Model):
    """The encrypted survey file of a dataset (Fernet, see ``encryption.py``). Only its name
    in the storage is kept here; the bytes are never in the database or in any response."""

    dataset = models.OneToOneField(
        Dataset, on_delete=models.CASCADE, related_name="microdata", verbose_name=_("dataset")
    )
    storage_name = models.CharField(max_length=200, verbose_name=_("storage name"))
    original_name = models.CharField(max_length=200, verbose_name=_("file name"))
    extension = models.CharField(max_length=10, verbose_name=_("file type"))
    size = models.PositiveBigIntegerField(verbose_name=_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("uploaded at"))

    class Meta:
        verbose_name = _("microdata file")
        verbose_name_plural = _("microdata files")

    def __str__(self) -> str:
        return self.original_name


class Estimate(models.Model):
    """One disclosure-controlled cell computed for a dataset: private to its owners and BDT
    staff until the dataset is published."""

    class Method(models.TextChoices):
        DESIGN = "design", _("Design-based survey estimate")
        PRIVATE = "dp", _("Differentially private estimate")
        AGGREGATE = "aggregate", _("Survey estimate submitted as an aggregate")
        ADMINISTRATIVE = "administrative", _("Administrative value")
        COUNT = "count", _("Count")

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="estimates", verbose_name=_("dataset")
    )
    indicator = models.CharField(max_length=40, verbose_name=_("indicator"))
    statistic = models.CharField(max_length=20, verbose_name=_("statistic"))
    measure = models.CharField(max_length=20, blank=True, verbose_name=_("measure"))
    breakdown = models.CharField(max_length=40, verbose_name=_("breakdown"))
    breakdown_value = models.CharField(max_length=80, verbose_name=_("breakdown value"))
    estimate = models.FloatField(null=True, verbose_name=_("estimate"))
    se = models.FloatField(null=True, verbose_name=_("standard error"))
    ci_low = models.FloatField(null=True, verbose_name=_("lower confidence limit"))
    ci_high = models.FloatField(null=True, verbose_name=_("upper confidence limit"))
    deff = models.FloatField(null=True, verbose_name=_("design effect"))
    df = models.IntegerField(null=True, verbose_name=_("degrees of freedom"))
    n = models.IntegerField(null=True, verbose_name=_("unweighted n"))
    suppressed = models.BooleanField(default=False, verbose_name=_("suppressed"))
    flag = models.CharField(max_length=80, blank=True, verbose_name=_("disclosure flag"))
    comparability = models.CharField(max_length=300, blank=True, verbose_name=_("comparability"))
    age_min = models.PositiveSmallIntegerField(null=True, verbose_name=_("youngest age"))
    age_max = models.PositiveSmallIntegerField(null=True, verbose_name=_("oldest age"))
    method = models.CharField(max_length=15, choices=Method, verbose_name=_("method"))

    class Meta:
        verbose_name = _("estimate")
        verbose_name_plural = _("estimates")
        ordering = ["pk"]
        indexes = [models.Index(fields=["dataset", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.breakdown}={self.breakdown_value}"


class Release(models.Model):
    """A published dataset. Withdrawing keeps it (and its observations) for the history."""

    dataset = models.OneToOneField(
        Dataset, on_delete=models.PROTECT, related_name="release", verbose_name=_("dataset")
    )
    code = models.CharField(max_length=40, unique=True, verbose_name=_("release id"))
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="statistics_releases",
        verbose_name=_("country"),
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("reference year"))
    kind = models.CharField(max_length=10, choices=Dataset.Kind, verbose_name=_("kind"))
    source = models.CharField(max_length=300, verbose_name=_("source"))
    licence = models.CharField(max_length=40, default=LICENCE, verbose_name=_("licence"))
    method_note = models.CharField(max_length=200, blank=True, verbose_name=_("method"))
    # How the standard errors were computed (see statistics.designs.variance_text).
    variance = models.JSONField(default=dict, blank=True, verbose_name=_("variance method"))
    synthetic = models.BooleanField(default=False, verbose_name=_("synthetic demonstration data"))
    published_at = models.DateTimeField(verbose_name=_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("withdrawn at"))
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(blank=True, verbose_name=_("reason for withdrawal"))
    replaced_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("replaced by"),
    )

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ["-published_at", "-pk"]
        # The releases list's keyset order; country pages' filter (decision 0042).
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="release_published_order"),
            models.Index(fields=["country", "year"], name="release_country_year"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def variance_text(self) -> str:
        """The variance method in words (empty for releases without design-based SEs)."""
        from .designs import variance_text

        return variance_text(self.variance)


class Observation(models.Model):
    """A public, disclosure-controlled cell of a release. ``current`` is false once the
    release is withdrawn (the row stays for the history)."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="observations", verbose_name=_("release")
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="statistics_observations",
        verbose_name=_("country"),
    )
    year = models.PositiveSmallIntegerField(verbose_name=_("reference year"))
    indicator = models.CharField(max_length=40, verbose_name=_("indicator"))
    statistic = models.CharField(max_length=20, verbose_name=_("statistic"))
    measure = models.CharField(max_length=20, blank=True, verbose_name=_("measure"))
    breakdown = models.CharField(max_length=40, verbose_name=_("breakdown"))
    breakdown_value = models.CharField(max_length=80, verbose_name=_("breakdown value"))
    estimate = models.FloatField(null=True, verbose_name=_("estimate"))
    se = models.FloatField(null=True, verbose_name=_("standard error"))
    ci_low = models.FloatField(null=True, verbose_name=_("lower confidence limit"))
    ci_high = models.FloatField(null=True, verbose_name=_("upper confidence limit"))
    n = models.IntegerField(null=True, verbose_name=_("unweighted n"))
    suppressed = models.BooleanField(default=False, verbose_name=_("suppressed"))
    flag = models.CharField(max_length=80, blank=True, verbose_name=_("disclosure flag"))
    comparability = models.CharField(max_length=300, blank=True, verbose_name=_("comparability"))
    age_min = models.PositiveSmallIntegerField(null=True, verbose_name=_("youngest age"))
    age_max = models.PositiveSmallIntegerField(null=True, verbose_name=_("oldest age"))
    method = models.CharField(max_length=15, choices=Estimate.Method, verbose_name=_("method"))
    current = models.BooleanField(default=True, verbose_name=_("current"))

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["indicator", "breakdown", "current"]),
            models.Index(fields=["country", "current"]),
            # The bulk downloads' order (``observations_query``), current rows only: they
            # stream in index order instead of after sorting every row (decision 0042).
            models.Index(
                fields=[
                    "country",
                    "indicator",
                    "measure",
                    "year",
                    "breakdown",
                    "breakdown_value",
                    "id",
                ],
                condition=models.Q(current=True),
                name="observation_download_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.year} {self.indicator} {self.breakdown_value}"


class ContactCount(models.Model):
    """One cell of a helpline's quarterly contact counts (aggregates only: no contact, no
    child, no message is ever recorded)."""

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="contact_counts", verbose_name=_("dataset")
    )
    quarter = models.PositiveSmallIntegerField(verbose_name=_("quarter"))
    reason = models.CharField(max_length=60, default="", verbose_name=_("reason for contact"))
    topic = models.CharField(max_length=40, verbose_name=_("topic"))
    channel = models.CharField(max_length=20, verbose_name=_("channel"))
    age_band = models.CharField(max_length=10, verbose_name=_("age band"))
    sex = models.CharField(max_length=10, verbose_name=_("sex"))
    contacts = models.PositiveIntegerField(verbose_name=_("contacts"))

    class Meta:
        verbose_name = _("contact count")
        verbose_name_plural = _("contact counts")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Q{self.quarter} {self.reason} {self.channel}: {self.contacts}"


class LedgerEntry(models.Model):
    """ε spent by one differentially private computation on a dataset (the dataset's privacy
    ledger; its budget is ``Dataset.dp_budget``)."""

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="ledger", verbose_name=_("dataset")
    )
    at = models.DateTimeField(verbose_name=_("at"))
    epsilon = models.FloatField(verbose_name=_("ε"))
    mechanism = models.CharField(max_length=20, verbose_name=_("mechanism"))
    weight_cap = models.FloatField(verbose_name=_("weight cap"))
    queries = models.PositiveIntegerField(verbose_name=_("queries"))
    sampler = models.CharField(max_length=40, verbose_name=_("noise sampler"))
    description = models.CharField(max_length=300, blank=True, verbose_name=_("description"))

    class Meta:
        verbose_name = _("privacy ledger entry")
        verbose_name_plural = _("privacy ledger entries")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.dataset_id}: ε={self.epsilon}"


# The reasons for contact and their versions live in their own module (re-exported here).
from .models_reasons import ContactReason as ContactReason  # noqa: E402
from .models_reasons import ContactReasonVersion as ContactReasonVersion  # noqa: E402
