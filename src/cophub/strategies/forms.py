"""Page forms (no JavaScript needed). They only parse what was typed; the services decide what
is valid, and their errors come back onto the named fields (``errors_to_form``)."""

from typing import Any, cast

from django import forms
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from cophub.portal.errors import InvalidInput
from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.reference.models import Clause, Language

from .models import (
    Action,
    AssistanceRequest,
    Confidentiality,
    Consultation,
    Framework,
    Item,
    MaturityPhase,
    Stakeholder,
)

DATE = forms.DateInput(attrs={"type": "date"})
ANSWER_CHOICES = [("yes", _("Yes")), ("partial", _("Partial (advanced draft)")), ("no", _("No"))]


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def errors_to_form(
    form: forms.Form, error: InvalidInput, aliases: dict[str, str] | None = None
) -> None:
    """Put each error of ``error`` on the form field it names (else on the whole form)."""
    aliases = aliases or {}
    errors = error.details.get("errors") or [{"field": "", "message": str(error.message)}]
    for entry in errors:
        field = aliases.get(entry.get("field", ""), entry.get("field", ""))
        form.add_error(field if field in form.fields else None, str(entry["message"]))


def language_choices() -> list[tuple[str, str]]:
    languages = sorted(Language.objects.all(), key=lambda language: language.name)
    official = [lang for lang in languages if lang.itu_official]
    return [
        (lang.code, lang.name) for lang in official + [x for x in languages if not x.itu_official]
    ]


class OpenAssessmentForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"))
    year = forms.IntegerField(label=_("Year"))
    framework = forms.ChoiceField(label=_("Framework"))
    start_from_previous = forms.BooleanField(
        label=_("Start from the answers of the previous assessment"), required=False, initial=True
    )

    def __init__(self, *args: Any, countries: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "country").choices = countries
        _choices(self, "framework").choices = [
            (f.pk, f"{f.title} ({f.version})") for f in Framework.objects.defer("document")
        ]


