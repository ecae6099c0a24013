"""The shared upload check: type, size, emptiness and content, in that order, with messages
translated from catalogues that already hold them."""

import pytest
from django.utils import translation

from cophub.portal.uploads import (
    FILE_TYPES,
    UploadProblem,
    file_type,
    too_large_problem,
    upload_problem,
)
from tests.cophub.portal.hostile_files import docx

DOCUMENTS = ("pdf", "docx", "txt")
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"


def _problem(
    name: str,
    content: bytes,
    *,
    accepted: tuple[str, ...] = DOCUMENTS,
    max_bytes: int = 1024,
    size: int | None = None,
) -> UploadProblem | None:
    return upload_problem(
        name=name,
        size=len(content) if size is None else size,
        content=content,
        accepted=accepted,
        max_bytes=max_bytes,
    )


@pytest.mark.parametrize(
    ("name", "content", "size", "code", "message"),
    [
        (
            "tool.exe",
            EXECUTABLE,
            None,
            "type_not_allowed",
            "Files of type “exe” are not accepted. Accepted types: pdf, docx, txt.",
        ),
        ("README", b"hello", None, "type_not_allowed", "Files of type “?” are not accepted."),
        (
            "scan.pdf",
            PDF,
            3 * 1024 * 1024,
            "too_large",
            "The file is 3.0 MB; the largest accepted is 1.0 MB.",
        ),
        ("blank.pdf", b"", None, "empty", "The file is empty."),
        (
            "notes.pdf",
            b"Meeting notes",
            None,
            "invalid_file",
            "The content of the file is not a pdf document.",
        ),
    ],
)
def test_each_problem_has_its_code_and_message(
    name: str, content: bytes, size: int | None, code: str, message: str
) -> None:
    problem = _problem(name, content, size=size, max_bytes=1024 * 1024)
    assert problem is not None
    assert problem.code == code
    assert problem.message.startswith(message)


def test_a_file_that_is_what_it_claims_is_accepted() -> None:
    assert _problem("Agenda.PDF", PDF) is None
    assert _problem("minutes.docx", docx(), max_bytes=1024 * 1024) is None
    assert _problem("photo.jpeg", b"\xff\xd8\xff\xe0", accepted=("jpeg",)) is None


def test_the_type_is_checked_first_then_the_size_then_the_content() -> None:
    too_large_executable = _problem("tool.exe", EXECUTABLE, size=10**9)
    assert too_large_executable is not None and too_large_executable.code == "type_not_allowed"
    too_large_fake = _problem("fake.pdf", b"not a pdf", size=10**9)
    assert too_large_fake is not None and too_large_fake.code == "too_large"
    assert _problem("exact.pdf", PDF, size=1024) is None  # the limit itself is accepted


@pytest.mark.parametrize("claimed", ["pdf", "docx", "xlsx", "pptx", "odt", "png", "parquet"])
def test_a_renamed_executable_is_refused(claimed: str) -> None:
    problem = _problem(f"report.{claimed}", EXECUTABLE, accepted=(claimed,))
    assert problem is not None and problem.code == "invalid_file"


@pytest.mark.parametrize(
    ("content", "is_text"),
    [
        ("Réunion, 3 mars\nordre du jour".encode(), True),
        ("Ordre du jour : café".encode()[:-1], True),  # a character cut at the end of the head
        ("会议纪要".encode()[:-2], True),
        (b"agenda\n\xff", False),  # an invalid byte, even at the end
        ("Réunion".encode("latin-1"), False),  # not UTF-8
        (b"agenda\x00\x00", False),
        (EXECUTABLE, False),
    ],
)
def test_text_is_utf8_without_nul_bytes(content: bytes, is_text: bool) -> None:
    for name in ("notes.txt", "counts.csv"):
        problem = _problem(name, content, accepted=("txt", "csv"))
        assert (problem is None) is is_text, (name, content)
        assert problem is None or problem.code == "invalid_file"


def test_pq_is_read_as_parquet() -> None:
    assert file_type("Survey.PQ") == "parquet"
    assert file_type("survey.parquet") == "parquet"
    assert _problem("survey.pq", b"PAR1\x15\x04", accepted=("parquet",)) is None
    renamed = _problem("survey.pq", b"age,sex\n12,f\n", accepted=("parquet",))
    assert renamed is not None and renamed.message.endswith("not a parquet document.")


def test_survey_formats_are_recognised_by_their_first_bytes() -> None:
    assert FILE_TYPES["sav"](b"$FL3@(#) IBM SPSS") and FILE_TYPES["sav"](b"$FL2@(#)")
    assert FILE_TYPES["dta"](b"<stata_dta><header>") and FILE_TYPES["dta"](b"\x72\x02\x01")
    assert not FILE_TYPES["dta"](b"\x00stata") and not FILE_TYPES["dta"](b"")
    assert not FILE_TYPES["sav"](b"PAR1")


def test_too_large_alone_refuses_before_the_file_is_read() -> None:
    assert too_large_problem(size=2048, max_bytes=2048) is None
    problem = too_large_problem(size=5 * 1024 * 1024, max_bytes=2 * 1024 * 1024)
    assert problem == UploadProblem("too_large", {"size": 5 * 1024 * 1024, "max": 2 * 1024 * 1024})
    assert problem.message == "The file is 5.0 MB; the largest accepted is 2.0 MB."


def test_messages_come_from_the_translated_catalogues() -> None:
    with translation.override("fr"):
        problem = _problem("tool.exe", EXECUTABLE)
        empty = _problem("blank.pdf", b"")
    assert problem is not None and empty is not None
    assert problem.message.startswith("Les fichiers")
    assert "pdf, docx, txt" in problem.message
    assert empty.message == "Le fichier est vide."
