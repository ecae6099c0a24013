"""BDT staff edit the maturity phase names (data flagged *verify*) and read frameworks."""

from cophub.accounts.admin_site import BdtStaffAdmin, ReadOnlyBdtStaffAdmin, admin_site

from .models import Framework, MaturityPhase


class MaturityPhaseAdmin(BdtStaffAdmin):
    list_display = ["value", "key", "name", "verify"]


class FrameworkAdmin(ReadOnlyBdtStaffAdmin):
    list_display = ["key", "version", "title", "loaded_at"]


admin_site.register(MaturityPhase, MaturityPhaseAdmin)
admin_site.register(Framework, FrameworkAdmin)
