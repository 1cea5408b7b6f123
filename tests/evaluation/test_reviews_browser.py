"""Chromium (issue 7 acceptance): open a review for three units, one unit submits with pre-filled figures
and a recommendation, the organiser consolidates, the PDF lists the figures, the recommendation becomes a
follow-up task."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import login
from twotier.core import roles
from twotier.evaluation.models import FollowUpTask, Review

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.browser]

RECOMMENDATION = "Bồi dưỡng kỹ năng số cho cán bộ Mặt trận cấp cơ sở."


def test_review_from_opening_to_follow_up_task(browser, live_url, page, make_staff):
    from pypdf import PdfReader

    make_staff("danhgia.browser", roles.EVALUATOR)
    front = make_staff("lanhdao.front.browser", roles.UNIT_LEADER)
    front.staff_profile.unit_code = "hcmc-front"
    front.staff_profile.save()

    # the City evaluator opens the review for three units
    login(page, "danhgia.browser")
    page.goto("/evaluation/reviews/")
    page.click("#new-review")
    page.fill("#id_title", "Sơ kết thực hiện Nghị quyết 18-NQ/TW")
    page.fill("#id_legal_basis", "Nghị quyết 18-NQ/TW ngày 25/10/2017")
    page.fill("#id_period_start", "2025-07-01")
    page.fill("#id_period_end", "2025-10-22")
    page.fill("#id_due_on", "2025-10-22")
    page.fill("#id_organiser", "hcmc")
    page.fill("#id_units", "hcmc-front, hcmc-police, 26824")
    page.click("#open-review")
    page.wait_for_selector("#participants")
    assert page.locator("#participants tbody tr").count() == 3
    review = Review.objects.get()
    assert review.status == "open"

    # the Front's leader sees the pre-filled figures, writes a recommendation and submits
    other = browser.new_context(base_url=live_url, locale="vi-VN")
    other.set_default_timeout(15_000)
    unit_page = other.new_page()
    login(unit_page, "lanhdao.front.browser")
    unit_page.goto(f"/evaluation/reviews/{review.pk}/units/hcmc-front/")
    assert (
        unit_page.text_content("#figures tr[data-key=headcount] td.num").strip()
        == "891 → 457 người (-434; -48,7%)"
    )
    assert (
        unit_page.text_content("#figures tr[data-key=units_department] td.num").strip()
        == "32 → 10 (-22; -68,8%)"
    )
    unit_page.fill("#results", "Giảm biên chế từ 891 xuống 457 người; 10 ban thay cho 32 đơn vị cấp phòng.")
    unit_page.select_option("#recommendation-0-theme", "digital")
    unit_page.fill("#recommendation-0-text", RECOMMENDATION)
    unit_page.click("#submit")
    unit_page.wait_for_selector("text=Đã nộp báo cáo")
    assert unit_page.text_content("#participant-status").strip().startswith("Đã nộp")
    other.close()

    # the organiser consolidates: figures side by side, the recommendation under its theme
    page.goto(f"/evaluation/reviews/{review.pk}/")
    page.click("#consolidate")
    page.wait_for_selector("text=Đã tổng hợp báo cáo")
    row = page.locator("#figures-side-by-side tr[data-key=units_team] td").all_text_contents()
    assert row[1:] == ["—", "640 → 428 (-212; -33,1%)", "—"]
    assert page.is_visible(f"text={RECOMMENDATION}")

    # the PDF lists the figures
    pdf = page.request.get(f"/evaluation/reviews/{review.pk}/report.pdf")
    assert pdf.status == 200
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).split())
    assert "891 → 457" in text
    assert "32 → 10" in text
    assert "640 → 428" in text
    assert RECOMMENDATION in text

    # accepting the recommendation makes a follow-up task with one lead unit and a deadline
    due = timezone.localdate() + timedelta(days=90)
    item = page.locator("li", has_text=RECOMMENDATION)
    item.locator("summary").click()
    item.locator("input[name=lead_unit]").fill("hcmc-front")
    item.locator("input[name=due_on]").fill(due.isoformat())
    item.locator("button", has_text="Giao nhiệm vụ").click()
    page.wait_for_selector("text=Đã giao nhiệm vụ")
    assert due.strftime("%d/%m/%Y") in page.text_content("#review-tasks")
    task = FollowUpTask.objects.get()
    assert (task.lead_unit.code, task.due_on, task.title, task.status) == (
        "hcmc-front",
        due,
        RECOMMENDATION,
        "open",
    )
