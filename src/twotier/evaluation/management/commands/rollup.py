"""`twotier rollup --from DATE --to DATE [--province 79]`: rebuild the daily rollups of a range."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from twotier.evaluation.services import rollup_range


class Command(BaseCommand):
    help = "Tính lại số liệu tổng hợp theo ngày (idempotent) cho một khoảng ngày."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD (included)")
        parser.add_argument("--province", default=None, help="province code, e.g. 79 (default: all)")

    def handle(self, *args, **options):
        try:
            start, end = date.fromisoformat(options["start"]), date.fromisoformat(options["end"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if end < start:
            raise CommandError("--to is before --from")
        days = (end - start).days + 1
        done = 0

        def progress(d: date, written: int) -> None:
            nonlocal done
            done += 1
            if options["verbosity"] > 1:
                self.stderr.write(f"[{done}/{days}] {d.isoformat()}: {written} rows")

        rows = rollup_range(start, end, options["province"], progress)
        self.stdout.write(f"{days} days, {rows} rows")
