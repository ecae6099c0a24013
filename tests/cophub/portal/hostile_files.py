"""Files that try to cost the server more than their size: ZIP bombs, archives of a hundred
thousand parts, archives whose directory lies, tables larger than they look. Each is made
here, in memory, from nothing but the standard library and openpyxl."""

import io
import re
import struct
import zipfile
from functools import cache

from openpyxl import Workbook

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
)
DOCUMENT = '<?xml version="1.0" encoding="UTF-8"?><w:document><w:body/></w:document>'


def docx(document: bytes = DOCUMENT.encode(), **parts: bytes) -> bytes:
    """A small Word document (ZIP) with ``document`` as ``word/document.xml``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", document)
        for name, content in parts.items():
            archive.writestr(name.replace("__", "/"), content)
    return buffer.getvalue()


@cache
def docx_bomb(megabytes: int = 60) -> bytes:
    """A Word document whose text part is ``megabytes`` MB of one byte (about 60 KB packed,
    a ratio near 1,000)."""
    return docx(b"A" * megabytes * 1024 * 1024)


@cache
def docx_of_many_parts(count: int = 100_000) -> bytes:
    """A Word document of ``count`` empty parts (ZIP64 beyond 65,535 of them)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", DOCUMENT)
        for number in range(count):
            archive.writestr(f"p/{number}", b"")
    return buffer.getvalue()


def lying_zip(content: bytes, member: str, declared: int) -> bytes:
    """``content`` with the unpacked size of ``member`` declared as ``declared`` bytes, in
    its local header and in the central directory (the packed bytes unchanged)."""
    data = bytearray(content)
    name = member.encode()
    local = data.find(b"PK\x03\x04")
    while local >= 0:
        length = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30 : local + 30 + length] == name:
            struct.pack_into("<I", data, local + 22, declared)
            break
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + length] == name:
            struct.pack_into("<I", data, central + 24, declared)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def _rewrite(workbook: bytes, member: str, change: "re.Pattern[str] | None", text: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                xml = data.decode()
                if change is not None:
                    xml = change.sub("", xml)
                data = xml.replace("</sheetData>", text + "</sheetData>").encode()
            archive.writestr(info.filename, data)
    return out.getvalue()


_DIMENSION = re.compile(r"<dimension[^>]*/>")


def with_repeated_rows(workbook: bytes, rows: int, cells: int = 8) -> bytes:
    """``workbook`` (XLSX) with ``rows`` identical rows appended to its first sheet, and its
    ``<dimension>`` taken out: what a hand-made ZIP bomb looks like (400,000 rows: about
    200 KB packed, 55 MB unpacked)."""
    row = "<row>" + "<c><v>1</v></c>" * cells + "</row>"
    return _rewrite(workbook, "xl/worksheets/sheet1.xml", _DIMENSION, row * rows)


def without_dimension(workbook: bytes) -> bytes:
    """``workbook`` with the ``<dimension>`` of its first sheet taken out."""
    return _rewrite(workbook, "xl/worksheets/sheet1.xml", _DIMENSION, "")


def table_xlsx(rows: int, columns: int = 3, sheet: str = "Sheet") -> bytes:
    """A workbook of a header row and ``rows`` rows of numbers (openpyxl sets its dimension)."""
    book = Workbook()
    worksheet = book.active
    worksheet.title = sheet
    worksheet.append([f"v{column}" for column in range(columns)])
    for number in range(rows):
        worksheet.append([number % 7] * columns)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
