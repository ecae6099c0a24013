"""The statistics workspace pages (signed in): datasets, mapping, uploads, the check report and
preview, the workflow, grants and withdrawal. Permission checks are the ``access`` functions;
a user who may not see a dataset gets 404, one who may see but not act gets 403."""

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cophub.accounts.models import User
from cophub.portal.api_auth import page_user
from cophub.portal.errors import CopHubError, ObjectNotFound
from cophub.portal.pages import page_errors
from cophub.portal.paging import rows_page

from . import (
    access,
    aggregate_uploads,
    checking,
    contact_counts,
    labels,
    microdata,
    publishing,
    services,
)
from .designs import variance_text
from .forms import (
    CommentForm,
    DatasetForm,
    FileForm,
    GrantForm,
    MappingFileForm,
    MappingForm,
    MicrodataForm,
    WithdrawForm,
    errors_to_form,
)
from .mappings import document_read
from .models import Dataset
from .reports import report_view
from .views import observation_view


def _file(request: HttpRequest, name: str) -> UploadedFile[Any]:
    return cast(UploadedFile[Any], request.FILES[name])


@login_required
def dataset_list(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    page = rows_page(
        request,
        access.datasets_visible_to(user)
        .select_related("country", "helpline")
        .defer(*access.DATASET_HEAVY_FIELDS),
        ordering=("-created_at",),
    )
    may_create = access.countries_held(user).exists() or access.helplines_reported_by(user).exists()
    return render(
        request,
        "statistics/workspace/list.html",
        {"datasets": page.rows, "page": page, "may_create": may_create},
    )


def _create(user: User, form: DatasetForm) -> Dataset | None:
    data = form.cleaned_data
    try:
        helpline = country = None
        if data["kind"] == Dataset.Kind.HELPLINE:
            helpline = access.access_helpline_for_reporting(user, data.get("helpline") or "")
            country = helpline.country
        else:
            country = access.access_country_for_submission(user, data.get("country") or "")
        replaces = None
        if data.get("replaces"):
            replaces = access.access_release_for_withdrawal(user, data["replaces"].strip())
        return services.dataset_create(
            actor=user,
            kind=data["kind"],
            country=country,
            year=data["year"],
            title=data["title"],
            source=data.get("source") or "",
            disclosure=data["disclosure"],
            ci=data["ci"],
            helpline=helpline,
            dp_epsilon=data.get("dp_epsilon"),
            dp_weight_cap=data.get("dp_weight_cap"),
            dp_budget=data.get("dp_budget"),
            keep_microdata=bool(data.get("keep_microdata")),
            replaces=replaces,
        )
    except ObjectNotFound:
        form.add_error("replaces", _("There is no such release."))
    except CopHubError as error:
        errors_to_form(error, form)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def dataset_new(request: HttpRequest) -> HttpResponse:
    user = page_user(request)
    form = DatasetForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        dataset = _create(user, form)
        if dataset is not None:
            messages.success(request, _("The dataset has been opened as a draft."))
            return redirect("statistics:dataset", dataset_id=dataset.pk)
    return render(request, "statistics/workspace/new.html", {"form": form})


@login_required
@page_errors
def dataset_detail(request: HttpRequest, dataset_id: int) -> HttpResponse:
    user = page_user(request)
    dataset = access.access_dataset(user, dataset_id)
    actions = access.dataset_actions(user, dataset)
    ledger = list(dataset.ledger.all())
    return render(
        request,
        "statistics/workspace/detail.html",
        {
            "dataset": dataset,
            "actions": actions,
            "report": report_view(dataset.check_report) if dataset.check_report else None,
            "history": dataset.events.select_related("actor"),
            "grants": dataset.grants.select_related("user") if actions.grant else [],
            "ledger": ledger,
            "ledger_spent": sum(e.epsilon for e in ledger),
            "microdata": getattr(dataset, "microdata", None),
            "release": getattr(dataset, "release", None),
            "comment_form": CommentForm(),
            "grant_form": GrantForm(),
        },
    )


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def dataset_mapping(request: HttpRequest, dataset_id: int) -> HttpResponse:
    """The variable mapping, edited line by line or uploaded as a file."""
    user = page_user(request)
    dataset = access.access_dataset_for_update(user, dataset_id)
    language = get_language() or "en"
    form = MappingForm(document=dataset.mapping, language=language)
    file_form = MappingFileForm()
    if request.method == "POST":
        try:
            if "mapping_file" in request.FILES:
                file_form = MappingFileForm(request.POST, request.FILES)
                upload = _file(request, "mapping_file")
                text = microdata.uploaded_bytes(upload).decode("utf-8", errors="replace")
                document = document_read(text, upload.name or "mapping.yaml")
                target: Any = file_form
            else:
                form = MappingForm(request.POST, document=dataset.mapping, language=language)
                document = form.document(country=dataset.country_id, year=dataset.year)
                target = form
            if document is not None:
                services.dataset_mapping_set(actor=user, dataset=dataset, document=document)
                messages.success(request, _("The variable mapping has been saved."))
                return redirect("statistics:dataset", dataset_id=dataset.pk)
        except CopHubError as error:
            errors_to_form(error, target)
    return render(
        request,
        "statistics/workspace/mapping.html",
        {"dataset": dataset, "form": form, "file_form": file_form},
    )


def _upload(request: HttpRequest, user: User, dataset: Dataset, form: Any) -> Dataset:
    upload = _file(request, "file")
    name = upload.name or "upload"
    content = microdata.uploaded_bytes(upload)
    if dataset.kind == Dataset.Kind.SURVEY:
        mapping = None
        if "mapping_file" in request.FILES:
            mapping_upload = _file(request, "mapping_file")
            text = microdata.uploaded_bytes(mapping_upload).decode("utf-8", "replace")
            mapping = document_read(text, mapping_upload.name or "mapping.yaml")
        return microdata.microdata_upload(
            actor=user,
            dataset=dataset,
            name=name,
            content=content,
            design=form.cleaned_data,
            mapping=mapping,
        )
    if dataset.kind == Dataset.Kind.AGGREGATE:
        return aggregate_uploads.aggregate_upload(
            actor=user, dataset=dataset, name=name, content=content
        )
    return contact_counts.contact_counts_upload(
        actor=user, dataset=dataset, name=name, content=content
    )


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def dataset_upload(request: HttpRequest, dataset_id: int) -> HttpResponse:
    """Upload the dataset's file: survey microdata, a filled-in aggregate template, or a CSV
    of helpline contact counts. A refused file leaves nothing behind."""
    user = page_user(request)
    dataset = access.access_dataset_for_update(user, dataset_id)
    form_class = MicrodataForm if dataset.kind == Dataset.Kind.SURVEY else FileForm
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            uploaded = _upload(request, user, dataset, form)
        except CopHubError as error:
            errors_to_form(error, form)
        else:
            if uploaded.check_status == Dataset.Check.PENDING:
                messages.success(
                    request,
                    _(
                        "The file has been received; it is being checked. Reload the "
                        "dataset's page in a moment to see the report."
                    ),
                )
            else:
                messages.success(request, _("The file has been received and checked."))
            return redirect("statistics:dataset", dataset_id=dataset.pk)
    return render(request, "statistics/workspace/upload.html", {"dataset": dataset, "form": form})


@login_required
@page_errors
def dataset_preview(request: HttpRequest, dataset_id: int) -> HttpResponse:
    """Every indicator × breakdown with SE, CI and the disclosure decision (owners only)."""
    dataset = access.access_dataset(page_user(request), dataset_id)
    indicator = request.GET.get("indicator", "")
    rows = dataset.estimates.all()
    indicators = list(dict.fromkeys(rows.values_list("indicator", flat=True)))
    if indicator:
        rows = rows.filter(indicator=indicator)
    cells = []
    for row in rows:
        view = observation_view(row, percent=row.statistic == "proportion")  # type: ignore[arg-type]
        view["indicator_name"] = labels.indicator_name(row.indicator)
        view["breakdown_label"] = labels.breakdown_label(row.breakdown)
        view["level"] = labels.level_label(row.breakdown_value)
        cells.append(view)
    return render(
        request,
        "statistics/workspace/preview.html",
        {
            "dataset": dataset,
            "cells": cells,
            "indicators": [{"id": i, "name": labels.indicator_name(i)} for i in indicators],
            "chosen": indicator,
            "variance": variance_text((dataset.check_report or {}).get("variance")),
        },
    )


WORKFLOW: dict[str, tuple[Callable[..., Dataset], Callable[..., Any]]] = {
    "submit": (access.access_dataset_for_update, services.dataset_submit),
    "approve": (access.access_dataset_for_approval, services.dataset_approve),
    "review": (access.access_dataset_for_review, services.dataset_review),
    "return": (access.access_dataset_for_approval, services.dataset_return),
    "publish": (access.access_dataset_for_approval, publishing.dataset_publish),
    "retry": (access.access_dataset_for_check_retry, checking.dataset_check_retry),
}
DONE = {
    "submit": _("The dataset has been submitted to the focal point."),
    "approve": _("The dataset has been approved."),
    "review": _("Your review has been recorded."),
    "return": _("The dataset has been returned for changes."),
    "publish": _("The dataset has been published."),
    "retry": _("The file is being checked again. Reload this page in a moment to see the report."),
}


@login_required
@page_errors
@require_POST
def dataset_action(request: HttpRequest, dataset_id: int, action: str) -> HttpResponse:
    """One workflow step (submit, approve, review, return, publish), or retrying a check that
    did not finish."""
    if action not in WORKFLOW:
        raise Http404
    user = page_user(request)
    fetch, step = WORKFLOW[action]
    if (
        action == "return"
        and access.dataset_actions(user, access.access_dataset(user, dataset_id)).review
    ):
        fetch = access.access_dataset_for_review
    dataset = fetch(user, dataset_id)
    comment = CommentForm(request.POST)
    text = comment.cleaned_data.get("comment", "") if comment.is_valid() else ""
    kwargs: dict[str, Any] = {"actor": user, "dataset": dataset}
    if action in ("approve", "review", "return"):
        kwargs["comment"] = text
    try:
        step(**kwargs)
    except CopHubError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(DONE[action]))
    return redirect("statistics:dataset", dataset_id=dataset_id)


