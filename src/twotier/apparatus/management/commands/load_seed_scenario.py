"""`twotier load_seed_scenario`: the article's Fatherland Front and Police with their reorganizations."""

import time

from django.core.management.base import BaseCommand

from twotier.apparatus.seed import load_seed_scenario


class Command(BaseCommand):
    help = (
        "Load the seed scenario (HCMC Fatherland Front 891→457 staff, 32→10 departments; HCMC Police "
        "> 30,000 personnel, 46 department- and 212 team-level units removed in two reorganizations). "
        "Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2025, help="random seed of the generated people")

    def handle(self, *args, **options):
        started = time.monotonic()
        result = load_seed_scenario(options["seed"])
        if options["verbosity"]:
            self.stdout.write(
                f"seed scenario: {result['front_reorganizations']} Front and "
                f"{result['police_reorganizations']} "
                f"Police reorganizations applied ({time.monotonic() - started:.1f} s; 0 = already loaded)"
            )
