from django.contrib import admin

from .models import DailyRollup, FollowUpTask, Review


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


# ---- implementation reviews: read-only here; every write goes through evaluation.reviews --------------


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(_ReadOnly):
    list_display = ("title", "organiser", "period_start", "period_end", "due_on", "status")
    list_filter = ("status", "province_code")
    search_fields = ("title", "legal_basis")
    raw_id_fields = ("organiser",)


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(_ReadOnly):
    list_display = ("title", "lead_unit", "due_on", "status")
    list_filter = ("status", "province_code")
    raw_id_fields = ("lead_unit", "recommendation", "review")
