"""The back-office pages where BDT staff keep the deadline rules right: confirm or correct a
value flagged unconfirmed, and choose which rule set a body follows. What they save here is
kept when ``cophub setup`` loads the data again (``bodies.py``)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cophub.accounts.admin_site import BdtStaffAdmin, admin_site

from .deadline_models import DeadlineRuleSet
from .models import Body, Document


class DeadlineRuleSetForm(forms.ModelForm):  # type: ignore[type-arg]
    source_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label=DeadlineRuleSet._meta.get_field("source_url").verbose_name,
    )
    exempt_kinds = forms.MultipleChoiceField(
        choices=Document.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=DeadlineRuleSet._meta.get_field("exempt_kinds").verbose_name,
        help_text=DeadlineRuleSet._meta.get_field("exempt_kinds").help_text,
    )

    class Meta:
        model = DeadlineRuleSet
        fields = [
            "source",
            "source_url",
            "translated_days",
            "translated_days_confirmed",
            "accepted_days",
            "accepted_days_confirmed",
            "posted_days",
            "posted_days_confirmed",
            "exempt_kinds",
            "exempt_posted_days",
            "exempt_posted_days_confirmed",
            "note",
        ]


class DeadlineRuleSetAdmin(BdtStaffAdmin):
    form = DeadlineRuleSetForm
    list_display = ["code", "name", "translated_days", "accepted_days", "posted_days", "flags"]
    readonly_fields = ["code", "edited_at", "edited_by"]

    fields = ["code", *DeadlineRuleSetForm.Meta.fields, "edited_at", "edited_by"]

    @admin.display(description=_("unconfirmed"))
    def flags(self, rule_set: DeadlineRuleSet) -> str:
        return ", ".join(rule_set.unconfirmed)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # rule sets come from data; staff correct them here

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.edited_at = timezone.now()
        obj.edited_by = request.user
        super().save_model(request, obj, form, change)


class BodyAdmin(BdtStaffAdmin):
    list_display = ["code", "name", "kind", "rule_set"]
    list_select_related = ["rule_set"]
    fields = ["code", "kind", "document_prefix", "rule_set"]
    readonly_fields = ["code", "kind", "document_prefix"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin_site.register(DeadlineRuleSet, DeadlineRuleSetAdmin)
admin_site.register(Body, BodyAdmin)
