"""Forms of verification campaigns: the public answer (all correct / something changed) and
BDT's campaign, review and contacts forms. The change form edits what an operator knows best;
anything else goes in the note, for BDT to apply by hand."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from copcore.helplines.hours_text import hours_to_text
from copcore.helplines.parse import parse_hours
from cophub.reference.models import Region

from ..hours_input import HOURS_HELP, HoursNotUnderstood, hours_from_input
from ..models import Helpline, Topic
from .score import CHECKS, OPERATOR_CONFIRMED, check_labels


class CorrectForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)


class ChangeForm(forms.Form):
    """``contact_<i>`` and ``hours_<i>`` (written as ``copcore.helplines.hours_text`` reads
    them) for each published contact; the entry's name in the page's language."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    entry_name = forms.CharField(label=_("Name of the helpline"), max_length=200)
    operator = forms.CharField(label=_("Operator"), max_length=200, required=False)
    website = forms.URLField(
        label=_("Website"), max_length=200, required=False, assume_scheme="https"
    )
    age_min = forms.IntegerField(label=_("Minimum age"), min_value=0, max_value=120, required=False)
    age_max = forms.IntegerField(label=_("Maximum age"), min_value=0, max_value=120, required=False)
    languages = forms.CharField(
        label=_("Languages (codes such as en, fr, sw, separated by commas)"),
        max_length=300,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), widget=forms.CheckboxSelectMultiple, required=False
    )
    note = forms.CharField(
        label=_("What else changed?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, helpline: Helpline, **kwargs: Any) -> None:
        self.helpline = helpline
        self.published = list(helpline.contacts.order_by("position"))
        language = get_language() or "en"
        kwargs.setdefault(
            "initial",
            {
                "entry_name": helpline.names.get(language) or helpline.name,
                "operator": helpline.operator_name,
                "website": helpline.website,
                "age_min": helpline.age_min,
                "age_max": helpline.age_max,
                "languages": ", ".join(helpline.languages),
                "topics": [topic.code for topic in helpline.topics.all()],
            },
        )
        for i, contact in enumerate(self.published):
            kwargs["initial"][f"contact_{i}"] = contact.value
            kwargs["initial"][f"hours_{i}"] = hours_to_text(
                parse_hours(contact.hours, [], "$.hours")
            )
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [  # type: ignore[attr-defined]
            (topic.code, topic.name) for topic in Topic.objects.order_by("code")
        ]
        for i, contact in enumerate(self.published):
            self.fields[f"contact_{i}"] = forms.CharField(
                label=_("%(channel)s contact") % {"channel": contact.channel},
                max_length=300,
                widget=forms.TextInput(attrs={"dir": "ltr"}),
            )
            self.fields[f"hours_{i}"] = forms.CharField(
                label=_("%(channel)s: opening hours") % {"channel": contact.channel},
                help_text=HOURS_HELP,
                max_length=300,
                required=False,
                widget=forms.TextInput(
                    attrs={"dir": "ltr", "aria-describedby": f"id_hours_{i}_hint"}
                ),
            )

    def contact_fields(self) -> list[forms.BoundField]:
        return [self[f"contact_{i}"] for i in range(len(self.published))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(len(self.published)):
            field = f"hours_{i}"
            if field not in data:
                continue
            try:
                data[field] = hours_from_input(data[field])
            except HoursNotUnderstood as error:
                self.add_error(field, str(error))
        if "languages" in data:
            data["languages"] = [
                code.strip().lower()
                for code in data["languages"].replace(";", ",").split(",")
                if code.strip()
            ]
            if not data["languages"]:
                self.add_error("languages", _("This field is required."))
        return data

    def changes(self) -> dict[str, Any]:
        """The cleaned form as changes to the entry's open data document."""
        data = self.cleaned_data
        language = get_language() or "en"
        changes: dict[str, Any] = {
            "name": {**self.helpline.names, language: data["entry_name"].strip()},
            "operator": data["operator"].strip(),
            "age_min": data["age_min"],
            "age_max": data["age_max"],
            "languages": data["languages"],
            "topics": data["topics"],
            "contacts": [
                {
                    "channel": c.channel,
                    "value": data[f"contact_{i}"].strip(),
                    "free": c.free,
                    "hours": data[f"hours_{i}"],
                    **({"closed_on": c.closed_on} if c.closed_on else {}),
                }
                for i, c in enumerate(self.published)
            ],
        }
        if data["website"]:
            changes["website"] = data["website"]
        return changes

    def field_for(self, path: str) -> str | None:
        """The form field of an error's JSON path (``$.contacts[1].value`` → ``contact_1``)."""
        path = path.removeprefix("$.")
        if path.startswith("contacts[") and "]" in path:
            index = path[len("contacts[") : path.index("]")]
            rest = path[path.index("]") + 1 :]
            return f"hours_{index}" if rest.startswith(".hours") else f"contact_{index}"
        if path.startswith(("languages", "topics")):
            return path.split("[")[0]
        if path.startswith("name"):
            return "entry_name"
        return path if path in self.fields else None


def region_choices() -> list[tuple[str, str]]:
    return [("", str(_("All regions"))), *((r.code, r.name) for r in Region.objects.all())]


class CampaignForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"), required=False)
    remind_after_days = forms.IntegerField(
        label=_("Send a reminder after (days)"), min_value=1, max_value=90, initial=14
    )
    link_days = forms.IntegerField(
        label=_("Links valid for (days)"), min_value=1, max_value=90, initial=30
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("reject", _("Reject"))]
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class ChecksForm(forms.Form):
    """BDT staff record a verification of the entry against its source and the checks they
    made (the operator's own confirmation comes from a campaign answer)."""

    verified_on = forms.DateField(
        label=_("Verified on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    checks = forms.MultipleChoiceField(
        label=_("Checks made"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "checks")
        kwargs.setdefault("initial", {"verified_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        labels = check_labels()
        self.fields["checks"].choices = [  # type: ignore[attr-defined]
            (code, labels[code]) for code in CHECKS if code != OPERATOR_CONFIRMED
        ]

    def clean_verified_on(self) -> Any:
        day = self.cleaned_data["verified_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class ContactsForm(forms.Form):
    contacts = forms.CharField(
        label=_("Verification contacts: one per line, the address then the language code"),
        widget=forms.Textarea(attrs={"rows": 5, "dir": "ltr"}),
        required=False,
    )

    def entries(self) -> list[dict[str, str]]:
        entries = []
        for line in self.cleaned_data["contacts"].splitlines():
            parts = line.split()
            if parts:
                entries.append(
                    {"email": parts[0], "language": parts[1] if len(parts) > 1 else "en"}
                )
        return entries
