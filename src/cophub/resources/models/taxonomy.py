"""Taxonomies of the hub, kept as data (``data/taxonomy.json``): audiences, online risk topics
and licences. Their names are translated like any other record (see ``record_adapter``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cophub.reference.models import NamedInLanguages


class Audience(NamedInLanguages):
    """Who a resource is written for (children by age band, parents, industry, ...)."""

    code = models.SlugField(primary_key=True, verbose_name=_("code"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ["position", "code"]


class RiskTopic(NamedInLanguages):
    """A topic of the online-risk taxonomy (CO:RE 4Cs); top-level topics have no parent."""

    code = models.SlugField(primary_key=True, verbose_name=_("code"))
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))

    class Meta:
        verbose_name = _("risk topic")
        verbose_name_plural = _("risk topics")
        ordering = ["position", "code"]


class Licence(NamedInLanguages):
    code = models.SlugField(primary_key=True, verbose_name=_("code"))
    url = models.URLField(verbose_name=_("URL"))

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["code"]
