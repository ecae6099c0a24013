"""Pages of liaison statements: the list, registering one for a meeting, and moving one
along its states."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cophub.accounts.access import AnyUser
from cophub.portal.api_auth import page_user
from cophub.portal.errors import CopHubError
from cophub.portal.pages import error_text, form_errors_from, page_errors
from cophub.portal.paging import rows_page

from .. import access
from ..form_fields import errors_renamed
from ..meetings.models import Meeting
from . import services
from .forms import LiaisonForm


def managed_meetings(user: AnyUser) -> list[Meeting]:
    """The coming meetings ``user`` manages (to register liaison statements for)."""
    if not user.is_authenticated:
        return []
    coming = access.meetings_visible_to(user).filter(ends_on__gte=timezone.localdate())
    return [m for m in coming.order_by("starts_on") if access.user_manages_meeting(user, m)]


@require_GET
def liaison_list(request: HttpRequest) -> HttpResponse:
    page = rows_page(request, access.statements_visible_to(request.user))
    return render(
        request,
        "coordination/liaison_list.html",
        {
            "page": page,
            "statements": page.rows,
            "managed_meetings": managed_meetings(request.user),
        },
    )


@login_required
@require_POST
@page_errors
def liaison_advance(request: HttpRequest, statement_id: int) -> HttpResponse:
    user = page_user(request)
    statement = access.access_statement_for_advance(user, statement_id)
    try:
        advanced = services.liaison_advance(
            user=user, statement=statement, status=request.POST.get("status", "")
        )
    except CopHubError as error:  # not a next state: said on the document's page
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("The liaison statement is now “%(status)s”.")
            % {"status": advanced.get_status_display()},
        )
    return redirect("coordination:document", document_id=statement.document_id)


@login_required
@require_http_methods(["GET", "POST"])
@page_errors
def liaison_create(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = page_user(request)
    meeting = access.access_meeting_for_manage(user, meeting_id)
    form = LiaisonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.liaison_create(user=user, meeting=meeting, **form.service_args())
        except CopHubError as error:
            form_errors_from(form, errors_renamed(error, form.field_for))
        else:
            messages.success(
                request,
                _("The liaison statement has been registered as %(number)s.")
                % {"number": statement.document.number()},
            )
            return redirect("coordination:document", document_id=statement.document_id)
    return render(request, "coordination/liaison_form.html", {"meeting": meeting, "form": form})
