"""Forms of the statistics pages. They only read input; the services check it."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from cophub.accounts.access import AnyUser
from cophub.portal.errors import CopHubError

from . import access, designs, engine
from .mappings import MappingTextError, variable_entry, variable_spec
from .models import Dataset


def errors_to_form(error: CopHubError, form: forms.Form) -> None:
    """Show a service's error on the form, next to the field it names when the form has it."""
    listed = error.details.get("errors") or []
    if not listed:
        form.add_error(None, str(error.message))
        return
    for item in listed[:20]:
        field = item.get("field")
        form.add_error(field if field in form.fields else None, str(item.get("message", "")))


class DatasetForm(forms.Form):
    kind = forms.ChoiceField(choices=Dataset.Kind.choices, label=_("Kind of data"))
    country = forms.ChoiceField(required=False, label=_("Country"))
    helpline = forms.ChoiceField(required=False, label=_("Helpline"))
    year = forms.IntegerField(label=_("Reference year"))
    title = forms.CharField(max_length=200, label=_("Title"))
    source = forms.CharField(
        max_length=300,
        required=False,
        label=_("Source"),
        help_text=_("The survey or register, and who produced it."),
    )
    disclosure = forms.ChoiceField(choices=Dataset.Disclosure.choices, label=_("Disclosure rule"))
    ci = forms.ChoiceField(choices=Dataset.Ci.choices, label=_("Confidence intervals"))
    dp_epsilon = forms.FloatField(required=False, label=_("ε per release (differential privacy)"))
    dp_weight_cap = forms.FloatField(required=False, label=_("Weight cap (differential privacy)"))
    dp_budget = forms.FloatField(required=False, label=_("Total ε budget (differential privacy)"))
    keep_microdata = forms.BooleanField(
        required=False,
        label=_("Keep the encrypted microdata after publication"),
        help_text=_("Otherwise they are deleted as soon as the dataset is published."),
    )
    replaces = forms.CharField(
        max_length=40,
        required=False,
        label=_("Replaces release"),
        help_text=_("The id of a published release this dataset corrects (optional)."),
    )

    def __init__(self, *args: Any, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country_field = cast(forms.ChoiceField, self.fields["country"])
        helpline_field = cast(forms.ChoiceField, self.fields["helpline"])
        country_field.choices = [("", "—")] + [
            (c.iso2, c.name) for c in sorted(access.countries_held(user), key=lambda c: c.name)
        ]
        helpline_field.choices = [("", "—")] + [
            (h.slug, h.name) for h in access.helplines_reported_by(user).order_by("slug")
        ]


class DesignForm(forms.Form):
    """The design step: strata and PSUs (nested or unique codes), or replicate weights. The
    fields are text so that :func:`designs.design_parse`, shared with the API, checks them."""

    weight = forms.CharField(max_length=100, required=False, label=_("Weight column"))
    variance = forms.ChoiceField(
        choices=designs.VARIANCES,
        required=False,
        initial=designs.TAYLOR,
        widget=forms.RadioSelect,
        label=_("Variance method"),
    )
    strata = forms.CharField(max_length=100, required=False, label=_("Stratum column"))
    psu = forms.CharField(max_length=100, required=False, label=_("Primary sampling unit column"))
    psu_unique = forms.BooleanField(
        required=False,
        label=_("PSU codes are unique across strata"),
        help_text=_(
            "Leave unticked when PSUs are numbered within each stratum (1, 2, … in every "
            "stratum): a PSU is then its stratum and its code. Ticked, a code found in two "
            "strata is refused."
        ),
    )
    fpc = forms.CharField(
        max_length=100, required=False, label=_("Finite population correction column")
    )
    rep_method = forms.ChoiceField(
        choices=[("", "—"), *designs.METHODS], required=False, label=_("Replication method")
    )
    rep_columns = forms.CharField(
        max_length=4000,
        required=False,
        label=_("Replicate weight columns"),
        help_text=_("A prefix (brr_ for brr_1 … brr_32) or the columns separated by commas."),
    )
    rep_fay = forms.CharField(
        max_length=40,
        required=False,
        label=_("Fay's ρ"),
        help_text=_("Only for Fay's BRR: the replicate weights are Fay replicates with this ρ."),
    )
    rep_multipliers = forms.CharField(
        max_length=4000,
        required=False,
        label=_("Multipliers"),
        help_text=_(
            "Optional: one number for every replicate, or one per replicate separated by "
            "commas (JKn needs them unless the stratum and PSU columns are given)."
        ),
    )
    rep_df = forms.CharField(
        max_length=20,
        required=False,
        label=_("Degrees of freedom"),
        help_text=_("Optional; otherwise the number of replicates minus 1."),
    )

    def design_step(self) -> dict[str, Any]:
        """The design fields grouped as the page shows them."""
        return {
            "weight": self["weight"],
            "variance": self["variance"],
            "taylor": [self[f] for f in ("strata", "psu", "psu_unique", "fpc")],
            "replicates": [self[f] for f in designs.REPLICATE_FIELDS],
        }

    def other_fields(self) -> list[forms.BoundField]:
        """The fields that are neither the design's nor a variable's (``age__source``)."""
        return [self[n] for n in self.fields if n not in designs.FIELDS and "__" not in n]

    def design(self) -> dict[str, Any] | None:
        """The ``design`` block, or ``None`` with the problems added to the form."""
        try:
            return designs.design_parse(self.cleaned_data)
        except CopHubError as error:
            errors_to_form(error, self)
            return None


class MicrodataForm(DesignForm):
    file = forms.FileField(
        label=_("Survey file"), help_text=_("CSV, XLSX, Parquet, SPSS (.sav) or Stata (.dta).")
    )
    mapping_file = forms.FileField(
        required=False,
        label=_("Mapping file (optional)"),
        help_text=_("YAML or JSON; otherwise the mapping saved for this dataset is used."),
    )
    field_order = ["file", "mapping_file"]


class FileForm(forms.Form):
    file = forms.FileField(label=_("File"))


class MappingFileForm(forms.Form):
    mapping_file = forms.FileField(label=_("Mapping file (YAML or JSON)"))


class CommentForm(forms.Form):
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Comment")
    )


