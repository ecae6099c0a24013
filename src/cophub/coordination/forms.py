"""Forms of the coordination pages. They only shape what people type into the ``data`` the
services take; every rule is checked by the services (the same as for the API)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.reference.models import Country, Region
from cophub.resources.languages import language_name

from .models import Activity, Document, Meeting, Registration, Report, YouthSubmission
from .reports import operative_clauses
from .services import DELEGATE_KINDS

BLANK = [("", "—")]


def _language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in UI_LANGUAGE_CODES]


def _country_choices() -> list[tuple[str, str]]:
    countries = Country.objects.filter(itu_member=True)
    return BLANK + sorted(((c.iso2, c.name) for c in countries), key=lambda pair: pair[1])


def _region_choices() -> list[tuple[str, str]]:
    return [(region.code, region.name) for region in Region.objects.all()]


def _clause_choices() -> list[tuple[str, str]]:
    return [(clause.pk, f"{clause.pk} — {clause.text()[:90]}") for clause in operative_clauses()]


class RegistrationForm(forms.Form):
    attendance = forms.ChoiceField(
        label=_("How will you take part?"), choices=Registration.Attendance.choices
    )
    country = forms.ChoiceField(
        label=_("Country you represent (leave empty for your organisation's)"), required=False
    )
    fellowship = forms.BooleanField(
        label=_(
            "I ask for a fellowship (delegates of developing countries: LDC, LLDC, SIDS or "
            "economy in transition)"
        ),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["country"].choices = _country_choices()

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["country"] = data.get("country") or None
        return data


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
        fields["original_language"].choices = _language_choices()
        fields["country"].choices = _country_choices()

    def data_for_service(self) -> dict[str, Any]:
        data = {key: value for key, value in self.cleaned_data.items() if key != "file"}
        data["country"] = data.get("country") or None
        return data


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Last day (leave empty for a one-day activity)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
    )
    region = forms.ChoiceField(label=_("ITU-D region (empty: global)"), required=False)
    countries = forms.CharField(
        label=_("Countries (ISO codes separated by commas, for example KE, BR)"), required=False
    )
    clauses = forms.MultipleChoiceField(
        label=_("Resolution 67 clauses it serves"), widget=forms.CheckboxSelectMultiple
    )
    participants = forms.IntegerField(label=_("Participants"), min_value=0, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["region"].choices = BLANK + _region_choices()
        fields["clauses"].choices = _clause_choices()

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["countries"] = [
            code.strip().upper() for code in data.get("countries", "").split(",") if code.strip()
        ]
        data["region"] = data.get("region") or None
        return data


class FeedForm(forms.Form):
    """The period (and region) of the collected feed, from the query string."""

    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    region = forms.ChoiceField(label=_("ITU-D region"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["region"].choices = [("", _("All regions")), *_region_choices()]

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
        fields["regions"].choices = _region_choices()


class ReportTextForm(forms.Form):
    """The editor's text of one section (the section is named outside the form, which is
    prefixed with it so that each section's fields have their own ids)."""

    language = forms.ChoiceField(label=_("Language of the text"))
    text = forms.CharField(label=_("Editor's text"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["language"].choices = _language_choices()


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
        fields["region"].choices = [("", _("I prefer not to say")), *_region_choices()]


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary for the meeting"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
