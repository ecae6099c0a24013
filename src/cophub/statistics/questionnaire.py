"""The questionnaire module: the harmonised questions a national survey needs for the
framework's indicators, with answer categories and the indicators each one serves, in the
reader's language (as a page and as an XLSX file)."""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from . import engine


def questionnaire_items(language: str) -> list[dict[str, Any]]:
    """One item per harmonised variable a survey maps (composites are derived, not asked)."""
    framework = engine.framework()
    used: dict[str, list[str]] = {}
    for indicator in framework.select(source="survey"):
        for name in indicator.variables:
            used.setdefault(name, []).append(indicator.id)
    for breakdown in framework.breakdowns:
        used.setdefault(breakdown.variable, [])
    items = []
    for variable in framework.variables:
        if variable.derived_any_of:
            continue
        answers = {
            "boolean": _("Yes / No (and codes for don't know, refused)"),
            "integer": _("A whole number from %(min)s to %(max)s")
            % {"min": variable.minimum, "max": variable.maximum},
            "category": " / ".join(variable.categories),
            "code": _("The survey's own codes"),
        }[variable.type]
        composites = [v.id for v in framework.variables if variable.id in v.derived_any_of]
        indicators = list(used.get(variable.id, []))
        for composite in composites:
            indicators.extend(used.get(composite, []))
        items.append(
            {
                "id": variable.id,
                "question": variable.label.get(language),
                "type": variable.type,
                "answers": answers,
                "indicators": sorted(set(indicators)),
                "breakdown": any(b.variable == variable.id for b in framework.breakdowns),
            }
        )
    return items


def questionnaire_build(language: str) -> bytes:
    framework = engine.framework()
    book = Workbook()
    sheet = book.active
    sheet.title = "Questionnaire"
    sheet["A1"] = f"{framework.title.get(language)} {framework.version}"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = _(
        "Harmonised questions for child online protection surveys. Ask children aged "
        "%(min)s to %(max)s; sensitive items are best self-completed."
    ) % {"min": framework.age_range[0], "max": framework.age_range[1]}
    header = (
        _("Variable"),
        _("Question or item"),
        _("Answers"),
        _("Indicators"),
        _("Breakdown"),
    )
    for column, text in enumerate(header, start=1):
        sheet.cell(row=4, column=column, value=text).font = Font(bold=True)
    for row, item in enumerate(questionnaire_items(language), start=5):
        values = (
            item["id"],
            item["question"],
            item["answers"],
            ", ".join(item["indicators"]),
            _("yes") if item["breakdown"] else "",
        )
        for column, value in enumerate(values, start=1):
            sheet.cell(row=row, column=column, value=value).alignment = Alignment(wrap_text=True)
    for letter, width in zip("ABCDE", (22, 60, 36, 30, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