class GrantForm(forms.Form):
    username = forms.CharField(max_length=150, label=_("User name of the statistics-office user"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason"))


POPULATIONS = (
    ("all_children", _("All children in the age range")),
    ("internet_users", _("Only children who use the Internet")),
)


PARTS = (
    ("source", _("Source column")),
    ("codes", _("Codes")),
    ("missing", _("Missing codes")),
)


class MappingForm(DesignForm):
    """The mapping, one line per harmonised variable (see ``mappings.py`` for the syntax),
    with the design step."""

    survey_name = forms.CharField(max_length=200, label=_("Survey name"))
    population = forms.ChoiceField(choices=POPULATIONS, label=_("Who was interviewed"))
    age_min = forms.IntegerField(min_value=0, max_value=17, label=_("Youngest age interviewed"))
    age_max = forms.IntegerField(min_value=0, max_value=17, label=_("Oldest age interviewed"))
    field_order = ["survey_name", "population", "age_min", "age_max"]

    def __init__(self, *args: Any, document: dict[str, Any] | None = None, **kwargs: Any) -> None:
        document = document or {}
        survey = document.get("survey") or {}
        design = document.get("design") or {}
        age = survey.get("age") or list(engine.framework().age_range)
        initial = {
            "survey_name": survey.get("name", ""),
            "population": survey.get("population", "all_children"),
            "age_min": age[0],
            "age_max": age[1],
            **designs.design_fields(design),
        }
        language = kwargs.pop("language", "en")
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.variables = []
        # Composites (tfse_any) are derived from their items, but a survey may also map them.
        for variable in engine.framework().variables:
            entry = variable_entry((document.get("variables") or {}).get(variable.id))
            for part, label in PARTS:
                name = f"{variable.id}__{part}"
                self.fields[name] = forms.CharField(
                    max_length=500, required=False, initial=entry[part], label=label
                )
            self.variables.append(
                {
                    "id": variable.id,
                    "type": variable.type,
                    "label": variable.label.get(language),
                    "fields": [self[f"{variable.id}__{p}"] for p in ("source", "codes", "missing")],
                }
            )

    def document(self, *, country: str, year: int) -> dict[str, Any] | None:
        """The mapping document, or ``None`` with the problems added to the form."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        variables: dict[str, Any] = {}
        for variable in engine.framework().variables:
            try:
                spec = variable_spec(
                    data.get(f"{variable.id}__source", ""),
                    data.get(f"{variable.id}__codes", ""),
                    data.get(f"{variable.id}__missing", ""),
                    variable.type,
                )
            except MappingTextError as problem:
                self.add_error(f"{variable.id}__codes", f"{variable.id}: {problem}")
                continue
            if spec is not None:
                variables[variable.id] = spec
        design = self.design()
        if self.errors or design is None:
            return None
        framework = engine.framework()
        return {
            "schema": "cop-survey-mapping/1",
            "framework": framework.id,
            "framework_version": framework.version,
            "survey": {
                "name": data["survey_name"],
                "country": country,
                "year": year,
                "population": data["population"],
                "age": [data["age_min"], data["age_max"]],
            },
            "design": design,
            "variables": variables,
        }
