"""Indicators: entered (permission + scope), imported (all-or-nothing, every bad row), computed, and the
change on the same period last year (the police's crimes down > 36%)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from twotier.apparatus.models import Unit
from twotier.core.errors import DomainError
from twotier.evaluation.indicators import enter_value, import_values, indicator_values
from twotier.evaluation.models import EvaluationEvent, IndicatorValue
from twotier.evaluation.periods import parse_period

SEED = "src/twotier/evaluation/data/seed_indicators.csv"


def _reading(unit_code: str, period: str, code: str):
    unit = Unit.objects.get(code=unit_code)
    return next(r for r in indicator_values(unit, parse_period(period)) if r.indicator.code == code)


def test_seed_police_crimes_down_more_than_36_percent(db):
    call_command("import_indicators", SEED)

    reading = _reading("hcmc-police", "2025-9M", "crimes_social_order")
    assert reading.value == Decimal("2015")
    assert reading.last_year == Decimal("3180")
    # (2015 − 3180) / 3180 = −0.36635…
    assert reading.change == pytest.approx(-0.36635, abs=1e-5)
    assert reading.improved is True  # fewer crimes is better
    assert reading.change_pct == "-36.6%"


def test_import_reports_every_bad_row_and_writes_nothing(db):
    content = (
        b"indicator,unit,period,value\n"
        b"crimes_social_order,hcmc-police,2025-Q1,10\n"  # good
        b"no_such,hcmc-police,2025-Q1,10\n"  # line 3: unknown indicator
        b"crimes_social_order,nowhere,2025-Q7,abc\n"  # line 4: unit, period and value all bad
        b"dossiers_received,hcmc-police,2025-Q1,5\n"  # line 5: computed
        b"crimes_social_order,hcmc-police,2025-Q1,11\n"  # line 6: duplicate of line 2
    )

    report = import_values(None, "x.csv", content)

    assert [line for line, _ in report.errors] == [3, 4, 5, 6]
    assert "không có đơn vị" in report.errors[1][1]
    assert "kỳ không hợp lệ" in report.errors[1][1]
    assert "không phải số" in report.errors[1][1]
    assert "trùng với dòng 2" in report.errors[3][1]
    assert IndicatorValue.objects.count() == 0
    assert EvaluationEvent.objects.count() == 0


def test_import_missing_column_is_refused(db):
    report = import_values(None, "x.csv", b"indicator,unit,value\nx,y,1\n")
    assert report.errors == [(1, "thiếu cột: period")]


def test_import_command_fails_on_bad_file(tmp_path, db):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "indicator,unit,period,value\ncrimes_social_order,hcmc-police,2025-9M,x\n", encoding="utf-8"
    )
    with pytest.raises(Exception, match="1 dòng lỗi"):
        call_command("import_indicators", str(bad))
    assert IndicatorValue.objects.count() == 0


def test_enter_value_with_scope_and_history(make_staff):
    leader = make_staff("lead-26743", "unit_leader", commune="26743")
    other = make_staff("lead-26740", "unit_leader", commune="26740")
    receptionist = make_staff("rec-26743", "receptionist", commune="26743")

    enter_value(leader, "training_courses", "26743", "2026-Q1", "3")
    enter_value(leader, "training_courses", "26743", "2026-Q1", "4", "sửa số")

    row = IndicatorValue.objects.get()
    assert (row.value, row.source, row.entered_by, row.commune_code) == (
        Decimal("4"),
        "entered",
        leader,
        "26743",
    )
    events = list(EvaluationEvent.objects.order_by("pk").values_list("data", flat=True))
    assert [(e["old"], e["new"]) for e in events] == [(None, "3"), ("3.0000", "4")]

    with pytest.raises(Unit.DoesNotExist):
        enter_value(other, "training_courses", "26743", "2026-Q1", "9")
    with pytest.raises(PermissionDenied):
        enter_value(receptionist, "training_courses", "26743", "2026-Q1", "9")
    with pytest.raises(DomainError):
        enter_value(leader, "dossiers_received", "26743", "2026-Q1", "9")  # computed
    with pytest.raises(DomainError):
        enter_value(leader, "training_courses", "26743", "2026-Q9", "9")
    assert IndicatorValue.objects.get().value == Decimal("4")
    assert EvaluationEvent.objects.count() == 2


def test_computed_on_time_and_received_from_rollups(scenario):
    from twotier.evaluation.services import rollup_day

    from .conftest import EXPECTED_D, D

    rollup_day(D)
    received = _reading("26743", D.isoformat(), "dossiers_received")
    assert received.value == Decimal(EXPECTED_D["received"])
    assert received.source == "computed"
    e = EXPECTED_D
    timely = e["completed_early"] + e["completed_on_time"] + e["open_within"]
    handled = timely + e["completed_late"] + e["open_overdue"]
    rate = _reading("26743", D.isoformat(), "dossiers_on_time_rate")
    assert rate.value == Decimal(str(round(100 * timely / handled, 2)))


def test_indicator_page_and_import_page_scope(client, make_staff):
    client.force_login(make_staff("ev-26740", "evaluator", commune="26740"))
    assert client.get("/evaluation/indicators/", {"unit": "26743"}).status_code == 404
    response = client.post(
        "/evaluation/indicators/",
        {"unit": "26743", "period": "2026-Q1", "indicator": "training_courses", "value": "1"},
    )
    assert response.status_code == 404
    assert IndicatorValue.objects.count() == 0

    client.force_login(make_staff("rec-x", "receptionist", commune="26740"))
    upload = {"file": __import__("io").BytesIO(b"indicator,unit,period,value\n")}
    assert client.post("/evaluation/indicators/import/", upload).status_code == 403


def test_api_indicators_and_warnings_are_scoped(client, make_staff):
    call_command("import_indicators", SEED)
    client.force_login(make_staff("ev-api", "evaluator"))

    rows = client.get("/api/v1/evaluation/indicators", {"unit": "hcmc-police", "period": "2025-9M"}).json()
    crimes = next(r for r in rows if r["indicator"] == "crimes_social_order")
    assert (crimes["value"], crimes["last_year"]) == (2015.0, 3180.0)
    assert (
        client.get("/api/v1/evaluation/indicators", {"unit": "hcmc-police", "period": "x"}).status_code == 400
    )
    assert client.get("/api/v1/evaluation/warnings", {"status": "bogus"}).status_code == 400

    client.force_login(make_staff("ev-api-c", "evaluator", commune="26740"))
    assert (
        client.get("/api/v1/evaluation/indicators", {"unit": "hcmc-police", "period": "2025-9M"}).status_code
        == 404
    )
    assert client.get("/api/v1/evaluation/warnings", {"unit": "26743"}).status_code == 404
