"""`twotier apparatus_gaps [--on DATE] [--json]`: commune-level tasks without a lead, each with its reason."""

import json
from collections import Counter

from django.core.management.base import BaseCommand
from django.utils import timezone

from twotier.apparatus.authority import city_gaps, commune_gaps
from twotier.apparatus.management.commands.apparatus_metrics import parse_date


class Command(BaseCommand):
    help = "List the tasks without a lead unit (one task → one lead agency: 'at least one' is checked here)."

    def add_arguments(self, parser):
        parser.add_argument("--on", type=parse_date, default=None, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--json", action="store_true", help="one JSON object")

    def handle(self, *args, **options):
        on = options["on"] or timezone.localdate()
        gaps, summary = commune_gaps(on)
        city = city_gaps(on)
        if options["json"]:
            summary["gaps"] = [
                {"task": g.task_code, "field": g.field, "reason": g.reason, "communes": len(g.communes)}
                for g in gaps
            ]
            summary["city_tasks_without_lead"] = len(city)
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(
            f"{summary['date']}: {summary['communes']} communes × {summary['commune_tasks']} "
            "commune-level tasks; "
            f"{summary['pairs_with_lead']} with a lead, {summary['pairs_without_lead']} without "
            f"({summary['tasks_with_gaps']} tasks)."
        )
        for reason, n in Counter(g.reason for g in gaps).most_common():
            self.stdout.write(f"  {n:4d} tasks — {reason}")
        for g in gaps:
            self.stdout.write(
                f"{g.task_code}\t{len(g.communes)} communes\t{g.field}\t{g.reason}\t{g.task_name[:80]}"
            )
        self.stdout.write(f"City level: {len(city)} tasks without a city-wide lead.")
