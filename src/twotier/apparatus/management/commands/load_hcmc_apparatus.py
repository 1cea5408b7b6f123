"""`twotier load_hcmc_apparatus`: the City People's Committee, its 16 departments, the 168 communes' units."""

from django.core.management.base import BaseCommand, CommandError

from twotier.apparatus.hcmc import hcmc_communes, load_hcmc_apparatus


class Command(BaseCommand):
    help = (
        "Load HCMC's apparatus (city departments; per commune: People's Committee, divisions, PASC, police)."
    )

    def handle(self, *args, **options):
        communes = hcmc_communes()
        if not communes:
            raise CommandError("No HCMC communes (province 79): run `twotier load_geography` first.")
        result = load_hcmc_apparatus(communes)
        if options["verbosity"]:
            self.stdout.write(
                f"HCMC apparatus: {result['communes']} communes; {result['units']} units and "
                f"{result['posts']} posts created (0 = already loaded)"
            )
