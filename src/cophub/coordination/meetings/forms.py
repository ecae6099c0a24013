"""Forms of the meeting pages. Each parses what people type, once, into the typed arguments of
its service (``service_args``; the API's schemas do the same for JSON); the rules that need
the database (unknown codes, duplicates, deadlines, permissions) are the services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cophub.accounts.models import User

from ..form_fields import (
    BLANK,
    DATE,
    country_choices,
    label,
    lines,
)
from .models import Body, Meeting, Registration


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
        fields["country"].choices = country_choices()

    def service_args(self) -> dict[str, Any]:
        """``services.registration_create``'s arguments."""
        data = self.cleaned_data
        return {
            "attendance": Registration.Attendance(data["attendance"]),
            "country": data.get("country") or None,
            "fellowship": bool(data.get("fellowship")),
        }


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

    def service_args(self) -> dict[str, Any]:
        """``services.meeting_create``'s arguments."""
        data = dict(self.cleaned_data)
        data["mode"] = Meeting.Mode(data["mode"])
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

    def service_args(self) -> dict[str, Any]:
        """``services.meeting_update``'s arguments."""
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
