"""Forms of the implementation pages. Each parses what people type, once, into the typed
arguments of its service (``service_args``; the API's schemas do the same for JSON); the
rules that need the database (unknown codes, duplicates, deadlines, permissions) are the
services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..form_fields import (
    label,
)
from ..reports.models import ClauseProgress


class ClauseProgressForm(forms.Form):
    """The secretariat's reading of one clause (prefixed by the clause)."""

    status = forms.ChoiceField(label=_("Status"), choices=ClauseProgress.Status.choices)
    progress = forms.IntegerField(
        label=label(ClauseProgress, "progress"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("Give a percentage from 0 to 100."),
            "max_value": _("Give a percentage from 0 to 100."),
        },
    )
    timeline = forms.CharField(label=_("Timeline"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def service_args(self) -> dict[str, Any]:
        """``services.clause_progress_set``'s arguments (the clause aside)."""
        data = dict(self.cleaned_data)
        data["status"] = ClauseProgress.Status(data["status"])
        return data
