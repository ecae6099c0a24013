"""What every gateway view shares: a typed error for malformed posts and the plain-text
responses gateways get (never a page, never a stack trace)."""

from django.http import HttpResponse, QueryDict


class GatewayPayloadError(ValueError):
    """A gateway post lacks a field it must have; ``code`` is stable, ``field`` names it."""

    def __init__(self, code: str, field: str) -> None:
        self.code = code
        self.field = field
        super().__init__(f"{code}: {field}")


def required_field(form: QueryDict, name: str) -> str:
    """The non-blank value of ``name`` in the posted form, or ``GatewayPayloadError``."""
    value = (form.get(name) or "").strip()
    if not value:
        raise GatewayPayloadError("missing_field", name)
    return value


def bad_payload_response(error: GatewayPayloadError) -> HttpResponse:
    return HttpResponse(
        f"Bad request: {error.code} ({error.field}).\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def forbidden_response(what: str) -> HttpResponse:
    """403 for a post that does not prove it comes from the gateway (``what``: the proof)."""
    return HttpResponse(
        f"Forbidden: bad or missing {what}.\n", status=403, content_type="text/plain; charset=utf-8"
    )


def wrong_method_response() -> HttpResponse:
    """A gateway posts; anything else is a malformed call (400, as for other bad posts)."""
    response = HttpResponse(
        "Bad request: gateways must POST.\n", status=400, content_type="text/plain; charset=utf-8"
    )
    response.headers["Allow"] = "POST"
    return response


def accepted_response() -> HttpResponse:
    """200 with an empty body: received, nothing to answer."""
    return HttpResponse("", status=200, content_type="text/plain; charset=utf-8")
