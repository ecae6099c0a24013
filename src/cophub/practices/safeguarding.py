"""Safeguarding screening: submissions may hold no personal data and no images of children.

What is checked (automatically, before a person screens the submission):
- attachments: image files are refused outright (by extension and by content signature);
  Office and OpenDocument files that embed pictures are refused too (their ``media/`` or
  ``Pictures/`` parts); only document formats are accepted, only up to the size limit, and
  only when their content is what their extension claims and, for Office and OpenDocument
  files, when their parts, unpacked size and packing are within the shared limits
  (:mod:`cophub.portal.uploads`, which runs before the text of their parts is read here);
- text: e-mail addresses and phone numbers (8 digits or more, dates and year ranges aside) in
  every text field, and in the text of attached documents (.txt, .csv, Office, OpenDocument),
  are *flagged* for the screener, with a masked excerpt (the value itself is not copied);
- PDFs that contain images are flagged (charts are common; a person looks).
What is not: names of children, or faces in PDFs, cannot be recognised reliably; the screening
step (a person, before evaluation) and reports from readers cover them."""

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

from cophub.portal.uploads import file_type, upload_problem

from .errors import AttachmentRejected

ALLOWED_EXTENSIONS = ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "txt", "csv")
IMAGE_EXTENSIONS = frozenset(
    {"png", "jpg", "jpeg", "gif", "webp", "bmp", "tif", "tiff", "heic", "heif", "svg", "avif"}
)
_IMAGE_SIGNATURES = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
)
_ZIP_FORMATS = frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp"})
_TEXT_PARTS = re.compile(
    r"^(word/document|word/footnotes|ppt/slides/slide\d+|xl/sharedStrings|content)\.xml$"
)
_MEDIA_PARTS = re.compile(r"^(word|ppt|xl)/media/|^Pictures/")
_TAG = re.compile(r"<[^>]+>")

# Bounded repetitions and a start only where a run begins: unbounded ones backtracked over
# every position of a long run (20 KB of letters took 33 s), a denial of service in an upload.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
PHONE = re.compile(r"(?<![\w+])\+?\d[\d ().-]{6,30}\d(?!\w)")
_NOT_PHONE = re.compile(r"^\d{4}\s*[-/.]\s*\d{2,4}(\s*[-/.]\s*\d{2})?$")  # 2019-2023, 2024-01-15


@dataclass(frozen=True)
class Finding:
    field: str
    kind: str  # "email" | "phone" | "image"
    excerpt: str


def mask(value: str) -> str:
    """Keep the shape, hide the value: ``jane.doe@example.org`` → ``j*******@e**********g``."""
    if "@" in value:
        local, _at, domain = value.partition("@")
        hidden_local, hidden_domain = "*" * (len(local) - 1), "*" * (len(domain) - 2)
        return f"{local[:1]}{hidden_local}@{domain[:1]}{hidden_domain}{domain[-1:]}"
    digits = [ch for ch in value if ch.isdigit()]
    return f"{value[:2]}{'*' * max(len(digits) - 4, 1)}{value[-2:]}"


def text_findings(field: str, text: str) -> list[Finding]:
    findings = [Finding(field, "email", mask(m.group())) for m in EMAIL.finditer(text)]
    for match in PHONE.finditer(EMAIL.sub(" ", text)):
        value = match.group().strip()
        digits = sum(ch.isdigit() for ch in value)
        if digits >= 8 and not _NOT_PHONE.match(value):
            findings.append(Finding(field, "phone", mask(value)))
    return findings


def contact_details_masked(text: str) -> tuple[str, bool]:
    """``text`` with every e-mail address and phone number masked (the shape kept, the value
    hidden), and whether there was any: for text that must never be stored in clear."""
    found = False

    def hide(match: re.Match[str]) -> str:
        nonlocal found
        value = match.group()
        if sum(ch.isdigit() for ch in value) < 8 and "@" not in value:
            return value
        if _NOT_PHONE.match(value.strip()):
            return value
        found = True
        return mask(value)

    masked = EMAIL.sub(hide, text)
    return PHONE.sub(hide, masked), found


def _zip_text(content: bytes, field: str) -> list[Finding]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except zipfile.BadZipFile as bad:
        raise AttachmentRejected(
            _("The file is damaged or not the document it claims to be."), reason="invalid_file"
        ) from bad
    if any(_MEDIA_PARTS.match(member.filename) for member in members):
        raise AttachmentRejected(
            _(
                "The document contains pictures. Submissions may not contain images of "
                "children: remove the pictures and upload it again."
            ),
            reason="embedded_images",
        )
    text = " ".join(
        _TAG.sub(" ", archive.read(member).decode("utf-8", "replace"))
        for member in members
        if _TEXT_PARTS.match(member.filename)
    )
    return text_findings(field, text)


def attachment_screen(name: str, content: bytes, *, max_bytes: int) -> list[Finding]:
    """Refuse what may never be attached (``AttachmentRejected``); return what to flag."""
    extension = file_type(name)
    field = f"attachment:{PurePath(name).name}"[:60]
    if (
        extension in IMAGE_EXTENSIONS
        or content.startswith(_IMAGE_SIGNATURES)
        or (content[4:12] in (b"ftypheic", b"ftypavif", b"ftypmif1") or content[8:12] == b"WEBP")
    ):
        raise AttachmentRejected(
            _("Images may not be attached: submissions may not contain images of children."),
            reason="image_not_allowed",
        )
    problem = upload_problem(
        name=name,
        size=len(content),
        content=content,
        accepted=ALLOWED_EXTENSIONS,
        max_bytes=max_bytes,
    )
    if problem is not None:
        raise AttachmentRejected(problem.message, reason=problem.code)
    if extension == "pdf":
        if re.search(rb"/Subtype\s*/Image", content):
            return [Finding(field, "image", _("The PDF contains images."))]
        return []
    if extension in _ZIP_FORMATS:
        return _zip_text(content, field)
    return text_findings(field, content.decode("utf-8", "replace"))
