from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cophub.accounts.models import User
from cophub.portal.pages import form_errors_from as form_errors_from  # shared; re-exported
from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.reference.models import Clause, Country, Region, localized
from cophub.resources.languages import language_name

from .access import reviewers
from .models import Category, Criterion, ReaderReport, ScreeningFinding


class SubmissionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    category = forms.ChoiceField(label=_("Category"))
    original_language = forms.ChoiceField(label=_("Original language"))
    source_entity = forms.CharField(
        label=_("Source (submitting entity)"), max_length=200, required=False
    )
    abstract = forms.CharField(
        label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("ITU-D region"), required=False)
    clauses = forms.MultipleChoiceField(
        label=_("Resolution 67 clauses"), widget=forms.CheckboxSelectMultiple, required=False
    )
    framework_items = forms.CharField(
        label=_("National-strategy framework items (codes, separated by commas)"), required=False
    )
    lessons_learned = forms.CharField(
        label=_("Lessons learned"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    suggested_practice = forms.CharField(
        label=_("Suggested best practice"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    evidence_of_impact = forms.CharField(
        label=_("Evidence of impact"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=200, required=False)
    contact_email = forms.CharField(label=_("Contact e-mail"), max_length=254, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        blank = [("", "—")]
        fields["category"].choices = [(c.code, c.name) for c in Category.objects.all()]
        fields["original_language"].choices = [(c, language_name(c)) for c in UI_LANGUAGE_CODES]
        fields["country"].choices = blank + sorted(
            ((c.iso2, c.name) for c in Country.objects.filter(itu_member=True)), key=lambda x: x[1]
        )
        fields["region"].choices = blank + [(r.code, r.name) for r in Region.objects.all()]
        fields["clauses"].choices = [
            (c.id, f"{c.id} — {c.text()[:90]}")
            for c in Clause.objects.exclude(section="considering")
        ]

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["framework_items"] = [
            item.strip() for item in data.get("framework_items", "").split(",") if item.strip()
        ]
        data["country"] = data.get("country") or None
        data["region"] = data.get("region") or None
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, Office or OpenDocument; no images)"))


class TransitionForm(forms.Form):
    state = forms.CharField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label=_("Answer to the author (published with the decision)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["reviewer"].queryset = reviewers()


class DeclarationForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this submission?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("If yes, what is it?"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ScoresForm(forms.Form):
    comment = forms.CharField(
        label=_("Overall comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in Criterion.objects.all():
            self.fields[f"score_{criterion.code}"] = forms.IntegerField(
                label=localized(criterion.names), min_value=0, max_value=criterion.max_score
            )

    def scores(self) -> dict[str, int]:
        return {
            name.removeprefix("score_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("score_")
        }


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}))


class FindingForm(forms.Form):
    finding = forms.IntegerField(widget=forms.HiddenInput)
    resolution = forms.ChoiceField(
        label=_("Resolution"), choices=ScreeningFinding.Resolution.choices
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is the problem?"),
        choices=ReaderReport.Reason.choices,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Anything else we should know (optional; do not include personal details)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
