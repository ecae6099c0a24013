"""Pages of verification campaigns: the public answer page a link opens (no account), and
BDT's campaign, review and contacts pages. The pages call the same access functions and
services as the API."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cophub.portal.api_auth import page_user
from cophub.portal.errors import InvalidInput
from cophub.portal.pages import form_errors_from, page_errors
from cophub.portal.paging import rows_page

from .. import access, selectors
from ..errors import LinkRefused, ReviewClosed
from ..freshness import entry_is_stale, stale_from
from ..models import VerificationRequest
from ..services import helpline_verify
from . import selectors as campaigns
from . import services
from .forms import CampaignForm, ChangeForm, ChecksForm, ContactsForm, CorrectForm, ReviewForm
from .score import check_labels, verification_summary


def refused_messages() -> dict[str, str]:
    return {
        "invalid": _("This link is not valid. Check that you copied the whole link."),
        "expired": _("This link has expired. BDT will send you a new one in its next campaign."),
        "replaced": _("A newer link was sent to you: use the link of the latest e-mail."),
        "used": _("This entry was already answered through this campaign. Thank you."),
    }


def _refused(request: HttpRequest, refused: LinkRefused) -> HttpResponse:
    reason = refused.details["reason"]
    context = {"title": _("This link cannot be used"), "message": refused_messages()[reason]}
    status = 404 if reason == "invalid" else 410
    return render(request, "helplines/verification/refused.html", context, status=status)


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def hours_text(hours: Any) -> str:
    """Opening hours as published, in words (``None``: not known)."""
    if hours is None:
        return _("Opening hours not known")
    if hours == "24/7":
        return _("Open 24 hours a day, 7 days a week")
    return "; ".join(
        ", ".join(str(WEEKDAYS_ABBR[DAYS.index(day)]) for day in shift["days"])
        + f" {shift['open']}–{shift['close']}"
        for shift in hours
    )


def _entry_context(answer: VerificationRequest) -> dict[str, Any]:
    helpline = selectors.helpline_queryset().get(pk=answer.helpline_id)
    today = timezone.localdate()
    return {
        "helpline": helpline,
        "contacts": [(c, hours_text(c.hours)) for c in helpline.contacts.all()],
        "stale": entry_is_stale(helpline.verified_at, today),
        "stale_from": stale_from(helpline.verified_at),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def answer_page(request: HttpRequest, token: str) -> HttpResponse:
    """The entry as published, "All correct" (POST) and a link to "Something changed"."""
    try:
        answer = access.access_verification_link(token)
    except LinkRefused as refused:
        return _refused(request, refused)
    form = CorrectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_correct(request=answer, name=form.cleaned_data["name"])
        except ReviewClosed:  # another contact answered a moment ago
            return _refused(request, LinkRefused("used"))
        except InvalidInput as error:
            form_errors_from(form, error)
        else:
            return redirect("helplines:verify_done", outcome="correct")
    context = {**_entry_context(answer), "form": form, "token": token}
    context["title"] = _("Is this entry still right?")
    status = 422 if form.errors else 200
    return render(request, "helplines/verification/answer.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def change_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        answer = access.access_verification_link(token)
    except LinkRefused as refused:
        return _refused(request, refused)
    entry = _entry_context(answer)
    form = ChangeForm(request.POST or None, helpline=entry["helpline"])
    if request.method == "POST" and form.is_valid():
        document = services.proposed_entry(entry["helpline"], form.changes())
        try:
            services.answer_changed(
                request=answer,
                name=form.cleaned_data["name"],
                document=document,
                note=form.cleaned_data["note"],
            )
        except ReviewClosed:
            return _refused(request, LinkRefused("used"))
        except InvalidInput as error:
            for problem in error.details.get("errors") or [{"message": error.message}]:
                form.add_error(form.field_for(str(problem.get("field", ""))), problem["message"])
        else:
            return redirect("helplines:verify_done", outcome="changed")
    context = {**entry, "form": form, "token": token, "title": _("What changed?")}
    status = 422 if form.errors else 200
    return render(request, "helplines/verification/change.html", context, status=status)


@require_GET
def answer_done(request: HttpRequest, outcome: str) -> HttpResponse:
    message = (
        _("Thank you: the entry is marked as verified today.")
        if outcome == "correct"
        else _("Thank you: BDT will review the change and update the entry.")
    )
    return render(
        request,
        "helplines/verification/done.html",
        {"title": _("Thank you"), "message": message},
    )


@require_GET
@login_required
@page_errors
def campaigns_page(request: HttpRequest) -> HttpResponse:
    access.access_verification(page_user(request))
    page = rows_page(request, campaigns.campaign_list(), ordering=("-pk",))
    context = {
        "title": _("Verification campaigns"),
        "campaigns": page.rows,
        "page": page,
        "changes": campaigns.changes_to_review(),
        "form": CampaignForm(),
    }
    return render(request, "helplines/verification/campaigns.html", context)


@require_POST
@login_required
@page_errors
def campaign_start(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    access.access_verification(user)
    form = CampaignForm(request.POST)
    if form.is_valid():
        try:
            campaign = services.campaign_start(user=user, **form.cleaned_data)
        except InvalidInput as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The campaign started: its e-mails are being sent."))
            return redirect("helplines:verification_campaign", pk=campaign.pk)
    page = rows_page(request, campaigns.campaign_list(), ordering=("-pk",))
    context = {
        "title": _("Verification campaigns"),
        "campaigns": page.rows,
        "page": page,
        "changes": campaigns.changes_to_review(),
        "form": form,
    }
    return render(request, "helplines/verification/campaigns.html", context, status=422)


@require_GET
@login_required
@page_errors
def campaign_page(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.access_verification_campaign(page_user(request), pk)
    today = timezone.localdate()
    page = rows_page(
        request,
        campaigns.campaign_requests(campaign),
        ordering=("helpline__country_id", "helpline__slug", "email"),
    )
    rows = [
        {
            "request": r,
            "summary": verification_summary(r.helpline, today),
            "stale_from": stale_from(r.helpline.verified_at),
        }
        for r in page.rows
    ]
    context = {
        "title": _("Verification campaign %(number)s") % {"number": campaign.pk},
        "campaign": campaign,
        "rows": rows,
        "page": page,
        "checks": check_labels(),
    }
    return render(request, "helplines/verification/campaign.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@page_errors
def reply_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = page_user(request)
    reply = access.access_verification_reply(user, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data["note"]
        if form.cleaned_data["decision"] == "accept":
            services.change_accept(user=user, request=reply, note=note)
            messages.success(request, _("The change was applied to the entry."))
        else:
            services.change_reject(user=user, request=reply, note=note)
            messages.success(request, _("The change was rejected; the entry is unchanged."))
        return redirect("helplines:verification_campaign", pk=reply.campaign_id)
    context = {
        "title": _("Proposed change: %(name)s") % {"name": reply.helpline.name},
        "reply": reply,
        "diff": campaigns.change_diff(reply) if reply.proposed else [],
        "form": form,
    }
    return render(request, "helplines/verification/reply.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@page_errors
def contacts_page(request: HttpRequest, slug: str) -> HttpResponse:
    """An entry's verification contacts, and the verifications BDT staff make themselves
    (the date checked against the source and which checks were made: the score)."""
    helpline = access.access_verification_contacts(page_user(request), slug)
    recording = request.method == "POST" and "checks-verified_on" in request.POST
    checks_form = ChecksForm(request.POST if recording else None)
    if recording and checks_form.is_valid():
        day = checks_form.cleaned_data["verified_on"]
        with transaction.atomic():
            helpline_verify(helpline=helpline, verified_on=day)
            services.checks_record(
                helpline=helpline, checks=checks_form.cleaned_data["checks"], on=day.isoformat()
            )
        messages.success(request, _("The verification was recorded."))
        return redirect("helplines:verification_contacts", slug=slug)
    current = "\n".join(
        f"{c.email} {c.language}" for c in helpline.verification_contacts.order_by("email")
    )
    posted = request.POST if request.method == "POST" and not recording else None
    form = ContactsForm(posted, initial={"contacts": current})
    if posted is not None and form.is_valid():
        try:
            services.contacts_set(helpline=helpline, contacts=form.entries())
        except InvalidInput as error:
            for problem in error.details.get("errors", []):
                line = int(str(problem["field"]).split("[")[1].split("]")[0]) + 1
                form.add_error(
                    "contacts",
                    _("Line %(line)s: %(message)s") % {"line": line, "message": problem["message"]},
                )
        else:
            messages.success(request, _("The verification contacts were saved."))
            return redirect("helplines:verification_contacts", slug=slug)
    labels = check_labels()
    summary = verification_summary(helpline, timezone.localdate())
    context = {
        "title": _("Verification contacts: %(name)s") % {"name": helpline.name},
        "helpline": helpline,
        "form": form,
        "checks_form": checks_form,
        "score": summary["score"],
        "checks_made": [(labels.get(code, code), day) for code, day in summary["checks"].items()],
    }
    return render(request, "helplines/verification/contacts.html", context)
