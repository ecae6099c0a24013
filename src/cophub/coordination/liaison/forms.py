"""Forms of the liaison statement pages. Each parses what people type, once, into the typed
arguments of its service (``service_args``; the API's schemas do the same for JSON); the
rules that need the database (unknown codes, duplicates, deadlines, permissions) are the
services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..documents.models import Document
from ..form_fields import (
    BLANK,
    DATE,
    label,
    language_choices,
)
from ..meetings.models import Meeting
from .models import ADDRESSEE_FOR, LiaisonStatement
from .services import Addressee

ADDRESSEE_ROWS = 4


ADDRESSEE_LABELS = {
    "action": _("For action"),
    "comments": _("For comments"),
    "information": _("For information"),
}


class LiaisonForm(forms.Form):
    """A liaison statement (``services.liaison_create``), with up to four addressees, each a
    row of body and purpose (``addressee_body_0``, ``addressee_for_0``, …); empty rows are
    left out."""

    direction = forms.ChoiceField(
        label=_("Type"),
        choices=[
            ("in", Document.Kind.LIAISON_IN.label),
            ("out", Document.Kind.LIAISON_OUT.label),
        ],
    )
    subject = forms.CharField(label=label(LiaisonStatement, "subject"), max_length=300)
    origin = forms.CharField(label=label(LiaisonStatement, "origin"), max_length=200)
    origin_questions = forms.CharField(
        label=label(LiaisonStatement, "origin_questions"), max_length=200, required=False
    )
    approval = forms.CharField(label=label(LiaisonStatement, "approval"), max_length=200)
    deadline = forms.DateField(
        label=label(LiaisonStatement, "deadline"), widget=DATE, required=False
    )
    contact = forms.CharField(label=label(LiaisonStatement, "contact"), max_length=200)
    original_language = forms.ChoiceField(label=_("Original language"))
    reply_to = forms.ChoiceField(label=label(LiaisonStatement, "reply_to"), required=False)
    seq = forms.IntegerField(label=_("Number (optional)"), min_value=1, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        purposes = BLANK + [(value, ADDRESSEE_LABELS[value]) for value in ADDRESSEE_FOR]
        for row in range(ADDRESSEE_ROWS):
            fields[f"addressee_body_{row}"] = forms.CharField(
                label=label(Meeting, "body"), max_length=200, required=False
            )
            fields[f"addressee_for_{row}"] = forms.ChoiceField(
                label=_("Purpose"), choices=purposes, required=False
            )
        fields["original_language"].choices = language_choices()
        statements = LiaisonStatement.objects.select_related("document__meeting__body")
        fields["reply_to"].choices = BLANK + [
            (str(s.pk), f"{s.document.number()} · {s.subject}") for s in statements.order_by("-pk")
        ]

    def addressee_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [
            (row + 1, self[f"addressee_body_{row}"], self[f"addressee_for_{row}"])
            for row in range(ADDRESSEE_ROWS)
        ]

    def main_fields(self) -> list[forms.BoundField]:
        return [field for field in self if not field.name.startswith("addressee_")]

    def _filled_rows(self) -> list[int]:
        data = self.cleaned_data
        return [
            row
            for row in range(ADDRESSEE_ROWS)
            if (data.get(f"addressee_body_{row}") or "").strip() or data.get(f"addressee_for_{row}")
        ]

    def clean(self) -> dict[str, Any]:
        """Each filled addressee row needs its body and its purpose."""
        data = super().clean() or {}
        for row in self._filled_rows():
            if not (data.get(f"addressee_body_{row}") or "").strip():
                self.add_error(f"addressee_body_{row}", _("This field is required."))
            if not data.get(f"addressee_for_{row}"):
                self.add_error(f"addressee_for_{row}", _("This field is required."))
        return data

    def service_args(self) -> dict[str, Any]:
        """``services.liaison_create``'s arguments."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("addressee_")}
        data["incoming"] = data.pop("direction") == "in"
        data["addressees"] = [
            Addressee(
                self.cleaned_data[f"addressee_body_{row}"].strip(),
                self.cleaned_data[f"addressee_for_{row}"],
            )
            for row in self._filled_rows()
        ]
        data["reply_to"] = int(data["reply_to"]) if data.get("reply_to") else None
        return data

    def field_for(self, name: str) -> str:
        """The form field of a service's field name (the addressee rows are one field for the
        service)."""
        return "addressee_body_0" if name == "addressees" else name
