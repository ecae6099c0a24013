"""``/metrics``: the Prometheus exposition, for the networks and the token ``access`` allows."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.cache import never_cache

from .access import access_metrics
from .metrics import CONTENT_TYPE, metrics_exposition


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not access_metrics(request):
        raise Http404  # the same answer as a path that does not exist
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return HttpResponse(metrics_exposition(), content_type=CONTENT_TYPE)
