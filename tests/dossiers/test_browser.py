"""The acceptance walk in real Chromium: receipt at centre A for an old address in commune B, handled by
B's Office, returned at A, and the citizen sees "Đã trả kết quả" on the public page and rates it."""

from __future__ import annotations

import re

import pytest

from tests.conftest import login
from twotier.core.roles import RECEPTIONIST, SPECIALIST
from twotier.dossiers.models import Dossier, Rating

from .factories import BIRTH, A, B, hcmc_setup, staff

pytestmark = pytest.mark.browser


def test_receipt_at_a_processing_in_b_return_at_a_and_the_citizen_rates(page, make_staff):
    hcmc_setup()
    staff(make_staff, "le_tan_a", RECEPTIONIST, A)
    staff(make_staff, "chuyen_vien_b", SPECIALIST, B)

    # 1. the receptionist at centre A (Phường Bến Thành) receives a birth registration
    login(page, "le_tan_a")
    page.goto("/dossiers/receive/")
    page.fill("#id_procedure", BIRTH)
    page.locator("#id_procedure").dispatch_event("change")
    page.wait_for_selector("text=Thủ tục đăng ký khai sinh")
    page.fill("#id_applicant_name", "Nguyễn Văn An")
    page.fill("#id_id_number", "079090001234")
    page.fill("#id_phone", "0903123456")
    page.fill("#id_address", "12 Lý Tự Trọng, Phường Bến Nghé, Quận 1, TP Hồ Chí Minh")
    page.locator("#id_address").dispatch_event("change")
    page.wait_for_selector("#address-result:has-text('Phường Sài Gòn')")
    page.click("#receive-submit")
    page.wait_for_selector("#status-name")
    assert "Được tiếp nhận" in page.inner_text("#status-name")
    assert f"{B}-office" in page.inner_text("#competent-unit")
    code = page.url.rstrip("/").rsplit("/", 1)[1]
    dossier = Dossier.objects.get(receipt_code=code)
    assert (dossier.receiving_unit.code, dossier.competent_unit.code) == (f"{A}-pasc", f"{B}-office")
    assert list(dossier.events.values_list("kind", flat=True)) == ["received", "transferred"]

    # 2. a specialist of B's Office processes and completes it
    page.context.clear_cookies()
    login(page, "chuyen_vien_b")
    page.goto("/dossiers/?queue=unit")
    page.click(f"text={code}")
    page.click("button[data-target='4']")
    page.wait_for_selector("#status-name[data-status='4']")
    page.click("button[data-target='9']")
    page.wait_for_selector("#status-name[data-status='9']")
    assert "Đã xử lý xong" in page.inner_text("#status-name")

    # 3. the receptionist at A returns the result
    page.context.clear_cookies()
    login(page, "le_tan_a")
    page.goto(f"/dossiers/{code}/")
    page.click("button[data-target='10']")
    page.wait_for_selector("#status-name[data-status='10']")

    # 4. the citizen looks it up and rates the service
    page.context.clear_cookies()
    page.goto("/dossiers/status/")
    page.fill("#id_code", code)
    page.fill("#id_secret", "3456")
    page.click("button[type=submit]")
    page.wait_for_selector("#public-status")
    assert page.inner_text("#public-status") == "Đã trả kết quả"
    assert code in page.inner_text("#status-result")
    assert "Nguyễn Văn An" not in page.content()
    page.check("input[name=score][value='5']")
    page.click("#feedback button.primary")
    page.wait_for_selector("#feedback-done")
    assert re.search("Cảm ơn", page.inner_text("#feedback-done"))
    assert list(Rating.objects.filter(dossier__receipt_code=code).values_list("score", flat=True)) == [5]
    assert [
        e.actor.username if e.actor else None
        for e in Dossier.objects.get(pk=dossier.pk).events.order_by("pk")
    ] == [
        "le_tan_a",
        "le_tan_a",
        "chuyen_vien_b",
        "chuyen_vien_b",
        "le_tan_a",
        None,
    ]
