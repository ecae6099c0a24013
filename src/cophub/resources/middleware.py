"""The editors' admin (Wagtail, under /cms/) needs inline scripts and styles and previews pages
in a frame of its own. Public pages keep the strict policy of ``no_third_party_middleware``;
this one only loosens it, for /cms/ alone, to what the admin needs (still nothing from
third parties)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CMS_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self' 'unsafe-inline'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def cms_content_security_policy_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.path.startswith("/cms/"):
            response.headers["Content-Security-Policy"] = CMS_CONTENT_SECURITY_POLICY
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response

    return middleware
