"""The hub's Wagtail pages: one hub page per locale, resources (guideline sets, courses,
toolkits, case studies, best practices) under it, and course modules under courses.

Text fields are translated with wagtail-localize; tags, edition and links are synchronised from
the source page to its translations (``override_translatable_fields``)."""

from collections.abc import Callable
from typing import Any, Optional

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult
from wagtail_localize.fields import SynchronizedField

from cophub.reference.models import Clause, Region

from ..search_text import index_text
from .taxonomy import Audience, Licence, RiskTopic
from .tracking import ContentHold, page_source_languages

# What a hub or resource page shows besides its own fields is built by the views (they read
# selectors, which read these models): the views register their builders here when the app is
# ready (``apps.py``), so models import neither views nor selectors (decision 0025).
PageContext = Callable[[Any], dict[str, Any]]
page_contexts: dict[str, PageContext] = {}

# No embeds or images from elsewhere: public pages load nothing from third parties.
RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


def _search_body(*texts: str) -> str:
    return index_text(" ".join(strip_tags(text) for text in texts if text))


class HubPage(Page):  # type: ignore[misc]  # Wagtail is untyped
    """The root of the hub in one locale (``/<lang>/resources/``): search, filters, items."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES, verbose_name=_("introduction"))

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["resources.ResourcePage"]
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    override_translatable_fields = [SynchronizedField("slug", overridable=False)]
    template = "resources/hub_page.html"

    class Meta:
        verbose_name = _("resources hub")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        return {**context, **page_contexts["hub"](request)}

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        """A resource not (yet) published in this page's language is served in its source
        language, inside this language's interface, instead of a dead end."""
        try:
            return super().route(request, path_components)
        except Http404:
            if not path_components:
                raise
            fallback = ResourcePage.fallback_for(slug=path_components[0])
            if fallback is None:
                raise
            return fallback.route(request, path_components[1:])


class ResourcePage(Page):  # type: ignore[misc]
    class Kind(models.TextChoices):
        GUIDELINE_SET = "guideline_set", _("Guideline set")
        COURSE = "course", _("Training course")
        TOOLKIT = "toolkit", _("Toolkit")
        CASE_STUDY = "case_study", _("Case study")
        BEST_PRACTICE = "best_practice", _("Best practice")

    kind = models.CharField(max_length=20, choices=Kind, verbose_name=_("kind"))
    summary = models.TextField(verbose_name=_("summary"))
    body = RichTextField(blank=True, features=RICH_TEXT_FEATURES, verbose_name=_("text"))
    audiences = ParentalManyToManyField(Audience, blank=True, verbose_name=_("audiences"))
    topics = ParentalManyToManyField(RiskTopic, blank=True, verbose_name=_("risk topics"))
    regions = ParentalManyToManyField(Region, blank=True, verbose_name=_("ITU-D regions"))
    clauses = ParentalManyToManyField(Clause, blank=True, verbose_name=_("Resolution 67 clauses"))
    edition = models.CharField(max_length=40, blank=True, verbose_name=_("edition"))
    edition_date = models.DateField(null=True, blank=True, verbose_name=_("edition date"))
    superseded_by = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("superseded by"),
        help_text=_("The newer edition that replaces this one."),
    )
    licence = models.ForeignKey(
        Licence,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("licence"),
    )
    attribution = models.TextField(blank=True, verbose_name=_("attribution"))
    practice_reference = models.CharField(
        max_length=20,
        blank=True,
        editable=False,
        verbose_name=_("best-practice reference"),
        help_text=_("Set when an accepted submission is published to the hub."),
    )

    parent_page_types = ["resources.HubPage"]
    subpage_types = ["resources.CourseModulePage"]
    template = "resources/resource_page.html"
    override_translatable_fields = [
        SynchronizedField("slug", overridable=False),
        SynchronizedField("edition", overridable=False),
        SynchronizedField("audiences", overridable=False),
        SynchronizedField("topics", overridable=False),
        SynchronizedField("regions", overridable=False),
        SynchronizedField("clauses", overridable=False),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("audiences"),
                FieldPanel("topics"),
                FieldPanel("regions"),
                FieldPanel("clauses"),
            ],
            heading=_("Tags"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("edition"),
                FieldPanel("edition_date"),
                FieldPanel("superseded_by"),
                FieldPanel("licence"),
                FieldPanel("attribution"),
            ],
            heading=_("Edition and licence"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("search_body"),
        index.FilterField("kind"),
    ]

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    @classmethod
    def fallback_for(cls, *, slug: str) -> Optional["ResourcePage"]:
        """The live resource with ``slug`` in its source language (any hub), not held."""
        pages: list[ResourcePage] = list(
            cls.objects.live()
            .filter(slug=slug)
            .exclude(translation_key__in=ContentHold.objects.values("translation_key"))
            .select_related("locale")
        )
        if not pages:
            return None
        sources = page_source_languages(str(page.translation_key) for page in pages)
        for page in pages:
            if sources.get(str(page.translation_key)) == page.locale.language_code:
                return page
        return pages[0]

    def search_body(self) -> str:
        return _search_body(self.title, self.summary, self.body, self.attribution)

    def clean(self) -> None:
        super().clean()
        if self.superseded_by_id is not None and self.superseded_by_id == self.pk:
            raise ValidationError({"superseded_by": _("An edition cannot supersede itself.")})

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        return {**context, **page_contexts["resource"](self)}

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if ContentHold.holds(self.translation_key):
            return TemplateResponse(request, "resources/held.html", {"page": self}, status=404)
        response: HttpResponse = super().serve(request, *args, **kwargs)
        return response


class CourseModulePage(Page):  # type: ignore[misc]
    """One module of a training course."""

    summary = models.TextField(blank=True, verbose_name=_("summary"))
    body = RichTextField(blank=True, features=RICH_TEXT_FEATURES, verbose_name=_("text"))
    duration_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("duration (minutes)")
    )

    parent_page_types = ["resources.ResourcePage"]
    subpage_types: list[str] = []
    template = "resources/course_module_page.html"
    override_translatable_fields = [SynchronizedField("slug", overridable=False)]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("duration_minutes"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("search_body")]

    class Meta:
        verbose_name = _("course module")
        verbose_name_plural = _("course modules")

    def search_body(self) -> str:
        return _search_body(self.title, self.summary, self.body)

    def clean(self) -> None:
        super().clean()
        parent = self.get_parent()
        if parent is not None:
            parent = parent.specific
        if isinstance(parent, ResourcePage) and parent.kind != ResourcePage.Kind.COURSE:
            raise ValidationError(_("Modules belong under a training course."))

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        parent = self.get_parent()
        if parent is not None and ContentHold.holds(parent.translation_key):
            return TemplateResponse(request, "resources/held.html", {"page": self}, status=404)
        response: HttpResponse = super().serve(request, *args, **kwargs)
        return response
