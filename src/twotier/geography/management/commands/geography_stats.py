"""`twotier geography_stats`: the loaded map's figures as one JSON object."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from twotier.geography.services import geography_stats


class Command(BaseCommand):
    help = "Print the loaded map's counts (provinces, communes by kind, former units, per province) as JSON."
    requires_system_checks: list[str] = []

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(geography_stats(), ensure_ascii=False))
