"""The simulator at small scale, and the rollup checked against an independent recount of its rows.

The recount reads the dossier rows in Python with its own day arithmetic (zoneinfo dates), not the
rollup's SQL ranges, so a disagreement points at one of the two.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from io import StringIO
from itertools import pairwise

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


def _fingerprint():
    from twotier.dossiers.models import Dossier, Payment, Rating, SupplementRequest

    dossiers = list(
        Dossier.objects.filter(source_system="simulator")
        .order_by("receipt_code")
        .values_list(
            "receipt_code",
            "competent_unit_id",
            "procedure_id",
            "channel",
            "received_at",
            "due_at",
            "completed_at",
            "closed_at",
            "status",
            "is_digitised",
            "counts_as_overdue",
        )
    )
    related = [
        sorted(m.objects.values_list("dossier__receipt_code", field))
        for m, field in ((SupplementRequest, "requested_at"), (Payment, "paid_at"), (Rating, "score"))
    ]
    return dossiers, related


def test_the_same_seed_gives_the_same_dossiers(simulated):
    first = _fingerprint()
    args = ["--communes", "3", "--dossiers", "400", "--from", START.isoformat(), "--to", END.isoformat()]

    call_command("simulate", *args, "--seed", "7", "--reset", verbosity=0)
    again = _fingerprint()
    call_command("simulate", *args, "--seed", "8", "--reset", verbosity=0)
    other = _fingerprint()

    assert again == first
    assert len(first[0]) == 400
    assert all(first[1])
    assert [row[1:] for row in other[0]] != [row[1:] for row in first[0]]


def test_if_empty_keeps_the_loaded_dossiers(simulated):
    from twotier.dossiers.models import Dossier

    out = StringIO()
    call_command(
        "simulate",
        "--communes",
        "3",
        "--dossiers",
        "50",
        "--last-days",
        "30",
        "--if-empty",
        stdout=out,
        verbosity=0,
    )

    assert Dossier.objects.filter(source_system="simulator").count() == 400
    assert "nothing done" in out.getvalue()


def test_a_rising_backlog_for_the_demo_commune(db):
    from twotier.dossiers.models import Dossier
    from twotier.evaluation.models import DailyRollup

    call_command(
        "simulate",
        "--communes",
        "3",
        "--dossiers",
        "3000",
        "--from",
        "2026-03-02",
        "--to",
        "2026-03-31",
        "--seed",
        "3",
        "--rising",
        "25750",
        "--rollup",
        verbosity=0,
    )
    finished_late = Dossier.objects.filter(
        competent_commune_code="25750", completed_at__gte=at_local(date(2026, 3, 24))
    )
    backlog = [
        sum(
            r.open_within + r.open_overdue + r.open_paused + r.open_no_limit
            for r in DailyRollup.objects.filter(commune_code="25750", day=date(2026, 3, day))
        )
        for day in range(23, 32)  # the day before and the 8 rising days, weekend included
    ]

    assert not finished_late.exists()
    assert all(later > earlier for earlier, later in pairwise(backlog)), backlog


def at_local(d):
    from datetime import datetime, time

    return datetime.combine(d, time(0), tzinfo=VN_TZ)
