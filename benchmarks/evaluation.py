"""Evaluation rollups on PostgreSQL: full rebuild vs a GROUP BY baseline, a quarter ranking, one day.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/twotier_eval_bench \\
    .venv/bin/python benchmarks/evaluation.py [--dossiers 20000] [--from 2026-01-01] [--to 2026-03-31] \\
        [--seed 1]

Steps: (1) migrate and load the reference data when missing; (2) remove earlier simulated dossiers and
simulate `--dossiers` for the 168 HCMC communes (`twotier simulate`, bulk insert); (3) time the full
rollup rebuild of the range (`rollup_range`); (4) time the baseline: two GROUP BY (unit, procedure,
local date) over the dossiers table — by receipt date (received by channel, digitised) and by
completion date (early / on time / late) — i.e. the per-dossier measures of the rollup, without the
backlog snapshot and the related tables; (5) time a quarter ranking of the 168 communes from the
rollups; (6) time the incremental rollup of one day (the busiest). Prints one JSON line with the
times, the ratio rebuild ÷ baseline, the row counts and the database size.

The issue's target (10 M dossiers: ratio ≤ 2, quarter report < 1 s, one day < 5 s) is NOT met by this
foundation: the rebuild runs each day's queries separately, and the backlog query of a day reads every
dossier received before that day that is still open or finished later (see docs/evaluation.md, "Not
done yet"). Refuses to run on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twotier.settings")

BASELINE_SQL = [
    """
    SELECT competent_unit_id, procedure_id, (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS d,
           count(*), count(*) FILTER (WHERE channel = 1), count(*) FILTER (WHERE channel = 2),
           count(*) FILTER (WHERE channel = 3), count(*) FILTER (WHERE is_digitised)
    FROM dossiers_dossier
    WHERE province_code = %(p)s AND received_at >= %(start)s AND received_at < %(end)s
    GROUP BY 1, 2, 3
    """,
    """
    SELECT competent_unit_id, procedure_id, (completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS d,
           count(*) FILTER (WHERE NOT counts_as_overdue
                            AND (due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                                > (completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date),
           count(*) FILTER (WHERE NOT counts_as_overdue
                            AND (due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                                = (completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date),
           count(*) FILTER (WHERE counts_as_overdue
                            OR (due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                               < (completed_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)
    FROM dossiers_dossier
    WHERE province_code = %(p)s AND completed_at >= %(start)s AND completed_at < %(end)s
    GROUP BY 1, 2, 3
    """,
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=20000)
    parser.add_argument("--from", dest="start", default="2026-01-01")
    parser.add_argument("--to", dest="end", default="2026-03-31")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("benchmarks/evaluation.py needs PostgreSQL (DATABASE_URL=postgres://...)")
    from django.apps import apps

    call_command("migrate", verbosity=0)
    for command, model in (
        ("load_geography", "geography.Province"),
        ("load_procedures", "procedures.Procedure"),
        ("load_hcmc_apparatus", "apparatus.Unit"),
        ("load_hcmc_responsibilities", "apparatus.Responsibility"),
    ):
        if not apps.get_model(model).objects.exists():
            call_command(command, verbosity=0)

    from django.db.models import Count

    from twotier.dossiers.models import Dossier
    from twotier.evaluation.models import DailyRollup
    from twotier.evaluation.periods import custom
    from twotier.evaluation.reports import commune_ranking
    from twotier.evaluation.services import day_bounds, rollup_day, rollup_range

    start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    t = time.perf_counter()
    call_command(
        "simulate",
        "--communes",
        "168",
        "--dossiers",
        str(args.dossiers),
        "--from",
        args.start,
        "--to",
        args.end,
        "--seed",
        str(args.seed),
        "--reset",
        verbosity=0,
    )
    simulate_s = time.perf_counter() - t
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    t = time.perf_counter()
    rows = rollup_range(start, end, "79")
    rebuild_s = time.perf_counter() - t

    t = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in BASELINE_SQL:
            cursor.execute(sql, {"p": "79", "start": day_bounds(start)[0], "end": day_bounds(end)[1]})
            cursor.fetchall()
    baseline_s = time.perf_counter() - t

    t = time.perf_counter()
    ranking = commune_ranking("79", custom(start, end))
    ranking_s = time.perf_counter() - t

    busiest = (
        DailyRollup.objects.filter(province_code="79")
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    t = time.perf_counter()
    rollup_day(busiest["day"], "79")
    day_s = time.perf_counter() - t

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        db_bytes = cursor.fetchone()[0]
    print(
        json.dumps(
            {
                "dossiers": Dossier.objects.filter(province_code="79").count(),
                "days": (end - start).days + 1,
                "simulate_s": round(simulate_s, 2),
                "rollup_rows": rows,
                "rebuild_s": round(rebuild_s, 2),
                "baseline_s": round(baseline_s, 3),
                "ratio": round(rebuild_s / baseline_s, 1) if baseline_s else None,
                "ranking_168_period_s": round(ranking_s, 3),
                "ranked": sum(1 for r in ranking if r["rank"] is not None),
                "one_day": busiest["day"].isoformat(),
                "one_day_s": round(day_s, 3),
                "database_mb": round(db_bytes / 2**20, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
