"""Forms of the partner and activity pages. They only shape what people type into what the
services take; every rule is checked by the services (the same as for the API)."""

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

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
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

    def data_for_service(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("agreement_")}
        title, signed = (
            self.cleaned_data.get("agreement_title"),
            self.cleaned_data.get("agreement_signed_on"),
        )
        data["agreements"] = (
            [{"title": title, "signed_on": signed.isoformat() if signed else None}]
            if title or signed
            else []
        )
        return data

    @staticmethod
    def field_for(name: str) -> str:
        return "agreement_title" if name.startswith("agreements") else name
