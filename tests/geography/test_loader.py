"""The map loaded from the two packages: counts, codes, succession, idempotency, disagreements."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from twotier.geography.models import (
    Commune,
    GeographyDataset,
    LegacyDistrict,
    LegacyProvince,
    LegacyWard,
    Province,
    WardSuccession,
)
from twotier.geography.services import load_geography

pytestmark = pytest.mark.django_db


def test_current_units_are_the_34_provinces_and_3321_communes():
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    by_kind = dict(Commune.objects.order_by().values_list("kind").annotate(n=Count("code")))
    assert by_kind == {"phuong": 687, "xa": 2621, "dac_khu": 13}


def test_ho_chi_minh_city_has_168_communes_113_wards_54_communes_1_special_zone():
    hcmc = Commune.objects.filter(province_id="79")
    assert hcmc.count() == 168
    assert hcmc.filter(kind="phuong").count() == 113
    assert hcmc.filter(kind="xa").count() == 54
    assert list(hcmc.filter(kind="dac_khu").values_list("name", flat=True)) == ["Đặc khu Côn Đảo"]
    assert Commune.objects.filter(province_id="79", name="Phường Sài Gòn").get().code == "26740"


def test_codes_are_zero_padded_strings():
    assert Province.objects.get(code="01").name == "Thành phố Hà Nội"
    assert set(Province.objects.values_list("code", flat=True)) >= {"01", "04", "08", "79", "96"}
    assert all(len(c) == 5 for c in Commune.objects.values_list("code", flat=True))
    assert all(len(c) == 3 for c in LegacyDistrict.objects.values_list("code", flat=True))
    assert all(len(c) == 5 for c in LegacyWard.objects.values_list("code", flat=True))
    assert Commune.objects.get(code="00070").name == "Phường Hoàn Kiếm"


def test_former_units_63_provinces_696_districts_10035_wards():
    assert LegacyProvince.objects.count() == 63
    assert LegacyDistrict.objects.count() == 696
    assert LegacyWard.objects.count() == 10035
    # Bình Dương and Bà Rịa – Vũng Tàu joined Ho Chi Minh City (Resolution 1685/NQ-UBTVQH15).
    assert set(LegacyProvince.objects.filter(successor_id="79").values_list("code", flat=True)) == {
        "74",
        "77",
        "79",
    }


def test_five_wardless_island_districts_are_succession_sources():
    wardless = WardSuccession.objects.filter(legacy_ward__isnull=True).select_related(
        "legacy_district", "commune"
    )
    pairs = sorted((s.legacy_district.name, s.commune.name) for s in wardless)
    assert pairs == [
        ("Huyện Bạch Long Vĩ", "Đặc khu Bạch Long Vĩ"),
        ("Huyện Côn Đảo", "Đặc khu Côn Đảo"),
        ("Huyện Cồn Cỏ", "Đặc khu Cồn Cỏ"),
        ("Huyện Hoàng Sa", "Đặc khu Hoàng Sa"),
        ("Huyện Lý Sơn", "Đặc khu Lý Sơn"),
    ]


def test_10040_sources_of_which_471_split_each_with_exactly_one_default():
    sources = WardSuccession.objects.values("legacy_district_id", "legacy_ward_id").annotate(
        n=Count("id"), defaults=Count("id", filter=Q(is_default=True))
    )
    assert sources.count() == 10040
    assert sources.filter(n__gt=1).count() == 471
    assert sources.exclude(defaults=1).count() == 0
    # Every former ward is a source.
    assert (
        WardSuccession.objects.filter(legacy_ward__isnull=False).values("legacy_ward_id").distinct().count()
        == 10035
    )


def test_split_ward_lists_every_successor_default_first():
    # Phường Hiệp An (Thủ Dầu Một, Bình Dương) was divided; vietnamadminunits marks the default.
    rows = list(
        WardSuccession.objects.filter(legacy_ward_id="25768")
        .order_by("position")
        .values_list("commune__name", "is_default")
    )
    assert len(rows) == 2
    assert rows[0][1] is True
    assert rows[1][1] is False


def test_other_package_codes_are_kept_as_aliases():
    assert Commune.objects.exclude(alias_code="").count() == 123
    van_mieu = Commune.objects.get(province_id="01", name="Phường Văn Miếu - Quốc Tử Giám")
    assert (van_mieu.code, van_mieu.alias_code) == ("00196", "00226")


def test_second_load_is_a_no_op_and_a_forced_reload_changes_nothing():
    before = sorted(
        WardSuccession.objects.values_list("legacy_district_id", "legacy_ward_id", "commune_id", "is_default")
    )
    communes = sorted(Commune.objects.values_list("code", "name", "kind", "province_id", "alias_code"))

    again = load_geography()
    forced = load_geography(force=True)

    assert again.unchanged is True
    assert forced.unchanged is False
    assert forced.written["successions"] == 0  # nothing to replace
    assert forced.counts == {
        "provinces": 34,
        "communes": 3321,
        "legacy_provinces": 63,
        "legacy_districts": 696,
        "legacy_wards": 10035,
        "successions": len(before),
    }
    assert (
        sorted(
            WardSuccession.objects.values_list(
                "legacy_district_id", "legacy_ward_id", "commune_id", "is_default"
            )
        )
        == before
    )
    assert (
        sorted(Commune.objects.values_list("code", "name", "kind", "province_id", "alias_code")) == communes
    )


def test_load_geography_prints_every_disagreement():
    out = io.StringIO()
    call_command("load_geography", stdout=out)
    lines = out.getvalue().splitlines()

    assert sum(line.startswith("code ") for line in lines) == 123
    assert sum(line.startswith("name ") for line in lines) == 47
    van_mieu = (
        "Phường Văn Miếu - Quốc Tử Giám: vietnam-provinces 00196, vietnamadminunits 00226 (kept as alias)"
    )
    assert f"code     01 {van_mieu}" in lines
    assert "123 commune codes, 47 commune names (9 of them codes of another unit)" in out.getvalue()
    assert GeographyDataset.objects.get().fingerprint


def test_geography_stats_prints_the_issue_figures():
    out = io.StringIO()
    call_command("geography_stats", stdout=out)
    stats = json.loads(out.getvalue())

    assert stats["provinces"] == 34
    assert stats["communes"] == 3321
    assert stats["communes_by_kind"] == {"phuong": 687, "xa": 2621, "dac_khu": 13}
    assert stats["legacy"] == {
        "provinces": 63,
        "districts": 696,
        "wards": 10035,
        "wardless_districts": 5,
        "succession_sources": 10040,
        "split_sources": 471,
    }
    assert stats["code_disagreements"] == {
        "commune_codes": 123,
        "commune_names": 47,
        "commune_names_other_unit": 9,
    }
    assert len(stats["by_province"]) == 34
    assert stats["by_province"]["79"] == {
        "name": "Thành phố Hồ Chí Minh",
        "communes": 168,
        "phuong": 113,
        "xa": 54,
        "dac_khu": 1,
    }
    assert sum(p["communes"] for p in stats["by_province"].values()) == 3321


def test_lookups_accept_gso_codes_then_alias_codes_zero_padded():
    assert Commune.objects.get_by_code("00073").name == "Phường Cửa Nam"
    assert Commune.objects.get_by_code("00082").name == "Phường Cửa Nam"  # vietnamadminunits' code
    assert Commune.objects.get_by_code("82").name == "Phường Cửa Nam"  # lost its zeros in a spreadsheet
    assert [c.name for c in Commune.objects.by_code("00226")] == [
        "Phường Kim Liên",
        "Phường Văn Miếu - Quốc Tử Giám",
    ]
    with pytest.raises(Commune.DoesNotExist):
        Commune.objects.get_by_code("99999")
