"""Forms of the report pages. Each parses what people type, once, into the typed arguments of
its service (``service_args``; the API's schemas do the same for JSON); the rules that need
the database (unknown codes, duplicates, deadlines, permissions) are the services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..form_fields import (
    language_choices,
    region_choices,
)
from ..meetings.models import Meeting
from .models import Report


class FeedForm(forms.Form):
    """The period (and region) of the collected feed, from the query string."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.ChoiceField(label=_("ITU-D region"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["region"].choices = [("", _("All regions")), *region_choices()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period ends before it starts."))
        return cleaned


class ReportCompileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of report"), choices=Report.Kind.choices)
    period_start = forms.DateField(
        label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Period end"), widget=forms.DateInput(attrs={"type": "date"})
    )
    regions = forms.MultipleChoiceField(
        label=_("ITU-D regions (none chosen: all regions)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    title = forms.CharField(label=_("Title (optional)"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["regions"].choices = region_choices()

    def service_args(self) -> dict[str, Any]:
        """``services.report_compile``'s arguments."""
        data = dict(self.cleaned_data)
        data["kind"] = Report.Kind(data["kind"])
        return data


class ReportTextForm(forms.Form):
    """The editor's text of one section (the section is named outside the form, which is
    prefixed with it so that each section's fields have their own ids)."""

    language = forms.ChoiceField(label=_("Language of the text"))
    text = forms.CharField(label=_("Editor's text"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["language"].choices = language_choices()


class ReportApproveForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting the report goes to (empty: the next CWG-COP meeting)"),
        queryset=Meeting.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["meeting"].queryset = Meeting.objects.select_related("body")
