"""The set-based rebuild (one statement per range) against the per-day reference (`compute_day`, one
set of queries per day, the rules written with the ORM): the same rows for every day, on hand-built
rows with the awkward cases and on a small simulated workload."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from twotier.evaluation.models import MEASURE_FIELDS, DailyRollup, QueueRollup
from twotier.evaluation.services import compute_day, rollup_day, rollup_range

from .conftest import ONE, D, at


def stored(day: date) -> dict:
    return {
        (r.province_code, r.commune_code, r.unit_id, r.procedure_id): {
            f: getattr(r, f) for f in MEASURE_FIELDS
        }
        for r in DailyRollup.objects.filter(day=day)
    }


def reference(day: date) -> dict:
    return {key: dict(counts) for key, counts in compute_day(day).items()}


def days(start: date, end: date):
    d = start
    while d <= end:
        yield d
        d += ONE


@pytest.fixture
def awkward(scenario, make_dossier, clerk):
    """Extra cases for the delta arithmetic: overlapping and back-to-back pauses, a pause never
    supplied, a second request without due_at, completion and closure on different days."""
    from twotier.dossiers.models import SupplementRequest

    def supplement(dossier, number, requested, completed=None):
        SupplementRequest.objects.create(
            dossier=dossier,
            province_code="79",
            number=number,
            reason="thiếu",
            requested_at=requested,
            requested_by=clerk,
            completed_at=completed,
            override_reason="" if number == 1 else "cho phép",
        )

    # two overlapping pauses D-6..D-2 and D-4..D (one pause D-6..D), overdue from D-3 (due), open
    a = make_dossier(received_at=at(D - 8 * ONE), due_at=at(D - 3 * ONE, 17))
    supplement(a, 1, at(D - 6 * ONE), at(D - 2 * ONE))
    supplement(a, 2, at(D - 4 * ONE), at(D, 9))
    # back-to-back pauses, then a second request without due_at: "no limit" then overdue
    b = make_dossier(received_at=at(D - 7 * ONE), due_at=None, completed_at=at(D + 2 * ONE), status=9)
    supplement(b, 1, at(D - 6 * ONE), at(D - 5 * ONE))
    supplement(b, 2, at(D - 5 * ONE, 15), at(D - 3 * ONE))
    # paused the day it is received, never supplied, closed (stopped) on D+1
    c = make_dossier(
        received_at=at(D - 2 * ONE, 8), due_at=at(D + 2 * ONE, 17), closed_at=at(D + ONE), status=7
    )
    supplement(c, 1, at(D - 2 * ONE, 10))
    # completed on D-1, closed (returned) on D+1: leaves the backlog on D-1
    make_dossier(
        received_at=at(D - 4 * ONE),
        due_at=at(D - ONE, 17),
        completed_at=at(D - ONE, 23, 30),
        closed_at=at(D + ONE),
        status=10,
    )
    # received and finished the same day: never in a backlog
    make_dossier(received_at=at(D - 3 * ONE, 8), due_at=at(D, 17), completed_at=at(D - 3 * ONE, 16), status=9)
    # received after the range
    make_dossier(received_at=at(D + 10 * ONE), due_at=at(D + 12 * ONE, 17))


def test_set_based_rebuild_equals_the_per_day_computation(awkward):
    start, end = D - 25 * ONE, D + 3 * ONE

    written = rollup_range(start, end)

    expected = {day: reference(day) for day in days(start, end)}
    assert written == sum(len(rows) for rows in expected.values())
    for day in days(start, end):
        assert stored(day) == expected[day], day
    # by hand: paused at the end of D-4 are a (one merged pause D-6..D-1), b (D-6..D-4, back to back)
    # and the scenario's dossier 4 (its first request D-4, supplied D-3); at the end of D-3 only a
    assert sum(r["open_paused"] for r in stored(D - 4 * ONE).values()) == 3
    assert sum(r["open_paused"] for r in stored(D - 3 * ONE).values()) == 1
    # a sub-range starting inside the backlog gives the same rows as the whole range
    DailyRollup.objects.all().delete()
    rollup_range(D - 2 * ONE, D)
    for day in days(D - 2 * ONE, D):
        assert stored(day) == expected[day], day
    assert not DailyRollup.objects.filter(day__lt=D - 2 * ONE).exists()


def test_incremental_days_equal_the_per_day_computation(awkward):
    """Day after day, each from the backlog stored the day before plus its own events."""
    from twotier.evaluation.models import RolledUpDay

    start, end = D - 25 * ONE, D + 3 * ONE
    for day in days(start, end):
        rollup_day(day)
        assert stored(day) == reference(day), day

    ledger = dict(RolledUpDay.objects.values_list("day", "incremental"))
    assert ledger[start] is False  # nothing stored before: recomputed in full
    assert all(ledger[day] for day in days(start + ONE, end))


def test_a_day_whose_previous_day_was_not_rolled_up_is_recomputed_in_full(awkward):
    from twotier.evaluation.models import RolledUpDay

    rollup_range(D - 6 * ONE, D - 2 * ONE)  # D-1 missing
    rollup_day(D)

    assert stored(D) == reference(D)
    assert RolledUpDay.objects.get(day=D).incremental is False
    # a day rolled up for another province only does not count for this one
    RolledUpDay.objects.filter(day=D).update(province_code="01")
    rollup_day(D + ONE, province_code="79")
    assert RolledUpDay.objects.get(day=D + ONE, province_code="79").incremental is False
    assert stored(D + ONE) == reference(D + ONE)


def test_one_day_and_one_province(awkward):
    rollup_range(D - 3 * ONE, D + ONE)
    before = {day: stored(day) for day in days(D - 3 * ONE, D + ONE)}

    assert rollup_day(D, province_code="01") == 0
    assert rollup_day(D) == len(before[D])

    assert {day: stored(day) for day in days(D - 3 * ONE, D + ONE)} == before


def test_queue_waits_per_centre_and_day(db):
    from twotier.assistant.models import QueueDay

    QueueDay.objects.create(
        center_code="26743",
        day=D,
        group="ho-tich",
        issued=10,
        served=8,
        wait_seconds=4000,
        service_seconds=2400,
    )
    QueueDay.objects.create(
        center_code="26743",
        day=D,
        group="dat-dai",
        issued=3,
        served=3,
        wait_seconds=900,
        service_seconds=1200,
    )
    QueueDay.objects.create(
        center_code="26740", day=D - ONE, group="ho-tich", issued=5, served=5, wait_seconds=50
    )

    rollup_range(D - ONE, D)
    rollup_day(D)  # idempotent

    row = QueueRollup.objects.get(center_code="26743", day=D)
    assert (
        row.province_code,
        row.tickets_issued,
        row.tickets_served,
        row.wait_seconds,
        row.service_seconds,
    ) == (
        "79",
        13,
        11,
        4900,
        3600,
    )
    assert QueueRollup.objects.count() == 2
    assert QueueRollup.objects.filter(center_code="26740").totals(D - ONE, D)["wait_seconds"] == 50


START, END = date(2026, 1, 26), date(2026, 2, 27)  # includes Tết 2026


def test_set_based_rebuild_equals_the_per_day_computation_on_simulated_work(db):
    call_command(
        "simulate",
        "--communes",
        "4",
        "--dossiers",
        "600",
        "--from",
        START.isoformat(),
        "--to",
        END.isoformat(),
        "--seed",
        "11",
        verbosity=0,
    )

    rollup_range(START, END + timedelta(days=5))

    for day in days(START, END + timedelta(days=5)):
        assert stored(day) == reference(day), day
    assert DailyRollup.objects.totals(START, END)["received"] == 600
    # the incremental path over the same days gives the same rows
    rebuilt = {day: stored(day) for day in days(START, END + timedelta(days=5))}
    for day in days(START + timedelta(days=1), END + timedelta(days=5)):
        rollup_day(day)
        assert stored(day) == rebuilt[day], day


def test_commune_sums_add_up_the_unit_rows(awkward):
    from collections import defaultdict

    from twotier.evaluation.models import CommuneDailyRollup

    rollup_range(D - 5 * ONE, D + ONE)

    expected: dict = defaultdict(lambda: dict.fromkeys(MEASURE_FIELDS, 0))
    for r in DailyRollup.objects.exclude(commune_code=""):
        for f in MEASURE_FIELDS:
            expected[(r.day, r.commune_code)][f] += getattr(r, f)
    got = {
        (r.day, r.commune_code): {f: getattr(r, f) for f in MEASURE_FIELDS}
        for r in CommuneDailyRollup.objects.all()
    }
    assert got == dict(expected)
    assert got[(D, "26743")]["received"] == 2  # the scenario's dossiers 1 and 5


def test_rollup_recent_counts_today_in_every_province(make_dossier):
    from django.utils import timezone

    from twotier.dossiers.deadlines import VN_TZ
    from twotier.evaluation.tasks import rollup_recent

    now = timezone.now().astimezone(VN_TZ)
    make_dossier(channel=2, received_at=now, due_at=now + timedelta(days=3))

    written = rollup_recent()

    today = now.date()
    row = DailyRollup.objects.get(day=today)
    assert (written, row.received, row.received_online, row.open_within) == (1, 1, 1, 1)
