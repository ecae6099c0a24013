"""The public finder pages (no JavaScript needed, nothing from third parties), the widget for
other sites, and the public number registry."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from copcore.helplines.best import helpline_one_answer
from copcore.helplines.prepared import ANSWER_BOUND
from copcore.helplines.resolve import Result
from cophub.portal.errors import ObjectNotFound
from cophub.portal.pages import page_errors
from cophub.portal.paging import rows_page
from cophub.reference.models import Country

from . import selectors
from .api import one_answer_notice, resolution_notice
from .errors import BadParameter
from .models import ReachCount, Topic
from .number_checks import short_number_warnings
from .resolving import ResolveParameters, flag_parameter, resolve_request
from .services import reach_count


def _country_from_browser(request: HttpRequest) -> str | None:
    """A region in the browser's preferred languages (``sw-KE`` → ``KE``); never an IP lookup."""
    for tag, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        parts = tag.replace("_", "-").split("-")
        if len(parts) >= 2 and len(parts[-1]) == 2 and parts[-1].isalpha():
            return parts[-1].upper()
    return None


# The finder pages say what a child looked for: never kept in the browser's cache (Cache-Control:
# no-store), so nothing of them stays on a shared phone once the tab is closed. Nothing is lost
# on the server: they are not cached by any proxy, and the resolver keeps its own answers.
@require_GET
@never_cache
def help_choose_country(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("country", "").strip().upper()
    if chosen:
        return redirect("helplines:help_country", country=chosen)
    codes = set(selectors.countries_with_helplines())
    countries = sorted(Country.objects.filter(iso2__in=codes), key=lambda c: c.name)
    guess = _country_from_browser(request)
    suggested = next((c for c in countries if c.iso2 == guess), None)
    return render(
        request,
        "helplines/choose_country.html",
        {"countries": countries, "suggested": suggested},
    )


def _local_time(result: Result, instant: datetime | None, zone_name: str) -> str | None:
    if instant is None:
        return None
    local = instant.astimezone(ZoneInfo(zone_name))
    today = timezone.now().astimezone(ZoneInfo(zone_name)).date()
    return date_format(local, "H:i" if local.date() == today else "l H:i")


def _cards(results: tuple[Result, ...], zones: dict[str, str]) -> list[dict[str, object]]:
    return [
        {
            "result": result,
            "opens_at": _local_time(result, result.opens_at, zones[result.helpline]),
            "closes_at": _local_time(result, result.closes_at, zones[result.helpline]),
        }
        for result in results
    ]


def _finder_context(
    request: HttpRequest, country: str, *, one_answer: bool = False
) -> dict[str, object]:
    """The finder's answer; with ``one_answer`` only the best contact, the helplines paired
    with it and one emergency number (``copcore.helplines.best``)."""
    parameters = ResolveParameters(
        country=country,
        age=request.GET.get("age") or None,
        topic=request.GET.get("topic") or None,
        channels=request.GET.get("channels") or None,
        # Helpline names may exist in more languages than the interface (e.g. Swahili).
        lang=request.GET.get("lang") or get_language(),
    )
    # The one answer is chosen from the full ranking (a partner may rank below the bound).
    bound = None if one_answer else ANSWER_BOUND
    try:
        resolution = resolve_request(parameters, bound=bound)
    except BadParameter as error:
        if error.details.get("parameter") == "country":
            raise ObjectNotFound() from error
        # A bad filter value must not hide the answer from a child: drop the filters.
        unfiltered = ResolveParameters(country=country, lang=parameters.lang)
        resolution = resolve_request(unfiltered, bound=bound)
    directory = selectors.helpline_directory(country=resolution.country)
    zones = {h.id: h.timezone for h in directory}
    results, fallback = resolution.results, resolution.fallback
    notice = resolution_notice(resolution)
    truncated = resolution.truncated
    if one_answer:
        truncated = False
        answer = helpline_one_answer(resolution, directory)
        results = (answer.best, *answer.paired) if answer.best else ()
        fallback = (answer.fallback,) if answer.fallback else ()
        notice = one_answer_notice(answer)
    reach_count(
        day=timezone.localdate(),
        country=resolution.country,
        channel="web",
        event=ReachCount.Event.ANSWER_SHOWN,
    )
    return {
        "country": Country.objects.get(iso2=resolution.country),
        "cards": _cards(results, zones),
        "fallback": fallback,
        "notice": notice,
        "truncated": truncated,
        "helplines_total": resolution.helplines_total,
        "one_answer": one_answer,
        "chosen_lang": request.GET.get("lang", ""),
        "topics": Topic.objects.all(),
        "chosen_topic": request.GET.get("topic", ""),
        "chosen_age": request.GET.get("age", ""),
        "demo": settings.COPHUB_DEMO,
    }


@page_errors
@require_GET
@never_cache
def help_country(request: HttpRequest, country: str) -> HttpResponse:
    return render(request, "helplines/help.html", _finder_context(request, country))


@page_errors
@require_GET
@never_cache
@xframe_options_exempt
def widget(request: HttpRequest, country: str) -> HttpResponse:
    """The finder for other sites' pages (iframe); links open in the top window. It shows the
    one answer (the best contact, its pairs, one emergency number) and a link to the full list;
    ``?all=1`` shows every helpline instead."""
    try:
        everything = flag_parameter("all", request.GET.get("all"))
    except BadParameter:
        everything = False
    context = _finder_context(request, country, one_answer=not everything)
    response = render(request, "helplines/widget.html", context)
    ancestors = " ".join(settings.COPHUB_WIDGET_FRAME_ANCESTORS)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        f"form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors {ancestors}"
    )
    return response


@csrf_exempt  # a browser ping carries no token; it only adds one to an anonymous counter
@require_POST
def contact_used(request: HttpRequest, country: str, channel: str) -> HttpResponse:
    """Hyperlink auditing (``<a ping>``): counts a tap on a contact button, anonymously."""
    if Country.objects.filter(iso2=country).exists() and channel.isalpha() and len(channel) < 12:
        reach_count(
            day=timezone.localdate(),
            country=country,
            channel=channel,
            event=ReachCount.Event.CONTACT_USED,
        )
    return HttpResponse(status=204)


@require_GET
@page_errors
def number_registry(request: HttpRequest) -> HttpResponse:
    """The registry by country code and number, a page at a time (``?country=`` for one
    country)."""
    country = request.GET.get("country", "").upper() or None
    page = rows_page(
        request, selectors.number_list(country=country), ordering=("country_id", "number")
    )
    numbers = []
    for number in page.rows:
        history = list(number.history.all())
        numbers.append(
            {
                "number": number,
                "history": history,
                "current": history[-1] if history else None,
                "checks": short_number_warnings(number.number, number.country_id),
            }
        )
    return render(
        request,
        "helplines/numbers.html",
        {"numbers": numbers, "page": page, "title": _("COP numbers")},
    )
