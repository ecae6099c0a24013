"""Who changed what: django-auditlog's request context, only for requests that can carry an
actor or change data.

``AuditlogMiddleware`` ties every request to a correlation id and the signed-in user, and
connects a signal receiver for the request's span; on the hot anonymous reads (the resolver,
``/healthz``, the widget) that was about a third of the framework's cost per request. A GET or
HEAD with no cookie and no ``Authorization`` header has no actor and changes nothing a person
did, so it skips that context; every other request gets it as before (decision 0048)."""

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest, HttpResponseBase

READS = frozenset({"GET", "HEAD", "OPTIONS"})


class AuditMiddleware(AuditlogMiddleware):  # type: ignore[misc]
    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            request.method in READS
            and not request.META.get("HTTP_COOKIE")
            and not request.META.get("HTTP_AUTHORIZATION")
        ):
            return self.get_response(request)  # type: ignore[no-any-return]
        return super().__call__(request)  # type: ignore[no-any-return]
