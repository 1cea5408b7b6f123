"""Read-only admin: the catalogue is written only by `load_procedures` (versioned, never edited in place)."""

from django.contrib import admin

from twotier.core.admin import ReadOnlyAdmin

from .models import CatalogueImport, Procedure, ProcedureVersion


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ["number", "created_at", "time_unit", "time_value", "fee_amount_vnd", "changed_fields"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(ReadOnlyAdmin):
    list_display = [
        "code",
        "name",
        "field",
        "at_commune",
        "at_province",
        "sensitive_category",
        "suspect_copy",
    ]
    list_filter = [
        "at_commune",
        "at_province",
        "at_ministry",
        "sensitive_category",
        "suspect_copy",
        "is_curated",
    ]
    search_fields = ["code", "name", "search_text"]
    inlines = [VersionInline]
    exclude = ["search_text"]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ReadOnlyAdmin):
    list_display = [
        "procedure",
        "number",
        "time_unit",
        "time_value",
        "fee_status",
        "documents_status",
        "created_at",
    ]
    list_filter = ["time_unit", "fee_status", "documents_status"]
    search_fields = ["procedure__code"]
    list_select_related = ["procedure"]


@admin.register(CatalogueImport)
class CatalogueImportAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "actor", "note"]
