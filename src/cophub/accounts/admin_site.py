"""The staff back office: Django's admin, open to BDT staff only (as checked by ``access``)."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from . import access


class CopHubAdminSite(admin.AdminSite):
    site_header = _("COP Hub administration")
    site_title = _("COP Hub administration")
    index_title = _("Reference data, accounts and audit log")

    def has_permission(self, request: HttpRequest) -> bool:
        return access.user_is_bdt_staff(request.user)

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # One sign-in page (with login throttling) for the whole platform; a signed-in user
        # without a staff role is refused rather than asked to sign in again.
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next", request.path))


class BdtStaffAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Model admin whose permissions follow ``access.user_is_bdt_staff``."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return access.user_is_bdt_staff(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.user_is_bdt_staff(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return access.user_is_bdt_staff(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.user_is_bdt_staff(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.user_is_bdt_staff(request.user)


class ReadOnlyBdtStaffAdmin(BdtStaffAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin_site = CopHubAdminSite(name="admin")
