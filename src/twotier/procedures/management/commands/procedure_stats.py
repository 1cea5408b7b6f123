"""`twotier procedure_stats`: the catalogue figures as one JSON object; `--unparsed` lists what could not
be parsed and why, with the parse rates."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from twotier.procedures.querysets import catalogue_stats, unparsed_listing


class Command(BaseCommand):
    help = "Print the procedure catalogue figures as JSON (--unparsed: what could not be parsed and why)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--unparsed", action="store_true", help="list the unparsed records and the reasons"
        )

    def handle(self, *args, unparsed: bool, **options):
        data = unparsed_listing() if unparsed else catalogue_stats()
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
