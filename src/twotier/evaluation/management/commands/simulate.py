"""`twotier simulate --communes 168 --dossiers N --from DATE --to DATE --seed S [--province 79] [--reset]`.

Bulk-inserts simulated dossiers (bypassing the services; see evaluation/simulation.py), small scale.
"""

from __future__ import annotations

import sys
from datetime import date

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
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD (included)")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--province", default="79")
        parser.add_argument("--reset", action="store_true", help="delete earlier simulated dossiers first")

    def handle(self, *args, **options):
        try:
            start, end = date.fromisoformat(options["start"]), date.fromisoformat(options["end"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if end < start or options["dossiers"] < 1 or options["communes"] < 1:
            raise CommandError("need --to ≥ --from, --dossiers ≥ 1 and --communes ≥ 1")
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
        )
        bar.close()
        self.stdout.write(f"{made} dossiers")
