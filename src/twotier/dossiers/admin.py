"""Admin: read-only views of dossiers and their history (every change goes through services.py)."""

from django.contrib import admin

from twotier.core.admin import ReadOnlyAdmin

from .models import ApologyLetter, Dossier, DossierEvent, Notification, SupplementRequest


class EventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    fields = ["at", "kind", "actor", "note", "data"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ["receipt_code", "status", "procedure", "competent_unit", "received_at", "due_at"]
    list_filter = ["status", "channel", "province_code"]
    search_fields = ["receipt_code"]
    inlines = [EventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(SupplementRequest, ApologyLetter, Notification)
class ChildAdmin(ReadOnlyAdmin):
    pass
