"""Chromium: the City dashboard shows the quarter's ranking of the 168 HCMC communes and an early
warning for a commune whose backlog rises (simulated quarter + hand-built backlog, then the rollup and
`evaluate_warnings`, as the Celery rollup task runs them)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.management import call_command

from tests.conftest import login
from twotier.dossiers.deadlines import VN_TZ
from twotier.evaluation.services import rollup_range
from twotier.evaluation.warnings import evaluate_warnings

Q_START, Q_END = date(2026, 1, 1), date(2026, 3, 31)


def test_city_dashboard_ranking_and_backlog_warning(page, make_staff, make_dossier):
    from twotier.apparatus.models import Unit
    from twotier.dossiers.models import Dossier

    call_command(
        "simulate",
        "--communes",
        "4",
        "--dossiers",
        "240",
        "--from",
        "2026-01-05",
        "--to",
        "2026-03-13",
        "--seed",
        "3",
        verbosity=0,
    )
    busy = set(Dossier.objects.values_list("competent_commune_code", flat=True))
    office = (
        Unit.objects.filter(tier="commune", code__endswith="-office")
        .exclude(commune_code__in=busy)
        .order_by("code")
        .first()
    )
    # its backlog at the end of 28, 29, 30, 31 March: 3, 5, 7, 9 (nothing finishes; due in May)
    for day, n in ((28, 3), (29, 2), (30, 2), (31, 2)):
        for _ in range(n):
            make_dossier(
                office.code,
                received_at=datetime(2026, 3, day, 9, 0, tzinfo=VN_TZ),
                due_at=datetime(2026, 5, 4, 17, 0, tzinfo=VN_TZ),
                channel=1,
            )
    rollup_range(Q_START, Q_END)
    evaluate_warnings(Q_END)
    make_staff("danhgia.browser", "evaluator")  # city evaluator (province 79)

    login(page, "danhgia.browser")
    page.goto("/evaluation/?kind=quarter&on=2026-03-31")

    assert page.locator("#period-name").inner_text() == "2026-Q1"
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == 168
    assert rows.nth(0).locator("td").nth(0).inner_text() == "1"
    assert page.locator("#commune-grid a").count() == 168
    from twotier.geography.models import Commune

    commune_name = Commune.objects.get(code=office.commune_code).name
    row = page.locator("#ranking tbody tr", has_text=commune_name)
    assert row.locator("td").nth(4).inner_text() == "9"  # received in the quarter
    warnings = page.locator("#open-warnings")
    warning_row = warnings.locator("tr", has_text="Hồ sơ tồn tăng liên tục").filter(has_text=office.name)
    assert warning_row.count() == 1
    assert page.locator("svg.chart").count() == 3

    warning_row.locator("a").click()
    page.wait_for_url("**/evaluation/warnings/*/")
    assert page.locator("#warning-status").inner_text() == "Mới phát hiện"
    assert page.locator("svg.chart title").first.text_content() == "Hồ sơ tồn cuối ngày"
    assert page.locator("svg.chart circle").count() == 4
    assert (Q_END - timedelta(days=3)).strftime("%m-%d") in page.content()
