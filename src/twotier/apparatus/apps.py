from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApparatusConfig(AppConfig):
    name = "twotier.apparatus"
    label = "apparatus"
    verbose_name = _("Bộ máy tổ chức")
