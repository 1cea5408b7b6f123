"""`twotier load_hcmc_responsibilities`: tasks from the catalogue, and who leads each in HCMC (rules file)."""

import time

from django.core.management.base import BaseCommand, CommandError

from twotier.apparatus.hcmc import load_hcmc_responsibilities, sync_tasks
from twotier.apparatus.models import Unit


class Command(BaseCommand):
    help = (
        "Create a task per catalogue procedure (plus duties) and HCMC's responsibilities from "
        "apparatus/data/responsibility_rules.yaml (idempotent)."
    )

    def handle(self, *args, **options):
        if not Unit.objects.filter(function="commune_committee").exists():
            raise CommandError("No commune units: run `twotier load_hcmc_apparatus` first.")
        started = time.monotonic()
        tasks = sync_tasks()
        stats = load_hcmc_responsibilities()
        if options["verbosity"]:
            self.stdout.write(
                f"tasks: {tasks['tasks']} ({tasks['created']} new, {tasks['updated']} updated); "
                "responsibilities "
                f"created: {stats['commune_leads']} commune leads, {stats['commune_coordinations']} PASC "
                f"coordinations, {stats['city_leads']} city leads; {stats['without_rule']} commune tasks "
                "without "
                f"a lead rule (see `twotier apparatus_gaps`) ({time.monotonic() - started:.1f} s)"
            )
