"""Benchmark: server-side render of the whole HCMC org tree as of 2025-10-22 (target: median < 300 ms).

Renders the real page (view, queries, template, base layout) for a user who sees everything: all
city departments, the Front and Police with their units after the reorganizations, and the 168
communes with their divisions, PASC, police and Front committee. One warm-up render, then the median
of 20 warm renders. Uses the database of `make setup` (loads the apparatus if it is missing).

    .venv/bin/python benchmarks/apparatus.py            # SQLite under ./data (or DATABASE_URL)
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twotier.settings")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from twotier.apparatus import views  # noqa: E402
from twotier.apparatus.models import Reorganization, Unit  # noqa: E402

ON = date(2025, 10, 22)
RUNS = 20
TARGET_MS = 300.0


def ensure_data() -> None:
    if not Unit.objects.filter(function="commune_committee").exists():
        call_command("load_hcmc_apparatus", verbosity=0)
    if not Reorganization.objects.exists():
        call_command("load_seed_scenario", verbosity=0)


def render_once(factory: RequestFactory, user: User) -> tuple[float, int]:
    request = factory.get("/apparatus/", {"on": ON.isoformat()})
    request.user = user
    started = time.perf_counter()
    response = views.tree(request)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed, len(response.content)


def main() -> int:
    ensure_data()
    units = Unit.objects.valid_on(ON).count()
    communes = Unit.objects.valid_on(ON).filter(function="commune_committee").count()
    factory = RequestFactory()
    user = User(username="benchmark", is_superuser=True, is_active=True)  # never saved: sees every unit
    render_once(factory, user)  # warm-up: imports, template compilation, database caches
    timings = []
    size = 0
    for _ in range(RUNS):
        elapsed, size = render_once(factory, user)
        timings.append(elapsed)
    median = statistics.median(timings)
    print(f"org tree as of {ON:%d/%m/%Y}: {units} units ({communes} communes), page {size / 1024:.0f} KiB")
    print(
        f"median of {RUNS} warm renders: {median:.1f} ms (min {min(timings):.1f}, max {max(timings):.1f}); "
        f"target < {TARGET_MS:.0f} ms: {'OK' if median < TARGET_MS else 'MISSED'}"
    )
    return 0 if median < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
