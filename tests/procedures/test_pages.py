"""Public catalogue pages: browse with filters and search (HTMX partial), the procedure page."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_catalogue_is_public_and_paginated(client):
    response = client.get(reverse("procedures:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Tìm thấy 2646 thủ tục" in html
    assert html.count('class="card proc-item"') == 20
    assert "Trang 1/133" in html


def test_search_is_diacritics_insensitive_and_ranks_the_name_first(client):
    response = client.get(reverse("procedures:list"), {"q": "dang ky khai sinh"})

    page = response.context["page"]
    assert page.paginator.count > 12
    assert [p.code for p in page.object_list[:3]] == ["1.001193", "1.003583", "2.000528"]
    # every word matches somewhere; the names holding the whole phrase come first
    assert all("đăng ký khai sinh" in p.name for p in page.object_list[:10])


def test_filters_level_field_sensitive_online(client):
    response = client.get(
        reverse("procedures:list"),
        {"level": "commune", "sensitive": "land", "field": "Đất đai", "online": "on"},
    )

    page = response.context["page"]
    assert page.paginator.count > 0
    for procedure in page.object_list:
        assert procedure.at_commune
        assert procedure.field == "Đất đai"
        assert procedure.online_available
        assert procedure.sensitive_category == "land"


def test_an_unknown_filter_value_is_ignored_not_an_error(client):
    response = client.get(reverse("procedures:list"), {"field": "Không có lĩnh vực này", "level": "xyz"})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2646


def test_htmx_request_gets_only_the_results_fragment(client):
    response = client.get(
        reverse("procedures:list"), {"q": "khai tu"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Thủ tục đăng ký khai tử" in html


def test_list_page_query_count_is_fixed(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # field choices, count, page rows (+ session-less request)
        client.get(reverse("procedures:list"), {"level": "commune"})


def test_procedure_page_shows_documents_time_fee_channels_legal_basis_and_versions(client):
    response = client.get(reverse("procedures:detail", args=["1.004194"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Đăng ký tạm trú</h1>" in html
    assert "3 ngày làm việc" in html
    assert "10.000 đ" in html
    assert "7.000 đ" in html
    assert "Tờ khai thay đổi thông tin cư trú (Mẫu CT01" in html
    assert "1.MuCT01banhnhkmtheoThngts53.doc" in html
    assert "53/2025/TT-BCA" in html
    assert "Lịch sử cập nhật" in html
    assert "Lần đầu nhập" in html


def test_same_day_procedure_explains_the_15h_rule(client):
    html = client.get(reverse("procedures:detail", args=["1.001193"])).content.decode()

    assert "Trong ngày (nộp sau 15 giờ: trả kết quả ngày làm việc tiếp theo)" in html


def test_suspect_copy_page_warns(client):
    html = client.get(reverse("procedures:detail", args=["3.000224"])).content.decode()

    assert "Dữ liệu nghi trùng lặp." in html
    assert "lại ghi mã 1.014023" in html


def test_unknown_code_and_unknown_version_are_404(client):
    assert client.get(reverse("procedures:detail", args=["9.999999"])).status_code == 404
    assert client.get(reverse("procedures:detail", args=["1.001193"]), {"version": "7"}).status_code == 404
    assert client.get(reverse("procedures:detail", args=["1.001193"]), {"version": "x"}).status_code == 404


def test_an_older_version_stays_visible(client):
    from twotier.procedures import services

    records = services.read_catalogue()
    record = next(r for r in records if r["ma_thu_tuc"] == "1.003583")
    record["raw_text"] = record["raw_text"].replace("Trực tiếp5 Ngày làm việc", "Trực tiếp10 Ngày làm việc")
    services.import_catalogue(records, services.read_curated())

    old = client.get(reverse("procedures:detail", args=["1.003583"]), {"version": "1"}).content.decode()
    new = client.get(reverse("procedures:detail", args=["1.003583"])).content.decode()

    assert "Bạn đang xem phiên bản 1 (không còn hiện hành)." in old
    assert "<dd>5 ngày làm việc</dd>" in old
    assert "<dd>10 ngày làm việc</dd>" in new
    # the history says what changed, in words
    assert "Cách thức thực hiện, Thời hạn giải quyết, Nội dung trang gốc" in new
