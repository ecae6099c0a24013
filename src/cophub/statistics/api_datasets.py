"""The statistics workspace API (signed-in users): datasets, uploads, check reports, preview,
the workflow, grants, releases and the privacy ledger. The same services as the pages."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Body, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from cophub.accounts.models import User
from cophub.portal.api_auth import AUTHENTICATED, api_user
from cophub.portal.errors import ActionForbidden
from cophub.portal.paging import keyset_paginate

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
from .mappings import document_read
from .models import Dataset, Estimate, Release
from .reports import report_view

router = Router(tags=["statistics"], auth=AUTHENTICATED)
Document = dict[str, Any]


def dataset_out(dataset: Dataset, user: User) -> Document:
    """A dataset as its owners see it: never any microdata, only what the check found."""
    actions = access.dataset_actions(user, dataset)
    release = Release.objects.filter(dataset=dataset).first()
    variance = (dataset.check_report or {}).get("variance")
    out: Document = {
        "id": dataset.pk,
        "kind": dataset.kind,
        "country": dataset.country_id,
        "year": dataset.year,
        "title": dataset.title,
        "source": dataset.source,
        "helpline": dataset.helpline.slug if dataset.helpline else None,
        "status": dataset.status,
        "check": dataset.check_status,
        "report": report_view(dataset.check_report) if dataset.check_report else None,
        "disclosure": dataset.disclosure,
        "ci": dataset.ci,
        "framework_version": dataset.framework_version,
        "design": (dataset.mapping or {}).get("design"),
        "variance": variance,
        "variance_text": variance_text(variance),
        "has_microdata": hasattr(dataset, "microdata"),
        "keep_microdata": dataset.keep_microdata,
        "synthetic": dataset.synthetic,
        "submitted_at": dataset.submitted_at,
        "approved_at": dataset.approved_at,
        "reviewed_at": dataset.reviewed_at,
        "release": release.code if release else None,
        "replaces": dataset.replaces.code if dataset.replaces else None,
        "history": [
            {
                "action": event.action,
                "by": event.actor.username if event.actor else None,
                "at": event.at,
                "comment": event.comment,
                "status": event.status_after,
            }
            for event in dataset.events.select_related("actor")
        ],
        "actions": actions.__dict__,
    }
    if actions.grant:
        out["grants"] = list(dataset.grants.values_list("user__username", flat=True))
    if dataset.disclosure == Dataset.Disclosure.DP:
        out["privacy"] = ledger_out(dataset)
    return out


def ledger_out(dataset: Dataset) -> Document:
    entries = list(dataset.ledger.all())
    return {
        "budget_epsilon": dataset.dp_budget,
        "spent_epsilon": sum(e.epsilon for e in entries),
        "releases": [
            {
                "at": e.at,
                "epsilon": e.epsilon,
                "mechanism": e.mechanism,
                "weight_cap": e.weight_cap,
                "queries": e.queries,
                "sampler": e.sampler,
                "description": e.description,
            }
            for e in entries
        ],
    }


def estimate_out(row: Estimate) -> Document:
    return {
        "indicator": row.indicator,
        "measure": row.measure,
        "statistic": row.statistic,
        "breakdown": row.breakdown,
        "breakdown_value": row.breakdown_value,
        "estimate": row.estimate,
        "se": row.se,
        "ci_low": row.ci_low,
        "ci_high": row.ci_high,
        "deff": row.deff,
        "df": row.df,
        "n": row.n,
        "suppressed": row.suppressed,
        "flag": row.flag,
        "flag_text": labels.flag_label(row.flag),
        "comparability": row.comparability,
        "computed": bool(row.method),
        "method": row.method,
    }


class DatasetIn(Schema):
    kind: str
    country: str | None = None
    helpline: str | None = None
    year: int
    title: str = Field(min_length=1, max_length=200)
    source: str = Field(default="", max_length=300)
    disclosure: str = Dataset.Disclosure.DHS
    ci: str = Dataset.Ci.LOGIT
    dp_epsilon: float | None = None
    dp_weight_cap: float | None = None
    dp_budget: float | None = None
    keep_microdata: bool = False
    replaces: str | None = None


def _replaced(user: User, code: str | None) -> Release | None:
    if not code:
        return None
    return access.access_release_for_withdrawal(user, code)


def _dataset_row(d: Dataset) -> Document:
    return {
        "id": d.pk,
        "kind": d.kind,
        "country": d.country_id,
        "year": d.year,
        "title": d.title,
        "status": d.status,
        "check": d.check_status,
    }


@router.get("/datasets", response=list[Document])
@keyset_paginate(ordering=("-created_at", "-pk"), row=_dataset_row)
def dataset_list(request: HttpRequest) -> QuerySet[Dataset]:
    """Datasets you may see (your country's as focal point, those named to you, your
    helpline's), newest first."""
    rows = access.datasets_visible_to(api_user(request)).select_related("country")
    return rows.defer(*access.DATASET_HEAVY_FIELDS)


@router.post("/datasets", response={201: Document})
def dataset_create(request: HttpRequest, payload: DatasetIn) -> Status[Document]:
    """Open a draft: survey or aggregate for a country you are focal point of, or helpline
    contact data for a helpline you edit."""
    user = api_user(request)
    helpline = country = None
    if payload.kind == Dataset.Kind.HELPLINE:
        helpline = access.access_helpline_for_reporting(user, payload.helpline or "")
        country = helpline.country
    else:
        country = access.access_country_for_submission(user, payload.country or "")
    dataset = services.dataset_create(
        actor=user,
        kind=payload.kind,
        country=country,
        year=payload.year,
        title=payload.title,
        source=payload.source,
        disclosure=payload.disclosure,
        ci=payload.ci,
        helpline=helpline,
        dp_epsilon=payload.dp_epsilon,
        dp_weight_cap=payload.dp_weight_cap,
        dp_budget=payload.dp_budget,
        keep_microdata=payload.keep_microdata,
        replaces=_replaced(user, payload.replaces),
    )
    return Status(201, dataset_out(dataset, user))


@router.get("/datasets/{dataset_id}", response=Document)
def dataset_detail(request: HttpRequest, dataset_id: int) -> Document:
    user = api_user(request)
    return dataset_out(access.access_dataset(user, dataset_id), user)


@router.get("/datasets/{dataset_id}/estimates", response=list[Document])
@keyset_paginate(page_size=500, max_page_size=2000, row=estimate_out)
def dataset_estimates(request: HttpRequest, dataset_id: int) -> QuerySet[Estimate]:
    """The preview: every indicator × breakdown cell with SE, CI and the disclosure decision,
    in the order they were computed."""
    dataset = access.access_dataset(api_user(request), dataset_id)
    return dataset.estimates.all()


@router.get("/datasets/{dataset_id}/ledger", response=Document)
def dataset_ledger(request: HttpRequest, dataset_id: int) -> Document:
    """The dataset's privacy ledger: its ε budget and every differentially private run."""
    return ledger_out(access.access_dataset(api_user(request), dataset_id))


@router.put("/datasets/{dataset_id}/mapping", response=Document)
def dataset_mapping(request: HttpRequest, dataset_id: int, payload: Body[Document]) -> Document:
    """Save the variable mapping (format ``cop-survey-mapping/1``)."""
    user = api_user(request)
    dataset = access.access_dataset_for_update(user, dataset_id)
    return dataset_out(
        services.dataset_mapping_set(actor=user, dataset=dataset, document=payload), user
    )


@router.post("/datasets/{dataset_id}/microdata", response={202: Document})
def dataset_microdata(
    request: HttpRequest,
    dataset_id: int,
    file: File[UploadedFile],
    mapping_file: File[UploadedFile | None] = None,
    weight: Form[str] = "",
    strata: Form[str] = "",
    psu: Form[str] = "",
    fpc: Form[str] = "",
    psu_unique: Form[bool] = False,
    variance: Form[str] = "",
    rep_method: Form[str] = "",
    rep_columns: Form[str] = "",
    rep_fay: Form[str] = "",
    rep_multipliers: Form[str] = "",
    rep_df: Form[str] = "",
) -> Status[Document]:
    """Upload survey microdata (CSV, XLSX, Parquet, SPSS .sav, Stata .dta) with an optional
    mapping file and design, which then replaces the mapping's: ``weight``; Taylor
    linearisation on ``strata`` and ``psu`` (codes nested in strata unless ``psu_unique``)
    and ``fpc``; or ``variance=replication`` with ``rep_method`` (brr, fay, jk1, jkn,
    bootstrap, sdr), ``rep_columns`` (a prefix or a comma-separated list), ``rep_fay``,
    ``rep_multipliers`` (one, or one per replicate) and ``rep_df``. Each problem names its
    field. The check runs in the background (``check`` says when it is done); nothing is kept
    of a file that fails."""
    user = api_user(request)
    dataset = access.access_dataset_for_update(user, dataset_id)
    mapping = None
    if mapping_file is not None:
        text = microdata.uploaded_bytes(mapping_file).decode("utf-8", errors="replace")
        mapping = document_read(text, mapping_file.name or "mapping.yaml")
    design = {
        "weight": weight,
        "strata": strata,
        "psu": psu,
        "fpc": fpc,
        "psu_unique": psu_unique,
        "variance": variance,
        "rep_method": rep_method,
        "rep_columns": rep_columns,
        "rep_fay": rep_fay,
        "rep_multipliers": rep_multipliers,
        "rep_df": rep_df,
    }
    updated = microdata.microdata_upload(
        actor=user,
        dataset=dataset,
        name=file.name or "upload",
        content=microdata.uploaded_bytes(file),
        design=design,
        mapping=mapping,
    )
    return Status(202, dataset_out(updated, user))


@router.post("/datasets/{dataset_id}/aggregate", response={202: Document})
def dataset_aggregate(
    request: HttpRequest, dataset_id: int, file: File[UploadedFile]
) -> Status[Document]:
    """Upload a filled-in aggregate template (XLSX). A file of the wrong type, size or
    packing, or with too many rows, is refused at once; the template is then read in the
    background (``check`` says when it is done) and the report names each problem's cell."""
    user = api_user(request)
    dataset = access.access_dataset_for_update(user, dataset_id)
    updated = aggregate_uploads.aggregate_upload(
        actor=user,
        dataset=dataset,
        name=file.name or "upload.xlsx",
        content=microdata.uploaded_bytes(file),
    )
    return Status(202, dataset_out(updated, user))


@router.post("/datasets/{dataset_id}/check/retry", response={202: Document})
def dataset_check_retry(request: HttpRequest, dataset_id: int) -> Status[Document]:
    """Check the stored file again after a check that did not finish (``check`` is
    ``error``); 409 in any other state. Those who may upload to the dataset may retry."""
    user = api_user(request)
    dataset = access.access_dataset_for_check_retry(user, dataset_id)
    return Status(202, dataset_out(checking.dataset_check_retry(actor=user, dataset=dataset), user))


class ContactsIn(Schema):
    rows: list[dict[str, Any]]


@router.post("/datasets/{dataset_id}/contacts", response=Document)
def dataset_contacts(request: HttpRequest, dataset_id: int, payload: ContactsIn) -> Document:
    """Submit a helpline's quarterly contact counts (rows of quarter, topic, channel,
    age_band, sex, contacts); every problem names its row and column."""
    user = api_user(request)
    dataset = access.access_dataset_for_update(user, dataset_id)
    updated = contact_counts.contact_counts_submit(actor=user, dataset=dataset, rows=payload.rows)
    return dataset_out(updated, user)


class CommentIn(Schema):
    comment: str = ""


@router.post("/datasets/{dataset_id}/submit", response=Document)
def dataset_submit(request: HttpRequest, dataset_id: int) -> Document:
    user = api_user(request)
    dataset = access.access_dataset_for_update(user, dataset_id)
    return dataset_out(services.dataset_submit(actor=user, dataset=dataset), user)


@router.post("/datasets/{dataset_id}/approve", response=Document)
def dataset_approve(request: HttpRequest, dataset_id: int, payload: CommentIn) -> Document:
    """The country's focal point approves a submitted dataset."""
    user = api_user(request)
    dataset = access.access_dataset_for_approval(user, dataset_id)
    return dataset_out(
        services.dataset_approve(actor=user, dataset=dataset, comment=payload.comment), user
    )


@router.post("/datasets/{dataset_id}/review", response=Document)
def dataset_review(request: HttpRequest, dataset_id: int, payload: CommentIn) -> Document:
    """BDT staff record their review."""
    user = api_user(request)
    dataset = access.access_dataset_for_review(user, dataset_id)
    return dataset_out(
        services.dataset_review(actor=user, dataset=dataset, comment=payload.comment), user
    )


@router.post("/datasets/{dataset_id}/return", response=Document)
def dataset_return(request: HttpRequest, dataset_id: int, payload: CommentIn) -> Document:
    """Back to draft, with a note saying what to change (focal point or BDT staff)."""
    user = api_user(request)
    try:
        dataset = access.access_dataset_for_approval(user, dataset_id)
    except ActionForbidden:
        dataset = access.access_dataset_for_review(user, dataset_id)
    return dataset_out(
        services.dataset_return(actor=user, dataset=dataset, comment=payload.comment), user
    )


@router.post("/datasets/{dataset_id}/publish", response=Document)
def dataset_publish(request: HttpRequest, dataset_id: int) -> Document:
    """Publish an approved and reviewed dataset (focal point or BDT staff)."""
    user = api_user(request)
    dataset = access.access_dataset_for_approval(user, dataset_id)
    publishing.dataset_publish(actor=user, dataset=dataset)
    return dataset_out(access.access_dataset(user, dataset_id), user)


class GrantIn(Schema):
    username: str = Field(min_length=1, max_length=150)


@router.post("/datasets/{dataset_id}/grants", response={201: Document})
def dataset_grant(request: HttpRequest, dataset_id: int, payload: GrantIn) -> Status[Document]:
    """The focal point names a statistics-office user on the dataset."""
    user = api_user(request)
    dataset = access.access_dataset_for_grant(user, dataset_id)
    services.dataset_grant(actor=user, dataset=dataset, username=payload.username)
    return Status(201, dataset_out(dataset, user))


@router.delete("/datasets/{dataset_id}/grants/{username}", response={204: None})
def dataset_grant_revoke(request: HttpRequest, dataset_id: int, username: str) -> Status[None]:
    user = api_user(request)
    dataset = access.access_dataset_for_grant(user, dataset_id)
    services.dataset_grant_revoke(actor=user, dataset=dataset, username=username)
    return Status(204, None)


class WithdrawIn(Schema):
    reason: str = ""


@router.post("/releases/{code}/withdraw", response=Document)
def release_withdraw(request: HttpRequest, code: str, payload: WithdrawIn) -> Document:
    """Withdraw a release (its country's focal point or BDT staff); it stays in the history."""
    user = api_user(request)
    release = access.access_release_for_withdrawal(user, code)
    withdrawn = publishing.release_withdraw(actor=user, release=release, reason=payload.reason)
    return {
        "release": withdrawn.code,
        "withdrawn_at": withdrawn.withdrawn_at,
        "reason": withdrawn.withdrawal_reason,
    }
