"""The archive step of the shared upload check: ZIP-based files are judged by their central
directory (parts, unpacked size, packing) before anything unpacks them, quickly, and the
messages name the limit."""

import io
import os
import time
import zipfile

import pytest
from django.test import override_settings
from django.utils import translation

from cophub.portal.uploads import UploadProblem, upload_problem
from tests.cophub.portal.hostile_files import (
    docx,
    docx_bomb,
    docx_of_many_parts,
    lying_zip,
    table_xlsx,
    with_repeated_rows,
)

OFFICE = ("docx", "xlsx", "odt")
LIMIT = 50 * 1024 * 1024


def _problem(name: str, content: bytes) -> UploadProblem | None:
    return upload_problem(
        name=name, size=len(content), content=content, accepted=OFFICE, max_bytes=LIMIT
    )


def test_a_zip_bomb_is_refused_by_its_packing_without_unpacking_it() -> None:
    bomb = docx_bomb()
    assert len(bomb) < 100 * 1024
    started = time.perf_counter()
    problem = _problem("report.docx", bomb)
    assert time.perf_counter() - started < 0.5
    assert problem is not None and problem.code == "compression_ratio"
    assert problem.params["max"] == 100 and int(problem.params["ratio"] or 0) > 500
    assert problem.message.startswith(f"The file unpacks to {problem.params['ratio']:,} times")
    assert "the limit is 100." in problem.message


def test_a_spreadsheet_of_repeated_rows_is_refused_by_its_packing() -> None:
    bomb = with_repeated_rows(table_xlsx(5), 420_000)  # about 210 KB packed, 55 MB unpacked
    problem = _problem("figures.xlsx", bomb)
    assert problem is not None and problem.code == "compression_ratio"


def test_an_archive_of_a_hundred_thousand_parts_is_refused_before_it_is_parsed() -> None:
    many = docx_of_many_parts()
    started = time.perf_counter()
    problem = _problem("minutes.docx", many)
    assert time.perf_counter() - started < 0.2  # zipfile would take over a second
    assert problem is not None and problem.code == "too_many_parts"
    assert problem.message == ("The file is an archive of 100,002 parts; the limit is 10,000.")


def test_the_unpacked_size_is_held_to_the_setting() -> None:
    text = os.urandom(750_000).hex().encode()  # 1.5 MB unpacked, packed about 2 to 1
    ordinary = docx(b"<w:document>" + text + b"</w:document>")
    assert _problem("report.docx", ordinary) is None
    with override_settings(COPHUB_UPLOAD_MAX_UNCOMPRESSED_MB=1):
        problem = _problem("report.docx", ordinary)
    assert problem is not None and problem.code == "unpacked_too_large"
    assert (
        problem.message == "Unpacked, the file would take 1.4 MB; the largest accepted is 1.0 MB."
    )
    with override_settings(COPHUB_UPLOAD_MAX_COMPRESSION_RATIO=2000):
        assert _problem("report.docx", docx_bomb()) is None


def test_ordinary_office_files_pass() -> None:
    assert _problem("minutes.docx", docx()) is None
    assert _problem("figures.xlsx", table_xlsx(20_000, columns=20)) is None


def test_a_directory_that_lies_about_a_size_cannot_make_a_reader_unpack_more() -> None:
    # Declared 1 KB, the part holds 60 MB of one byte: the check has nothing against it,
    # and any reader (all go through zipfile) stops at the declared size.
    liar = lying_zip(docx_bomb(), "word/document.xml", 1024)
    assert _problem("report.docx", liar) is None
    archive = zipfile.ZipFile(io.BytesIO(liar))
    started = time.perf_counter()
    with pytest.raises(zipfile.BadZipFile), archive.open("word/document.xml") as part:
        unpacked = len(part.read(2 * 1024 * 1024))
        assert unpacked <= 1024
        part.read()
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-30],  # the end record cut off
        lambda data: data[: len(data) // 2],  # half a file
        lambda data: data[:4] + b"\x00" * (len(data) - 4),  # a signature, then nothing
    ],
)
def test_a_damaged_archive_is_not_what_it_claims(damage: object) -> None:
    problem = _problem("minutes.docx", damage(docx()))  # type: ignore[operator]
    assert problem is not None and problem.code == "invalid_file"
    assert problem.message == "The content of the file is not a docx document."


def test_archive_messages_are_translated() -> None:
    with translation.override("fr"):
        problem = _problem("minutes.docx", docx_of_many_parts())
    assert problem is not None and problem.message.startswith("Le fichier")
    assert "100\xa0002" in problem.message and "10\xa0000" in problem.message
    with translation.override("ar"):
        bomb = _problem("report.docx", docx_bomb())
    assert bomb is not None and "100" in bomb.message and "The file" not in bomb.message
