"""The partners page: partner initiatives with their agreements; the secretariat adds and
updates partners there. (Activities are recorded on the secretariat's activities page,
``reports/views.py``, next to the feed they join.)"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cophub.portal.api_auth import page_user
from cophub.portal.pages import page_errors
from cophub.portal.paging import rows_page

from .. import access
from . import selectors, services
from .forms import PartnerForm
from .models import Partner


@require_http_methods(["GET", "POST"])
@page_errors
def partner_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PartnerForm(request.POST or None) if access.user_is_secretariat(user) else None
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        access.access_partners_for_save(user)
        if form is not None and form.is_valid():
            partner = services.partner_save(user=page_user(request), **form.service_args())
            messages.success(
                request, _("The partner “%(name)s” has been saved.") % {"name": partner.name}
            )
            return redirect("coordination:partners")
    page = rows_page(request, selectors.partner_page_rows(), ordering=("name",))
    kinds = dict(Partner.Kind.choices)
    rows = [
        {
            "id": partner.pk,
            "name": partner.name,
            "kind_label": kinds.get(partner.kind, partner.kind),
            "url": partner.url,
            "agreements": partner.agreements.all(),
            "activities": partner.activity_count,
        }
        for partner in page.rows
    ]
    return render(request, "coordination/partners.html", {"rows": rows, "page": page, "form": form})
