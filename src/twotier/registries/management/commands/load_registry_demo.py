"""twotier load_registry_demo: synthetic people, parcels and household businesses for the demo registries."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from twotier.registries.demo import load_demo


class Command(BaseCommand):
    help = "Fill the local demo registries (population, land, business households) with synthetic rows."

    def add_arguments(self, parser):
        parser.add_argument("--province", default="79")
        parser.add_argument("--per-commune", type=int, default=20)

    def handle(self, *args, province: str, per_commune: int, **options):
        from twotier.geography.models import Commune

        communes = list(
            Commune.objects.filter(province_id=province).order_by("code").values_list("code", "name")
        )
        counts = load_demo(communes, people_per_commune=per_commune)
        self.stdout.write(json.dumps(counts))
