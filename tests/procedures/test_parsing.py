"""The parser on real catalogue records, checked against their page text by hand.

Each expectation below was written from reading the record's "Cách thức thực hiện" and "Thành phần hồ sơ"
tables in `raw_text` (quoted in the comments), not from the parser's output.
"""

from __future__ import annotations

import re
from decimal import Decimal

from twotier.procedures import parsing
from twotier.procedures.parsing import fold, parse_record


def assert_docs(parsed, expected):
    """Documents as (group, name prefix, originals, copies, form files), in page order."""
    got = [(d.group, d.name, d.n_original, d.n_copy, d.forms) for d in parsed.documents]
    assert len(got) == len(expected), [g[1][:50] for g in got]
    for (group, name, n_original, n_copy, forms), want in zip(got, expected, strict=True):
        assert (group, name[: len(want[1])], n_original, n_copy, forms) == want


def channels(parsed):
    return [
        (r.channel, r.time.value, r.time.unit, r.fee.amount_vnd, r.fee.by_province) for r in parsed.channels
    ]


def test_civil_status_mobile_birth_registration(raw_records):
    # 1.003583 Thủ tục đăng ký khai sinh lưu động (Hộ tịch, Cấp xã):
    # "Trực tiếp5 Ngày làm việcMiễn phí"; documents under "* Giấy tờ phải nộp:" and "* Giấy tờ phải xuất
    # trình:", three "0 bản chính" rows that are explanations ("Trường hợp …thì không phải nộp bản giấy").
    parsed = parse_record(raw_records["1.003583"])

    assert parsed.name == "Thủ tục đăng ký khai sinh lưu động"
    assert parsed.levels == ["commune"]
    assert parsed.field == "Hộ tịch"
    assert channels(parsed) == [("in_person", Decimal(5), "working_days", 0, False)]
    assert (parsed.time.value, parsed.time.unit, parsed.time.cutoff_15h) == (
        Decimal(5),
        "working_days",
        False,
    )
    assert (parsed.fee.amount_vnd, parsed.fee.status) == (0, "parsed")
    assert_docs(
        parsed,
        [
            ("Giấy tờ phải nộp", "Bản chính Giấy chứng sinh; trường hợp không có Giấy chứng sinh", 1, 0, ()),
            ("Giấy tờ phải nộp", "Tờ khai đăng ký khai sinh theo mẫu.", 1, 0, ()),
            ("Giấy tờ phải nộp", "Trường hợp khai sinh cho trẻ em sinh ra do mang thai hộ phải có", 1, 0, ()),
            (
                "Giấy tờ phải xuất trình",
                "Giấy chứng nhận kết hôn nếu cha, mẹ đã đăng ký kết hôn. Trường",
                1,
                0,
                (),
            ),
            (
                "Giấy tờ phải xuất trình",
                "Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử/G",
                1,
                0,
                (),
            ),
            (
                "Giấy tờ phải xuất trình",
                "Giấy tờ có giá trị chứng minh thông tin về cư trú trong trường",
                1,
                0,
                (),
            ),
        ],
    )
    assert [note[:38] for note in parsed.document_notes] == [
        "Trường hợp người yêu cầu đã nộp bản đi",
        "Trường hợp giấy tờ tùy thân sử dụng là",
        "Trường hợp không khai thác được thông ",
    ]
    assert parsed.documents[1].original_or_copy == "original"
    assert "123/2015/NĐ-CP" in parsed.legal_basis
    assert parsed.suspect_copy is False
    assert [p for p in parsed.problems if p["blocking"] == "yes"] == []


