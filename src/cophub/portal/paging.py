"""Keyset (cursor) paging for API lists, on Django Ninja's ``CursorPagination``: a page is
found by the position of its first row (``pk >= p``), never by counting the rows before it,
so the last page costs what the first does; ``next`` and ``previous`` are links with an
opaque ``cursor`` (decision 0029).

Ninja's ``@paginate`` decorator needs the operation to return a queryset; operations that
answer either a page or a streamed download (open data) call :func:`cursor_page` instead.
A cursor that is not one of ours is refused with 422 naming ``cursor``, translated."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import CursorPagination
from pydantic import ValidationError as PydanticValidationError

from .errors import FieldErrors


class KeysetPagination(CursorPagination):
    """Rows in primary-key order (stable while rows are added), with translated errors."""

    def __init__(self, *, page_size: int, max_page_size: int, **kwargs: Any) -> None:
        super().__init__(
            ordering=("pk",), page_size=page_size, max_page_size=max_page_size, **kwargs
        )

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        try:
            cursor = self.Cursor.from_encoded_param(pagination.cursor)
            valid = cursor.p is None or (cursor.p.isascii() and cursor.p.isdigit())
            valid = valid and int(cursor.p or 0) < 2**63
        except (NinjaValidationError, PydanticValidationError, UnicodeError):
            valid = False
        if not valid:
            errors = FieldErrors()
            errors.add("cursor", _("This cursor is not valid: follow the next link."))
            errors.raise_if_any()
        return super().paginate_queryset(queryset, pagination, request, **params)


def cursor_page(
    queryset: QuerySet[Any],
    *,
    request: HttpRequest,
    cursor: str | None,
    page_size: int,
    max_page_size: int,
) -> dict[str, Any]:
    """One page of ``queryset`` in primary-key order: ``{"next", "previous", "results"}``,
    ``results`` a list of model instances (``page_size`` is capped at ``max_page_size``)."""
    paginator = KeysetPagination(page_size=page_size, max_page_size=max_page_size)
    page: dict[str, Any] = paginator.paginate_queryset(
        queryset,
        paginator.Input(page_size=page_size, cursor=cursor),
        request,
    )
    return page
