"""Read-only admin: the map is loaded from the packages by `twotier load_geography`, never edited."""

from django.contrib import admin

from twotier.core.admin import ReadOnlyAdmin

from .models import (
    Commune,
    ConversionJob,
    LegacyDistrict,
    LegacyProvince,
    LegacyWard,
    Province,
    WardSuccession,
)


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind"]
    search_fields = ["code", "name"]


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "province", "alias_code", "area_km2"]
    list_filter = ["kind", "province"]
    search_fields = ["code", "alias_code", "name"]


@admin.register(LegacyProvince)
class LegacyProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "successor"]


@admin.register(LegacyDistrict)
class LegacyDistrictAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["code", "name"]


@admin.register(LegacyWard)
class LegacyWardAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "district"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(WardSuccession)
class WardSuccessionAdmin(ReadOnlyAdmin):
    list_display = ["legacy_district", "legacy_ward", "commune", "is_default"]
    list_filter = ["is_default"]
    raw_id_fields = ["legacy_district", "legacy_ward", "commune"]


@admin.register(ConversionJob)
class ConversionJobAdmin(ReadOnlyAdmin):
    list_display = ["input_name", "created_by", "province_code", "commune_code", "rows", "created_at"]
    list_filter = ["province_code"]
