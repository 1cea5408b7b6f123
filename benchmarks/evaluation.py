"""Evaluation rollups on PostgreSQL: full rebuild vs a GROUP BY baseline, a quarter ranking, one day.

    createdb -h 127.0.0.1 -U postgres tt_eval_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tt_eval_bench \\
    .venv/bin/python benchmarks/evaluation.py --dossiers 10000000 [--from 2026-01-01] [--to 2026-03-31] \\
        [--seed 1] [--skip-simulate]

Steps: (1) migrate and load the reference data when missing; (2) unless --skip-simulate, simulate
`--dossiers` for the 168 HCMC communes (`twotier simulate`: numpy + COPY; use a fresh database, removing
10 M simulated rows is slow); (3) VACUUM ANALYZE, row counts and database size; (4) the baseline: ONE
GROUP BY (unit, procedure, local date) over the dossiers table computing the rollup's per-dossier
measures — received by channel, digitised (on the receipt date), completed early / on time / late /
without limit (on the completion date) — written to a temporary table as the rebuild writes its rows;
(5) the full rollup rebuild of the range (`rollup_range`: one set-based statement per quarter), then
the baseline again (the faster of its two runs is compared); (6) the quarter ranking of the 168 communes
from the rollups (`reports.commune_ranking`); (7) the incremental rollup of one day, the day before being
rolled up: the busiest receipt day, and the last day (largest open backlog). Each figure
is printed as soon as measured (the rebuild is the long step), then the ratio rebuild ÷ baseline
(issue 7's target: ≤ 2 at 10 M dossiers; ranking < 1 s; one day < 5 s) and one JSON line.
Refuses to run on SQLite.
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

# the local date as the rollup computes it (UTC + 7 hours, the session in UTC): the baseline gets the
# same cheap arithmetic, not the several times dearer AT TIME ZONE 'Asia/Ho_Chi_Minh'
LD = "+ INTERVAL '7 hours')::date"
BASELINE_SQL = f"""
CREATE TEMP TABLE bench_baseline AS
SELECT d.competent_unit_id, d.procedure_id, v.day,
       count(*) FILTER (WHERE v.k = 1) AS received,
       count(*) FILTER (WHERE v.k = 1 AND d.channel = 1) AS in_person,
       count(*) FILTER (WHERE v.k = 1 AND d.channel = 2) AS online,
       count(*) FILTER (WHERE v.k = 1 AND d.channel = 3) AS postal,
       count(*) FILTER (WHERE v.k = 1 AND d.is_digitised) AS digitised,
       count(*) FILTER (WHERE v.k = 2 AND NOT d.counts_as_overdue AND (d.due_at {LD} > v.day) AS early,
       count(*) FILTER (WHERE v.k = 2 AND NOT d.counts_as_overdue AND (d.due_at {LD} = v.day) AS on_time,
       count(*) FILTER (WHERE v.k = 2 AND (d.counts_as_overdue OR (d.due_at {LD} < v.day)) AS late,
       count(*) FILTER (WHERE v.k = 2 AND NOT d.counts_as_overdue AND d.due_at IS NULL) AS no_limit
FROM dossiers_dossier d
CROSS JOIN LATERAL (VALUES (1, (d.received_at {LD}), (2, (d.completed_at {LD})) AS v(k, day)
WHERE d.province_code = %(p)s AND v.day BETWEEN %(start)s AND %(end)s
GROUP BY 1, 2, 3
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--from", dest="start", default="2026-01-01")
    parser.add_argument("--to", dest="end", default="2026-03-31")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-simulate", action="store_true", help="reuse the dossiers already simulated")
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
    from django.db.models.functions import TruncDate

    from twotier.dossiers import models as dm
    from twotier.dossiers.deadlines import VN_TZ
    from twotier.evaluation.models import DailyRollup
    from twotier.evaluation.periods import custom
    from twotier.evaluation.reports import commune_ranking
    from twotier.evaluation.services import day_bounds, rollup_day, rollup_range

    start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    simulate_s = None
    if not args.skip_simulate:
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
        )
        simulate_s = time.perf_counter() - t
        print(f"simulate: {simulate_s:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # autocommit: visibility map and statistics of the new rows
        cursor.execute("SELECT pg_database_size(current_database())")
        db_bytes = cursor.fetchone()[0]
    counts = {
        m._meta.model_name: m.objects.filter(province_code="79").count()
        for m in (
            dm.Dossier,
            dm.SupplementRequest,
            dm.ApologyLetter,
            dm.Payment,
            dm.Document,
            dm.Rating,
            dm.Complaint,
        )
    }
    print(f"rows: {counts}; database {db_bytes / 2**20:.0f} MB", flush=True)

    def run_baseline() -> tuple[float, int]:
        t = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET TimeZone = 'UTC'")
            cursor.execute(BASELINE_SQL, {"p": "79", "start": start, "end": end})
            cursor.execute("SELECT count(*) FROM bench_baseline")
            rows = cursor.fetchone()[0]
            cursor.execute("DROP TABLE bench_baseline")
        return time.perf_counter() - t, rows

    baseline_s, baseline_rows = run_baseline()
    print(f"baseline: {baseline_s:.1f} s, {baseline_rows} rows", flush=True)

    t = time.perf_counter()
    rows = rollup_range(start, end, "79")
    rebuild_s = time.perf_counter() - t
    print(f"rebuild: {rebuild_s:.1f} s, {rows} rows", flush=True)
    # the baseline again, after the rebuild: the faster of its two runs is the one compared (a cold
    # first run must not flatter the ratio)
    baseline_s = min(baseline_s, run_baseline()[0])
    print(f"baseline (best of two): {baseline_s:.1f} s", flush=True)

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE evaluation_dailyrollup")
        cursor.execute("ANALYZE evaluation_communedailyrollup")
    t = time.perf_counter()
    ranking = commune_ranking("79", custom(start, end))
    ranking_s = time.perf_counter() - t

    # the incremental rollup of one day (the day before is rolled up): the busiest receipt day, and
    # the last day (largest open backlog)
    busiest = (
        dm.Dossier.objects.filter(province_code="79", received_at__gte=day_bounds(start)[0])
        .filter(received_at__lt=day_bounds(end)[1])
        .annotate(day=TruncDate("received_at", tzinfo=VN_TZ))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    t = time.perf_counter()
    rollup_day(busiest["day"], "79")
    day_s = time.perf_counter() - t
    t = time.perf_counter()
    rollup_day(end, "79")
    last_day_s = time.perf_counter() - t
    print(f"one day {busiest['day']}: {day_s:.2f} s; last day {end}: {last_day_s:.2f} s", flush=True)

    counts["dailyrollup"] = DailyRollup.objects.filter(province_code="79").count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        db_bytes = cursor.fetchone()[0]
    result = {
        "dossiers": counts["dossier"],
        "days": (end - start).days + 1,
        "simulate_s": round(simulate_s, 1) if simulate_s is not None else None,
        "rebuild_s": round(rebuild_s, 2),
        "rollup_rows": rows,
        "baseline_s": round(baseline_s, 2),
        "ratio": round(rebuild_s / baseline_s, 2) if baseline_s else None,
        "ratio_target": 2,
        "ranking_168_communes_s": round(ranking_s, 3),
        "ranked": sum(1 for r in ranking if r["rank"] is not None),
        "one_day": busiest["day"].isoformat(),
        "one_day_s": round(day_s, 3),
        "last_day_s": round(last_day_s, 3),
        "rows": counts,
        "database_mb": round(db_bytes / 2**20, 1),
    }
    print(
        f"{result['dossiers']} dossiers, {result['days']} days: rebuild {rebuild_s:.1f} s vs baseline "
        f"{baseline_s:.1f} s → ratio {result['ratio']} (target ≤ 2); quarter ranking of 168 communes "
        f"{ranking_s:.3f} s (target < 1 s); one day {day_s:.2f} s, last day {last_day_s:.2f} s "
        "(target < 5 s); "
        f"database {result['database_mb']} MB"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
