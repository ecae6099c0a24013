"""PO and XLIFF 1.2 files for external translators.

Each exported file carries the fingerprint and version of the source it was made from (PO
headers ``X-COPHub-*``, XLIFF attributes in the ``urn:cophub:translation:1`` namespace), so an
import can be refused when the source changed after the export."""

from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, tostring  # writing only

import polib
from defusedxml import ElementTree as SafeElementTree  # parsing: no entities, no DTDs
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

from cophub.portal.errors import FieldErrors
from cophub.portal.text_policy import texts_check

from .errors import TranslationFileInvalid

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
COPHUB_NS = "urn:cophub:translation:1"
FORMATS = ("po", "xliff")
CONTENT_TYPES = {"po": "text/x-gettext-translation", "xliff": "application/xliff+xml"}


@dataclass(frozen=True)
class FileHeader:
    item_id: int
    kind: str
    source_language: str
    target_language: str
    source_hash: str
    source_version: int
    machine: bool = False


@dataclass(frozen=True)
class FileEntry:
    context: str
    source: str
    target: str


def _header_from(values: dict[str, str]) -> FileHeader:
    required = ("item", "kind", "source-language", "target-language", "source-hash", "version")
    missing = [name for name in required if not values.get(name)]
    if missing:
        raise TranslationFileInvalid(
            _(
                "This file does not say which item and source version it was exported from "
                "(missing: %(fields)s). Export the item again from COP Hub and translate that file."
            )
            % {"fields": ", ".join(missing)}
        )
    try:
        item_id, version = int(values["item"]), int(values["version"])
    except ValueError as bad:
        raise TranslationFileInvalid(
            _("The item number or source version in this file is not a number.")
        ) from bad
    return FileHeader(
        item_id=item_id,
        kind=values["kind"],
        source_language=values["source-language"],
        target_language=values["target-language"],
        source_hash=values["source-hash"],
        source_version=version,
        machine=values.get("translation-type", "manual") == "machine",
    )


def po_build(header: FileHeader, entries: list[FileEntry], *, title: str) -> bytes:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": title,
        "Language": header.target_language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Transfer-Encoding": "8bit",
        "X-COPHub-Item": str(header.item_id),
        "X-COPHub-Kind": header.kind,
        "X-COPHub-Source-Language": header.source_language,
        "X-COPHub-Source-Hash": header.source_hash,
        "X-COPHub-Source-Version": str(header.source_version),
        "X-COPHub-Translation-Type": "machine" if header.machine else "manual",
    }
    for entry in entries:
        po.append(polib.POEntry(msgctxt=entry.context, msgid=entry.source, msgstr=entry.target))
    return str(po).encode("utf-8")


def po_parse(data: bytes) -> tuple[FileHeader, list[FileEntry]]:
    try:
        text = data.decode("utf-8")
        po = polib.pofile(text if "\n" in text else text + "\n")
    except (UnicodeDecodeError, OSError, ValueError) as bad:
        raise TranslationFileInvalid(
            _("The file could not be read as a UTF-8 PO file: %(reason)s") % {"reason": bad}
        ) from bad
    meta = po.metadata
    header = _header_from(
        {
            "item": meta.get("X-COPHub-Item", ""),
            "kind": meta.get("X-COPHub-Kind", ""),
            "source-language": meta.get("X-COPHub-Source-Language", ""),
            "target-language": meta.get("Language", ""),
            "source-hash": meta.get("X-COPHub-Source-Hash", ""),
            "version": meta.get("X-COPHub-Source-Version", ""),
            "translation-type": meta.get("X-COPHub-Translation-Type", "manual"),
        }
    )
    entries = [
        FileEntry(context=entry.msgctxt or "", source=entry.msgid, target=entry.msgstr)
        for entry in po
        if not entry.obsolete
    ]
    return header, entries


def xliff_build(header: FileHeader, entries: list[FileEntry], *, title: str) -> bytes:
    root = Element("xliff", {"version": "1.2", "xmlns": XLIFF_NS, "xmlns:cophub": COPHUB_NS})
    file = SubElement(
        root,
        "file",
        {
            "original": title,
            "source-language": header.source_language,
            "target-language": header.target_language,
            "datatype": "plaintext",
            "cophub:item": str(header.item_id),
            "cophub:kind": header.kind,
            "cophub:source-hash": header.source_hash,
            "cophub:source-version": str(header.source_version),
            "cophub:translation-type": "machine" if header.machine else "manual",
        },
    )
    body = SubElement(file, "body")
    for number, entry in enumerate(entries, start=1):
        unit = SubElement(body, "trans-unit", {"id": str(number), "resname": entry.context})
        SubElement(unit, "source").text = entry.source
        target = SubElement(unit, "target", {"state": "translated" if entry.target else "new"})
        target.text = entry.target
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode(
        "utf-8"
    )


def xliff_parse(data: bytes) -> tuple[FileHeader, list[FileEntry]]:
    try:
        root = SafeElementTree.fromstring(data)
    except (SafeElementTree.ParseError, DefusedXmlException, ValueError) as bad:
        raise TranslationFileInvalid(
            _("The file could not be read as an XLIFF file: %(reason)s") % {"reason": bad}
        ) from bad
    file = root.find(f"{{{XLIFF_NS}}}file")
    if root.tag != f"{{{XLIFF_NS}}}xliff" or file is None:
        raise TranslationFileInvalid(_("This is not an XLIFF 1.2 file."))

    def attribute(name: str) -> str:
        return str(file.get(f"{{{COPHUB_NS}}}{name}", ""))

    header = _header_from(
        {
            "item": attribute("item"),
            "kind": attribute("kind"),
            "source-language": file.get("source-language", ""),
            "target-language": file.get("target-language", ""),
            "source-hash": attribute("source-hash"),
            "version": attribute("source-version"),
            "translation-type": attribute("translation-type") or "manual",
        }
    )
    entries = []
    for unit in file.iter(f"{{{XLIFF_NS}}}trans-unit"):
        source = unit.find(f"{{{XLIFF_NS}}}source")
        target = unit.find(f"{{{XLIFF_NS}}}target")
        entries.append(
            FileEntry(
                context=unit.get("resname", ""),
                source="" if source is None else "".join(source.itertext()),
                target="" if target is None else "".join(target.itertext()),
            )
        )
    return header, entries


def translation_file_build(
    file_format: str, header: FileHeader, entries: list[FileEntry], *, title: str
) -> bytes:
    builder = po_build if file_format == "po" else xliff_build
    return builder(header, entries, title=title)


def translation_file_parse(data: bytes, *, filename: str) -> tuple[FileHeader, list[FileEntry]]:
    """By extension (``.po``; ``.xlf``/``.xliff``), else by a look at the first bytes."""
    lowered = filename.lower()
    if lowered.endswith((".xlf", ".xliff")) or (
        not lowered.endswith(".po") and data.lstrip().startswith(b"<")
    ):
        header, entries = xliff_parse(data)
    else:
        header, entries = po_parse(data)
    errors = FieldErrors()  # the platform's text policy on every translated text
    texts_check(((f"entries.{n}", entry.target) for n, entry in enumerate(entries, 1)), errors)
    if errors:
        raise TranslationFileInvalid(
            _("The file holds text that cannot be accepted."), details={"errors": errors.errors}
        )
    return header, entries
