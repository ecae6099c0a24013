"""The editors' admin: downloads and taxonomies as snippets, and a link to the translation
status matrix (which lives in the hub's own pages, so translators use it without the admin)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Audience, Licence, ResourceDownload, ResourceDownloadFile, RiskTopic
from .selectors import download_file_public


class ResourceDownloadViewSet(SnippetViewSet):  # type: ignore[misc]
    model = ResourceDownload
    icon = "doc-full"
    menu_label = _("Downloads")
    list_display = ["title", "resource", "source_language"]


class AudienceViewSet(SnippetViewSet):  # type: ignore[misc]
    model = Audience
    list_display = ["code", "name"]


class RiskTopicViewSet(SnippetViewSet):  # type: ignore[misc]
    model = RiskTopic
    list_display = ["code", "name", "parent"]


class LicenceViewSet(SnippetViewSet):  # type: ignore[misc]
    model = Licence
    list_display = ["code", "name", "url"]


register_snippet(ResourceDownloadViewSet)
register_snippet(AudienceViewSet)
register_snippet(RiskTopicViewSet)
register_snippet(LicenceViewSet)


@hooks.register("register_admin_menu_item")  # type: ignore[untyped-decorator]
def translation_status_menu_item() -> MenuItem:
    # A path, not reverse(): the menu is built once, the language prefix is the editor's.
    return MenuItem(
        _("Translation status"),
        f"/{get_language() or 'en'}/resources/translations/",
        icon_name="globe",
        order=250,
    )


@hooks.register("before_serve_document")  # type: ignore[untyped-decorator]
def counted_public_downloads(document: Any, request: HttpRequest) -> HttpResponse | None:
    """The document library's own URLs (/documents/...) serve editors only. The public gets a
    hub file through the counted download (and only once approved); anything else is 404."""
    if request.user.has_perm("wagtailadmin.access_admin"):
        return None
    file = ResourceDownloadFile.objects.filter(document=document).first()
    if file is None or download_file_public(file.pk) is None:
        raise Http404
    return HttpResponseRedirect(f"{reverse('resources:download')}?file={file.pk}")
