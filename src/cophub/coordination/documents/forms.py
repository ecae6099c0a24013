"""Forms of the document pages. Each parses what people type, once, into the typed arguments of
its service (``service_args``; the API's schemas do the same for JSON); the rules that need
the database (unknown codes, duplicates, deadlines, permissions) are the services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..form_fields import (
    country_choices,
    language_choices,
)
from .models import Document, DocumentVersion
from .services import DELEGATE_KINDS


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Document.Purpose.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    abstract = forms.CharField(
        label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    action_required = forms.CharField(
        label=_("Action required"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    original_language = forms.ChoiceField(label=_("Original language"))
    country = forms.ChoiceField(label=_("Country (optional)"), required=False)
    file = forms.FileField(
        label=_("File in the original language (PDF, Office or OpenDocument; optional)"),
        required=False,
    )

    def __init__(self, *args: Any, manager: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        kinds = Document.Kind.choices
        fields["kind"].choices = (
            kinds
            if manager
            else [(value, label) for value, label in kinds if value in DELEGATE_KINDS]
        )
        fields["original_language"].choices = language_choices()
        fields["country"].choices = country_choices()

    def service_args(self) -> dict[str, Any]:
        """``services.document_submit``'s arguments (the file aside)."""
        data = {key: value for key, value in self.cleaned_data.items() if key != "file"}
        data["kind"] = Document.Kind(data["kind"])
        data["purpose"] = Document.Purpose(data["purpose"])
        data["country"] = data.get("country") or None
        return data


class VersionForm(forms.Form):
    """One language version: its translation status and its file (prefixed by language)."""

    status = forms.ChoiceField(
        label=_("Translation status"), choices=DocumentVersion.Status.choices
    )
    file = forms.FileField(label=_("File"), required=False)


class ReviseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    abstract = forms.CharField(
        label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    file = forms.FileField(
        label=_("File in the original language (PDF, Office or OpenDocument; optional)"),
        required=False,
    )

    def service_args(self) -> dict[str, Any]:
        """``services.document_revise``'s arguments (the file aside)."""
        return {"title": self.cleaned_data["title"], "abstract": self.cleaned_data["abstract"]}
