"""Reference data shared by every module: countries, ITU-D regions, UN development
groupings, languages and the clauses of Resolution 67. Every set records its source."""

from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def localized(texts: dict[str, Any], language: str | None = None) -> str:
    """The text for ``language`` (default: the active one), falling back to English."""
    language = language or get_language() or "en"
    return str(texts.get(language) or texts.get("en") or next(iter(texts.values()), ""))


class DataSource(models.Model):
    key = models.SlugField(primary_key=True, verbose_name=_("key"))
    title = models.CharField(max_length=300, verbose_name=_("title"))
    publisher = models.CharField(max_length=200, blank=True, verbose_name=_("publisher"))
    url = models.URLField(max_length=500, blank=True, verbose_name=_("URL"))
    edition = models.CharField(max_length=500, blank=True, verbose_name=_("edition"))
    loaded_at = models.DateTimeField(verbose_name=_("loaded at"))

    class Meta:
        verbose_name = _("data source")
        verbose_name_plural = _("data sources")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title


class NamedInLanguages(models.Model):
    """A record whose display name exists in several languages (``names``: code -> text)."""

    names = models.JSONField(verbose_name=_("names"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self.names)


class Region(NamedInLanguages):
    """An ITU-D (BDT) region."""

    code = models.CharField(max_length=3, primary_key=True, verbose_name=_("code"))
    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, verbose_name=_("source"))

    class Meta:
        verbose_name = _("ITU-D region")
        verbose_name_plural = _("ITU-D regions")
        ordering = ["code"]


class Country(NamedInLanguages):
    """An ISO 3166-1 country or territory; ``region`` is set for ITU Member States."""

    iso2 = models.CharField(max_length=2, primary_key=True, verbose_name=_("ISO alpha-2 code"))
    iso3 = models.CharField(max_length=3, unique=True, verbose_name=_("ISO alpha-3 code"))
    numeric = models.CharField(max_length=3, unique=True, verbose_name=_("ISO numeric code"))
    itu_member = models.BooleanField(default=False, verbose_name=_("ITU Member State"))
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="countries",
        verbose_name=_("ITU-D region"),
    )
    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, verbose_name=_("source"))

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["iso2"]


class Grouping(NamedInLanguages):
    """A UN development grouping: LDC, LLDC, SIDS or economies in transition (EIT)."""

    code = models.CharField(max_length=8, primary_key=True, verbose_name=_("code"))
    list_year = models.PositiveSmallIntegerField(verbose_name=_("list year"))
    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, verbose_name=_("source"))
    countries = models.ManyToManyField(
        Country, related_name="groupings", verbose_name=_("countries")
    )

    class Meta:
        verbose_name = _("development grouping")
        verbose_name_plural = _("development groupings")
        ordering = ["code"]


class Language(NamedInLanguages):
    """An ISO 639 language (BCP 47 style code: ISO 639-1 where one exists, else 639-3)."""

    code = models.CharField(max_length=8, primary_key=True, verbose_name=_("code"))
    iso639_3 = models.CharField(max_length=3, blank=True, verbose_name=_("ISO 639-3 code"))
    itu_official = models.BooleanField(default=False, verbose_name=_("ITU official language"))
    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, verbose_name=_("source"))

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["code"]


class Clause(models.Model):
    """A clause of Resolution 67 (Rev. Kigali, 2022) with its stable ID (e.g. ``BDT-9``)."""

    class Section(models.TextChoices):
        CONSIDERING = "considering", _("Considering")
        INSTRUCTS_BDT = "instructs_bdt", _("Instructs the Director of BDT")
        INVITES_MS_SM = "invites_ms_sm", _("Invites Member States and Sector Members")
        INVITES_MS = "invites_ms", _("Invites Member States")
        INVITES_SM = "invites_sm", _("Invites Sector Members")

    id = models.CharField(max_length=10, primary_key=True, verbose_name=_("clause ID"))
    section = models.CharField(max_length=20, choices=Section, verbose_name=_("section"))
    number = models.CharField(max_length=4, verbose_name=_("paragraph"))
    position = models.PositiveSmallIntegerField(verbose_name=_("position"))
    texts = models.JSONField(verbose_name=_("texts"))
    official_languages = models.JSONField(verbose_name=_("official languages"))
    source = models.ForeignKey(DataSource, on_delete=models.PROTECT, verbose_name=_("source"))

    class Meta:
        verbose_name = _("Resolution 67 clause")
        verbose_name_plural = _("Resolution 67 clauses")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.id

    def text(self, language: str | None = None) -> str:
        return localized(self.texts, language)

    def is_official(self, language: str | None = None) -> bool:
        return (language or get_language() or "en") in self.official_languages
