"""Forms of the consultation pages. Each parses what people type, once, into the typed arguments
of its service (``service_args``; the API's schemas do the same for JSON); the rules that
need the database (unknown codes, duplicates, deadlines, permissions) are the services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..form_fields import (
    region_choices,
)
from .models import YouthSubmission


class YouthAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 6}), max_length=2000
    )
    age_band = forms.ChoiceField(
        label=_("How old are you?"), choices=YouthSubmission.AgeBand.choices
    )
    region = forms.ChoiceField(label=_("Where do you live? (optional)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["region"].choices = [("", _("I prefer not to say")), *region_choices()]


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary for the meeting"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
