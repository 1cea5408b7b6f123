from django.contrib import admin

from twotier.core.admin import ReadOnlyAdmin

from .models import DailyRollup, FollowUpTask, Review


@admin.register(DailyRollup)
class DailyRollupAdmin(ReadOnlyAdmin):
    """Read-only: rollups are derived data, rebuilt by `twotier rollup`."""

    list_display = ("day", "unit", "procedure", "received", "completed_late", "open_overdue")
    list_filter = ("province_code", "day")
    search_fields = ("unit__code", "procedure__code")
    raw_id_fields = ("unit", "procedure")


# ---- implementation reviews: read-only here; every write goes through evaluation.reviews --------------


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("title", "organiser", "period_start", "period_end", "due_on", "status")
    list_filter = ("status", "province_code")
    search_fields = ("title", "legal_basis")
    raw_id_fields = ("organiser",)


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(ReadOnlyAdmin):
    list_display = ("title", "lead_unit", "due_on", "status")
    list_filter = ("status", "province_code")
    raw_id_fields = ("lead_unit", "recommendation", "review")