def test_land_reissue_of_lost_certificate(raw_records):
    # 1.012786 Cấp lại Giấy chứng nhận do bị mất (Đất đai, Cấp tỉnh):
    # "Trực tuyến10 Ngày làm việcMiễn phí(- Theo quy định của Luật phí và lệ phí …)Dịch vụ bưu chính10 Ngày
    # làm việc…Trực tiếp20 Ngày làm việcMiễn phí(…)"; two cases a) and b) with "1 bản chính,1 bản sao" etc.
    parsed = parse_record(raw_records["1.012786"])

    assert parsed.levels == ["province"]
    assert channels(parsed) == [
        ("online", Decimal(10), "working_days", 0, False),
        ("postal", Decimal(10), "working_days", 0, False),
        ("in_person", Decimal(20), "working_days", 0, False),
    ]
    # the reference time is the in-person one (a dossier is received at a counter first)
    assert (parsed.time.value, parsed.time.unit) == (Decimal(20), "working_days")
    assert parsed.fee.amount_vnd == 0
    case_a = "a) Đối với trường hợp cấp lại Giấy chứng nhận bị mất"
    case_b = "b) Đối với trường hợp mất Trang bổ sung"
    assert_docs(
        parsed,
        [
            (case_a, "(2) Mảnh trích đo bản đồ địa chính thửa đất đối với trường hợp", 1, 1, ()),
            (case_a, "(1) Đơn đăng ký biến động đất đai, tài sản gắn liền với đất the", 1, 1, ()),
            (case_b, "(2) Bản gốc Giấy chứng nhận đã cấp.", 1, 0, ()),
            (case_b, "(1) Đơn đăng ký biến động đất đai, tài sản gắn liền với đất the", 1, 0, ()),
            (case_b, "(3) Mảnh trích đo bản đồ địa chính thửa đất đối với trường hợp", 0, 1, ()),
        ],
    )
    assert parsed.documents[0].original_or_copy == "original_and_copy"
    assert parsed.documents[4].original_or_copy == "copy"
    assert parsed.legal_basis == [
        "118/2025/NĐ-C",  # truncated on the page itself ("118/2025/NĐ-CQuy định…")
        "151/2025/NĐ-CP",
        "101/2024/NĐ-CP",
        "31/2024/QH15",
        "58/2024/QH15",
        "43/2024/QH15",
        "226/2025/NĐ-CP",
    ]
    assert parsed.result == ["Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất."]
    assert parsed.implementing_agency == "Chi nhánh Văn phòng đăng ký đất đai, Văn phòng đăng ký đất đai"


def test_construction_permit_extension(raw_records):
    # 1.013227 Gia hạn giấy phép xây dựng … (Hoạt động xây dựng, Cấp xã, Cơ quan khác):
    # each channel "5 Ngày làm việcMiễn phí(Theo quy định của Hội đồng nhân dân cấp tỉnh)": the fee is set
    # by the province, not free; two papers, "1 bản chính" each.
    parsed = parse_record(raw_records["1.013227"])

    assert parsed.levels == ["commune", "other"]
    assert channels(parsed) == [
        ("online", Decimal(5), "working_days", None, True),
        ("postal", Decimal(5), "working_days", None, True),
        ("in_person", Decimal(5), "working_days", None, True),
    ]
    assert (parsed.time.value, parsed.time.unit) == (Decimal(5), "working_days")
    assert (parsed.fee.amount_vnd, parsed.fee.by_province, parsed.fee.status) == (None, True, "parsed")
    assert [(d.name, d.n_original, d.n_copy) for d in parsed.documents] == [
        (
            "Đơn đề nghị gia hạn giấy phép xây dựng theo Mẫu số 2 Phụ lục số II Nghị định số "
            "175/2024/NĐ-CP ngày 30/12/2024 của Chính phủ",
            1,
            0,
        ),
        ("Bản chính giấy phép xây dựng đã được cấp theo quy định", 1, 0),
    ]
    assert parsing.sensitive_category(parsed.field, None) == "construction"


