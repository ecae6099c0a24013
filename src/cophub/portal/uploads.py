"""Checks every uploaded file goes through, whichever module accepts it.

Strategies (evidence), statistics (survey microdata, aggregate templates, contact counts),
practices (attachments), resources (files) and coordination (meeting documents) all take files
from users. Each used to check them its own way, with different orders, messages and content
checks, so the same renamed file could be refused in one place and accepted in another. Here is
the one check, cheapest first, and nothing in it unpacks or parses a whole file:

1. the extension is one the caller accepts (``type_not_allowed``);
2. the size is within the caller's limit (``too_large``);
3. the file is not empty (``empty``);
4. the first bytes match the type the extension claims, so a renamed executable is refused
   (``invalid_file``);
5. a ZIP-based file (XLSX, DOCX, PPTX, OpenDocument, EPUB) is read from its central directory
   only: at most so many parts (``too_many_parts``), at most so many megabytes once unpacked
   (``unpacked_too_large``), packed no tighter than ordinary documents
   (``compression_ratio``); see :mod:`cophub.portal.upload_archives`;
6. when the caller gives :class:`TableLimits`, a table (CSV, XLSX, Parquet, SPSS, Stata) has
   at most so many rows and columns, read from what the file says of itself
   (``too_many_rows``, ``too_many_columns``, ``row_count_unknown``); see
   :mod:`cophub.portal.upload_tables`.

Callers keep their own size limits and accepted types (settings or arguments), pass the file
(its bytes, or a seekable binary file), and turn an :class:`UploadProblem` into their own
error. A problem keeps its code and parameters, so a background task can store it and a page
show it later in its reader's language (:func:`problem_message`). The limits of steps 5 and 6
are settings (``COPHUB_UPLOAD_*``, see ``docs/decisions/0015-bounded-uploads.md``). Checks
specific to one module (practices' safeguarding scans, statistics' validation against a
mapping) run in that module, before or after this one."""

import codecs
import io
from collections.abc import Callable
from pathlib import PurePath
from types import MappingProxyType
from typing import IO

from django.conf import settings

from .upload_archives import archive_problem
from .upload_problems import (
    PROBLEM_CODES,
    ArchiveLimits,
    ProblemCode,
    TableLimits,
    UploadProblem,
    problem_message,
    table_size_problem,
    too_large_problem,
)
from .upload_tables import table_problem

# Callers import the problem and limit types from here, with the check.
__all__ = [
    "FILE_TYPES",
    "PROBLEM_CODES",
    "TABLE_TYPES",
    "ZIP_TYPES",
    "ArchiveLimits",
    "ProblemCode",
    "TableLimits",
    "UploadProblem",
    "archive_limits",
    "file_type",
    "problem_message",
    "table_limits",
    "table_size_problem",
    "too_large_problem",
    "upload_problem",
]

HEAD_BYTES = 4096  # how much of the start of a file the content check looks at
_MEGABYTE = 1024 * 1024

ContentCheck = Callable[[bytes], bool]
Upload = bytes | IO[bytes]  # the file's bytes, or a seekable binary file


def archive_limits() -> ArchiveLimits:
    """The limits of ``settings.COPHUB_UPLOAD_MAX_UNCOMPRESSED_MB`` (200),
    ``COPHUB_UPLOAD_MAX_COMPRESSION_RATIO`` (100) and ``COPHUB_UPLOAD_MAX_ZIP_MEMBERS``
    (10,000)."""
    return ArchiveLimits(
        max_unpacked_bytes=int(
            float(getattr(settings, "COPHUB_UPLOAD_MAX_UNCOMPRESSED_MB", 200)) * _MEGABYTE
        ),
        max_ratio=float(getattr(settings, "COPHUB_UPLOAD_MAX_COMPRESSION_RATIO", 100)),
        max_parts=int(getattr(settings, "COPHUB_UPLOAD_MAX_ZIP_MEMBERS", 10_000)),
    )


