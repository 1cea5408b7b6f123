"""Admin for master data: read-mostly views of the registry (writes go through the services)."""

from django.contrib import admin

from twotier.core.admin import ReadOnlyAdmin

from .models import ApparatusEvent, Delegation, Official, Post, Reorganization, Responsibility, Task, Unit


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "tier", "level", "valid_from", "valid_to")
    list_filter = ("tier", "kind", "level")
    search_fields = ("code", "name")


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "quota", "valid_from", "valid_to")
    search_fields = ("title", "unit__code")
    raw_id_fields = ("unit",)


@admin.register(Official)
class OfficialAdmin(ReadOnlyAdmin):
    list_display = ("staff_no", "full_name", "grade", "digital_skill", "commune_code")
    search_fields = ("staff_no", "full_name")


@admin.register(Reorganization)
class ReorganizationAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "effective_on", "status", "legal_basis")
    list_filter = ("kind", "status")
    exclude = ("plan",)


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "field", "at_commune", "at_province")
    list_filter = ("kind", "at_commune", "at_province")
    search_fields = ("code", "name", "field")


@admin.register(Responsibility)
class ResponsibilityAdmin(ReadOnlyAdmin):
    list_display = ("task", "unit", "role", "tier", "commune_code", "valid_from", "valid_to")
    list_filter = ("role", "tier")
    raw_id_fields = ("task", "unit")


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyAdmin):
    list_display = ("instrument_no", "from_unit", "to_unit", "valid_from", "valid_to")


@admin.register(ApparatusEvent)
class ApparatusEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "kind", "subject", "actor")
    list_filter = ("kind",)
