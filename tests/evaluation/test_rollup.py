"""The daily rollup on hand-built dossiers with known answers (day D = Tue 10/02/2026)."""

from __future__ import annotations

from twotier.evaluation.models import MEASURE_FIELDS, DailyRollup
from twotier.evaluation.services import rollup_day, rollup_range

from .conftest import EXPECTED_D, ONE, D, at


def _row(unit_code, day):
    row = DailyRollup.objects.get(unit__code=unit_code, day=day)
    return {f: getattr(row, f) for f in MEASURE_FIELDS}


def test_every_measure_of_a_day(scenario):
    written = rollup_day(D)

    assert written == 2
    assert _row("26743-office", D) == EXPECTED_D
    other = _row("26740-office", D)
    assert other == {
        **dict.fromkeys(MEASURE_FIELDS, 0),
        "received": 1,
        "received_online": 1,
        "open_within": 1,
    }
    row = DailyRollup.objects.get(unit__code="26743-office", day=D)
    assert (row.province_code, row.commune_code, row.procedure.code) == ("79", "26743", "1.001193")


def test_the_day_before_sees_the_then_backlog(scenario):
    rollup_day(D - ONE)

    row = _row("26743-office", D - ONE)
    # open at the end of D-1: 2, 3, 4, 6, 7 (not yet paused), 8, 9 (5 is received on D; 10 and 11 closed)
    assert row["open_within"] == 1  # 2 (due D)
    # 3 and 7 (due D-1 17:00), 4 (second request made on D-2, due D+3), 6 (due D-1)
    assert row["open_overdue"] == 4
    assert row["open_paused"] == 0
    assert row["open_no_limit"] == 2  # 8, 9
    assert row["second_supplements"] == 0
    assert row["complaints"] == 1
    assert row["complained_dossiers"] == 1


def test_second_supplement_counted_on_its_day(scenario):
    rollup_day(D - 2 * ONE)

    row = _row("26743-office", D - 2 * ONE)
    assert row["supplement_requests"] == 1
    assert row["second_supplements"] == 1
    assert row["apology_letters"] == 1  # dossier 3's letter


def test_rollup_is_idempotent_and_range_rebuild_matches_days(scenario):
    rollup_range(D - 3 * ONE, D + ONE)
    first = sorted(
        (r.day, r.unit_id, tuple(getattr(r, f) for f in MEASURE_FIELDS)) for r in DailyRollup.objects.all()
    )
    ids_before = set(DailyRollup.objects.values_list("pk", flat=True))

    rollup_range(D - 3 * ONE, D + ONE)
    rollup_day(D)
    again = sorted(
        (r.day, r.unit_id, tuple(getattr(r, f) for f in MEASURE_FIELDS)) for r in DailyRollup.objects.all()
    )

    assert again == first
    assert ids_before.isdisjoint(set(DailyRollup.objects.values_list("pk", flat=True)))  # rows were replaced
    assert _row("26743-office", D) == EXPECTED_D


def test_rollup_of_one_province_leaves_the_others(scenario):
    rollup_day(D)
    before = DailyRollup.objects.count()

    written = rollup_day(D, province_code="01")

    assert written == 0
    assert DailyRollup.objects.count() == before


def test_day_boundaries_are_vietnam_time(make_dossier):
    # 23:30 on D in Hanoi time is 16:30 UTC: still day D
    make_dossier(received_at=at(D, 23, 30), due_at=at(D + ONE, 17))

    rollup_day(D)
    rollup_day(D + ONE)

    assert _row("26743-office", D)["received"] == 1
    assert _row("26743-office", D + ONE)["received"] == 0
