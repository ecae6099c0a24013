"""The hub's public pages (readable without JavaScript): the hub listing and resource pages
(served by Wagtail, their context built here), search, and counted downloads. Also the
dissemination log for the staff who record trainings and launch events."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Page
from wagtail.views import serve as wagtail_serve

from cophub.portal.api_auth import page_user
from cophub.portal.errors import ActionForbidden, CopHubError
from cophub.portal.pages import page_errors
from cophub.portal.paging import rows_page
from cophub.reference.models import Country

from . import access, selectors, services
from .forms import DisseminationEventForm, HubFilterForm
from .languages import language_name
from .models import ItemTranslation, ResourcePage, TrackedItem

MAX_QUERY_LENGTH = 200


def _language() -> str:
    return get_language() or "en"


def hub(request: HttpRequest) -> HttpResponse:
    """The hub's root page in the active language (a Wagtail page; named for ``{% url %}``)."""
    response: HttpResponse = wagtail_serve(request, "")
    return response


HUB_PAGE = 20


def hub_context(request: HttpRequest) -> dict[str, Any]:
    form = HubFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = {k: v for k, v in filters.items() if v}
    # A page of resources by keyset cursor, as the API's list (the latest edition first).
    page = rows_page(
        request,
        selectors.hub_resource_firsts(chosen),
        ordering=("-listed_edition", "title"),
        page_size=HUB_PAGE,
    )
    return {
        "filter_form": form,
        "resources": selectors.hub_resource_page(page.rows, language=_language(), filters=chosen),
        "resources_page": page,
        "may_translate": access.user_may_see_translations(request.user),
    }


def _outdated_translation(page: Page) -> ItemTranslation | None:
    record = (
        ItemTranslation.objects.select_related("item")
        .filter(
            item__kind=TrackedItem.Kind.PAGE,
            item__key=str(page.translation_key),
            language=page.locale.language_code,
        )
        .first()
    )
    return record if record is not None and record.is_outdated else None


def resource_context(page: Page) -> dict[str, Any]:
    """What a resource page shows beside its own fields: which language it is shown in, its
    other languages, whether this translation is outdated, its downloads, its newer edition."""
    versions = selectors.resource_translations(page)
    source_language = (
        TrackedItem.objects.filter(kind=TrackedItem.Kind.PAGE, key=str(page.translation_key))
        .values_list("source_language", flat=True)
        .first()
    )
    source = next((v for v in versions if v.locale.language_code == source_language), None)
    context: dict[str, Any] = {
        "content_language": page.locale.language_code,
        "shown_in_other_language": page.locale.language_code != _language(),
        "versions": versions,
        "source_page": source,
        "outdated": _outdated_translation(page) if source is not None and source != page else None,
        "downloads": selectors.resource_downloads(page),
        "countries": sorted(Country.objects.filter(itu_member=True), key=lambda c: c.name),
    }
    specific = page.specific
    if isinstance(specific, ResourcePage):
        superseded_by = specific.superseded_by
        context["superseded_by"] = (
            superseded_by.localized if superseded_by is not None and superseded_by.live else None
        )
        context["modules"] = page.get_children().live().specific()
    return context


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    error = None
    results: list[selectors.ListedResource] = []
    if len(query) > MAX_QUERY_LENGTH:
        error = _("The search is too long: use at most %(count)s characters.") % {
            "count": MAX_QUERY_LENGTH
        }
    elif query:
        results = selectors.resource_search(query, language=_language())
    return render(
        request,
        "resources/search.html",
        {"query": query, "results": results, "error": error},
        status=400 if error else 200,
    )


@require_GET
def download(request: HttpRequest) -> HttpResponseBase:
    """Serve a file and count it by the country the reader chose (none if they chose none);
    no address, no identifier is kept."""
    try:
        file_id = int(request.GET.get("file", ""))
    except ValueError as bad:
        raise Http404 from bad
    file = selectors.download_file_public(file_id)
    if file is None:
        raise Http404
    country = None
    code = request.GET.get("country", "").strip().upper()
    if code:
        country = Country.objects.filter(iso2=code).first()
        if country is None:
            return render(
                request,
                "resources/download_error.html",
                {"message": _("Unknown country code: %(code)s.") % {"code": code[:3]}},
                status=400,
            )
    services.download_count(file=file, country=country, day=timezone.now().date())
    document = file.document
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.filename
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def dissemination(request: HttpRequest) -> HttpResponse:
    """The dissemination log: downloads by country and the events recorded (MS-6, BDT-11)."""
    user = page_user(request)
    access.access_dissemination_log(user)
    form = DisseminationEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            access.access_dissemination_for_record(user, data["country"].iso2)
            services.dissemination_event_record(user=user, **data)
        except ActionForbidden as refused:
            form.add_error("country", str(refused.message))
        except CopHubError as invalid:
            form.add_error(None, str(invalid.message))
        else:
            messages.success(request, _("The event has been recorded."))
            return redirect("resources:dissemination")
    return render(
        request,
        "resources/dissemination.html",
        {
            "form": form,
            "events": selectors.dissemination_events()[:100],
            "downloads": _named_countries(selectors.download_counts()),
        },
    )


def _named_countries(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = {
        c.iso2: c.name for c in Country.objects.filter(iso2__in={r["country_id"] for r in rows})
    }
    return [
        {
            **row,
            "country": names.get(row["country_id"]) or _("Not given"),
            "language": language_name(row["file__language"]),
        }
        for row in rows
    ]
