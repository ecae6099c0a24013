"""What an upload check finds wrong with a file (:class:`UploadProblem`, with a stable code and
the parameters its message needs, so a page can show it later in its reader's language), and
the limits the checks are given. Shared by :mod:`cophub.portal.uploads` (the check) and the
readers it calls (:mod:`~cophub.portal.upload_archives`, :mod:`~cophub.portal.upload_tables`),
which import only this module: no import cycle between them."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_MEGABYTE = 1024 * 1024

ProblemCode = Literal[
    "type_not_allowed",
    "too_large",
    "empty",
    "invalid_file",
    "too_many_parts",
    "unpacked_too_large",
    "compression_ratio",
    "too_many_rows",
    "too_many_columns",
    "row_count_unknown",
]
PROBLEM_CODES: frozenset[str] = frozenset(get_args(ProblemCode))
ParamValue = str | int | float | None


@dataclass(frozen=True)
class UploadProblem:
    """What is wrong with a file: a stable ``code``, the numbers or names its message needs
    (to render it again later, in another language: :func:`problem_message`), and the
    message in the language active when the problem was found."""

    code: ProblemCode
    params: Mapping[str, ParamValue] = field(default_factory=dict)
    message: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", problem_message(self.code, self.params))


@dataclass(frozen=True)
class ArchiveLimits:
    """Bounds on a ZIP-based file, read from its central directory before anything opens it."""

    max_unpacked_bytes: int
    max_ratio: float
    max_parts: int


@dataclass(frozen=True)
class TableLimits:
    """Bounds on a table: data rows (the header row not counted) and columns. ``sheet`` is
    the worksheet of an XLSX file the caller will read (None: the first)."""

    max_rows: int
    max_columns: int
    sheet: str | None = None


def _megabytes(size: ParamValue) -> str:
    return f"{float(size or 0) / _MEGABYTE:.1f}"


def _count(value: ParamValue) -> str:
    return str(number_format(value or 0, force_grouping=True))


def problem_message(code: str, params: Mapping[str, ParamValue]) -> str:
    """The message of a problem in the active language (``code`` of :data:`PROBLEM_CODES`)."""
    if code == "type_not_allowed":
        return _("Files of type “%(type)s” are not accepted. Accepted types: %(types)s.") % {
            "type": params.get("type") or "?",
            "types": params.get("types") or "",
        }
    if code == "too_large":
        return _("The file is %(size)s MB; the largest accepted is %(max)s MB.") % {
            "size": _megabytes(params.get("size")),
            "max": _megabytes(params.get("max")),
        }
    if code == "empty":
        return _("The file is empty.")
    if code == "too_many_parts":
        return ngettext(
            "The file is an archive of %(count)s part; the limit is %(max)s.",
            "The file is an archive of %(count)s parts; the limit is %(max)s.",
            int(params.get("count") or 0),
        ) % {"count": _count(params.get("count")), "max": _count(params.get("max"))}
    if code == "unpacked_too_large":
        return _(
            "Unpacked, the file would take %(size)s MB; the largest accepted is %(max)s MB."
        ) % {"size": _megabytes(params.get("size")), "max": _megabytes(params.get("max"))}
    if code == "compression_ratio":
        return _(
            "The file unpacks to %(ratio)s times its packed size; the limit is %(max)s. "
            "Save it again without unusual compression."
        ) % {"ratio": _count(params.get("ratio")), "max": _count(params.get("max"))}
    if code in ("too_many_rows", "too_many_columns"):
        return _table_message(code, params)
    if code == "row_count_unknown":
        return _(
            "The file does not say how many rows it holds; save it again with SPSS or PSPP, "
            "or upload it as CSV or Parquet."
        )
    return _("The content of the file is not a %(type)s document.") % {
        "type": params.get("type") or "?"
    }


def _table_message(code: str, params: Mapping[str, ParamValue]) -> str:
    numbers = {"count": _count(params.get("count")), "max": _count(params.get("max"))}
    if code == "too_many_columns":
        return (
            ngettext(
                "The file has %(count)s column; the limit is %(max)s.",
                "The file has %(count)s columns; the limit is %(max)s.",
                int(params.get("count") or 0),
            )
            % numbers
        )
    if params.get("count") is None:  # the reader stopped at the limit
        return (
            ngettext(
                "The file has more than %(max)s row, the limit.",
                "The file has more than %(max)s rows, the limit.",
                int(params.get("max") or 0),
            )
            % numbers
        )
    return (
        ngettext(
            "The file has %(count)s row; the limit is %(max)s.",
            "The file has %(count)s rows; the limit is %(max)s.",
            int(params.get("count") or 0),
        )
        % numbers
    )


def too_large_problem(*, size: int, max_bytes: int) -> UploadProblem | None:
    """The ``too_large`` problem, on its own: to refuse a file before reading it."""
    if size <= max_bytes:
        return None
    return UploadProblem("too_large", {"size": size, "max": max_bytes})


def table_size_problem(
    *, rows: int | None, columns: int, limits: TableLimits
) -> UploadProblem | None:
    """``too_many_columns`` or ``too_many_rows`` for a table of that shape (``rows`` None:
    the reader stopped after ``limits.max_rows``, so there are more)."""
    if columns > limits.max_columns:
        return UploadProblem("too_many_columns", {"count": columns, "max": limits.max_columns})
    if rows is None or rows > limits.max_rows:
        return UploadProblem("too_many_rows", {"count": rows, "max": limits.max_rows})
    return None
