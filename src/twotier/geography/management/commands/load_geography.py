"""`twotier load_geography`: load the 2025 map and the former units from the two PyPI packages."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from twotier.geography.services import load_geography


class Command(BaseCommand):
    help = (
        "Load provinces, communes, former units and their succession from vietnam-provinces and "
        "vietnamadminunits (idempotent); print every disagreement between the two packages."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="write every row even if nothing changed")

    def handle(self, *args, force: bool = False, verbosity: int = 1, **options):
        report = load_geography(force=force)
        if verbosity >= 1:
            for line in report.disagreements:
                self.stdout.write(line)
            c = report.disagreement_counts
            self.stdout.write(
                f"Disagreements between vietnam-provinces (authority) and vietnamadminunits: "
                f"{c['commune_codes']} commune codes, {c['commune_names']} commune names "
                f"({c['commune_names_other_unit']} of them codes of another unit)."
            )
            counts = ", ".join(f"{k} {v}" for k, v in report.counts.items())
            state = "already up to date" if report.unchanged else "loaded"
            self.stdout.write(self.style.SUCCESS(f"Geography {state} in {report.seconds:.2f} s: {counts}."))
