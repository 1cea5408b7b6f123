"""`twotier report --unit CODE --period 2026-Q1 [--json]`: a unit's (and its subtree's) period report."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from twotier.apparatus.models import Unit
from twotier.evaluation.periods import PeriodError, parse_period
from twotier.evaluation.reports import unit_report


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


class Command(BaseCommand):
    help = "Báo cáo kỳ của một đơn vị (và các đơn vị trực thuộc), kèm kỳ trước và cùng kỳ năm trước."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="unit code, e.g. hcmc or 26743")
        parser.add_argument(
            "--period",
            required=True,
            help="2026-02-13, 2026-W05, 2026-01, 2026-Q1, 2026-H1, 2026-9M, 2026, A..B",
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"no unit {options['unit']!r}")
        try:
            period = parse_period(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        report = unit_report(unit, period)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{unit.name} ({unit.code})")
        for label in ("current", "previous", "last_year"):
            part = report[label]
            idx = part["index"]
            self.stdout.write(
                f"{label:9} {part['period']['name']:>24}  received {part['totals']['received']:>7}  "
                f"on-time {_fmt(part['rates']['on_time_rate'])}  "
                f"index {_fmt(idx['total'])}/{_fmt(idx['max_points'])}"
            )
