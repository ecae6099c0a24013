"""The resolver's HTTP answers, kept whole while they are exact (decision 0048).

``GET /api/v1/helplines/resolve`` is the hottest request of the platform and the same few
questions come again and again. The answer is already prepared per country and hour and kept
per question (``resolving``); what was left per request was the framework around it: about
fifteen middleware, URL resolution, Django Ninja, writing the JSON. This middleware sits just
after the request id and the request log (so every answer is still logged, counted and given
its id) and answers a question it has answered before with a copy of the earlier response —
status, headers (those the security, locale and policy middleware set) and body — while the
answer stays exact: no contact has opened or closed since and the country's directory has not
changed (``resolving.Exactness``).

Kept only for what cannot differ between two requests with the same key: an anonymous GET (no
cookie, no ``Authorization``) answered 200 without cookies, and only when the view marked its
answer as keepable (``answer_keep``): never one asked with ``phone`` (a child's number is not
kept as a key) or ``at`` — the view reads its parameters as Django decoded them, so no spelling
of the query string gets past that rule. The key is the scheme, the host, the query string
and ``Accept-Language`` (the language of a notice): a request that differs in any of them goes
through the whole stack, which refuses a bad host, redirects plain HTTP, or checks the text.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import ResolverMatch

from .resolving import Exactness
from .selectors import directory_cache_cleared

PATH = "/api/v1/helplines/resolve"
ANSWER_CACHE_SIZE = 10_000  # answers kept per process; all dropped when full


@dataclass(frozen=True)
class _Kept:
    exactness: Exactness
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    match: ResolverMatch | None


_answers: dict[tuple[str, str, str, str], _Kept] = {}


def _answers_clear(**_kwargs: object) -> None:
    _answers.clear()  # they would no longer hold; this frees them at once


directory_cache_cleared.connect(_answers_clear, dispatch_uid="helpline-answers")


def answer_keep(response: HttpResponse, exactness: Exactness | None) -> HttpResponse:
    """Mark the view's ``response`` as exact until ``exactness`` no longer holds (None: not
    to be kept, as for a question asked with ``phone`` or ``at``)."""
    response.answer_exactness = exactness  # type: ignore[attr-defined]
    return response


def _key(request: HttpRequest) -> tuple[str, str, str, str] | None:
    meta = request.META
    if (
        request.method != "GET"
        or request.path_info != PATH
        or meta.get("HTTP_COOKIE")
        or meta.get("HTTP_AUTHORIZATION")
    ):
        return None
    return (
        str(request.scheme),
        str(meta.get("HTTP_HOST", "")),
        str(meta.get("QUERY_STRING", "")),
        str(meta.get("HTTP_ACCEPT_LANGUAGE", "")),
    )


def prepared_answer_middleware(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """Third middleware, after ``request_id_middleware`` and the request observation."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        key = _key(request)
        if key is None:
            return get_response(request)
        kept = _answers.get(key)
        if kept is not None and kept.exactness.holds():
            request.resolver_match = kept.match  # the request log names the route
            again = HttpResponse(kept.body, status=kept.status)
            for name, value in kept.headers:
                again.headers[name] = value
            return again
        response = get_response(request)
        exactness = getattr(response, "answer_exactness", None)
        if (
            exactness is not None
            and isinstance(response, HttpResponse)
            and response.status_code == 200
            and not response.cookies
        ):
            if len(_answers) >= ANSWER_CACHE_SIZE:
                _answers.clear()
            _answers[key] = _Kept(
                exactness,
                response.status_code,
                tuple(response.headers.items()),
                response.content,
                getattr(request, "resolver_match", None),
            )
        return response

    return middleware
