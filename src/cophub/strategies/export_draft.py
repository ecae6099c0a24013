"""What a draft national COP strategy holds, whatever it is rendered to: ``exports.py`` builds
it from an action plan, ``exports_docx.py`` and the PDF template render it."""

from dataclasses import dataclass, field


@dataclass
class Fact:
    label: str
    value: str


@dataclass
class ActionBlock:
    title: str
    facts: list[Fact]
    description: str = ""


@dataclass
class AreaBlock:
    title: str
    standing: list[Fact]
    actions: list[ActionBlock] = field(default_factory=list)


@dataclass
class StrategyDraft:
    language: str
    rtl: bool
    title: str
    subtitle: str
    notice: str
    summary: str
    areas: list[AreaBlock]
    other_actions: list[ActionBlock]
    consultations: list[str]
    stakeholders: list[str]
    evidence: list[str]
    headings: dict[str, str]
