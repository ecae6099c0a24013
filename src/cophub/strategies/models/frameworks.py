"""Assessment frameworks as versioned data: sections, items, the crosswalk between frameworks,
and the phases of the maturity scale. Loaded from ``data/`` (see ``framework_format``)."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cophub.reference.models import localized


class Framework(models.Model):
    key = models.SlugField(max_length=60, verbose_name=_("key"))
    version = models.CharField(max_length=20, verbose_name=_("version"))
    titles = models.JSONField(verbose_name=_("titles"))
    descriptions = models.JSONField(default=dict, blank=True, verbose_name=_("descriptions"))
    translation_notes = models.JSONField(
        default=dict, blank=True, verbose_name=_("translation notes")
    )
    source = models.JSONField(verbose_name=_("source"))
    official_languages = models.JSONField(default=list, verbose_name=_("official languages"))
    document = models.JSONField(verbose_name=_("document"))
    loaded_at = models.DateTimeField(auto_now=True, verbose_name=_("loaded at"))

    class Meta:
        verbose_name = _("assessment framework")
        verbose_name_plural = _("assessment frameworks")
        ordering = ["key", "version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="unique_framework_version")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.version}"

    @property
    def title(self) -> str:
        return localized(self.titles)

    @property
    def description(self) -> str:
        return localized(self.descriptions) if self.descriptions else ""

    @property
    def translation_note(self) -> str:
        return localized(self.translation_notes) if self.translation_notes else ""

    def is_official(self, language: str | None = None) -> bool:
        return (language or get_language() or "en") in self.official_languages


class Section(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="sections", verbose_name=_("framework")
    )
    key = models.SlugField(max_length=60, verbose_name=_("key"))
    position = models.PositiveSmallIntegerField(verbose_name=_("position"))
    titles = models.JSONField(verbose_name=_("titles"))

    class Meta:
        verbose_name = _("framework section")
        verbose_name_plural = _("framework sections")
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="unique_section_key")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.titles)


class Item(models.Model):
    class Kind(models.TextChoices):
        YES_NO_PARTIAL = "yes_no_partial", _("Yes / No / Partial")
        MATURITY = "maturity", _("Maturity phase")
        NUMERIC = "numeric", _("Number")
        TEXT = "text", _("Free text")

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="items", verbose_name=_("framework")
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="items", verbose_name=_("section")
    )
    key = models.CharField(max_length=100, verbose_name=_("key"))
    ref = models.CharField(max_length=10, blank=True, verbose_name=_("reference number"))
    position = models.PositiveSmallIntegerField(verbose_name=_("position"))
    kind = models.CharField(max_length=20, choices=Kind, verbose_name=_("kind"))
    texts = models.JSONField(verbose_name=_("texts"))
    helps = models.JSONField(default=dict, blank=True, verbose_name=_("help texts"))
    required = models.BooleanField(default=True, verbose_name=_("required"))
    minimum = models.DecimalField(
        max_digits=18, decimal_places=4, null=True, blank=True, verbose_name=_("minimum")
    )
    maximum = models.DecimalField(
        max_digits=18, decimal_places=4, null=True, blank=True, verbose_name=_("maximum")
    )
    integer = models.BooleanField(default=False, verbose_name=_("whole numbers only"))
    unit = models.CharField(max_length=20, blank=True, verbose_name=_("unit"))
    indicator = models.CharField(max_length=60, blank=True, verbose_name=_("national indicator"))
    clause_ids = models.JSONField(default=list, blank=True, verbose_name=_("Resolution 67 clauses"))

    class Meta:
        verbose_name = _("framework item")
        verbose_name_plural = _("framework items")
        ordering = ["framework", "section__position", "position"]
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="unique_item_key")]

    def __str__(self) -> str:
        return self.key

    @property
    def text(self) -> str:
        return localized(self.texts)

    @property
    def help(self) -> str:
        return localized(self.helps) if self.helps else ""

    @property
    def needs_evidence_for(self) -> tuple[str, ...]:
        return ("yes", "partial") if self.kind == self.Kind.YES_NO_PARTIAL else ()


class CrosswalkLink(models.Model):
    class Relation(models.TextChoices):
        SAME = "same", _("Same question")
        RELATED = "related", _("Related question")

    source = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("from")
    )
    target = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="links_in", verbose_name=_("to")
    )
    relation = models.CharField(max_length=10, choices=Relation, verbose_name=_("relation"))

    class Meta:
        verbose_name = _("crosswalk link")
        verbose_name_plural = _("crosswalk links")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="unique_crosswalk_link")
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id} ({self.relation})"


class MaturityPhase(models.Model):
    """A phase of the four-phase maturity scale; names are editable data (flag ``verify``)."""

    value = models.PositiveSmallIntegerField(unique=True, verbose_name=_("value"))
    key = models.SlugField(max_length=30, verbose_name=_("key"))
    names = models.JSONField(verbose_name=_("names"))
    descriptions = models.JSONField(verbose_name=_("descriptions"))
    verify = models.BooleanField(default=False, verbose_name=_("to be verified"))

    class Meta:
        verbose_name = _("maturity phase")
        verbose_name_plural = _("maturity phases")
        ordering = ["value"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names)

    @property
    def description(self) -> str:
        return localized(self.descriptions)
