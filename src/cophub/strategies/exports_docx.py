"""The DOCX rendering of a ``StrategyDraft`` (directions and fonts: ``cophub.portal.documents``)."""

from cophub.portal.documents import DocxWriter

from .export_draft import ActionBlock, StrategyDraft


class _Writer(DocxWriter):
    def action(self, action: ActionBlock) -> None:
        self.heading(action.title, 3)
        if action.description:
            self.text(action.description)
        for fact in action.facts:
            self.text(f"{fact.label}: {fact.value}", "List Bullet")


def docx_bytes(draft: StrategyDraft) -> bytes:
    writer = _Writer(rtl=draft.rtl, title=draft.title, language=draft.language)
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
    return writer.bytes()
