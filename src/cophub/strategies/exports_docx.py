"""The DOCX rendering of a ``StrategyDraft``. Arabic paragraphs are right to left
(``w:bidi`` on the paragraph, ``w:rtl`` on runs) and every run names a complex-script and an
East Asian font, so Word and LibreOffice shape Arabic and Chinese correctly."""

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from .exports import ActionBlock, StrategyDraft

LATIN_FONT = "Noto Sans"
ARABIC_FONT = "Noto Sans Arabic"
CJK_FONT = "Noto Sans CJK SC"


class _Writer:
    def __init__(self, rtl: bool) -> None:
        self.document = Document()
        self.rtl = rtl
        # python-docx finds a style by name with a linear search on every paragraph; a plan
        # has hundreds of paragraphs, so each style is looked up once.
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

    def action(self, action: ActionBlock) -> None:
        self.heading(action.title, 3)
        if action.description:
            self.text(action.description)
        for fact in action.facts:
            self.text(f"{fact.label}: {fact.value}", "List Bullet")


def docx_bytes(draft: StrategyDraft) -> bytes:
    writer = _Writer(draft.rtl)
    writer.document.core_properties.title = draft.title
    writer.document.core_properties.language = draft.language
    headings = draft.headings
    writer.heading(draft.title, 0)
    writer.text(draft.subtitle)
    writer.text(draft.notice)
    if draft.summary:
        writer.heading(headings["summary"], 1)
        writer.text(draft.summary)
    for area in draft.areas:
        writer.heading(area.title, 1)
        writer.heading(headings["standing"], 2)
        writer.items([f"{f.label}: {f.value}" for f in area.standing], headings["none"])
        writer.heading(headings["actions"], 2)
        if not area.actions:
            writer.text(headings["no_action"])
        for action in area.actions:
            writer.action(action)
    if draft.other_actions:
        writer.heading(headings["other"], 1)
        for action in draft.other_actions:
            writer.action(action)
    for key, lines in (
        ("consultations", draft.consultations),
        ("stakeholders", draft.stakeholders),
        ("evidence", draft.evidence),
    ):
        writer.heading(headings[key], 1)
        writer.items(lines, headings["none"])
    out = io.BytesIO()
    writer.document.save(out)
    return out.getvalue()
