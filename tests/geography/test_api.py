"""/api/v1/geography/: resolve (1..1000 addresses), provinces, communes (alias codes accepted)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/geography/resolve"


def post(client, payload):
    return client.post(URL, payload, content_type="application/json")


def test_resolve_returns_results_in_input_order(client):
    response = post(client, {"addresses": ["P.4, Q.8", "Phường Sài Gòn, TP.HCM", "nowhere"]})

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["input"] for r in results] == ["P.4, Q.8", "Phường Sài Gòn, TP.HCM", "nowhere"]
    assert [r["commune_code"] for r in results] == ["27418", "26740", None]
    assert [r["status"] for r in results] == ["exact", "exact", "not_found"]
    assert results[0]["candidates"][0] == {
        "commune_code": "27418",
        "commune_name": "Phường Chánh Hưng",
        "province_code": "79",
        "default": True,
        "reading": "former",
        "former": "Phường 4, Quận 8, Thành phố Hồ Chí Minh",
    }


def test_resolve_accepts_exactly_1000(client):
    response = post(client, {"addresses": ["P.4, Q.8"] * 1000})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1000


@pytest.mark.parametrize(
    "payload",
    [{"addresses": []}, {"addresses": ["x"] * 1001}, {}, {"addresses": "P.4, Q.8"}, {"addresses": [1]}],
)
def test_resolve_rejects_bad_payloads_with_422(client, payload):
    assert post(client, payload).status_code == 422


def test_provinces_with_counts(client):
    rows = client.get("/api/v1/geography/provinces").json()

    assert len(rows) == 34
    hcmc = next(r for r in rows if r["code"] == "79")
    assert hcmc == {
        "code": "79", "name": "Thành phố Hồ Chí Minh", "kind": "thanh_pho", "communes": 168, "phuong": 113,
        "xa": 54, "dac_khu": 1,
    }  # fmt: skip
    assert sum(r["communes"] for r in rows) == 3321


def test_province_communes_and_search(client):
    all_ = client.get("/api/v1/geography/provinces/79/communes").json()
    found = client.get("/api/v1/geography/provinces/79/communes", {"q": "sai gon"}).json()

    assert len(all_) == 168
    assert [c["code"] for c in found] == ["26740"]
    assert client.get("/api/v1/geography/provinces/99/communes").status_code == 404


def test_commune_by_code_or_alias_with_predecessors(client):
    gso = client.get("/api/v1/geography/communes/00196").json()
    alias_only = client.get("/api/v1/geography/communes/00082").json()  # vietnamadminunits' code of Cửa Nam

    assert gso["name"] == "Phường Văn Miếu - Quốc Tử Giám"
    assert gso["alias_code"] == "00226"
    assert alias_only["code"] == "00073"
    assert alias_only["name"] == "Phường Cửa Nam"
    # 00226 is the GSO code of Phường Kim Liên and the alias of Văn Miếu - Quốc Tử Giám: GSO wins.
    assert client.get("/api/v1/geography/communes/00226").json()["name"] == "Phường Kim Liên"
    con_dao = client.get("/api/v1/geography/communes/26732").json()
    assert {p["legacy_district_name"] for p in con_dao["predecessors"]} == {"Huyện Côn Đảo"}
    assert client.get("/api/v1/geography/communes/99999").status_code == 404
