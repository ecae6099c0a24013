"""The archive step of the shared upload check (:mod:`cophub.portal.uploads`): a ZIP-based
file (XLSX, DOCX, PPTX, OpenDocument, EPUB) is judged by what its central directory declares,
before any reader unpacks it.

1. The end-of-central-directory record (ZIP64 too) gives the number of parts and the size of
   the directory; more parts than the limit, or a directory far larger than its parts need,
   is refused before :mod:`zipfile` parses it (parsing 500,000 entries takes seconds and
   hundreds of megabytes).
2. The directory's declared sizes: their sum is the unpacked size (``unpacked_too_large``),
   and no part over :data:`RATIO_FLOOR` bytes, nor the whole file, may unpack to more than
   the ratio limit times its packed size (``compression_ratio``).

A directory can lie about a part's unpacked size. That needs no unpacking here: every reader
the platform has for these files (openpyxl, python-docx, the safeguarding scan) reads parts
through :mod:`zipfile`, which stops inflating at the declared size and then fails the part's
CRC (``BadZipFile``), so the declared sizes bound the work whatever the bytes hold. Nested
archives are never opened by the platform, so they count by their packed size only."""

import struct
import zipfile
from typing import IO

from .upload_problems import ArchiveLimits, UploadProblem

RATIO_FLOOR = 1024 * 1024  # smaller parts may pack tightly (styles, empty sheets)
DIRECTORY_ENTRY_BYTES = 1024  # generous: 46 bytes of fields, a name, extra fields, a comment

_END = struct.Struct("<4s4H2LH")  # end of central directory record
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")
_END_SIGNATURE, _LOCATOR_SIGNATURE, _END64_SIGNATURE = b"PK\x05\x06", b"PK\x06\x07", b"PK\x06\x06"


def _directory(file: IO[bytes]) -> tuple[int, int] | None:
    """How many parts the archive declares and how many bytes its central directory takes,
    from the end records (None when they are missing or damaged)."""
    end = file.seek(0, 2)
    tail_size = min(end, _END.size + 0xFFFF + _END64_LOCATOR.size)
    file.seek(end - tail_size)
    tail = file.read(tail_size)
    at = tail.rfind(_END_SIGNATURE)
    if at < 0 or at + _END.size > len(tail):
        return None
    fields = _END.unpack_from(tail, at)
    parts, directory_size = fields[4], fields[5]
    if parts != 0xFFFF and directory_size != 0xFFFFFFFF:
        return parts, directory_size
    if at < _END64_LOCATOR.size:
        return None
    signature, _disk, offset, _disks = _END64_LOCATOR.unpack_from(tail, at - _END64_LOCATOR.size)
    if signature != _LOCATOR_SIGNATURE or offset + _END64.size > end:
        return None
    file.seek(offset)
    record = file.read(_END64.size)
    if len(record) < _END64.size or not record.startswith(_END64_SIGNATURE):
        return None
    fields64 = _END64.unpack(record)
    return fields64[7], fields64[8]


def _invalid(claimed: str) -> UploadProblem:
    return UploadProblem("invalid_file", {"type": claimed})


def _too_many(parts: int, limits: ArchiveLimits) -> UploadProblem:
    return UploadProblem("too_many_parts", {"count": parts, "max": limits.max_parts})


def archive_problem(file: IO[bytes], claimed: str, limits: ArchiveLimits) -> UploadProblem | None:
    """What is wrong with the ZIP-based ``file`` (of type ``claimed``), or None."""
    directory = _directory(file)
    if directory is None:
        return _invalid(claimed)
    declared, directory_size = directory
    if declared > limits.max_parts:
        return _too_many(declared, limits)
    if directory_size > (declared + 1) * DIRECTORY_ENTRY_BYTES:
        return _invalid(claimed)  # more directory than its declared parts could need
    file.seek(0)
    try:
        parts = zipfile.ZipFile(file).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return _invalid(claimed)
    if len(parts) > limits.max_parts:
        return _too_many(len(parts), limits)
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.max_unpacked_bytes:
        return UploadProblem(
            "unpacked_too_large", {"size": unpacked, "max": limits.max_unpacked_bytes}
        )
    ratios = [
        part.file_size / max(part.compress_size, 1)
        for part in parts
        if part.file_size > RATIO_FLOOR
    ]
    if unpacked > RATIO_FLOOR:
        ratios.append(unpacked / max(sum(part.compress_size for part in parts), 1))
    worst = max(ratios, default=0.0)
    if worst > limits.max_ratio:
        return UploadProblem(
            "compression_ratio", {"ratio": round(worst), "max": round(limits.max_ratio)}
        )
    return None
