"""The resolver on the real map: every input form of issue 2, statuses and output shape."""

from __future__ import annotations

import pytest

from twotier.geography.resolver import Resolver, ResolverData

# The session-wide resolver is built from the test database (set up only if a test asks for it).
pytestmark = pytest.mark.django_db


def codes(result) -> list[str]:
    return [c.commune_code for c in result.candidates]


# (address, commune code): one whole former ward (or a new commune) per form of the issue.
EXACT = [
    # full former address
    ("Phường Tân Định, Quận 1, Thành phố Hồ Chí Minh", "26737"),
    # short names, no type words
    ("Tân Định, Quận 1, Hồ Chí Minh", "26737"),
    # abbreviations P. X. TT. Q. H. TX. TP. TP.HCM HCM HN
    ("P. Tân Định, Q.1, TP.HCM", "26737"),
    ("X. Tân Thông Hội, H. Củ Chi, HCM", "27553"),
    ("TT. Củ Chi, H. Củ Chi, TP HCM", "27496"),
    ("P. Phú Lợi, TP. Thủ Dầu Một, Bình Dương", "25750"),
    ("Phường Hàng Bạc, Quận Hoàn Kiếm, HN", "00070"),
    ("P.Trúc Bạch, Q.Ba Đình, TP.Hà Nội", "00004"),
    ("P. Nguyễn Trung Trực, Q. Ba Đình, HN", "00004"),  # its name before the 2019–2024 merges
    # numbered units
    ("Phường 5, Quận 3, TP.HCM", "27160"),
    ("P.4, Q.8", "27418"),
    ("P4 Q8 TPHCM", "27418"),
    ("F.14, Q.Tân Bình", "27004"),
    # English
    ("Ward 5, District 3, Ho Chi Minh City", "27160"),
    ("Tan Dinh Ward, District 1, Ho Chi Minh City", "26737"),
    ("An Phu Commune, Cu Chi District, Ho Chi Minh City", "27508"),
    ("Cu Chi Town, Cu Chi District, Ho Chi Minh City", "27496"),
    # no diacritics, any case
    ("phuong tan dinh, quan 1, thanh pho ho chi minh", "26737"),
    ("PHUONG TAN DINH QUAN 1 TP HCM", "26737"),
    # a street in front, with or without a comma
    ("123 Nguyễn Trãi, Phường 2, Quận 5, TP.HCM", "27301"),
    ("45/7 Lê Lợi Phường Tân Định, Quận 1, TP.HCM", "26737"),
    # extra spaces and punctuation, country at the end
    ("  Phường   Tân Định ,, Quận 1 ;  TP.HCM.  ", "26737"),
    ("Phường Tân Định, Quận 1, TP. Hồ Chí Minh, Việt Nam", "26737"),
    # one typo in the ward name (doubling, deletion, swap, substitution, insertion)
    ("Phường Tân Địnhh, Quận 1, TP.HCM", "26737"),
    ("Phường Tân Đnh, Quận 1, TP.HCM", "26737"),
    ("Phường Tâ nĐịnh, Quận 1, TP.HCM", "26737"),
    ("Phường Bến Thànk, Quận 1, TP.HCM", "26743"),
    ("Xã Tân Thông Hộii, Huyện Củ Chi, TP.HCM", "27553"),
    # old tone placement (Hoà/Hòa) and older names the package keeps as aliases
    ("Phường Hoà Bình, Hải Phòng", "11533"),
    ("Phường 7, Quận 3, TP.HCM", "27139"),  # merged into Phường Võ Thị Sáu in 2020
    ("P. Thảo Điền, Q.2, TP.HCM", "27118"),  # Quận 2 became part of Thành phố Thủ Đức in 2021
    # new format: commune, province
    ("Phường Sài Gòn, Thành phố Hồ Chí Minh", "26740"),
    ("Xã Củ Chi, TP Hồ Chí Minh", "27553"),
    ("phuong sai gon, tp hcm", "26740"),
    # ward-less island district → special zone
    ("Huyện Côn Đảo, Tỉnh Bà Rịa - Vũng Tàu", "26732"),
]


@pytest.mark.parametrize(("address", "expected"), EXACT)
def test_exact_forms(resolver, address, expected):
    result = resolver.resolve(address)

    assert (result.status, result.commune_code) == ("exact", expected), result.as_dict()
    assert codes(result) == [expected]
    assert result.candidates[0].default is True


def test_result_carries_names_province_and_what_was_recognised(resolver):
    result = resolver.resolve("P.4, Q.8").as_dict()

    assert result == {
        "input": "P.4, Q.8",
        "status": "exact",
        "commune_code": "27418",
        "commune_name": "Phường Chánh Hưng",
        "province_code": "79",
        "province_name": "Thành phố Hồ Chí Minh",
        "candidates": [
            {
                "commune_code": "27418",
                "commune_name": "Phường Chánh Hưng",
                "province_code": "79",
                "default": True,
                "reading": "former",
                "former": "Phường 4, Quận 8, Thành phố Hồ Chí Minh",
            }
        ],
        "recognised": {
            "format": "former",
            "province": {"code": "79", "name": "Thành phố Hồ Chí Minh"},
            "district": {"code": "776", "name": "Quận 8"},
            "ward": {"code": "27409", "name": "Phường 4"},
        },
    }


