"""`twotier apparatus_metrics --unit CODE --before YYYY-MM-DD --after YYYY-MM-DD`: one JSON object."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from twotier.apparatus.metrics import compare
from twotier.apparatus.models import Unit


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from exc


class Command(BaseCommand):
    help = "Print the metrics of a unit subtree on two dates (units by level, headcount, change) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="unit code, e.g. hcmc-front")
        parser.add_argument("--before", required=True, type=parse_date, help="YYYY-MM-DD")
        parser.add_argument("--after", required=True, type=parse_date, help="YYYY-MM-DD")
        parser.add_argument("--detail", action="store_true", help="add units by kind and posts")

    def handle(self, *args, **options):
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"unknown unit code: {options['unit']}")
        result = compare(unit, options["before"], options["after"], detail=options["detail"])
        self.stdout.write(json.dumps(result, ensure_ascii=False))