def test_police_temporary_residence_registration(raw_records):
    # 1.004194 Đăng ký tạm trú (Đăng ký, quản lý cư trú — Công an cấp xã):
    # "Trực tuyến3 Ngày làm việc7,000 Việt Nam Đồng(…)" and "Trực tiếp3 Ngày làm việc10,000 Việt Nam Đồng(…)";
    # three cases; the CT01 form file "1.MuCT01banhnhkmtheoThngts53.doc" glued after the paper's name.
    parsed = parse_record(raw_records["1.004194"])

    assert channels(parsed) == [
        ("online", Decimal(3), "working_days", 7000, False),
        ("in_person", Decimal(3), "working_days", 10000, False),
    ]
    assert (parsed.time.value, parsed.time.unit) == (Decimal(3), "working_days")
    assert parsed.fee.amount_vnd == 10000
    assert parsed.online_available is True
    form = ("1.MuCT01banhnhkmtheoThngts53.doc",)
    own = "Hồ sơ đăng ký tạm trú gồm"
    listed = "Đăng ký tạm trú theo danh sách, hồ sơ gồm"
    barracks = (
        "Đăng ký tạm trú tại nơi đơn vị đóng quân trong Công an nhân dân, Quân đội nhân nhân "
        "(đơn vị đóng quân, nhà ở công vụ) hồ sơ gồm"
    )
    assert_docs(
        parsed,
        [
            (own, "Thông tin chứng minh về chỗ ở hợp pháp được khai thác trong că", 1, 0, ()),
            (own, "Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo", 1, 0, form),
            (listed, "Tờ khai thay đổi thông tin cư trú (của từng người) (Mẫu CT01 b", 1, 0, form),
            (listed, "Văn bản đề nghị đăng ký tạm trú, trong đó ghi rõ thông tin về", 1, 1, ()),
            (barracks, "Đối với Quân đội nhân dân: Giấy giới thiệu đăng ký tạm trú của", 1, 0, ()),
            (barracks, "Tờ khai thay đổi thông tin cư trú (Mẫu CT01 ban hành kèm theo", 1, 0, form),
            (barracks, "Đối với Công an nhân dân: Giấy giới thiệu của Thủ trưởng đơn v", 1, 0, ()),
        ],
    )
    assert parsed.documents[1].name.endswith("trừ trường hợp đã có ý kiến đồng ý bằng văn bản;")
    assert [note[:25] for note in parsed.document_notes] == [
        "Ví dụ: Trường hợp giấy tờ",
        "Lưu ý: - Trường hợp giấy ",
    ]


def test_unit_less_time_with_the_15h_rule_is_same_day(raw_records):
    # 1.001193 khai sinh: "Trực tuyến1Miễn phí…" (the crawl lost the unit); the steps say "nếu tiếp nhận hồ
    # sơ sau 15 giờ thì … trả kết quả … trong ngày làm việc tiếp theo".
    parsed = parse_record(raw_records["1.001193"])

    assert (parsed.time.unit, parsed.time.cutoff_15h) == ("same_day", True)


def test_unit_less_time_without_any_hint_stays_unparsed_with_a_reason(raw_records):
    # 1.009559 (Hải quan): "Trực tuyến1Miễn phíDịch vụ bưu chính1Miễn phíTrực tiếp1Miễn phí", nothing else.
    parsed = parse_record(raw_records["1.009559"])

    assert parsed.time.unit == ""
    assert parsed.time.value is None
    assert [p["reason"] for p in parsed.problems if p["field"] == "time"] == [
        "online: time '1' has no unit and the text does not name one; "
        "postal: time '1' has no unit and the text does not name one; "
        "in_person: time '1' has no unit and the text does not name one"
    ]


def test_time_glued_to_a_fee_shown_in_thousands(raw_records):
    # 1.000014 (Hải quan): "Trực tuyến120 VNĐ(20.000 vnđ /tờ khai)": a unit-less time "1" and the fee "20"
    # (thousands, as the note says).
    parsed = parse_record(raw_records["1.000014"])

    assert parsed.fee.amount_vnd == 20000
    assert parsed.time.unit == ""


def test_words_instead_of_a_time_mean_no_time_limit(raw_records):
    # 1.007689 (Thuế): "Trực tuyếnKhông phải trả kết quả cho người nộp thuếMiễn phí…"
    parsed = parse_record(raw_records["1.007689"])

    assert (parsed.time.unit, parsed.time.text) == ("none", "Không phải trả kết quả cho người nộp thuế")


def test_fee_labelled_vnd_but_stated_in_dollars(raw_records):
    # 1.003358: "Trực tiếp5 Ngày làm việc155 VNĐ(Thẻ tạm trú có thời hạn từ trên 02 năm đến 05 năm:
    # 155 USD/thẻ.)"
    parsed = parse_record(raw_records["1.003358"])
    in_person = [r.fee for r in parsed.channels if r.channel == "in_person"]

    assert next((f.amount_vnd, f.currency, f.amount) for f in in_person) == (None, "USD", Decimal(155))


SUSPECTS = {
    "1.002544": "1.014023",
    "1.014208": "1.014023",
    "2.001428": "3.000579",
    "2.001709": "1.014023",
    "3.000224": "1.014023",
    "3.000226": "3.000579",
    "3.000243": "3.000579",
    "3.000244": "3.000579",
    "3.000246": "3.000579",
    "3.000272": "1.014023",
    "3.000274": "1.014023",
    "3.000283": "3.000579",
    "3.000284": "1.014023",
    "3.000285": "1.014023",
    "3.000286": "1.014023",
    "3.000331": "3.000579",
    "3.000332": "1.014023",
}


