"""What the query-count guards request: every GET page URL pattern of the Django URL resolver
and every GET operation of the JSON API (from its OpenAPI schema), each with its parameters
filled from the database, and the number of queries one request costs."""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver

from cophub.config.api import api

API_PREFIX = "/api/v1"
# Paths of the site mounted from elsewhere: the API (enumerated from its schema instead), the
# Wagtail editors' admin and document library, and the BDT back office (Django's admin).
NOT_PAGES = ("api/v1/", "cms/", "documents/", "admin/")
LANGUAGE_PREFIX = "en/"
_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\{(\w+)\}")


@dataclass(frozen=True)
class Endpoint:
    """A GET route: a page (``route`` as the resolver spells it, without the language prefix)
    or an API operation (``route`` as the schema spells it, ``/api/v1/...``)."""

    route: str
    is_api: bool
    language_prefixed: bool = True

    @property
    def parameters(self) -> list[str]:
        return [a or b for a, b in _PARAMETER.findall(self.route)]

    def url(self, values: dict[str, object]) -> str:
        def value(match: re.Match[str]) -> str:
            return str(values[match.group(1) or match.group(2)])

        path = _PARAMETER.sub(value, self.route)
        if self.is_api:
            return path
        return f"/{LANGUAGE_PREFIX}{path}" if self.language_prefixed else f"/{path}"


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def page_endpoints() -> list[Endpoint]:
    """Every page route (the language-prefixed ones once, in English)."""
    endpoints: dict[str, Endpoint] = {}
    for route in _walk(get_resolver().url_patterns):
        if route.startswith(NOT_PAGES) or route.startswith(LANGUAGE_PREFIX + "admin/"):
            continue
        prefixed = route.startswith(LANGUAGE_PREFIX)
        route = route.removeprefix(LANGUAGE_PREFIX)
        endpoints.setdefault(route, Endpoint(route, is_api=False, language_prefixed=prefixed))
    return list(endpoints.values())


def api_endpoints() -> list[Endpoint]:
    """Every GET operation of the JSON API."""
    paths = api.get_openapi_schema()["paths"]
    return [
        Endpoint(path, is_api=True) for path, operations in paths.items() if "get" in operations
    ]


def queries_of(client: Client, url: str, query: dict[str, str] | None = None) -> tuple[int, int]:
    """(status, queries) of one GET, with every cache emptied first so each request does the
    same work at both sizes."""
    from cophub.helplines.selectors import directory_cache_clear

    cache.clear()
    directory_cache_clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query or {})
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # type: ignore[arg-type]
    return response.status_code, len(captured.captured_queries)
