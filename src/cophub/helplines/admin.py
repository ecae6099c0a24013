"""The back-office page where BDT staff choose which organisation owns a helpline entry (its
helpline editors may then edit the entry) and which entries it is paired with (shown together
or not at all in one-answer mode). The entry itself is changed through the API or an
import, which check the whole open data format; here everything else is read-only."""

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext as _

from copcore.helplines.model import Kind
from cophub.accounts.admin_site import BdtStaffAdmin, admin_site

from .models import Helpline


class HelplineAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Helpline
        fields = ["organisation", "paired_with"]

    def clean_paired_with(self) -> Any:
        partners = self.cleaned_data["paired_with"]
        for partner in partners:
            if (
                partner.pk == self.instance.pk
                or partner.country_id != self.instance.country_id
                or Kind.EMERGENCY in (partner.kind, self.instance.kind)
            ):
                raise forms.ValidationError(
                    _(
                        "%(value)s cannot be paired with this entry: a pair is two different "
                        "entries of the same country, neither an emergency service."
                    ),
                    params={"value": partner.slug},
                )
        return partners


class HelplineAdmin(BdtStaffAdmin):
    form = HelplineAdminForm
    list_display = ["slug", "country", "operator_name", "organisation"]
    list_select_related = ["country", "organisation"]
    search_fields = ["slug", "operator_name", "organisation__name", "organisation__code"]
    autocomplete_fields = ["organisation", "paired_with"]
    fields = ["slug", "country", "operator_name", "organisation", "paired_with"]
    readonly_fields = ["slug", "country", "operator_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin_site.register(Helpline, HelplineAdmin)
