"""Forms of the coordination pages. They only shape what people type into the ``data`` the
services take; every rule is checked by the services (the same as for the API)."""

from typing import Any, cast

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cophub.accounts.models import User
from cophub.portal.errors import CopHubError
from cophub.reference.languages import UI_LANGUAGE_CODES
from cophub.reference.models import Country, Region
from cophub.reference.selectors import operative_clauses
from cophub.resources.languages import language_name

from .models import (
    Activity,
    Agreement,
    Body,
    ClauseProgress,
    Document,
    DocumentVersion,
    LiaisonStatement,
    Meeting,
    Partner,
    Registration,
    Report,
    YouthSubmission,
)
from .services import ADDRESSEE_FOR, DELEGATE_KINDS

BLANK = [("", "—")]
DATE = forms.DateInput(attrs={"type": "date"})


def label(model: type[models.Model], name: str) -> str:
    """A model field's name as a form label ("first day" → "First day"): the same msgid,
    still translated lazily (``capfirst`` keeps it lazy)."""
    return cast(str, capfirst(model._meta.get_field(name).verbose_name))  # type: ignore[union-attr]


def lines(text: str) -> list[str]:
    """Text typed one entry per line, as a list (empty lines dropped)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


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


# --- the secretariat's forms ----------------------------------------------------------------


class MeetingForm(forms.Form):
    """A new meeting (BDT staff). Field names are those of ``services.meeting_create``."""

    body = forms.ChoiceField(label=label(Meeting, "body"))
    ordinal = forms.IntegerField(label=label(Meeting, "ordinal"), min_value=1)
    starts_on = forms.DateField(label=label(Meeting, "starts_on"), widget=DATE)
    ends_on = forms.DateField(label=label(Meeting, "ends_on"), widget=DATE)
    mode = forms.ChoiceField(label=label(Meeting, "mode"), choices=Meeting.Mode.choices)
    venue = forms.CharField(label=label(Meeting, "venue"), max_length=200, required=False)
    chair = forms.ChoiceField(label=label(Meeting, "chair"), required=False)
    vice_chairs = forms.CharField(
        label=_("Vice-chairs (one per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    agenda = forms.CharField(
        label=label(Meeting, "agenda"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    registration_closes_on = forms.DateField(
        label=_("Registration closes on (empty: the day before the meeting)"),
        widget=DATE,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["body"].choices = sorted(
            ((body.pk, body.name) for body in Body.objects.all()), key=lambda pair: pair[1]
        )
        users = User.objects.filter(is_active=True).order_by("last_name", "username")
        fields["chair"].choices = BLANK + [
            (user.pk, user.get_full_name() or user.username) for user in users
        ]

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["chair"] = int(data["chair"]) if data.get("chair") else None
        data["vice_chairs"] = lines(data.get("vice_chairs", ""))
        return data


class MeetingUpdateForm(forms.Form):
    """What the chair or BDT staff change on a meeting (``services.meeting_update``)."""

    agenda = forms.CharField(
        label=label(Meeting, "agenda"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    outcome = forms.CharField(
        label=label(Meeting, "outcome"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    venue = forms.CharField(label=label(Meeting, "venue"), max_length=200, required=False)
    vice_chairs = forms.CharField(
        label=_("Vice-chairs (one per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    @classmethod
    def of(cls, meeting: Meeting) -> "MeetingUpdateForm":
        return cls(
            initial={
                "agenda": meeting.agenda,
                "outcome": meeting.outcome,
                "venue": meeting.venue,
                "vice_chairs": "\n".join(meeting.vice_chairs),
            },
            prefix="manage",
        )

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["vice_chairs"] = lines(data.get("vice_chairs", ""))
        return data


class AttendanceForm(forms.Form):
    """Who attended, among those registered (the others did not)."""

    attended = forms.MultipleChoiceField(
        label=_("Attended"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        registrations = list(
            meeting.registrations.select_related("user", "organisation").order_by("pk")
        )
        kwargs.setdefault("initial", {"attended": [str(r.pk) for r in registrations if r.attended]})
        kwargs["prefix"] = "attendance"
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["attended"].choices = [
            (
                str(r.pk),
                " · ".join(
                    part
                    for part in (
                        r.user.get_full_name() or r.user.username,
                        r.organisation.name if r.organisation else "",
                        str(r.get_attendance_display()),
                    )
                    if part
                ),
            )
            for r in registrations
        ]

    def attended_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data.get("attended", [])]


ADDRESSEE_ROWS = 4
ADDRESSEE_LABELS = {
    "action": _("For action"),
    "comments": _("For comments"),
    "information": _("For information"),
}


class LiaisonForm(forms.Form):
    """A liaison statement (``services.liaison_create``), with up to four addressees, each a
    row of body and purpose (``addressee_body_0``, ``addressee_for_0``, …); empty rows are
    left out."""

    direction = forms.ChoiceField(
        label=_("Type"),
        choices=[
            ("in", Document.Kind.LIAISON_IN.label),
            ("out", Document.Kind.LIAISON_OUT.label),
        ],
    )
    subject = forms.CharField(label=label(LiaisonStatement, "subject"), max_length=300)
    origin = forms.CharField(label=label(LiaisonStatement, "origin"), max_length=200)
    origin_questions = forms.CharField(
        label=label(LiaisonStatement, "origin_questions"), max_length=200, required=False
    )
    approval = forms.CharField(label=label(LiaisonStatement, "approval"), max_length=200)
    deadline = forms.DateField(
        label=label(LiaisonStatement, "deadline"), widget=DATE, required=False
    )
    contact = forms.CharField(label=label(LiaisonStatement, "contact"), max_length=200)
    original_language = forms.ChoiceField(label=_("Original language"))
    reply_to = forms.ChoiceField(label=label(LiaisonStatement, "reply_to"), required=False)
    seq = forms.IntegerField(label=_("Number (optional)"), min_value=1, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        purposes = BLANK + [(value, ADDRESSEE_LABELS[value]) for value in ADDRESSEE_FOR]
        for row in range(ADDRESSEE_ROWS):
            fields[f"addressee_body_{row}"] = forms.CharField(
                label=label(Meeting, "body"), max_length=200, required=False
            )
            fields[f"addressee_for_{row}"] = forms.ChoiceField(
                label=_("Purpose"), choices=purposes, required=False
            )
        fields["original_language"].choices = _language_choices()
        statements = LiaisonStatement.objects.select_related("document__meeting__body")
        fields["reply_to"].choices = BLANK + [
            (str(s.pk), f"{s.document.number()} · {s.subject}") for s in statements.order_by("-pk")
        ]

    def addressee_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [
            (row + 1, self[f"addressee_body_{row}"], self[f"addressee_for_{row}"])
            for row in range(ADDRESSEE_ROWS)
        ]

    def main_fields(self) -> list[forms.BoundField]:
        return [field for field in self if not field.name.startswith("addressee_")]

    def _filled_rows(self) -> list[int]:
        data = self.cleaned_data
        return [
            row
            for row in range(ADDRESSEE_ROWS)
            if (data.get(f"addressee_body_{row}") or "").strip() or data.get(f"addressee_for_{row}")
        ]

    def data_for_service(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("addressee_")}
        data["addressees"] = [
            {
                "body": self.cleaned_data.get(f"addressee_body_{row}", ""),
                "for": self.cleaned_data.get(f"addressee_for_{row}") or None,
            }
            for row in self._filled_rows()
        ]
        data["reply_to"] = int(data["reply_to"]) if data.get("reply_to") else None
        return data

    def field_for(self, name: str) -> str:
        """The form field of a service's field path (``addressees[1].for`` is the row the
        second filled addressee came from)."""
        if name == "addressees":
            return "addressee_body_0"
        if name.startswith("addressees["):
            index, _sep, part = name[len("addressees[") :].partition("].")
            rows = self._filled_rows()
            if index.isdigit() and int(index) < len(rows):
                return f"addressee_{'body' if part == 'body' else 'for'}_{rows[int(index)]}"
        return name


def errors_renamed(error: CopHubError, rename: Any) -> CopHubError:
    """``error`` with its field paths renamed to the form's fields (``rename(path)``)."""
    problems = [
        {**problem, "field": rename(problem["field"]) if problem.get("field") else None}
        for problem in error.details.get("errors") or []
    ]
    return CopHubError(error.message, {**error.details, "errors": problems})


class VersionForm(forms.Form):
    """One language version: its translation status and its file (prefixed by language)."""

    status = forms.ChoiceField(
        label=_("Translation status"), choices=DocumentVersion.Status.choices
    )
    file = forms.FileField(label=_("File"), required=False)


class ReviseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    abstract = forms.CharField(
        label=_("Abstract"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    file = forms.FileField(
        label=_("File in the original language (PDF, Office or OpenDocument; optional)"),
        required=False,
    )

    def data_for_service(self) -> dict[str, Any]:
        return {"title": self.cleaned_data["title"], "abstract": self.cleaned_data["abstract"]}


class ClauseProgressForm(forms.Form):
    """The secretariat's reading of one clause (prefixed by the clause)."""

    status = forms.ChoiceField(label=_("Status"), choices=ClauseProgress.Status.choices)
    progress = forms.IntegerField(label=label(ClauseProgress, "progress"))
    timeline = forms.CharField(label=_("Timeline"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


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