def table_limits(*, sheet: str | None = None) -> TableLimits:
    """The limits of survey microdata: ``settings.COPHUB_UPLOAD_MAX_ROWS`` (1,000,000) and
    ``COPHUB_UPLOAD_MAX_COLUMNS`` (1,000)."""
    return TableLimits(
        max_rows=int(getattr(settings, "COPHUB_UPLOAD_MAX_ROWS", 1_000_000)),
        max_columns=int(getattr(settings, "COPHUB_UPLOAD_MAX_COLUMNS", 1_000)),
        sheet=sheet,
    )


def _starts_with(*signatures: bytes) -> ContentCheck:
    def check(head: bytes) -> bool:
        return head.startswith(signatures)

    return check


def _is_stata(head: bytes) -> bool:
    """Stata 13+ files start with a tag; older ones with a format byte from 0x66 to 0x77."""
    return head.startswith(b"<stata_dta>") or (len(head) > 0 and 0x66 <= head[0] <= 0x77)


def _is_text(head: bytes) -> bool:
    """UTF-8 without NUL bytes; a multi-byte character cut at the end of the sample is fine."""
    if b"\x00" in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


_ZIP = _starts_with(b"PK\x03\x04")  # Office Open XML and OpenDocument files are ZIP containers
_JPEG = _starts_with(b"\xff\xd8\xff")

FILE_TYPES: MappingProxyType[str, ContentCheck] = MappingProxyType(
    {
        "pdf": _starts_with(b"%PDF-"),
        "docx": _ZIP,
        "xlsx": _ZIP,
        "pptx": _ZIP,
        "odt": _ZIP,
        "ods": _ZIP,
        "odp": _ZIP,
        "epub": _ZIP,
        "png": _starts_with(b"\x89PNG\r\n\x1a\n"),
        "jpg": _JPEG,
        "jpeg": _JPEG,
        "parquet": _starts_with(b"PAR1"),
        "sav": _starts_with(b"$FL2", b"$FL3"),
        "dta": _is_stata,
        "csv": _is_text,
        "txt": _is_text,
    }
)
"""Each known type, by extension (lower case, no dot), with the check of its first bytes."""

ZIP_TYPES = frozenset(name for name, check in FILE_TYPES.items() if check is _ZIP)
TABLE_TYPES = frozenset({"csv", "xlsx", "parquet", "sav", "dta"})

_ALIASES = MappingProxyType({"pq": "parquet"})


def file_type(name: str) -> str:
    """The type a file name claims: its extension in lower case, aliases resolved ("" if none)."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    return _ALIASES.get(extension, extension)


def _head(content: Upload) -> bytes:
    if isinstance(content, bytes):
        return content[:HEAD_BYTES]
    content.seek(0)
    head = content.read(HEAD_BYTES)
    content.seek(0)
    return head


def _binary(content: Upload) -> IO[bytes]:
    return io.BytesIO(content) if isinstance(content, bytes) else content


def upload_problem(
    *,
    name: str,
    size: int,
    content: Upload,
    accepted: tuple[str, ...],
    max_bytes: int,
    table: TableLimits | None = None,
) -> UploadProblem | None:
    """What is wrong with the file, or None when it may be accepted.

    ``accepted`` lists types of :data:`FILE_TYPES`; ``content`` is the file (its bytes, or a
    seekable binary file, left at its start); ``table`` bounds the rows and columns of a
    table, for callers that will read it as one."""
    claimed = file_type(name)
    if claimed not in accepted:
        return UploadProblem("type_not_allowed", {"type": claimed, "types": ", ".join(accepted)})
    too_large = too_large_problem(size=size, max_bytes=max_bytes)
    if too_large is not None:
        return too_large
    if size == 0:
        return UploadProblem("empty")
    if not FILE_TYPES[claimed](_head(content)):
        return UploadProblem("invalid_file", {"type": claimed})
    limits = archive_limits()
    problem = None
    try:
        if claimed in ZIP_TYPES:
            problem = archive_problem(_binary(content), claimed, limits)
        if problem is None and table is not None and claimed in TABLE_TYPES:
            if not isinstance(content, bytes):
                content.seek(0)  # the archive step may have left it anywhere
            data = content if isinstance(content, bytes) else content.read()
            problem = table_problem(data, claimed, table, limits)
    finally:
        if not isinstance(content, bytes):
            content.seek(0)
    return problem
