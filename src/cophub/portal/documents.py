"""Documents people download and edit: DOCX through python-docx and PDF through WeasyPrint,
in any of the six languages. Shared by every module that exports (the draft national strategy,
the CWG-COP and WTDC reports).

DOCX: Arabic paragraphs are right to left (``w:bidi`` on the paragraph, ``w:rtl`` on runs)
and every run names a complex-script and an East Asian font, so Word and LibreOffice shape
Arabic and Chinese correctly. PDF: an HTML template laid out by WeasyPrint with the Noto fonts
(Debian's fonts-noto-core and fonts-noto-cjk), which shape Arabic and right-to-left text."""

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from .errors import FieldErrors

LATIN_FONT = "Noto Sans"
ARABIC_FONT = "Noto Sans Arabic"
CJK_FONT = "Noto Sans CJK SC"
FONT_FAMILY = "'Noto Sans', 'Noto Sans Arabic', 'Noto Sans CJK SC', sans-serif"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocxWriter:
    def __init__(self, *, rtl: bool, title: str, language: str) -> None:
        self.document = Document()
        self.rtl = rtl
        self.document.core_properties.title = title
        self.document.core_properties.language = language
        # python-docx finds a style by name with a linear search on every paragraph; a long
        # document has hundreds of paragraphs, so each style is looked up once.
        self.styles: dict[str, Any] = {}

    def _style(self, name: str) -> Any:
        if name not in self.styles:
            self.styles[name] = self.document.styles[name]
        return self.styles[name]

    def _direction(self, paragraph: Paragraph) -> Paragraph:
        if self.rtl:
            paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for run in paragraph.runs:
            properties = run._r.get_or_add_rPr()
            fonts = properties.get_or_add_rFonts()
            fonts.set(qn("w:ascii"), LATIN_FONT)
            fonts.set(qn("w:hAnsi"), LATIN_FONT)
            fonts.set(qn("w:cs"), ARABIC_FONT)
            fonts.set(qn("w:eastAsia"), CJK_FONT)
            if self.rtl:
                properties.append(OxmlElement("w:rtl"))
        return paragraph

    def text(self, text: str, style: str | None = None) -> Paragraph:
        chosen = self._style(style) if style else None
        return self._direction(self.document.add_paragraph(text, style=chosen))

    def heading(self, text: str, level: int) -> Paragraph:
        return self.text(text, "Title" if level == 0 else f"Heading {level}")

    def items(self, lines: list[str], empty: str) -> None:
        for line in lines or [empty]:
            self.text(line, "List Bullet" if lines else None)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        table = self.document.add_table(rows=1, cols=len(header))
        table.style = self._style("Table Grid")
        if self.rtl:
            table_properties = table._tbl.tblPr
            table_properties.append(OxmlElement("w:bidiVisual"))
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
            self._direction(cell.paragraphs[0])
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
                self._direction(cell.paragraphs[0])

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


EXPORT_FORMATS = ("docx", "pdf")


def export_checked(language: str, file_format: str) -> None:
    """Refuse (``InvalidInput`` naming ``lang`` and ``format``) an export in a language that is
    not one of the six or in a format other than DOCX or PDF."""
    errors = FieldErrors()
    errors.add_unless_language("lang", language)
    if file_format not in EXPORT_FORMATS:
        errors.add("format", _("Choose the format docx or pdf."), "invalid_choice")
    errors.raise_if_any()


def _html(template: str, context: dict[str, Any]) -> str:
    return render_to_string(template, {**context, "font_family": FONT_FAMILY})


def pdf_bytes(template: str, context: dict[str, Any]) -> bytes:
    """The PDF of an HTML template (``font_family`` is added to the context)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=_html(template, context)).write_pdf()
    return pdf


def pdf_layout(template: str, context: dict[str, Any]) -> Any:
    """The laid-out WeasyPrint document (its boxes carry the text: tests read them)."""
    from weasyprint import HTML

    return HTML(string=_html(template, context)).render()
