"""What the forms of the coordination pages share: labels from the models, choice lists and
the renaming of service errors to form fields."""

from typing import Any, cast

from django import forms
from django.db import models
from django.utils.text import capfirst

from cophub.portal.errors import CopHubError
from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.reference.models import Country, Region
from cophub.reference.selectors import operative_clauses
from cophub.resources.languages import language_name

BLANK = [("", "—")]


DATE = forms.DateInput(attrs={"type": "date"})


def label(model: type[models.Model], name: str) -> str:
    """A model field's name as a form label ("first day" → "First day"): the same msgid,
    still translated lazily (``capfirst`` keeps it lazy)."""
    return cast(str, capfirst(model._meta.get_field(name).verbose_name))  # type: ignore[union-attr]


def lines(text: str) -> list[str]:
    """Text typed one entry per line, as a list (empty lines dropped)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in UI_LANGUAGE_CODES]


def country_choices() -> list[tuple[str, str]]:
    countries = Country.objects.filter(itu_member=True)
    return BLANK + sorted(((c.iso2, c.name) for c in countries), key=lambda pair: pair[1])


def region_choices() -> list[tuple[str, str]]:
    return [(region.code, region.name) for region in Region.objects.all()]


def clause_choices() -> list[tuple[str, str]]:
    return [(clause.pk, f"{clause.pk} — {clause.text()[:90]}") for clause in operative_clauses()]


def errors_renamed(error: CopHubError, rename: Any) -> CopHubError:
    """``error`` with its field paths renamed to the form's fields (``rename(path)``)."""
    problems = [
        {**problem, "field": rename(problem["field"]) if problem.get("field") else None}
        for problem in error.details.get("errors") or []
    ]
    return CopHubError(error.message, {**error.details, "errors": problems})