@login_required
@page_errors
@require_POST
def dataset_grant(request: HttpRequest, dataset_id: int) -> HttpResponse:
    user = page_user(request)
    dataset = access.access_dataset_for_grant(user, dataset_id)
    form = GrantForm(request.POST)
    if form.is_valid():
        try:
            services.dataset_grant(
                actor=user, dataset=dataset, username=form.cleaned_data["username"]
            )
        except CopHubError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Access has been granted."))
    return redirect("statistics:dataset", dataset_id=dataset_id)


@login_required
@page_errors
@require_POST
def dataset_grant_revoke(request: HttpRequest, dataset_id: int) -> HttpResponse:
    user = page_user(request)
    dataset = access.access_dataset_for_grant(user, dataset_id)
    services.dataset_grant_revoke(
        actor=user, dataset=dataset, username=request.POST.get("username", "")
    )
    messages.success(request, _("Access has been revoked."))
    return redirect("statistics:dataset", dataset_id=dataset_id)


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def release_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    """Withdraw a release (it stays listed as withdrawn); to correct it, open a new dataset
    that replaces it."""
    user = page_user(request)
    release = access.access_release_for_withdrawal(user, code)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            publishing.release_withdraw(
                actor=user, release=release, reason=form.cleaned_data["reason"]
            )
        except CopHubError as error:
            errors_to_form(error, form)
        else:
            messages.success(request, _("The release has been withdrawn."))
            return redirect("statistics:dataset", dataset_id=release.dataset_id)
    return render(request, "statistics/workspace/withdraw.html", {"release": release, "form": form})
