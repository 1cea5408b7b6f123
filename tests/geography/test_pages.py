"""Public pages: the 34 provinces with counts, a province's communes with search, a commune."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_provinces_page_lists_34_with_counts(client):
    response = client.get(reverse("geography:provinces"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('href="/geography/provinces/') == 34
    assert "Thành phố Hồ Chí Minh" in html
    assert "34 tỉnh, thành phố; 3.321 xã, phường, đặc khu." in html


def test_province_page_lists_communes_and_searches_without_diacritics(client):
    full = client.get(reverse("geography:province", args=["79"])).content.decode()
    found = client.get(reverse("geography:province", args=["79"]), {"q": "ben thanh"}, HTTP_HX_REQUEST="true")

    assert full.count('href="/geography/communes/') == 168
    html = found.content.decode()
    assert "<html" not in html
    assert html.count('href="/geography/communes/') == 1
    assert "Phường Bến Thành" in html


def test_commune_page_shows_the_former_units(client):
    response = client.get(reverse("geography:commune", args=["26732"]))

    html = response.content.decode()
    assert "Đặc khu Côn Đảo" in html
    assert "Huyện Côn Đảo" in html
    assert client.get(reverse("geography:commune", args=["00082"])).status_code == 200  # alias code
    assert client.get(reverse("geography:commune", args=["99999"])).status_code == 404
