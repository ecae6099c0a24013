"""Safeguarding screening: what is refused outright, what is flagged for a person."""

import io
import zipfile

import pytest

from cophub.practices.diffs import text_diff
from cophub.practices.errors import AttachmentRejected
from cophub.practices.safeguarding import attachment_screen, mask, text_findings

LIMIT = 1024 * 1024


def _office(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_emails_and_phone_numbers_are_flagged_masked_but_dates_and_short_numbers_not() -> None:
    text = "Write to jane.doe@example.org or call +254 722 178 177. Helpline 116 111; 2019-2023."
    findings = text_findings("abstract", text)
    assert [(f.kind, f.excerpt) for f in findings] == [
        ("email", "j*******@e*********g"),
        ("phone", "+2********77"),
    ]
    assert "jane" not in findings[0].excerpt
    assert text_findings("abstract", "Published 2024-01-15, revised 2019/2020.") == []
    assert mask("0722178177") == "07******77"


@pytest.mark.parametrize(
    ("name", "content"),
    [("child.jpg", b"\xff\xd8\xff\xe0"), ("scan.pdf", b"\x89PNG\r\n"), ("x.webp", b"RIFF0000WEBP")],
)
def test_images_are_refused_by_name_or_by_content(name: str, content: bytes) -> None:
    with pytest.raises(AttachmentRejected) as refused:
        attachment_screen(name, content, max_bytes=LIMIT)
    assert refused.value.details["reason"] == "image_not_allowed"


def test_office_documents_with_pictures_are_refused_and_their_text_is_screened() -> None:
    with_picture = _office(
        {"word/document.xml": b"<w:t>Hello</w:t>", "word/media/image1.png": b"x"}
    )
    with pytest.raises(AttachmentRejected) as refused:
        attachment_screen("report.docx", with_picture, max_bytes=LIMIT)
    assert refused.value.details["reason"] == "embedded_images"
    text_only = _office({"word/document.xml": b"<w:t>Call 0722 178 177 for Amina</w:t>"})
    findings = attachment_screen("report.docx", text_only, max_bytes=LIMIT)
    assert [(f.field, f.kind) for f in findings] == [("attachment:report.docx", "phone")]
    with pytest.raises(AttachmentRejected):
        attachment_screen("report.docx", b"not a zip", max_bytes=LIMIT)


def test_pdfs_with_images_are_flagged_and_other_formats_or_sizes_refused() -> None:
    flagged = attachment_screen("r.pdf", b"%PDF-1.7 /Subtype /Image", max_bytes=LIMIT)
    assert [f.kind for f in flagged] == ["image"]
    assert attachment_screen("r.pdf", b"%PDF-1.7 text only", max_bytes=LIMIT) == []
    for name, content, reason in [
        ("tool.exe", b"MZ", "type_not_allowed"),
        ("big.pdf", b"%PDF-" + b"0" * 100, "too_large"),
        ("fake.pdf", b"hello", "invalid_file"),
        ("tool.csv", b"MZ\x90\x00\x03\x00", "invalid_file"),
        ("empty.txt", b"", "empty"),
    ]:
        with pytest.raises(AttachmentRejected) as refused:
            attachment_screen(name, content, max_bytes=50)
        assert refused.value.details["reason"] == reason, name


def test_diff_is_word_by_word_and_character_by_character_in_chinese() -> None:
    changes = [
        (c.op, c.text) for c in text_diff("Keep children safe online", "Keep teenagers safe online")
    ]
    assert changes == [
        ("equal", "Keep "),
        ("delete", "children"),
        ("insert", "teenagers"),
        ("equal", " safe online"),
    ]
    chinese = [(c.op, c.text) for c in text_diff("保护儿童上网", "保护青少年上网")]
    assert chinese == [
        ("equal", "保护"),
        ("delete", "儿童"),
        ("insert", "青少年"),
        ("equal", "上网"),
    ]
