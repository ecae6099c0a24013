"""Which evidence files are accepted: by extension *and* by content (a renamed executable is
refused), and by size. Both limits are settings with defaults:

- ``COPHUB_STRATEGIES_EVIDENCE_MAX_BYTES`` (default 10 MB);
- ``COPHUB_STRATEGIES_EVIDENCE_TYPES``: extensions accepted, among those below."""

from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# The first bytes of each accepted type. DOCX and ODT are ZIP containers.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
DEFAULT_TYPES = ("pdf", "docx", "odt", "png", "jpg", "jpeg")


def evidence_max_bytes() -> int:
    return int(getattr(settings, "COPHUB_STRATEGIES_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def evidence_types() -> tuple[str, ...]:
    configured = getattr(settings, "COPHUB_STRATEGIES_EVIDENCE_TYPES", DEFAULT_TYPES)
    return tuple(t.lower() for t in configured if t.lower() in SIGNATURES)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def evidence_file_problem(upload: "UploadedFile[bytes]") -> str | None:
    """A translated sentence saying what is wrong with ``upload``, or None if it is fine."""
    size = upload.size or 0
    if size > evidence_max_bytes():
        return _("The file is %(size)s MB; the largest accepted is %(max)s MB.") % {
            "size": _megabytes(size),
            "max": _megabytes(evidence_max_bytes()),
        }
    if size == 0:
        return _("The file is empty.")
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    accepted = evidence_types()
    if extension not in accepted:
        return _("Files of type “%(type)s” are not accepted. Accepted types: %(types)s.") % {
            "type": extension or "?",
            "types": ", ".join(accepted),
        }
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
        return _("The content of the file is not a %(type)s document.") % {"type": extension}
    return None
