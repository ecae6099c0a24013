from typing import Any

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from . import access
from .admin_site import BdtStaffAdmin, ReadOnlyBdtStaffAdmin, admin_site
from .models import ApiToken, Organisation, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["country", "region", "organisation"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.user_is_bdt_staff(request.user)

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.user_is_bdt_staff(request.user)


class CopHubUserAdmin(BdtStaffAdmin, UserAdmin):  # type: ignore[type-arg]
    inlines = [RoleAssignmentInline]
    list_display = ["username", "email", "organisation", "is_active"]
    list_filter = ["is_active", "organisation__kind", "role_assignments__role"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (None, {"fields": ["organisation"]}),
    )


class OrganisationAdmin(BdtStaffAdmin):
    list_display = ["name", "code", "kind", "country", "region"]
    list_filter = ["kind", "region"]
    list_select_related = ["country", "region"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["country", "region"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The code is what import files name the organisation by: fixed once it exists, so a
        # file can never come to mean another organisation.
        return ["code"] if obj is not None else []


class ApiTokenAdmin(ReadOnlyBdtStaffAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    exclude = ["key_hash"]


class AuditLogEntryAdmin(ReadOnlyBdtStaffAdmin, LogEntryAdmin):  # type: ignore[misc]
    """Who changed what, when: visible to BDT staff, never editable."""


admin_site.register(User, CopHubUserAdmin)
admin_site.register(Organisation, OrganisationAdmin)
admin_site.register(ApiToken, ApiTokenAdmin)
admin_site.register(LogEntry, AuditLogEntryAdmin)
