"""Dashboards, the report page and its exports: scope (a commune official sees only their commune),
period picker, XLSX and PDF contents."""

from __future__ import annotations

import io

from twotier.evaluation.services import rollup_day

from .conftest import EXPECTED_D, D


def test_commune_official_is_sent_to_their_commune_and_404_elsewhere(client, make_staff, scenario):
    rollup_day(D)
    client.force_login(make_staff("ev-26743", "evaluator", commune="26743"))

    response = client.get("/evaluation/", {"kind": "day", "on": D.isoformat()})
    assert response.status_code == 302
    assert response["Location"].startswith("/evaluation/communes/26743/")

    page = client.get("/evaluation/communes/26743/", {"kind": "day", "on": D.isoformat()})
    assert page.status_code == 200
    assert page.context["period"].name == D.isoformat()
    assert page.context["summary"]["totals"]["received"] == EXPECTED_D["received"]
    assert client.get("/evaluation/communes/26740/").status_code == 404
    assert client.get("/evaluation/report/", {"unit": "hcmc", "period": "2026-Q1"}).status_code == 404


def test_city_dashboard_ranks_the_168_communes(client, make_staff, scenario):
    rollup_day(D)
    client.force_login(make_staff("ev-city", "city_supervisor"))

    response = client.get("/evaluation/", {"kind": "week", "on": D.isoformat()})

    assert response.status_code == 200
    assert response.context["period"].name == "2026-W07"
    ranking = response.context["ranking"]
    assert len(ranking) == 168
    ranked = [r["commune_code"] for r in ranking if r["rank"] is not None]
    assert set(ranked) == {"26743", "26740"}  # only the communes with dossiers are ranked
    assert b"<svg" in response.content
    # the 16 departments are listed too, none ranked: the scenario's dossiers are all communes'
    departments = response.context["departments"]
    assert len(departments) == 16
    assert all(r["rank"] is None for r in departments)
    assert "Sở Xây dựng" in response.content.decode()


def test_receptionist_without_permission_is_refused(client, make_staff, db):
    client.force_login(make_staff("rec", "receptionist", commune="26743"))
    assert client.get("/evaluation/communes/26743/").status_code == 403


def test_report_page_and_exports(client, make_staff, scenario):
    from openpyxl import load_workbook

    rollup_day(D)
    client.force_login(make_staff("ev-c", "evaluator"))
    query = {"unit": "26743", "period": D.isoformat()}

    page = client.get("/evaluation/report/", query)
    assert page.status_code == 200
    totals = {str(label): cur for label, cur, *_ in page.context["table"]["totals"]}
    assert totals["Hồ sơ tiếp nhận"] == EXPECTED_D["received"]
    assert page.context["data"]["last_year"]["period"]["name"] == "2025-02-10"

    xlsx = client.get("/evaluation/report/export.xlsx", query)
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert rows["Hồ sơ tiếp nhận"] == EXPECTED_D["received"]

    pdf = client.get("/evaluation/report/export.pdf", query)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert client.get("/evaluation/report/export.doc", query).status_code == 404
    assert client.get("/evaluation/report/", {"unit": "26743", "period": "2026-Q9"}).status_code == 404
