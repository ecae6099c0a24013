"""The editors' texts of a report, as stored (``{"source_language": "en", "sections": {section:
{language: {"text": …, "from": fingerprint}}}}``): each translation keeps the fingerprint of
the source text it was made from, so its status is the translation matrix's (source, missing,
approved, outdated). A draft's texts are ``Report.editor_texts``; an approved report's are the
copy in its snapshot."""

from typing import Any

from django.utils.translation import gettext as _

from cophub.reference.selectors import operative_clauses
from cophub.resources.fingerprints import fingerprint_segments
from cophub.resources.translation_status import CellStatus, cell_status


def section_keys() -> list[str]:
    return ["summary", *(clause.pk for clause in operative_clauses()), "action_required"]


def text_fingerprint(text: str) -> str:
    return fingerprint_segments([("text", text)])


def texts_source_language(texts: dict[str, Any]) -> str:
    return str(texts.get("source_language", "en"))


def texts_status(texts: dict[str, Any], section: str, language: str) -> CellStatus:
    """The status of ``section`` in ``language``: source, missing, approved (a translation of
    the current source) or outdated."""
    source_language = texts_source_language(texts)
    entries = texts.get("sections", {}).get(section, {})
    source = entries.get(source_language)
    if source is None:
        return CellStatus.MISSING
    entry = entries.get(language)
    return cell_status(
        language=language,
        source_language=source_language,
        state="approved" if entry else None,
        made_from_hash=entry["from"] if entry else None,
        source_hash=text_fingerprint(source["text"]),
    )


def texts_in(texts: dict[str, Any], section: str, language: str) -> tuple[str, str]:
    """The text of ``section`` in ``language`` if current, else the source text with a note
    saying why; empty when the section has no text."""
    entries = texts.get("sections", {}).get(section, {})
    status = texts_status(texts, section, language)
    if status in (CellStatus.SOURCE, CellStatus.APPROVED):
        return entries[language]["text"], ""
    source = entries.get(texts_source_language(texts))
    if source is None:
        return "", ""
    note = (
        _("Not yet translated; the text is in its original language.")
        if status == CellStatus.MISSING
        else _("The translation is out of date; the text is in its original language.")
    )
    return source["text"], note
