from django.contrib import admin

from .models import DemoCitizen, DemoHousehold, DemoParcel, RegistryQuery


@admin.register(RegistryQuery)
class RegistryQueryAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "registry",
        "officer_code",
        "agency_code",
        "procedure_code",
        "dossier_code",
        "found",
    ]
    list_filter = ["registry", "found"]
    readonly_fields = [f.name for f in RegistryQuery._meta.fields]


admin.site.register([DemoCitizen, DemoParcel, DemoHousehold])
