import json
from dataclasses import fields
from datetime import date, datetime
from typing import Any, Literal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotModified,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Body, Router, Schema
from pydantic import BaseModel

from copcore.helplines.best import OneAnswer
from copcore.helplines.resolve import Resolution, Result
from cophub.portal.api_auth import AUTHENTICATED
from cophub.portal.paging import keyset_paginate

from . import access, selectors, services
from .answer_cache import answer_keep
from .directory_export import CHUNKS, MEDIA_TYPES
from .directory_format import helpline_document
from .directory_stream import helplines_streamed
from .models import Helpline
from .resolving import (
    ResolveParameters,
    flag_parameter,
    one_answer_request_exact,
    resolve_request_exact,
)
from .verification.services import checks_record

router = Router(tags=["helplines"])
Document = dict[str, Any]


class ResultOut(BaseModel):
    helpline: str
    name: str
    kind: str
    channel: str
    display: str
    href: str | None
    free: bool | None
    open_now: bool | None
    opens_at: datetime | None
    closes_at: datetime | None
    languages: list[str]
    verified_at: date | None
    stale: bool
    source_url: str


class ResolutionOut(BaseModel):
    """The ranked answer, bounded: at most ``ANSWER_BOUND.helplines`` (10) helplines and
    ``ANSWER_BOUND.contacts`` (3) contacts of each, best first. ``helplines_total`` counts the
    helplines that had a result before the cut; ``truncated`` is true when any result was
    left out (narrow the question: age, lang, topic, channels)."""

    country: str
    results: list[ResultOut]
    fallback: list[ResultOut]
    notice: str | None
    helplines_total: int
    truncated: bool


class OneAnswerOut(Schema):
    """One-answer mode (``best=1``): the single best contact, the contacts of the helplines
    paired with it (both or neither), and one emergency number."""

    country: str
    best: ResultOut | None
    paired: list[ResultOut]
    fallback: ResultOut | None
    notice: str | None


RESOLVE_FIELDS = tuple(field.name for field in fields(ResolveParameters))


def result_out(result: Result) -> dict[str, Any]:
    # Plain dicts and pydantic BaseModel (not ninja.Schema, whose per-field getters cost more
    # than the whole resolution): this is the hottest endpoint of the platform.
    return {
        "helpline": result.helpline,
        "name": result.name,
        "kind": result.kind.value,
        "channel": result.channel.value,
        "display": result.display,
        "href": result.href,
        "free": result.free,
        "open_now": result.open_now,
        "opens_at": result.opens_at,
        "closes_at": result.closes_at,
        "languages": list(result.languages),
        "verified_at": result.verified_at,
        "stale": result.stale,
        "source_url": result.source_url,
    }


def resolution_notice(resolution: Resolution) -> str | None:
    if resolution.no_helpline_known:
        return _(
            "We do not know a child helpline for this country yet. If you are in danger, "
            "call the emergency number."
        )
    if not resolution.results:
        return _(
            "No helpline can be reached through the channels you chose. Try another channel, "
            "such as a phone call."
        )
    return None


def one_answer_notice(answer: OneAnswer) -> str | None:
    if answer.no_helpline_known:
        return resolution_notice(Resolution(answer.country, (), (), no_helpline_known=True))
    if answer.best is None:
        return _(
            "No single helpline can be given for these choices. Ask for the full list, or "
            "try another channel, such as a phone call."
        )
    return None


def one_answer_out(answer: OneAnswer) -> dict[str, Any]:
    return {
        "country": answer.country,
        "best": result_out(answer.best) if answer.best else None,
        "paired": [result_out(r) for r in answer.paired],
        "fallback": result_out(answer.fallback) if answer.fallback else None,
        "notice": one_answer_notice(answer),
    }


RESOLVE_PARAMETERS = [
    {"name": name, "in": "query", "required": False, "schema": {"type": kind}, "description": text}
    for name, kind, text in [
        ("country", "string", "ISO 3166-1 alpha-2 code (or give phone)"),
        ("phone", "string", "the child's number in E.164, used only to find the country"),
        ("subdivision", "string", "ISO 3166-2 code"),
        ("age", "integer", "age in years"),
        ("lang", "string", "language for names (ISO 639)"),
        ("topic", "string", "topic code of the taxonomy"),
        ("channels", "string", "comma list: voice,sms,whatsapp,telegram,webchat,email,app,ussd"),
        ("at", "string", "ISO 8601 instant; default now"),
        ("best", "string", "1: one-answer mode (OneAnswerOut): the single best contact"),
    ]
]


@router.get(
    "/resolve",
    response={200: ResolutionOut | OneAnswerOut},
    openapi_extra={"parameters": RESOLVE_PARAMETERS},
)
def resolve(request: HttpRequest) -> HttpResponse:
    """What a child can dial or message now: ranked answers (open now first; child helplines
    before general ones; age, language and topic match) and the emergency fallback. The answer
    is bounded: the 10 best-ranked helplines at most, 3 contacts of each at most;
    ``truncated`` says when results were left out and ``helplines_total`` how many helplines
    had one (docs/helplines/resolver.md). ``phone``
    (E.164) is used only to find the country and is kept nowhere. Bad values give 400 with
    ``details.parameter`` naming the parameter.

    With ``best=1`` (one-answer mode, for apps and devices that show one number): the single
    best contact of that ranking, the contacts of the helplines paired with it — both or
    neither: a helpline whose partner cannot be given is left out — and one emergency number
    (``OneAnswerOut``)."""
    # The hottest endpoint: parameters are read and checked by ``resolve_request`` itself and
    # the answer is written straight to JSON (documented above, not re-validated per request).
    fields = {name: request.GET.get(name) or None for name in RESOLVE_FIELDS}
    if flag_parameter("best", request.GET.get("best")):
        answer, exactness = one_answer_request_exact(ResolveParameters(**fields))
        response: HttpResponse = JsonResponse(
            one_answer_out(answer), json_dumps_params={"ensure_ascii": False}
        )
    else:
        resolution, exactness = resolve_request_exact(ResolveParameters(**fields))
        response = HttpResponse(_resolution_body(resolution), content_type="application/json")
    # A question asked by phone is answered, never kept: its number would be the key.
    return answer_keep(response, None if fields["phone"] else exactness)


