"""Reads of the document register (what a user may see comes from ``access``)."""

from django.db.models import QuerySet
from django.http import FileResponse

from cophub.accounts.access import AnyUser
from cophub.portal.errors import ObjectNotFound

from .. import access
from ..meetings.models import Meeting
from .models import Document


def meeting_documents(user: AnyUser, meeting: Meeting) -> QuerySet[Document]:
    """The documents of ``meeting`` that ``user`` may see, with what their rows show."""
    return (
        access.meeting_documents_visible_to(user, meeting)
        .select_related("meeting__body", "liaison")
        .prefetch_related("versions", "liaison__replies")
    )


def document_file_response(document: Document, language: str) -> FileResponse:
    """The file of ``document``'s ``language`` version (404 when it has none)."""
    version = document.versions.filter(language=language).first()
    if version is None or not version.file:
        raise ObjectNotFound()
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.file_name or f"{document.number(language)}",
    )
