"""The catalogue in a real browser: HTMX search and filters update the results in place; phone width."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.browser]


def test_search_and_filter_update_results_in_place(page):
    page.goto("/procedures/")
    page.fill("#id_q", "dang ky khai tu")

    page.wait_for_function(
        "document.querySelector('#result-count').textContent.includes('Tìm thấy') && "
        "!document.querySelector('#result-count').textContent.includes('2646')"
    )
    first = page.locator(".proc-item h2 a").first
    assert first.inner_text() == "Thủ tục đăng ký khai tử"
    assert "q=dang%20ky%20khai%20tu" in page.url  # pushed to the address bar: the search can be bookmarked

    page.select_option("#id_level", "province")
    page.wait_for_url("**level=province**")
    page.wait_for_load_state("networkidle")
    assert page.locator(".proc-item").count() >= 1
    assert "Thủ tục đăng ký khai tử" not in [t for t in page.locator(".proc-item h2 a").all_inner_texts()]

    page.select_option("#id_level", "")
    page.wait_for_load_state("networkidle")
    page.locator(".proc-item h2 a", has_text="Thủ tục đăng ký khai tử").first.click()
    page.wait_for_url("**/procedures/1.000656/")
    assert page.locator("h1").inner_text() == "Thủ tục đăng ký khai tử"


def test_catalogue_and_procedure_page_fit_a_phone_screen(page):
    page.set_viewport_size({"width": 360, "height": 740})
    width = "document.documentElement.scrollWidth - document.documentElement.clientWidth"

    page.goto("/procedures/")
    assert page.evaluate(width) <= 0  # the long field names must not widen the filter form

    page.goto("/procedures/1.004194/")
    assert page.locator("h1").inner_text() == "Đăng ký tạm trú"
    assert page.evaluate(width) <= 0
