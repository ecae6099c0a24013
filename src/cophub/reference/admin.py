from cophub.accounts.admin_site import BdtStaffAdmin, admin_site

from .models import Clause, Country, DataSource, Grouping, Language, Region


class CountryAdmin(BdtStaffAdmin):
    list_display = ["iso2", "iso3", "name", "itu_member", "region"]
    list_filter = ["itu_member", "region", "groupings"]
    list_select_related = ["region"]
    search_fields = ["iso2", "iso3", "names"]


class RegionAdmin(BdtStaffAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "names"]


class GroupingAdmin(BdtStaffAdmin):
    list_display = ["code", "name", "list_year", "source"]
    filter_horizontal = ["countries"]


class LanguageAdmin(BdtStaffAdmin):
    list_display = ["code", "iso639_3", "name", "itu_official"]
    list_filter = ["itu_official"]
    search_fields = ["code", "iso639_3", "names"]


class ClauseAdmin(BdtStaffAdmin):
    list_display = ["id", "section", "number"]
    list_filter = ["section"]


class DataSourceAdmin(BdtStaffAdmin):
    list_display = ["key", "title", "edition", "loaded_at"]


admin_site.register(Country, CountryAdmin)
admin_site.register(Region, RegionAdmin)
admin_site.register(Grouping, GroupingAdmin)
admin_site.register(Language, LanguageAdmin)
admin_site.register(Clause, ClauseAdmin)
admin_site.register(DataSource, DataSourceAdmin)
