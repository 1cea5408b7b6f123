"""twotier sweep_deadlines: the deadline sweep by hand (Celery beat runs dossiers.sweep_deadlines)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from twotier.dossiers.sweep import sweep


class Command(BaseCommand):
    help = "Flag dossiers due soon / overdue (once each) and remind their officers."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=None, help="due-soon window in working hours")

    def handle(self, *args, hours, **options):
        self.stdout.write(json.dumps(sweep(hours=hours)))