def test_split_ward_lists_every_successor_default_first(resolver):
    result = resolver.resolve("Phường Hiệp An, Thành phố Thủ Dầu Một, Tỉnh Bình Dương")

    assert result.status == "split"
    assert result.commune_code == "25771"  # the default successor (vietnamadminunits' isDefaultNewWard)
    assert codes(result) == ["25771", "25768"]
    assert [c.default for c in result.candidates] == [True, False]


def test_split_ward_with_a_street_still_lists_all_successors_offline(resolver):
    result = resolver.resolve("Số 1 Đinh Tiên Hoàng, phường Đa Kao, quận 1, thành phố Hồ Chí Minh")

    assert result.status == "split"
    assert codes(result) == ["26740", "26737"]


def test_new_format_and_former_reading_disagree_is_ambiguous_new_first(resolver):
    # Phường Tân An is a commune of Cần Thơ today, and also a former ward of Ninh Kiều that went
    # to Phường Ninh Kiều (one of the 186 such names).
    result = resolver.resolve("Phường Tân An, Cần Thơ")

    assert result.status == "ambiguous"
    assert result.commune_code == "31147"
    assert codes(result) == ["31147", "31135"]
    assert [c.reading for c in result.candidates] == ["new", "former"]
    assert result.recognised["format"] == "new"


def test_new_format_agreeing_with_the_former_reading_is_exact(resolver):
    # The former Phường Phú Lợi (Thủ Dầu Một) went whole to today's Phường Phú Lợi.
    result = resolver.resolve("Phường Phú Lợi, Thành phố Hồ Chí Minh")

    assert (result.status, result.commune_code) == ("exact", "25750")


def test_name_that_only_diacritics_distinguish_is_ambiguous_without_them(resolver):
    with_marks = resolver.resolve("Xã Nga Thành, Huyện Nga Sơn, Tỉnh Thanh Hóa")
    without = resolver.resolve("Xa Nga Thanh, Huyen Nga Son, Tinh Thanh Hoa")

    assert with_marks.status == "exact"
    assert without.status == "ambiguous"
    assert with_marks.commune_code in codes(without)
    assert len(codes(without)) == 2


def test_several_former_wards_of_one_name_without_district_are_ambiguous(resolver):
    result = resolver.resolve("Phường 1, TP.HCM")

    assert result.status == "ambiguous"
    assert len(result.candidates) > 5
    assert all(c.province_code == "79" for c in result.candidates)


@pytest.mark.parametrize(
    "address",
    [
        "",
        "   ",
        "Thành phố Hồ Chí Minh",
        "Hà Nội",
        "Paris, France",
        "1600 Amphitheatre Parkway, Mountain View, CA",
        "\x00\x01\x02",
        "Quận 1, TP.HCM",
    ],
)
def test_no_commune_is_not_found_with_empty_candidates(resolver, address):
    result = resolver.resolve(address)

    assert result.status == "not_found"
    assert result.commune_code is None
    assert result.candidates == ()


def test_province_only_reports_the_recognised_province(resolver):
    result = resolver.resolve("Thành phố Hồ Chí Minh")

    assert result.province_code == "79"
    assert result.recognised == {"province": {"code": "79", "name": "Thành phố Hồ Chí Minh"}}


def test_memo_returns_the_same_answer_with_the_new_input_text(resolver):
    first = resolver.resolve("P.4, Q.8")
    spaced = resolver.resolve("P.4,   Q.8")

    assert spaced.input == "P.4,   Q.8"
    assert spaced.commune_code == first.commune_code


def test_pure_resolver_from_plain_rows():
    """The resolver needs no database: a two-province toy map."""
    data = ResolverData(
        provinces=[("01", "Thành phố Hà Nội", "thanh_pho"), ("15", "Lào Cai", "tinh")],
        communes=[
            ("00001", "Phường Sa Pa", "phuong", "15"),
            ("00002", "Xã Sa Pả", "xa", "15"),
            ("00003", "Phường Ba Đình", "phuong", "01"),
        ],
        legacy_provinces=[
            ("01", "Thành phố Hà Nội", "thanh_pho", "01"),
            ("10", "Tỉnh Lào Cai", "tinh", "15"),
        ],
        legacy_districts=[
            ("001", "Quận Ba Đình", "quan", "01", ()),
            ("088", "Thị xã Sa Pa", "thi_xa", "10", ()),
        ],
        legacy_wards=[
            ("90001", "Phường Trúc Bạch", "phuong", "001", ("nguyentrungtruc",)),
            ("90002", "Phường Sa Pa", "phuong", "088", ()),
            ("90003", "Xã Sa Pả", "xa", "088", ()),
        ],
        successions=[
            ("001", "90001", "00003", True, 0),
            ("088", "90002", "00001", True, 0),
            ("088", "90003", "00002", True, 0),
            ("088", "90003", "00001", False, 1),
        ],
    )
    resolver = Resolver(data)

    assert resolver.resolve("Phường Trúc Bạch, Quận Ba Đình, Hà Nội").commune_code == "00003"
    assert resolver.resolve("P. Nguyễn Trung Trực, Q. Ba Đình, HN").commune_code == "00003"  # older name
    split = resolver.resolve("Xã Sa Pả, Thị xã Sa Pa, Lào Cai")
    assert (split.status, codes(split)) == ("split", ["00002", "00001"])
    # Accents tell "Sa Pa" from "Sa Pả"; without them the new-format reading cannot.
    assert resolver.resolve("Xã Sa Pả, Lào Cai").commune_code == "00002"
    assert resolver.resolve("Sa Pa, Lao Cai").status == "ambiguous"
