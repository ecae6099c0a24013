from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cophub.portal.api_auth import page_user
from cophub.portal.pages import page_errors

from . import selectors, services
from .forms import ApiTokenForm


def _me_page(request: HttpRequest, form: ApiTokenForm, issued: str | None = None) -> HttpResponse:
    user = page_user(request)  # login_required guarantees a signed-in user
    return render(
        request,
        "accounts/me.html",
        {
            "organisation": user.organisation,
            "roles": selectors.user_role_assignments(user=user),
            "tokens": selectors.user_api_tokens(user=user),
            "token_form": form,
            "issued_token": issued,
        },
    )


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """My organisation, my roles and my API tokens."""
    return _me_page(request, ApiTokenForm())


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _me_page(request, form)
    issued = services.api_token_create(user=page_user(request), name=form.cleaned_data["name"])
    return _me_page(request, ApiTokenForm(), issued=issued.plaintext)


@login_required
@page_errors
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    services.api_token_revoke(user=page_user(request), token_id=token_id)
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:me")
