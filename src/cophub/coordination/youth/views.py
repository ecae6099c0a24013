"""Consultations with children and young people: a public, anonymous answer form (nothing
about the sender is kept: no account, no address, no IP), and for the secretariat the
moderation of answers and the summary for the meeting."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cophub.portal.api_auth import page_user
from cophub.portal.errors import CopHubError
from cophub.portal.pages import error_text, form_errors_from, page_errors

from .. import access
from . import services
from .forms import SummaryForm, YouthAnswerForm
from .models import YouthConsultation, YouthSubmission


def consultation_open(consultation: YouthConsultation) -> bool:
    return consultation.opens_on <= timezone.localdate() <= consultation.closes_on


def _moderation(request: HttpRequest, consultation: YouthConsultation) -> dict[str, Any]:
    if not access.user_may_moderate(request.user):
        return {"moderating": False}
    answers = consultation.submissions.select_related("region")
    return {
        "moderating": True,
        "pending": answers.filter(status=YouthSubmission.Status.PENDING).order_by("pk"),
        "accepted": answers.filter(status=YouthSubmission.Status.ACCEPTED).order_by("pk"),
        "summary_form": SummaryForm(initial={"summary": consultation.summary}),
    }


@require_http_methods(["GET", "POST"])
@page_errors
def consultation_detail(request: HttpRequest, consultation_id: int) -> HttpResponse:
    consultation = access.access_consultation(request.user, consultation_id)
    form = YouthAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.youth_submit(
                consultation=consultation,
                text=form.cleaned_data["text"],
                age_band=form.cleaned_data["age_band"],
                region=form.cleaned_data.get("region") or None,
            )
        except CopHubError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("Thank you! Your answer has been received. It will be read before it is used."),
            )
            return redirect("coordination:consultation", consultation_id=consultation.pk)
    context = {
        "consultation": consultation,
        "is_open": consultation_open(consultation),
        "form": form,
        **_moderation(request, consultation),
    }
    return render(request, "coordination/consultation.html", context)


@login_required
@require_POST
@page_errors
def answer_moderate(request: HttpRequest, answer_id: int) -> HttpResponse:
    user = page_user(request)
    answer = access.access_answer_for_moderate(user, answer_id)
    accept = request.POST.get("accept") == "yes"
    try:
        services.youth_moderate(user=user, submission=answer, accept=accept)
    except CopHubError as error:  # contact details in the answer: said on the page
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("The answer has been accepted.") if accept else _("The answer is hidden.")
        )
    return redirect("coordination:consultation", consultation_id=answer.consultation_id)


@login_required
@require_POST
@page_errors
def summary_set(request: HttpRequest, consultation_id: int) -> HttpResponse:
    user = page_user(request)
    consultation = access.access_consultation_for_summary(user, consultation_id)
    form = SummaryForm(request.POST)
    if form.is_valid():
        services.youth_summary_set(
            user=user, consultation=consultation, summary=form.cleaned_data["summary"]
        )
        messages.success(request, _("The summary has been saved."))
    return redirect("coordination:consultation", consultation_id=consultation.pk)
