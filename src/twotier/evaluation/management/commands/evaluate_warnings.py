"""`twotier evaluate_warnings --from DATE --to DATE [--province 79]` — run the early-warning rules over
each day of a range (after a `twotier rollup` rebuild); the Celery rollup task does it after each rollup."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from twotier.evaluation.warnings import evaluate_warnings


class Command(BaseCommand):
    help = "Đánh giá cảnh báo sớm cho từng ngày trong khoảng."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True)
        parser.add_argument("--to", dest="end", required=True)
        parser.add_argument("--province", default=None)

    def handle(self, *args, **options):
        try:
            start, end = date.fromisoformat(options["start"]), date.fromisoformat(options["end"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if end < start:
            raise CommandError("--to trước --from")
        totals = {"opened": 0, "updated": 0, "cleared": 0}
        d = start
        while d <= end:
            for k, v in evaluate_warnings(d, options["province"]).items():
                totals[k] += v
            d = date.fromordinal(d.toordinal() + 1)
        self.stdout.write(
            f"Cảnh báo: mở mới {totals['opened']}, cập nhật {totals['updated']}, "
            f"hết điều kiện {totals['cleared']}."
        )
