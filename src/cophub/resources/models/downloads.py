"""Downloadable files per language, and how often each was downloaded, by country."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from cophub.reference.models import Country

from ..languages import language_choices


class ResourceDownload(ClusterableModel):  # type: ignore[misc]  # modelcluster is untyped
    """One publication (e.g. "Guidelines for parents, PDF") offered in several languages;
    ``source_language`` names the file the others are translated from."""

    resource = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("resource page"),
    )
    title = models.CharField(max_length=200, verbose_name=_("title"))
    source_language = models.CharField(
        max_length=16, choices=language_choices, verbose_name=_("source language")
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    panels = [
        FieldPanel("resource"),
        FieldPanel("title"),
        FieldPanel("source_language"),
        InlinePanel("files", heading=_("Files by language")),
    ]

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class ResourceDownloadFile(Orderable):  # type: ignore[misc]
    download = ParentalKey(
        ResourceDownload,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("download"),
    )
    language = models.CharField(max_length=16, choices=language_choices, verbose_name=_("language"))
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("document"),
    )
    sha256 = models.CharField(max_length=64, blank=True, editable=False, verbose_name=_("SHA-256"))

    panels = [FieldPanel("language"), FieldPanel("document")]

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        constraints = [
            models.UniqueConstraint(fields=["download", "language"], name="unique_download_file"),
        ]

    def __str__(self) -> str:
        return f"{self.download} [{self.language}]"


class DownloadCount(models.Model):
    """Downloads of a file in a month, by the country the reader chose to name (none when they
    named none). Only counts: no address, no identifier, no time of day."""

    file = models.ForeignKey(
        ResourceDownloadFile,
        on_delete=models.CASCADE,
        related_name="counts",
        verbose_name=_("file"),
    )
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("country")
    )
    month = models.DateField(verbose_name=_("month"))
    count = models.PositiveIntegerField(default=0, verbose_name=_("downloads"))

    class Meta:
        verbose_name = _("download count")
        verbose_name_plural = _("download counts")
        constraints = [
            models.UniqueConstraint(
                fields=["file", "country", "month"],
                name="unique_download_count",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_id} {self.country_id or '-'} {self.month:%Y-%m}: {self.count}"
