"""Read-mostly admin of the territory reference (it comes from the loader)."""

from django.contrib import admin

from .models import EPCI, Commune, Departement, ReferenceImport, Region, TerritoryRelease


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee", "departement", "population", "rurality_estimated", "is_active"]
    list_filter = ["is_active", "rurality_official", "departement__region"]
    search_fields = ["name", "insee"]
    readonly_fields = ["geometry", "cog_year"]
    list_select_related = ["departement"]


@admin.register(EPCI)
class EPCIAdmin(admin.ModelAdmin):
    list_display = ["name", "siren", "kind"]
    search_fields = ["name", "siren"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    search_fields = ["name", "code"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(TerritoryRelease)
class TerritoryReleaseAdmin(admin.ModelAdmin):
    list_display = ["loaded_at", "cog_year", "source_version", "departements"]

    def has_add_permission(self, request):
        return False


@admin.register(ReferenceImport)
class ReferenceImportAdmin(admin.ModelAdmin):
    list_display = ["imported_at", "kind", "reference_date", "filename", "matched"]

    def has_add_permission(self, request):
        return False