class AnswerForm(forms.Form):
    """One question: the answer, a comment, and optionally one new piece of evidence."""

    value = forms.CharField(label=_("Answer"), required=False)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_title = forms.CharField(label=_("Document title"), required=False, max_length=300)
    evidence_file = forms.FileField(
        label=_("File (PDF, DOCX, ODT, PNG or JPEG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,.png,.jpg,.jpeg"}),
    )
    evidence_url = forms.CharField(label=_("or a link"), required=False, max_length=500)
    evidence_issuing_body = forms.CharField(label=_("Issuing body"), required=False, max_length=200)
    evidence_issued_on = forms.DateField(
        label=_("Date of the document"), required=False, widget=DATE
    )
    evidence_language = forms.CharField(
        label=_("Language of the document (code, e.g. en, sw, pt)"),
        required=False,
        max_length=8,
        # One <datalist> per page suggests the codes: a <select> of every language in every
        # question's form made the page heavy on a cheap phone.
        widget=forms.TextInput(attrs={"list": "evidence-languages", "size": 8}),
    )

    def __init__(self, *args: Any, item: Item, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{item.pk}_%s")
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["value"].label = item.text
        # The radio buttons only offer the scale; the service checks what comes back, so a
        # value from elsewhere gets the same message as in the API.
        if item.kind == Item.Kind.YES_NO_PARTIAL:
            self.fields["value"].widget = forms.RadioSelect(choices=ANSWER_CHOICES)
        elif item.kind == Item.Kind.MATURITY:
            phases = [
                (str(p.value), f"{p.value}. {p.name}: {p.description}")
                for p in MaturityPhase.objects.all()
            ]
            self.fields["value"].widget = forms.RadioSelect(choices=phases)
        elif item.kind == Item.Kind.TEXT:
            self.fields["value"].widget = forms.Textarea(attrs={"rows": 3})
        else:
            self.fields["value"].widget = forms.TextInput(attrs={"inputmode": "decimal"})

    @property
    def has_new_evidence(self) -> bool:
        data = self.cleaned_data
        return bool(
            data.get("evidence_file")
            or data.get("evidence_url")
            or data.get("evidence_title")
            or data.get("evidence_issuing_body")
        )


class AssignForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"))
    username = forms.CharField(label=_("User name of the co-respondent"), max_length=150)

    def __init__(self, *args: Any, sections: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "section").choices = sections


class ConfidentialityForm(forms.Form):
    confidentiality = forms.ChoiceField(
        label=_("Who may see the published profile"),
        choices=Confidentiality.choices,
        widget=forms.RadioSelect,
    )


class ConsultationForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    method = forms.ChoiceField(label=_("Method"), choices=Consultation.Method.choices)
    participants = forms.IntegerField(label=_("Number of participants"), min_value=0)
    age_min = forms.IntegerField(label=_("Youngest age"), required=False)
    age_max = forms.IntegerField(label=_("Oldest age"), required=False)
    inclusion = forms.CharField(
        label=_("Inclusion (children with disabilities, migrant children, …)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    summary = forms.CharField(
        label=_("What children and young people said"),
        help_text=_("Do not record names or contact details of children."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    influence = forms.CharField(
        label=_("How it informed the assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StakeholderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), choices=Stakeholder.Sector.choices)
    involvement = forms.ChoiceField(label=_("Involvement"), choices=Stakeholder.Involvement.choices)
    role = forms.CharField(
        label=_("Role in child online protection"), required=False, max_length=300
    )


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary of the profile"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.TypedChoiceField(label=_("Owner organisation"), coerce=int)
    partners = forms.CharField(
        label=_("Partners (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("End"), required=False, widget=DATE)
    budget_line = forms.CharField(label=_("Budget line"), required=False, max_length=200)
    budget_amount = forms.DecimalField(
        label=_("Budget"), required=False, max_digits=14, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency (e.g. USD)"), required=False, max_length=3)
    target_maturity = forms.TypedChoiceField(
        label=_("Target maturity"), required=False, coerce=int, empty_value=None
    )
    indicators = forms.CharField(
        label=_("Indicators"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    items = forms.MultipleChoiceField(label=_("Framework questions"), required=False)
    clauses = forms.MultipleChoiceField(label=_("Resolution 67 clauses"), required=False)

    def __init__(
        self, *args: Any, owners: list[tuple[int, str]], items: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "owner").choices = owners
        _choices(self, "items").choices = items
        _choices(self, "clauses").choices = [(c.pk, c.pk) for c in Clause.objects.all()]
        _choices(self, "target_maturity").choices = [("", "—")] + [
            (p.value, f"{p.value}. {p.name}") for p in MaturityPhase.objects.all()
        ]


class ProgressForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 2}))
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)


class AssistanceForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"))
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Support needed"), widget=forms.Textarea(attrs={"rows": 4})
    )
    assessment = forms.TypedChoiceField(
        label=_("Assessment"), required=False, coerce=int, empty_value=None
    )
    items = forms.MultipleChoiceField(
        label=_("Gaps concerned"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args: Any,
        countries: list[tuple[str, str]],
        assessments: list[tuple[int, str]],
        items: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "country").choices = countries
        _choices(self, "assessment").choices = [("", "—"), *assessments]
        _choices(self, "items").choices = items


class NoteForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=DATE)
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("New status"), required=False)

    def __init__(self, *args: Any, may_change_status: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if may_change_status:
            _choices(self, "status").choices = [
                ("", _("Unchanged")),
                *AssistanceRequest.Status.choices,
            ]
        else:
            del self.fields["status"]


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[("docx", "DOCX"), ("pdf", "PDF")])
    lang = forms.ChoiceField(
        label=_("Language"),
        choices=[(code, get_language_info(code)["name_local"]) for code in UI_LANGUAGE_CODES],
    )
