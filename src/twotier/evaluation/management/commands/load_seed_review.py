"""`twotier load_seed_review`: the seed article's 22/10/2025 review of Resolution 18-NQ/TW (idempotent)."""

import time

from django.core.management.base import BaseCommand

from twotier.evaluation.seed_review import load_seed_review


class Command(BaseCommand):
    help = (
        "Load the 22/10/2025 review of Resolution 18-NQ/TW with the article's units (Fatherland Front, City "
        "People's Committee, Police, Thu Duc ward, Dat Do commune), submitted and consolidated. Needs "
        "load_hcmc_apparatus and load_seed_scenario. Idempotent."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        review = load_seed_review()
        if options["verbosity"]:
            if review is None:
                self.stdout.write("seed review: already loaded")
            else:
                self.stdout.write(
                    f"seed review #{review.pk}: {review.participants.count()} unit reports "
                    f"({time.monotonic() - started:.1f} s)"
                )
