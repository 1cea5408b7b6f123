from django.contrib import admin

from .models import DailyRollup


@admin.register(DailyRollup)
class DailyRollupAdmin(admin.ModelAdmin):
    """Read-only: rollups are derived data, rebuilt by `twotier rollup`."""

    list_display = ("day", "unit", "procedure", "received", "completed_late", "open_overdue")
    list_filter = ("province_code", "day")
    search_fields = ("unit__code", "procedure__code")
    raw_id_fields = ("unit", "procedure")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
