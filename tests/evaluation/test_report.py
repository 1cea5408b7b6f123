"""Period reports of a unit subtree from the rollups, and the `rollup` / `report` commands."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from twotier.apparatus.models import Unit
from twotier.evaluation.models import DailyRollup
from twotier.evaluation.periods import parse_period
from twotier.evaluation.reports import change, unit_report
from twotier.evaluation.services import rollup_day, rollup_range

from .conftest import EXPECTED_D, ONE, D, at


def test_day_report_of_the_commune_committee_covers_its_divisions(scenario):
    rollup_range(D - 30 * ONE, D + ONE)

    report = unit_report(Unit.objects.get(code="26743"), parse_period(D.isoformat()))

    current = report["current"]
    assert current["totals"] == EXPECTED_D  # 26740-office is another commune's
    rates = current["rates"]
    # handled on D: early 1 + on time 1 + late 2 + open within 1 + open overdue 1 = 6; timely 3
    assert rates["on_time_rate"] == pytest.approx(0.5)
    assert rates["digitised_share"] == pytest.approx(0.5)
    assert rates["reuse_share"] == pytest.approx(0.5)
    assert rates["online_share"] == pytest.approx(0.5)
    assert rates["online_payment_share"] == pytest.approx(0.5)
    assert rates["satisfaction"] == pytest.approx(1 - (3 + 1) / 6)
    assert rates["average_rating"] == pytest.approx(4.0)
    groups = {g["number"]: g["score"] for g in current["index"]["groups"]}
    assert groups[1] is None
    assert groups[2] == pytest.approx(10.0)
    assert groups[3] == pytest.approx(2 * 11 * 0.5 / 0.8)
    assert groups[4] == pytest.approx(22.0)
    assert groups[5] == pytest.approx(18 * (1 / 3) / 0.9)
    assert current["index"]["max_points"] == 82
    # the previous day: backlog of D-1, flows of D-1
    previous = report["previous"]
    assert previous["period"]["name"] == (D - ONE).isoformat()
    assert previous["totals"]["open_overdue"] == 4
    assert previous["totals"]["received"] == 0
    assert report["last_year"]["period"]["name"] == "2025-02-10"
    assert report["last_year"]["totals"]["received"] == 0
    assert report["last_year"]["index"]["total"] is None


def test_period_sums_flows_and_takes_the_last_days_backlog(scenario):
    rollup_range(D - 30 * ONE, D + ONE)
    ids = {Unit.objects.get(code="26743-office").pk}

    totals = DailyRollup.objects.of_units(ids).totals(D - 30 * ONE, D + ONE)

    # received: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 all inside the 32 days
    assert totals["received"] == 11
    # backlog at the end of D+1: 5 (due D+5), 6 overdue, 7 paused, 8 no limit
    assert (
        totals["open_within"],
        totals["open_overdue"],
        totals["open_paused"],
        totals["open_no_limit"],
    ) == (
        1,
        1,
        1,
        1,
    )
    assert (
        totals["completed_early"] + totals["completed_on_time"] + totals["completed_late"] == 5
    )  # 1,2,3,4,10


def test_city_report_includes_every_commune(scenario):
    rollup_range(D, D)

    report = unit_report(Unit.objects.get(code="hcmc"), parse_period("2026-Q1"))

    assert report["current"]["totals"]["received"] == 3  # 1, 5 and the 26740 dossier
    assert report["previous"]["period"]["name"] == "2025-Q4"
    assert report["last_year"]["period"]["name"] == "2025-Q1"


def test_change_on_the_same_period():
    assert change(64, 100) == pytest.approx(-0.36)
    assert change(5, 0) is None
    assert change(None, 3) is None


def test_commands(make_dossier):
    make_dossier(channel=2, received_at=at(D, 9), due_at=at(D + ONE, 17))
    out = StringIO()

    call_command("rollup", "--from", (D - ONE).isoformat(), "--to", D.isoformat(), stdout=out)
    assert out.getvalue().strip() == "2 days, 1 rows"  # D-1: nothing; D: the new dossier's row
    out = StringIO()
    call_command("report", "--unit", "26743", "--period", "2026-W07", "--json", stdout=out)

    report = json.loads(out.getvalue())
    assert report["unit"]["code"] == "26743"
    assert report["current"]["period"] == {
        "name": "2026-W07",
        "kind": "week",
        "start": "2026-02-09",
        "end": "2026-02-15",
    }
    assert report["current"]["totals"]["received_online"] == 1
    assert (
        report["current"]["totals"]["open_within"] == 0
    )  # the week ends on 15/02: no rollup of that day yet
    assert report["previous"]["period"]["name"] == "2026-W06"


def test_commands_refuse_bad_input(db):
    with pytest.raises(CommandError):
        call_command("report", "--unit", "nope", "--period", "2026-Q1")
    with pytest.raises(CommandError):
        call_command("report", "--unit", "hcmc", "--period", "2026-Q9")
    with pytest.raises(CommandError):
        call_command("rollup", "--from", "2026-02-10", "--to", "2026-02-01")
    assert DailyRollup.objects.count() == 0


def test_commune_ranking_of_the_city(scenario):
    from twotier.evaluation.reports import commune_ranking

    rollup_day(D)

    ranking = commune_ranking("79", parse_period(D.isoformat()))

    assert len(ranking) == 168
    first, second = ranking[0], ranking[1]
    # 26743: groups 2 (10), 3 (13.75), 4 (22), 5 (6.667) of 82 points
    assert (first["commune_code"], first["rank"]) == ("26743", 1)
    assert first["index"]["total"] == pytest.approx(10 + 13.75 + 22 + 18 / 2.7)
    assert first["index"]["percent"] == pytest.approx(100 * (10 + 13.75 + 22 + 18 / 2.7) / 82)
    # 26740: one online dossier open within time, nothing digitised, no payment (group 4 not computed)
    assert (second["commune_code"], second["rank"]) == ("26740", 2)
    assert {g["number"]: g["score"] for g in second["index"]["groups"]} == {
        1: None,
        2: 20.0,
        3: 0.0,
        4: None,
        5: 18.0,
    }
    assert second["index"]["percent"] == pytest.approx(100 * 38 / 60)
    # the other 166 communes have no data: not ranked, never 0
    assert all(item["rank"] is None and item["index"]["total"] is None for item in ranking[2:])


def test_department_ranking_of_the_city(db):
    from twotier.evaluation.reports import department_ranking
    from twotier.procedures.models import Procedure

    departments = Unit.objects.filter(province_code="79", tier="city", kind="department").order_by("code")
    good, poor = departments[1], departments[0]  # the order of codes must not decide the ranking
    procedure = Procedure.objects.order_by("pk").first()
    # four dossiers each, received in person and finished on D:
    # all on time and scanned vs all late and none scanned
    DailyRollup.objects.create(
        province_code="79", day=D, unit=good, procedure=procedure,
        received=4, received_in_person=4, received_digitised=4, completed_on_time=4,
    )  # fmt: skip
    DailyRollup.objects.create(
        province_code="79", day=D, unit=poor, procedure=procedure,
        received=4, received_in_person=4, completed_late=4,
    )  # fmt: skip

    ranking = department_ranking("79", parse_period(D.isoformat()))

    assert len(ranking) == 16  # HCMC's 16 departments (apparatus seed)
    assert [(r["unit_code"], r["rank"]) for r in ranking[:2]] == [(good.code, 1), (poor.code, 2)]
    assert (ranking[0]["rates"]["on_time_rate"], ranking[1]["rates"]["on_time_rate"]) == (1.0, 0.0)
    assert ranking[0]["index"]["percent"] > ranking[1]["index"]["percent"]
    assert [r["totals"]["received"] for r in ranking[:2]] == [4, 4]
    # the other 14 have no data: not ranked, never 0
    assert all(r["rank"] is None and r["index"]["total"] is None for r in ranking[2:])
