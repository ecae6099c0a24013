"""Checks every uploaded file goes through, whichever module accepts it.

Strategies (evidence), statistics (survey microdata, aggregate templates, contact counts),
practices (attachments) and coordination (meeting documents) all take files from users. Each
used to check them its own way, with different orders, messages and content checks, so the
same renamed file could be refused in one place and accepted in another. Here is the one check:

1. the extension is one the caller accepts (``type_not_allowed``);
2. the size is within the caller's limit (``too_large``);
3. the file is not empty (``empty``);
4. the first bytes match the type the extension claims, so a renamed executable is refused
   (``invalid_file``).

Callers keep their own limits and accepted types (settings or arguments), pass the first
:data:`HEAD_BYTES` bytes of the file, and turn an :class:`UploadProblem` into their own error.
Checks specific to one module (practices' safeguarding scans, statistics' validation against a
mapping) run in that module, before or after this one."""

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from types import MappingProxyType
from typing import Literal

from django.utils.translation import gettext as _

HEAD_BYTES = 4096  # how much of the start of a file the content check looks at
_MEGABYTE = 1024 * 1024

ProblemCode = Literal["type_not_allowed", "too_large", "empty", "invalid_file"]
ContentCheck = Callable[[bytes], bool]


@dataclass(frozen=True)
class UploadProblem:
    code: ProblemCode
    message: str  # translated into the active language


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

_ALIASES = MappingProxyType({"pq": "parquet"})


def file_type(name: str) -> str:
    """The type a file name claims: its extension in lower case, aliases resolved ("" if none)."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    return _ALIASES.get(extension, extension)


def _megabytes(size: int) -> str:
    return f"{size / _MEGABYTE:.1f}"


def too_large_problem(*, size: int, max_bytes: int) -> UploadProblem | None:
    """The ``too_large`` problem, on its own: to refuse a file before reading it."""
    if size <= max_bytes:
        return None
    message = _("The file is %(size)s MB; the largest accepted is %(max)s MB.") % {
        "size": _megabytes(size),
        "max": _megabytes(max_bytes),
    }
    return UploadProblem("too_large", message)


def upload_problem(
    *, name: str, size: int, head: bytes, accepted: tuple[str, ...], max_bytes: int
) -> UploadProblem | None:
    """What is wrong with the file, or None when it may be accepted.

    ``accepted`` lists types of :data:`FILE_TYPES`; ``head`` is the file's first
    :data:`HEAD_BYTES` bytes (all of it when shorter)."""
    claimed = file_type(name)
    if claimed not in accepted:
        message = _("Files of type “%(type)s” are not accepted. Accepted types: %(types)s.") % {
            "type": claimed or "?",
            "types": ", ".join(accepted),
        }
        return UploadProblem("type_not_allowed", message)
    too_large = too_large_problem(size=size, max_bytes=max_bytes)
    if too_large is not None:
        return too_large
    if size == 0:
        return UploadProblem("empty", _("The file is empty."))
    if not FILE_TYPES[claimed](head):
        message = _("The content of the file is not a %(type)s document.") % {"type": claimed}
        return UploadProblem("invalid_file", message)
    return None
