"""Keyset (cursor) paging for every list, on Django Ninja's ``CursorPagination``: a page is
found by the position of its first row, never by counting the rows before it, so the last
page costs what the first does; ``next`` and ``previous`` are links with an opaque
``cursor`` (decisions 0029 and 0036).

Rows are in a stable, unique order: the list's sort key(s) and then the primary key, so two
rows never share a position. With the primary key alone the position is the key itself
(``pk >= p``); with a sort key it is the row's values of every ordering field, and the next
page starts where ``(key…, pk)`` follows it (``key > k OR (key = k AND pk >= p)``).

API operations use :func:`keyset_paginate` (Ninja's ``@paginate`` with a documented default
and maximum page size); operations that answer either a page or a streamed download (open
data) call :func:`cursor_page`. A cursor that is not one of ours is refused with 422 naming
``cursor``, translated."""

import json
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, NoReturn
from unicodedata import category
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import CursorPagination, paginate
from pydantic import ValidationError as PydanticValidationError

from .errors import FieldErrors, InvalidInput

# What becomes of a page's model instances before they are serialised: a list of output
# rows, built from the page only (a query per page, not per row), given the operation's
# parameters (its filters).
Rows = Callable[[list[Any], dict[str, Any]], list[Any]]

NEXT_HELP = "Link to the next page (the same query with a cursor); null on the last page."
PREVIOUS_HELP = "Link to the page before this one; null on the first page."
CURSOR_HELP = "Opaque position of a page: follow the next or previous link, do not build it."


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _value(item: Any, name: str) -> Any:
    """``item``'s value of an ordering field, across relations (``item__section__position``:
    the queryset selects the related rows)."""
    for part in name.split("__"):
        item = getattr(item, part)
    return item


def _field(queryset: QuerySet[Any], name: str) -> Any:
    """The model field (or annotation) an ordering name reads, for checking a cursor."""
    if name in queryset.query.annotations:
        return queryset.query.annotations[name].output_field
    model = queryset.model
    *relations, last = name.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.pk if last == "pk" else model._meta.get_field(last)


def _refuse_cursor() -> NoReturn:
    errors = FieldErrors()
    errors.add("cursor", _("This cursor is not valid: follow the next link."))
    raise InvalidInput(details={"errors": errors.errors})


class KeysetPagination(CursorPagination):
    """Rows in ``ordering`` and then primary-key order (stable while rows are added), with
    translated errors; ``rows`` turns a page's instances into the operation's output rows."""

    class Output(Schema):
        previous: str | None = Field(..., description=PREVIOUS_HELP)
        next: str | None = Field(..., description=NEXT_HELP)
        results: list[Any]

    def __init__(
        self,
        *,
        page_size: int,
        max_page_size: int,
        ordering: Sequence[str] = (),
        rows: Rows | None = None,
        **kwargs: Any,
    ) -> None:
        ordering = tuple(ordering)
        if not ordering or ordering[-1].lstrip("-") != "pk":
            ordering = (*ordering, "pk")  # the primary key last makes every position unique
        super().__init__(
            ordering=ordering,
            page_size=page_size,
            max_page_size=max_page_size,
            **kwargs,
        )
        self.rows = rows

    # --- positions: the primary key alone, or every ordering field's value (JSON) ---

    def _names(self) -> list[str]:
        return [name.lstrip("-") for name in self.ordering]

    def _get_position(self, item: Any) -> str:
        if len(self.ordering) == 1:
            return str(item.pk)
        return json.dumps([_plain(_value(item, name)) for name in self._names()])

    def _decode(self, queryset: QuerySet[Any], position: str) -> list[Any] | None:
        """The position's values as the fields' Python values; None if it is not one of
        ours (wrong shape, a value the field cannot hold)."""
        if len(self.ordering) == 1:
            values: Any = [position]
        else:
            try:
                values = json.loads(position)
            except (ValueError, RecursionError):
                return None
        if not isinstance(values, list) or len(values) != len(self.ordering):
            return None
        decoded = []
        for name, value in zip(self._names(), values, strict=True):
            field = _field(queryset, name)
            if isinstance(value, bool) or not isinstance(value, str | int):
                return None
            if isinstance(value, str) and any(category(c) in ("Cc", "Cs") for c in value):
                return None  # (no stored value holds them; PostgreSQL refuses NUL)
            try:
                python = field.to_python(value)
            except (DjangoValidationError, TypeError, ValueError):
                return None
            if python is None or (isinstance(python, int) and not 0 <= python < 2**63):
                return None
            decoded.append(python)
        return decoded

    def _find_position(self, queryset: QuerySet[Any], cursor: Any) -> QuerySet[Any]:
        if cursor.p is None:
            return queryset
        values = self._decode(queryset, cursor.p)
        if values is None:  # (paginate_queryset checked it first)
            _refuse_cursor()
        # (a, b, pk) from (x, y, z), forward: a > x, or a = x and b > y, or a = x, b = y and
        # pk >= z; a descending field compares the other way, a reversed cursor flips all.
        condition = Q()
        equal: dict[str, Any] = {}
        last = len(self.ordering) - 1
        for index, (marker, value) in enumerate(zip(self.ordering, values, strict=True)):
            name = marker.lstrip("-")
            ascending = marker.startswith("-") == cursor.r
            lookup = ("gt" if ascending else "lt") + ("e" if index == last else "")
            condition |= Q(**equal, **{f"{name}__{lookup}": value})
            equal[name] = value
        first = self.ordering[0]
        bound = "gte" if first.startswith("-") == cursor.r else "lte"
        # The first field's bound alone lets the database use an index on it.
        return queryset.filter(Q(**{f"{first.lstrip('-')}__{bound}": values[0]}), condition)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        try:
            cursor = self.Cursor.from_encoded_param(pagination.cursor)
            valid = cursor.p is None or self._decode(queryset, cursor.p) is not None
        except (NinjaValidationError, PydanticValidationError, UnicodeError):
            valid = False
        if not valid:
            _refuse_cursor()
        page = super().paginate_queryset(queryset, pagination, request, **params)
        if self.rows is not None:
            page["results"] = self.rows(list(page["results"]), params)
        return page


