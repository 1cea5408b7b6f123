"""The simulator at small scale, and the rollup checked against an independent recount of its rows.

The recount reads the dossier rows in Python with its own day arithmetic (zoneinfo dates), not the
rollup's SQL ranges, so a disagreement points at one of the two.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command

from twotier.dossiers.deadlines import VN_TZ
from twotier.evaluation.models import DailyRollup
from twotier.evaluation.services import rollup_range

START, END = date(2026, 2, 2), date(2026, 2, 27)  # includes Tết 2026 (16–20/02 off)


@pytest.fixture
def simulated(db):
    call_command(
        "simulate",
        "--communes",
        "3",
        "--dossiers",
        "400",
        "--from",
        START.isoformat(),
        "--to",
        END.isoformat(),
        "--seed",
        "7",
        verbosity=0,
    )


def local_day(moment):
    return moment.astimezone(VN_TZ).date()


def test_simulator_makes_the_dossiers_on_working_days(simulated):
    from twotier.dossiers.models import Dossier

    rows = list(Dossier.objects.filter(source_system="simulator"))
    assert len(rows) == 400
    assert len({d.competent_commune_code for d in rows}) == 3
    received_days = {local_day(d.received_at) for d in rows}
    assert all(day.weekday() < 5 for day in received_days)
    assert not received_days & {date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18), date(2026, 2, 19)}
    call_command(
        "simulate",
        "--communes",
        "3",
        "--dossiers",
        "10",
        "--from",
        START.isoformat(),
        "--to",
        END.isoformat(),
        "--seed",
        "7",
        "--reset",
        verbosity=0,
    )
    assert Dossier.objects.filter(source_system="simulator").count() == 10


def test_rollup_matches_an_independent_recount(simulated):
    from twotier.dossiers.models import Dossier

    rollup_range(START, END)
    expected = Counter()
    for d in Dossier.objects.filter(source_system="simulator"):
        expected["received"] += 1
        expected[f"channel{d.channel}"] += 1
        if d.completed_at is None:
            continue
        done, due = local_day(d.completed_at), local_day(d.due_at)
        if d.counts_as_overdue or done > due:
            expected["late"] += 1
        elif done == due:
            expected["on_time"] += 1
        else:
            expected["early"] += 1
    totals = DailyRollup.objects.totals(START, END)

    assert totals["received"] == expected["received"] == 400
    assert (totals["received_in_person"], totals["received_online"], totals["received_postal"]) == (
        expected["channel1"],
        expected["channel2"],
        expected["channel3"],
    )
    assert (totals["completed_early"], totals["completed_on_time"], totals["completed_late"]) == (
        expected["early"],
        expected["on_time"],
        expected["late"],
    )
    assert totals["completed_early"] > totals["completed_late"] > 0
