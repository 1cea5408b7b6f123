"""Chromium test of the kiosk (acceptance of issue 6): ask, see birth registration first with its
documents, take a ticket, see it on the display board, call it from the counter page."""

from __future__ import annotations

import re

import pytest

from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=False)]
CENTER = "26743"


def test_kiosk_ask_take_ticket_board_and_counter(page, make_staff):
    make_staff("quay1", "receptionist", commune=CENTER)
    page.goto(f"/assistant/?center={CENTER}")
    page.fill("#q", "làm giấy khai sinh cho con")
    page.click("form.askbox button[type=submit]")
    first = page.locator("#answers article.answer").first
    first.wait_for()
    assert first.get_attribute("data-code") == "1.001193"
    assert "đăng ký khai sinh" in first.locator("h3").inner_text().lower()
    assert first.locator("ul.docs li").count() >= 3
    assert "Giấy chứng sinh" in first.locator("ul.docs").inner_text()

    first.locator("form button[type=submit]").click()
    number = page.locator("#ticket-number")
    number.wait_for()
    label = number.inner_text().strip()
    assert re.fullmatch(r"A\d{3}", label)

    page.goto(f"/assistant/queue/board/?center={CENTER}")
    civil = page.locator("section[data-group=civil]")
    assert "Đang chờ: 1" in civil.inner_text()

    login(page, "quay1")
    page.goto(f"/assistant/queue/counter/?center={CENTER}")
    page.click("button[name=call-civil]")
    page.wait_for_load_state()
    assert label in page.locator("table.data").inner_text()

    page.goto(f"/assistant/queue/board/?center={CENTER}")
    assert f"{label} → quầy 1" in page.locator("section[data-group=civil] .board-now").inner_text()
