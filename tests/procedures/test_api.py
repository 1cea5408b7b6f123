"""/api/v1/procedures/: list with filters and pagination, search, detail with versions."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_list_with_filters_and_pagination(client):
    response = client.get("/api/v1/procedures/", {"level": "commune", "page": 2, "page_size": 50})

    data = response.json()
    assert response.status_code == 200
    assert (data["count"], data["page"], data["pages"], data["page_size"]) == (592, 2, 12, 50)
    assert len(data["results"]) == 50
    assert all("commune" in row["levels"] for row in data["results"])


def test_page_size_is_bounded(client):
    assert client.get("/api/v1/procedures/", {"page_size": 101}).status_code == 422


def test_search_without_diacritics(client):
    data = client.get("/api/v1/procedures/search", {"q": "dang ky ket hon", "page_size": 3}).json()

    assert data["results"][0]["code"] == "1.000894"
    assert data["results"][0]["name"] == "Thủ tục đăng ký kết hôn"


def test_receivable_filter_leaves_out_suspect_copies(client):
    everything = client.get("/api/v1/procedures/", {"q": "ho tro phat trien san xuat cong dong"}).json()
    receivable = client.get(
        "/api/v1/procedures/", {"q": "ho tro phat trien san xuat cong dong", "receivable": "true"}
    ).json()

    assert any(row["suspect_copy"] for row in everything["results"])
    assert not any(row["suspect_copy"] for row in receivable["results"])
    assert receivable["count"] == everything["count"] - sum(
        row["suspect_copy"] for row in everything["results"]
    )


def test_detail_by_code_with_parsed_fields_and_versions(client):
    data = client.get("/api/v1/procedures/1.001193").json()

    assert data["code"] == "1.001193"
    assert data["levels"] == ["commune"]
    assert data["time"]["unit"] == "same_day"
    assert data["time"]["cutoff_15h"] is True
    assert data["fee"]["amount_vnd"] == 0
    assert [v["number"] for v in data["versions"]] == [1]
    current = data["current_version"]
    assert current["number"] == 1
    assert {"implementing", "competent", "authorised", "coordinating"} == set(current["agencies"])
    assert "123/2015/NĐ-CP" in current["legal_basis"]
    assert current["documents"][0]["original_or_copy"] in {"original", "copy", "original_and_copy"}


def test_version_with_raw_record(client):
    data = client.get("/api/v1/procedures/1.004194/versions/1").json()

    assert data["raw_record"]["ma_thu_tuc"] == "1.004194"
    assert "raw_text" not in data["raw_record"]
    assert data["raw_text"].startswith("Đăng ký tạm trú")


def test_unknown_code_is_404(client):
    assert client.get("/api/v1/procedures/9.999999").status_code == 404
    assert client.get("/api/v1/procedures/1.001193/versions/9").status_code == 404


def test_stats_endpoint_matches_the_command(client):
    data = client.get("/api/v1/procedures/stats").json()

    assert (data["procedures"], data["suspect_copies"]) == (2646, 17)
