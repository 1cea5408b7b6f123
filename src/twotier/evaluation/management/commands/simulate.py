"""`twotier simulate --communes 168 --dossiers N --from DATE --to DATE --seed S [--province 79] [--reset]
[--if-empty] [--rollup]`.

Bulk-loads simulated dossiers (COPY on PostgreSQL, bypassing the services; see evaluation/simulation.py).
`--if-empty` does nothing when the province already has simulated dossiers (idempotent demo setup);
`--rollup` rebuilds the daily rollups of the range afterwards and evaluates the early warnings on its
last day.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from twotier.dossiers.calendar import working_calendar
from twotier.evaluation import simulation


class Command(BaseCommand):
    help = (
        "Sinh hồ sơ mô phỏng (bỏ qua các dịch vụ, đánh dấu source_system=simulator) cho demo và đo hiệu năng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--communes", type=int, default=168)
        parser.add_argument("--dossiers", type=int, required=True)
        parser.add_argument("--from", dest="start", help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="YYYY-MM-DD (included)")
        parser.add_argument(
            "--last-days", type=int, help="instead of --from/--to: the N days ending today (Asia/Ho_Chi_Minh)"
        )
        parser.add_argument(
            "--rising",
            metavar="COMMUNE",
            help="commune code whose dossiers of the last 8 days stay open (a rising backlog, for demos)",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--province", default="79")
        parser.add_argument("--reset", action="store_true", help="delete earlier simulated dossiers first")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if the province has simulated dossiers"
        )
        parser.add_argument(
            "--rollup", action="store_true", help="rebuild the rollups of the range afterwards"
        )

    def handle(self, *args, **options):
        if options["last_days"]:
            from django.utils import timezone

            from twotier.dossiers.deadlines import VN_TZ

            end = timezone.now().astimezone(VN_TZ).date()
            start = end - timedelta(days=options["last_days"] - 1)
        else:
            try:
                start, end = (
                    date.fromisoformat(options["start"] or ""),
                    date.fromisoformat(options["end"] or ""),
                )
            except ValueError as exc:
                raise CommandError(f"--from/--to (YYYY-MM-DD) or --last-days: {exc}") from exc
        if end < start or options["dossiers"] < 1 or options["communes"] < 1:
            raise CommandError("need --to ≥ --from, --dossiers ≥ 1 and --communes ≥ 1")
        if options["if_empty"] and not options["reset"]:
            existing = simulation.simulated_count(options["province"])
            if existing:
                self.stdout.write(f"{existing} simulated dossiers already there: nothing done")
                return
        if options["reset"]:
            removed = simulation.reset(options["province"])
            self.stdout.write(f"removed {removed} simulated dossiers")
        bar = tqdm(
            total=options["dossiers"], unit=" dossiers", file=sys.stderr, disable=options["verbosity"] < 1
        )
        done = 0

        def progress(made: int) -> None:
            nonlocal done
            bar.update(made - done)
            done = made

        made = simulation.simulate(
            province_code=options["province"],
            communes=options["communes"],
            dossiers=options["dossiers"],
            start=start,
            end=end,
            seed=options["seed"],
            calendar=working_calendar(),
            progress=progress,
            rising_commune=options["rising"],
            log=(lambda line: self.stderr.write(line)) if options["verbosity"] > 1 else None,
        )
        bar.close()
        self.stdout.write(f"{made} dossiers")
        if options["rollup"]:
            from twotier.evaluation.services import rollup_range
            from twotier.evaluation.warnings import evaluate_warnings

            rows = rollup_range(start, end, options["province"])
            self.stdout.write(f"{rows} rollup rows")
            # early warnings are evaluated after each rollup (issue 7 item 5): here on the range's last day
            opened = evaluate_warnings(end, options["province"])["opened"]
            self.stdout.write(f"{opened} warnings opened on {end}")
