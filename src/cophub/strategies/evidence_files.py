"""Which evidence files are accepted, checked by :mod:`cophub.portal.uploads` (type, size,
content). Both limits are settings with defaults:

- ``COPHUB_STRATEGIES_EVIDENCE_MAX_BYTES`` (default 10 MB);
- ``COPHUB_STRATEGIES_EVIDENCE_TYPES``: extensions accepted, among the known file types."""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from cophub.portal.uploads import FILE_TYPES, upload_problem

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_TYPES = ("pdf", "docx", "odt", "png", "jpg", "jpeg")


def evidence_max_bytes() -> int:
    return int(getattr(settings, "COPHUB_STRATEGIES_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def evidence_types() -> tuple[str, ...]:
    configured = getattr(settings, "COPHUB_STRATEGIES_EVIDENCE_TYPES", DEFAULT_TYPES)
    return tuple(t.lower() for t in configured if t.lower() in FILE_TYPES)


def evidence_file_problem(upload: "UploadedFile[bytes]") -> str | None:
    """A translated sentence saying what is wrong with ``upload``, or None if it is fine
    (an Office file is judged by its central directory, without reading it all)."""
    problem = upload_problem(
        name=upload.name or "",
        size=upload.size or 0,
        content=upload,
        accepted=evidence_types(),
        max_bytes=evidence_max_bytes(),
    )
    return problem.message if problem else None