@cache
def _page_input(default: int, maximum: int) -> type[Schema]:
    """The query parameters of a list: one class per (default, maximum), named after them
    (OpenAPI components are keyed by class name)."""
    fields = {
        "page_size": (
            int,
            Field(
                default,
                ge=1,
                le=maximum,
                description=f"Rows per page: {default} unless given, at most {maximum}.",
            ),
        ),
        "cursor": (str | None, Field(None, description=CURSOR_HELP)),
    }
    annotations = {name: kind for name, (kind, _field) in fields.items()}
    namespace = {name: value for name, (_kind, value) in fields.items()}
    return type(
        f"PageOf{default}UpTo{maximum}",
        (Schema,),
        {"__annotations__": annotations, "__module__": __name__, **namespace},
    )


def keyset_paginate(
    *,
    page_size: int = 50,
    max_page_size: int = 200,
    ordering: Sequence[str] = (),
    rows: Rows | None = None,
    row: Callable[[Any], Any] | None = None,
) -> Callable[..., Any]:
    """Ninja's ``@paginate`` for an operation declared ``response=list[X]`` that returns a
    queryset: the answer becomes ``{"next", "previous", "results"}`` with at most
    ``max_page_size`` rows, and ``page_size`` (default and maximum) and ``cursor`` are
    documented query parameters of the operation in the OpenAPI schema. ``rows`` builds the
    page's output rows from its instances at once; ``row`` builds each one alone."""
    if row is not None:
        each = row

        def rows(page: list[Any], params: dict[str, Any]) -> list[Any]:
            return [each(item) for item in page]

    Input = _page_input(page_size, max_page_size)
    pagination = type("KeysetPagination", (KeysetPagination,), {"Input": Input})
    return paginate(
        pagination,
        page_size=page_size,
        max_page_size=max_page_size,
        ordering=tuple(ordering),
        rows=rows,
    )


def cursor_page(
    queryset: QuerySet[Any],
    *,
    request: HttpRequest,
    cursor: str | None,
    page_size: int,
    max_page_size: int,
    ordering: Sequence[str] = (),
) -> dict[str, Any]:
    """One page of ``queryset`` in ``ordering`` then primary-key order: ``{"next",
    "previous", "results"}``, ``results`` a list of model instances (``page_size`` is
    capped at ``max_page_size``)."""
    paginator = KeysetPagination(
        page_size=page_size, max_page_size=max_page_size, ordering=ordering
    )
    page: dict[str, Any] = paginator.paginate_queryset(
        queryset,
        paginator.Input(page_size=page_size, cursor=cursor),
        request,
    )
    return page


def numbered_page(
    rows: Sequence[Any],
    *,
    request: HttpRequest,
    cursor: str | None,
    page_size: int,
    number: Callable[[Any], int],
) -> dict[str, Any]:
    """One page of rows kept together in one stored document (a report's records in its
    snapshot), already in the ascending order of their unique ``number``: the same
    ``{"next", "previous", "results"}`` and the same opaque cursor as the lists of the
    database (its position is the number of the page's first row), refused alike when forged."""
    numbers = [number(row) for row in rows]
    start = 0
    if cursor:
        try:
            position = KeysetPagination.Cursor.from_encoded_param(cursor)
        except (NinjaValidationError, PydanticValidationError, UnicodeError):
            _refuse_cursor()
        if position.r or position.o or not (position.p or "").isdigit():
            _refuse_cursor()
        start = bisect_left(numbers, int(position.p or 0))
    end = start + page_size
    url = request.build_absolute_uri()

    def link(index: int) -> str | None:
        at = KeysetPagination.Cursor(p=str(numbers[index]))
        return KeysetPagination._add_cursor_to_URL(url, at)

    return {
        "next": link(end) if end < len(rows) else None,
        "previous": link(max(0, start - page_size)) if start > 0 else None,
        "results": list(rows[start:end]),
    }


@dataclass(frozen=True)
class RowsPage:
    """One page of a paged HTML table: its rows and the links to the pages around it
    (a path and query on this site, or None at either end)."""

    rows: list[Any]
    next: str | None
    previous: str | None


def _on_site(link: str | None) -> str | None:
    if link is None:
        return None
    parts = urlsplit(link)
    return urlunsplit(("", "", parts.path, parts.query, ""))


def rows_page(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    ordering: Sequence[str] = (),
    page_size: int = 50,
) -> RowsPage:
    """The page of ``queryset`` that the request's ``cursor`` names (the first without one),
    for pages that show a table: the same keyset cursor as the API; the template includes
    ``portal/pager.html`` with ``page`` for the "Previous page" / "Next page" links."""
    page = cursor_page(
        queryset,
        request=request,
        cursor=request.GET.get("cursor") or None,
        page_size=page_size,
        max_page_size=page_size,
        ordering=ordering,
    )
    return RowsPage(list(page["results"]), _on_site(page["next"]), _on_site(page["previous"]))
