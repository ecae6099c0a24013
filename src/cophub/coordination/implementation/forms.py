"""Forms of the implementation pages. They only shape what people type into what the services take;
every rule is checked by the services (the same as for the API)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..form_fields import (
    label,
)
from ..reports.models import ClauseProgress


class ClauseProgressForm(forms.Form):
    """The secretariat's reading of one clause (prefixed by the clause)."""

    status = forms.ChoiceField(label=_("Status"), choices=ClauseProgress.Status.choices)
    progress = forms.IntegerField(label=label(ClauseProgress, "progress"))
    timeline = forms.CharField(label=_("Timeline"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
