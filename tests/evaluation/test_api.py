"""GET /api/v1/evaluation/report: scoped by the caller's units (404 outside), periods validated."""

from __future__ import annotations

from twotier.evaluation.services import rollup_day

from .conftest import EXPECTED_D, D

URL = "/api/v1/evaluation/report"


def test_commune_evaluator_reads_own_commune(client, make_staff, scenario):
    rollup_day(D)
    client.force_login(make_staff("eval-a", "evaluator", commune="26743"))

    response = client.get(URL, {"unit": "26743", "period": D.isoformat()})

    assert response.status_code == 200
    assert response.json()["current"]["totals"] == EXPECTED_D


def test_other_commune_answers_404(client, make_staff, scenario):
    rollup_day(D)
    client.force_login(make_staff("eval-b", "evaluator", commune="26740"))

    assert client.get(URL, {"unit": "26743", "period": "2026-Q1"}).status_code == 404
    assert client.get(URL, {"unit": "hcmc", "period": "2026-Q1"}).status_code == 404


def test_city_staff_read_the_city_and_bad_period_is_400(client, make_staff, scenario):
    rollup_day(D)
    client.force_login(make_staff("eval-city", "evaluator"))

    response = client.get(URL, {"unit": "hcmc", "period": "2026-Q1"})
    assert response.status_code == 200
    assert response.json()["current"]["totals"]["received"] == 3
    assert client.get(URL, {"unit": "hcmc", "period": "2026-Q7"}).status_code == 400


def test_anonymous_is_refused(client, db):
    assert client.get(URL, {"unit": "hcmc", "period": "2026-Q1"}).status_code == 401


def test_ranking_of_the_communes_for_city_staff_only(client, make_staff, scenario):
    rollup_day(D)
    client.force_login(make_staff("rank-city", "city_supervisor"))

    response = client.get("/api/v1/evaluation/ranking", {"period": D.isoformat()})

    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 168
    # the two communes with dossiers, in the order test_report's hand-computed index gives them
    assert [(r["rank"], r["code"]) for r in rows[:2]] == [(1, "26743"), (2, "26740")]
    assert rows[2]["rank"] is None
    assert rows[2]["index_percent"] is None
    departments = client.get("/api/v1/evaluation/ranking", {"period": D.isoformat(), "of": "departments"})
    assert departments.status_code == 200
    assert len(departments.json()) == 16
    assert client.get("/api/v1/evaluation/ranking", {"period": "2026-Q9"}).status_code == 400
    assert client.get("/api/v1/evaluation/ranking", {"period": "2026-Q1", "of": "wards"}).status_code == 400


def test_ranking_is_404_for_commune_staff(client, make_staff, scenario):
    client.force_login(make_staff("rank-commune", "evaluator", commune="26743"))

    assert client.get("/api/v1/evaluation/ranking", {"period": "2026-Q1"}).status_code == 404
