"""In real Chromium: a receptionist converts an old address on the page and sees the new commune."""

from __future__ import annotations

import pytest

from tests.conftest import login
from twotier.core import roles


@pytest.mark.browser
@pytest.mark.django_db
def test_receptionist_converts_an_old_address(page, make_staff):
    make_staff("tiepnhan", roles.RECEPTIONIST, commune="26740")
    login(page, "tiepnhan")

    page.goto("/geography/resolve/")
    page.fill("#id_addresses", "Phường 4, Quận 8, TP.HCM\nPhường Hiệp An, Thành phố Thủ Dầu Một, Bình Dương")
    page.click("button:has-text('Chuyển đổi')")
    page.wait_for_selector("#results-table")

    rows = page.locator("#results-table tbody tr")
    assert rows.count() == 2
    assert "Phường Chánh Hưng" in rows.nth(0).inner_text()
    assert "Chính xác" in rows.nth(0).inner_text()
    second = rows.nth(1).inner_text()
    assert "Bị chia tách" in second
    assert "Phường Chánh Hiệp" in second
    assert "Phường Phú An" in second
