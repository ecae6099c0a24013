"""The implementation page: every operative clause with its status, progress and evidence;
for BDT staff a form per clause to set its progress."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cophub.portal.api_auth import page_user
from cophub.portal.errors import CopHubError
from cophub.portal.pages import form_errors_from, page_errors

from .. import access
from ..pages import page_language
from ..reports.models import ClauseProgress
from . import selectors, services
from .forms import ClauseProgressForm


def clause_prefix(clause: str) -> str:
    return f"clause-{clause}"


def _progress_form(row: dict[str, Any], bound: ClauseProgressForm | None) -> ClauseProgressForm:
    if bound is not None and bound.prefix == clause_prefix(row["clause"]):
        return bound
    fields = ("status", "progress", "timeline", "note")
    return ClauseProgressForm(
        initial={name: row[name] for name in fields}, prefix=clause_prefix(row["clause"])
    )


def implementation_page(
    request: HttpRequest, progress_form: ClauseProgressForm | None = None
) -> HttpResponse:
    """Every operative clause; BDT staff also get a form per clause to set its progress."""
    labels = dict(ClauseProgress.Status.choices)
    staff = access.user_may_set_clause_progress(request.user)
    rows = [
        {
            **row,
            "status_label": row["status_label"] or labels[row["status"]],
            "form": _progress_form(row, progress_form) if staff else None,
        }
        for row in selectors.implementation_rows(page_language(request))
    ]
    return render(request, "coordination/implementation.html", {"rows": rows, "staff": staff})


@require_GET
def implementation(request: HttpRequest) -> HttpResponse:
    return implementation_page(request)


@login_required
@require_POST
@page_errors
def clause_progress_set(request: HttpRequest, clause_id: str) -> HttpResponse:
    user = page_user(request)
    access.access_clause_progress_for_set(user)
    form = ClauseProgressForm(request.POST, prefix=clause_prefix(clause_id))
    if form.is_valid():
        try:
            services.clause_progress_set(user=user, clause_id=clause_id, **form.service_args())
        except CopHubError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(f"{reverse('coordination:implementation')}#clause-{clause_id}")
    return implementation_page(request, progress_form=form)
