from django.contrib import admin

from .models import AccessLog, StaffProfile


class ReadOnlyAdmin(admin.ModelAdmin):
    """A view of rows written only by services or loaders (history is never rewritten in the admin)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "province_code", "commune_code", "unit_code", "title")
    search_fields = ("user__username", "commune_code", "unit_code")


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "object_type", "object_id", "path")
    list_filter = ("action", "object_type")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