def test_the_17_records_naming_another_code_are_suspect_copies(parsed_records):
    found = {}
    for code, parsed in parsed_records.items():
        if parsed.suspect_copy:
            found[code] = parsed.text_code

    assert found == SUSPECTS


def test_curated_text_wins_over_its_number(curated_entries):
    birth = parsing.curated_time(curated_entries["1.001193"])  # working_days: 1, text "same day … 15:00"
    notice = parsing.curated_time(curated_entries["2.001159"])  # working_days: 0, text "1 hour"
    marriage = parsing.curated_time(
        curated_entries["1.000894"]
    )  # "1 (portal, unit not captured) … 03 working days"
    mediation = parsing.curated_time(curated_entries["1.012812"])  # "40 days in person … calendar 'Ngày'"

    assert (birth.value, birth.unit, birth.cutoff_15h) == (Decimal(0), "same_day", True)
    assert (notice.value, notice.unit) == (Decimal(1), "hours")
    assert (marriage.value, marriage.unit) == (Decimal(1), "working_days")
    assert (mediation.value, mediation.unit) == (Decimal(40), "calendar_days")
    assert parsing.curated_time(curated_entries["1.014027"]) is None  # "Not verified."


def test_fold_removes_diacritics_and_case():
    assert fold("Thủ tục ĐĂNG KÝ khai sinh") == "thu tuc dang ky khai sinh"
    assert fold("Đất đai") == fold("dat dai")


# ---- parse rates, measured with detectors independent of the parser ----------------------------------

TIME_WITH_UNIT = re.compile(r"\d+(?:[.,]\d+)? ?(Ngày làm việc|Ngày|Giờ)")
# a duration anywhere in the "Cách thức thực hiện" text: the time column or its prose ("trong 05 ngày")
TIME_STATED = re.compile(r"\d+(?:[.,]\d+)? ?(ngày|giờ|tháng)", re.IGNORECASE)
FEE_STATED = re.compile(r"Miễn phí|\d[\d,.]* ?(VNĐ|Việt Nam Đồng|Đồng|USD)")
DOC_ROW = re.compile(r"Tên giấy tờMẫu đơn, tờ khaiSố lượng.*?\d bản (chính|sao)", re.DOTALL)


def _rates(raw_records, parsed_records):
    stated = {"time": 0, "fee": 0, "documents": 0}
    read = {"time": 0, "fee": 0, "documents": 0}
    for code, record in raw_records.items():
        method = record["cach_thuc_thuc_hien"]
        parsed = parsed_records[code]
        if TIME_STATED.search(method):
            stated["time"] += 1
            read["time"] += parsed.time.unit in {"working_days", "calendar_days", "hours", "same_day"}
        if FEE_STATED.search(method):
            stated["fee"] += 1
            read["fee"] += parsed.fee.status == "parsed"
        if DOC_ROW.search(record["raw_text"]):
            stated["documents"] += 1
            read["documents"] += bool(parsed.documents)
    return stated, read


def test_at_least_90_percent_of_stated_times_fees_and_document_lists_are_parsed(raw_records, parsed_records):
    stated, read = _rates(raw_records, parsed_records)

    assert stated == {"time": 2217, "fee": 2288, "documents": 2618}
    assert read == {"time": 2198, "fee": 2287, "documents": 2618}
    for aspect in stated:
        assert read[aspect] / stated[aspect] >= 0.90, (aspect, read[aspect], stated[aspect])


def test_parsed_times_agree_with_the_time_column(raw_records, parsed_records):
    """Where every channel of a record states the same number with a unit, the parsed value is that number."""
    checked = agree = 0
    for record in raw_records.values():
        values = set(TIME_WITH_UNIT.findall(record["cach_thuc_thuc_hien"]))
        numbers = {m.group(0).split(" ")[0] for m in TIME_WITH_UNIT.finditer(record["cach_thuc_thuc_hien"])}
        if len(values) != 1 or len(numbers) != 1:
            continue
        checked += 1
        parsed = parsed_records[record["ma_thu_tuc"]]
        agree += parsed.time.value == Decimal(numbers.pop().replace(",", "."))

    assert checked > 1800
    assert agree / checked >= 0.99, (agree, checked)
