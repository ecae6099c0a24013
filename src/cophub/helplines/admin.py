"""The back-office page where BDT staff choose which organisation owns a helpline entry (its
helpline editors may then edit the entry). The entry itself is changed through the API or an
import, which check the whole open data format; here everything else is read-only."""

from typing import Any

from django.http import HttpRequest

from cophub.accounts.admin_site import BdtStaffAdmin, admin_site

from .models import Helpline


class HelplineAdmin(BdtStaffAdmin):
    list_display = ["slug", "country", "operator_name", "organisation"]
    list_select_related = ["country", "organisation"]
    search_fields = ["slug", "operator_name", "organisation__name", "organisation__code"]
    autocomplete_fields = ["organisation"]
    fields = ["slug", "country", "operator_name", "organisation"]
    readonly_fields = ["slug", "country", "operator_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin_site.register(Helpline, HelplineAdmin)
