from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cophub.reference.models import Clause, Country, Region

from .languages import language_choices
from .models import Audience, DisseminationEvent, ResourcePage, RiskTopic


def _with_blank(choices: list[tuple[str, str]]) -> list[tuple[str, object]]:
    return [("", _("All")), *choices]


class HubFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    audience = forms.ChoiceField(label=_("Audience"), required=False)
    topic = forms.ChoiceField(label=_("Risk topic"), required=False)
    clause = forms.ChoiceField(label=_("Resolution 67 clause"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["kind"].choices = _with_blank([(k.value, str(k.label)) for k in ResourcePage.Kind])
        fields["audience"].choices = _with_blank([(a.code, a.name) for a in Audience.objects.all()])
        fields["topic"].choices = _with_blank(
            [(t.code, f"— {t.name}" if t.parent_id else t.name) for t in RiskTopic.objects.all()]
        )
        fields["clause"].choices = _with_blank([(c.id, c.id) for c in Clause.objects.all()])
        fields["region"].choices = _with_blank([(r.code, r.name) for r in Region.objects.all()])


class DisseminationEventForm(forms.ModelForm):  # type: ignore[type-arg]
    language = forms.ChoiceField(label=_("Language"), required=False)

    class Meta:
        model = DisseminationEvent
        fields = [
            "kind",
            "title",
            "held_on",
            "country",
            "audience",
            "attendance",
            "language",
            "notes",
        ]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["language"].choices = _with_blank(language_choices())
        fields["country"].queryset = Country.objects.filter(itu_member=True)
        fields["audience"].queryset = Audience.objects.all()


class TranslationImportForm(forms.Form):
    file = forms.FileField(label=_("PO or XLIFF file"))


class TranslationReturnForm(forms.Form):
    note = forms.CharField(label=_("What needs changing"), widget=forms.Textarea(attrs={"rows": 3}))


class DownloadFileForm(forms.Form):
    file = forms.FileField(label=_("File in this language"))
    machine = forms.BooleanField(label=_("This file was machine-translated"), required=False)
