from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "twotier.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ một cửa")

    def ready(self) -> None:
        # Reorganizations move the open dossiers of a dissolved unit to its successor (apparatus hook).
        from twotier.apparatus import hooks

        from . import refcache, services

        refcache.connect_signals()

        hooks.register_open_work(
            "dossiers",
            label=str(_("Hồ sơ đang giải quyết")),
            count=services.count_open_dossiers,
            move=services.move_open_dossiers,
        )
