from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cophub.portal.errors import ObjectNotFound

from . import selectors, services
from .forms import ApiTokenForm
from .models import User


def _me_page(request: HttpRequest, form: ApiTokenForm, issued: str | None = None) -> HttpResponse:
    user = cast(User, request.user)  # login_required guarantees a signed-in user
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
    issued = services.api_token_create(
        user=cast(User, request.user), name=form.cleaned_data["name"]
    )
    return _me_page(request, ApiTokenForm(), issued=issued.plaintext)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.api_token_revoke(user=cast(User, request.user), token_id=token_id)
    except ObjectNotFound as missing:
        raise Http404 from missing
    messages.success(request, _("The token has been revoked."))
    return redirect("accounts:me")
