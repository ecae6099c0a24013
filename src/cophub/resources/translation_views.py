"""The translation pages for staff and translators: the status matrix (item × language) and,
per item and language, a workspace to export, import, draft by machine, submit, review and
approve. The same services as the API; the same access checks."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail_localize.machine_translators import get_machine_translator

from cophub.accounts.models import User
from cophub.portal.api_auth import page_user
from cophub.portal.errors import ActionForbidden, ObjectNotFound
from cophub.portal.pages import page_errors
from cophub.portal.paging import rows_page

from . import access, selectors, services, translation_workflow
from .forms import DownloadFileForm, TranslationImportForm, TranslationReturnForm
from .languages import content_languages
from .models import ResourceDownloadFile, TrackedItem
from .translation_status import STATUS_LABELS, CellStatus


@login_required
@page_errors
@require_GET
def translations(request: HttpRequest) -> HttpResponse:
    access.access_translation_matrix(request.user)
    languages = content_languages()
    language = request.GET.get("language") if request.GET.get("language") in languages else None
    status = request.GET.get("status") if request.GET.get("status") in set(CellStatus) else None
    kind = request.GET.get("kind") if request.GET.get("kind") in TrackedItem.Kind.values else None
    # A page of tracked items (with ``status``, the page's items in it: a page may be short).
    page = rows_page(request, selectors.translation_items(kind=kind), ordering=("kind", "title"))
    rows = selectors.matrix_rows(page.rows, language=language, status=status)
    return render(
        request,
        "resources/translations/matrix.html",
        {
            "rows": rows,
            "page": page,
            "languages": languages,
            "my_languages": access.user_translation_languages(request.user),
            "selected": {"language": language or "", "status": status or "", "kind": kind or ""},
            "statuses": [(s.value, STATUS_LABELS[s]) for s in CellStatus if s != CellStatus.SOURCE],
            "kinds": TrackedItem.Kind.choices,
        },
    )


def _workspace_page(request: HttpRequest, item: TrackedItem, language: str) -> HttpResponse:
    user = request.user
    try:
        access.access_translation_for_work(user, item.pk, language)
        may_work = True
    except ActionForbidden:
        may_work = False
    workspace = selectors.translation_workspace(item, language)
    record = workspace.record
    may_review = False
    if may_work and record is not None:
        try:
            access.access_translation_for_review(user, item.pk, language)
            may_review = True
        except ActionForbidden:
            may_review = False
    return render(
        request,
        "resources/translations/workspace.html",
        {
            "workspace": workspace,
            "may_work": may_work,
            "may_review": may_review,
            "machine_available": get_machine_translator() is not None,
            "import_form": TranslationImportForm(),
            "return_form": TranslationReturnForm(),
            "file_form": DownloadFileForm(),
        },
    )


def _run(request: HttpRequest, item: TrackedItem, language: str) -> str:
    """Carry out the POSTed action; returns the message to show."""
    user = page_user(request)
    action = request.POST.get("action", "")
    actions: dict[str, Callable[[], str]] = {
        "start": lambda: _start(user, item, language),
        "import": lambda: _import(request, user, item, language),
        "machine": lambda: _machine(user, item, language),
        "submit": lambda: _submit(user, item, language),
        "approve": lambda: _approve(user, item, language),
        "return": lambda: _return(request, user, item, language),
        "upload": lambda: _upload(request, user, item, language),
    }
    if action not in actions:
        raise Http404
    return actions[action]()


def _start(user: User, item: TrackedItem, language: str) -> str:
    access.access_translation_for_work(user, item.pk, language)
    translation_workflow.translation_start(item=item, language=language, user=user)
    return _("The translation has been started.")


def _import(request: HttpRequest, user: User, item: TrackedItem, language: str) -> str:
    access.access_translation_for_work(user, item.pk, language)
    form = TranslationImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _("Choose a PO or XLIFF file to import.")
    upload = form.cleaned_data["file"]
    summary = translation_workflow.translation_import(
        item=item, language=language, data=upload.read(), filename=upload.name, user=user
    )
    return _("%(imported)s translations imported; %(translated)s of %(total)s segments done.") % {
        "imported": summary.imported,
        "translated": summary.translated,
        "total": summary.total,
    }


def _machine(user: User, item: TrackedItem, language: str) -> str:
    access.access_translation_for_work(user, item.pk, language)
    translation_workflow.translation_machine_draft(item=item, language=language, user=user)
    return _("A machine draft was made. It stays marked as such until it is reviewed.")


def _submit(user: User, item: TrackedItem, language: str) -> str:
    access.access_translation_for_work(user, item.pk, language)
    translation_workflow.translation_submit(item=item, language=language, user=user)
    return _("The translation has been submitted for review.")


def _approve(user: User, item: TrackedItem, language: str) -> str:
    record = access.access_translation_for_review(user, item.pk, language)
    translation_workflow.translation_approve(record=record, user=user)
    return _("The translation has been approved and published.")


def _return(request: HttpRequest, user: User, item: TrackedItem, language: str) -> str:
    record = access.access_translation_for_review(user, item.pk, language)
    translation_workflow.translation_return(
        record=record, user=user, note=request.POST.get("note", "")
    )
    return _("The translation has been returned to the translators.")


def _upload(request: HttpRequest, user: User, item: TrackedItem, language: str) -> str:
    download = access.access_download_for_upload(user, int(item.key), language)
    form = DownloadFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _("Choose a file to upload.")
    services.download_file_store(
        download=download,
        language=language,
        uploaded=form.cleaned_data["file"],
        user=user,
        machine=form.cleaned_data["machine"],
    )
    return _("The file has been stored as a draft translation.")


@login_required
@page_errors
@require_http_methods(["GET", "POST"])
def workspace(request: HttpRequest, item_id: int, language: str) -> HttpResponse:
    """A refused step (a wrong state, an unreadable file) comes back to this page as a
    message, through ``page_errors``."""
    item = access.access_tracked_item(request.user, item_id)
    if language not in content_languages():
        raise ObjectNotFound()
    if request.method == "POST":
        messages.success(request, _run(request, item, language))
        return redirect("resources:workspace", item_id=item.pk, language=language)
    return _workspace_page(request, item, language)


@login_required
@page_errors
@require_GET
def export(request: HttpRequest, item_id: int, language: str) -> HttpResponse:
    item = access.access_translation_for_work(request.user, item_id, language)
    exported = translation_workflow.translation_export(
        item=item, language=language, file_format=request.GET.get("format", "po")
    )
    response = HttpResponse(
        exported.content, content_type=f"{exported.content_type}; charset=utf-8"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@login_required
@page_errors
@require_GET
def file(request: HttpRequest, item_id: int, language: str) -> HttpResponseBase:
    """A file of a download item, for the staff and translators reviewing it (public downloads
    go through the counted download instead)."""
    item = access.access_tracked_item(request.user, item_id)
    if item.kind != TrackedItem.Kind.FILE:
        raise Http404
    stored = (
        ResourceDownloadFile.objects.select_related("document")
        .filter(download_id=int(item.key), language=language)
        .first()
    )
    if stored is None:
        raise Http404
    response = FileResponse(
        stored.document.file.open("rb"), as_attachment=True, filename=stored.document.filename
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
