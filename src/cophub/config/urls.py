from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cophub.accounts.admin_site import admin_site
from cophub.config.api import api
from cophub.helplines import views as helpline_views
from cophub.operations import views as operations_views
from cophub.portal import views as portal_views

urlpatterns = [
    path("healthz", portal_views.healthz, name="healthz"),
    path("readyz", portal_views.readyz, name="readyz"),
    # Prometheus metrics, for the networks and token of METRICS_* only (404 for anyone else).
    path("metrics", operations_views.metrics, name="metrics"),
    # The quick exit: clears this site's cache and storage, then 303 to the neutral site.
    path("exit/", portal_views.quick_exit, name="quick_exit"),
    path("api/v1/", api.urls),
    path("channels/", include("cophub.helplines.channels.urls")),
    # Hyperlink-auditing pings from the finder's buttons (no language prefix, no identifiers).
    path("used/<str:country>/<str:channel>", helpline_views.contact_used, name="contact_used"),
    # Wagtail: the editors' admin and the document library (staff), outside the language prefix.
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

urlpatterns += i18n_patterns(
    path("", include("cophub.portal.urls")),
    path("accounts/", include("cophub.accounts.urls")),
    path("", include("cophub.helplines.urls")),
    path("strategies/", include("cophub.strategies.urls")),
    path("", include("cophub.statistics.urls")),
    path("admin/", admin_site.urls),
    path("practices/", include("cophub.practices.urls")),
    path("coordination/", include("cophub.coordination.urls")),
    # The resources hub's own pages (search, translations, downloads) before Wagtail's pages.
    path("resources/", include("cophub.resources.urls")),
    path("resources/", include(wagtail_urls)),
    prefix_default_language=True,
)

handler400 = "cophub.portal.views.bad_request"
handler403 = "cophub.portal.views.forbidden"
handler404 = "cophub.portal.views.not_found"
handler500 = "cophub.portal.views.server_error"