# The JSON of an answer, per resolution and language: ``resolve_request`` gives back the same
# ``Resolution`` object while the answer stays exact, so its text is written once, not per
# request (the object is held here, so its id cannot be reused while the entry lives).
_bodies: dict[tuple[int, str], tuple[Resolution, bytes]] = {}
BODY_CACHE_SIZE = 10_000


def _resolution_body(resolution: Resolution) -> bytes:
    key = (id(resolution), get_language())
    kept = _bodies.get(key)
    if kept is not None and kept[0] is resolution:
        return kept[1]
    body = json.dumps(
        {
            "country": resolution.country,
            "results": [result_out(r) for r in resolution.results],
            "fallback": [result_out(r) for r in resolution.fallback],
            "notice": resolution_notice(resolution),
            "helplines_total": resolution.helplines_total,
            "truncated": resolution.truncated,
        },
        ensure_ascii=False,
        cls=DjangoJSONEncoder,
    ).encode()
    if len(_bodies) >= BODY_CACHE_SIZE:
        _bodies.clear()
    _bodies[key] = (resolution, body)
    return body


def _documents(page: list[Helpline], params: dict[str, Any]) -> list[Document]:
    return [helpline_document(h) for h in page]


@router.get("/download", response=Document)
def helpline_download(
    request: HttpRequest,
    format: Literal["json", "csv", "hsds"] = "json",
    country: str | None = None,
) -> HttpResponseBase:
    """The whole directory (or one country's) as one file — the open data format (JSON), CSV
    (one row per contact) or Open Referral HSDS 3.0 — streamed one helpline at a time, with an
    ``ETag`` and ``Last-Modified`` that change when any entry does (a matching
    ``If-None-Match`` gets 304). For browsing, page through ``GET /helplines``."""
    helplines = Helpline.objects.all()
    if country:
        helplines = helplines.filter(country_id=country.upper())
    version = selectors.download_version(helplines)
    tag = f'"{format}-{version.tag}"'
    if tag in {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}:
        response: HttpResponseBase = HttpResponseNotModified()
    else:
        response = StreamingHttpResponse(
            CHUNKS[format](helplines_streamed(country)),
            content_type=MEDIA_TYPES[format],
        )
        extension = "csv" if format == "csv" else "json"
        name = f"cop-helplines{f'-{country.upper()}' if country else ''}-{format}.{extension}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["ETag"] = tag
    if version.modified is not None:
        response["Last-Modified"] = http_date(version.modified.timestamp())
    response["Cache-Control"] = "public, max-age=300"
    return response


@router.get("", response=list[Document])
@keyset_paginate(ordering=("country_id", "slug"), rows=_documents)
def helpline_list(request: HttpRequest, country: str | None = None) -> QuerySet[Helpline]:
    """The directory in the open data format (``cophub.helplines/1`` entries), by country
    and slug, paged (follow ``next``)."""
    helplines = selectors.helpline_queryset()
    if country:
        helplines = helplines.filter(country_id=country.upper())
    return helplines


class VerifyIn(Schema):
    verified_on: date
    checks: list[str] = []


@router.put("/{slug}", response=Document, auth=AUTHENTICATED)
def helpline_update(request: HttpRequest, slug: str, payload: Body[Document]) -> Document:
    """Replace an entry (open data format). Helpline editors of the organisation that owns
    the entry and BDT staff only; the edited entry shows as unverified until BDT staff verify
    it. ``owner`` (an organisation's stable code, or null) is set by BDT staff only: an editor
    may leave it out or send it back unchanged (403 otherwise). Left out, the owner stays;
    ``operator`` is display text and never changes who may edit."""
    helpline = access.access_helpline_for_update(request.user, slug, payload)
    updated = services.helpline_update(helpline=helpline, document=payload)
    return helpline_document(selectors.helpline_queryset().get(pk=updated.pk))


@router.post("/{slug}/verify", response=Document, auth=AUTHENTICATED)
def helpline_verify(request: HttpRequest, slug: str, payload: VerifyIn) -> Document:
    """BDT staff record that the entry was checked against its source on ``verified_on``, and
    which ``checks`` they made (``number_dialled``, ``hours_confirmed``, ``source_reachable``:
    the entry's verification score, decision 0032)."""
    helpline = access.access_helpline_for_verification(request.user, slug)
    services.helpline_verify(helpline=helpline, verified_on=payload.verified_on)
    if payload.checks:
        checks_record(helpline=helpline, checks=payload.checks, on=payload.verified_on.isoformat())
    return helpline_document(selectors.helpline_queryset().get(pk=helpline.pk))
