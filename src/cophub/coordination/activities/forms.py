"""Forms of the partner and activity pages. Each parses what people type, once, into the typed
arguments of its service (``service_args``; the API's schemas do the same for JSON); the
rules that need the database (unknown codes, duplicates, deadlines, permissions) are the
services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..form_fields import (
    BLANK,
    DATE,
    clause_choices,
    label,
    region_choices,
)
from .models import Activity, Agreement, Partner
from .services import AgreementDraft


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
        fields["region"].choices = BLANK + region_choices()
        fields["clauses"].choices = clause_choices()

    def service_args(self) -> dict[str, Any]:
        """``services.activity_record``'s arguments."""
        data = dict(self.cleaned_data)
        data["kind"] = Activity.Kind(data["kind"])
        data["countries"] = [
            code.strip().upper() for code in data.get("countries", "").split(",") if code.strip()
        ]
        data["region"] = data.get("region") or None
        return data


class PartnerForm(forms.Form):
    """A partner (``services.partner_save``) with one optional agreement."""

    name = forms.CharField(label=label(Partner, "name"), max_length=200)
    kind = forms.ChoiceField(label=label(Partner, "kind"), choices=Partner.Kind.choices)
    url = forms.URLField(label=label(Partner, "url"), assume_scheme="https", required=False)
    description = forms.CharField(
        label=label(Partner, "description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    agreement_title = forms.CharField(
        label=label(Agreement, "title"), max_length=300, required=False
    )
    agreement_signed_on = forms.DateField(
        label=label(Agreement, "signed_on"), widget=DATE, required=False
    )

    def partner_fields(self) -> list[forms.BoundField]:
        return [field for field in self if not field.name.startswith("agreement_")]

    def agreement_fields(self) -> list[forms.BoundField]:
        return [self["agreement_title"], self["agreement_signed_on"]]

    def clean(self) -> dict[str, Any]:
        """An agreement needs both its title and the day it was signed."""
        data = super().clean() or {}
        title, signed = data.get("agreement_title"), data.get("agreement_signed_on")
        if (title or signed) and not (title and signed):
            self.add_error("agreement_title", _("Give a title and the date it was signed."))
        return data

    def service_args(self) -> dict[str, Any]:
        """``services.partner_save``'s arguments."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("agreement_")}
        data["kind"] = Partner.Kind(data["kind"])
        title = self.cleaned_data.get("agreement_title")
        signed = self.cleaned_data.get("agreement_signed_on")
        data["agreements"] = [AgreementDraft(title, signed)] if title and signed else []
        return data
