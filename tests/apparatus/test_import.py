"""CSV/XLSX import: every bad row is reported with its line; nothing is written unless all rows are good."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from twotier.apparatus.importing import import_file
from twotier.apparatus.models import Assignment, Official, Unit, UnitParent

from .factories import make_post, make_unit

pytestmark = pytest.mark.django_db

HEADER = "code,name,kind,tier,level,parent,commune_code,valid_from\n"


def test_units_csv_with_bad_rows_reports_each_and_writes_nothing():
    make_unit("imp-root")
    content = (
        HEADER
        + "imp-a,Phòng A,department,city,department,imp-root,,2025-07-01\n"  # good
        + "Imp B,Phòng B,department,city,department,imp-root,,2025-07-01\n"  # bad code
        + "imp-c,,wizard,city,department,imp-missing,,2025-07-01\n"  # no name, bad kind, unknown parent
        + "imp-d,Phòng D,division,commune,division,imp-a,123,01/07/2025\n"  # bad commune code
        + "imp-e,Phòng E,department,city,department,imp-root,,31/02/2025\n"  # bad date
        + "imp-a,Phòng A lặp,department,city,department,imp-root,,2025-07-01\n"  # duplicate in file
    ).encode()

    report = import_file("units", "units.csv", content)

    assert [line for line, _ in report.errors] == [2, 3, 4, 5, 6, 7]
    assert "lặp lại" in report.errors[0][1]
    assert "không hợp lệ" in report.errors[1][1]
    assert "thiếu tên" in report.errors[2][1]
    assert "wizard" in report.errors[2][1]
    assert "imp-missing" in report.errors[2][1]
    assert "5 chữ số" in report.errors[3][1]
    assert "31/02/2025" in report.errors[4][1]
    assert report.created == 0
    assert not Unit.objects.filter(code__startswith="imp-").exclude(code="imp-root").exists()


def test_units_xlsx_all_good_is_written_with_parents_from_the_same_file():
    make_unit("imx-root")
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["imx-a", "Phòng A", "department", "city", "department", "imx-root", "", date(2025, 7, 1)])
    sheet.append(["imx-a-t1", "Đội 1", "police_team", "city", "team", "imx-a", "", "2025-08-01"])
    buffer = io.BytesIO()
    book.save(buffer)

    report = import_file("units", "units.xlsx", buffer.getvalue())

    assert (report.errors, report.created) == ([], 2)
    assert UnitParent.objects.get(unit__code="imx-a-t1").parent.code == "imx-a"
    assert Unit.objects.get(code="imx-a").valid_from == date(2025, 7, 1)


def test_officials_over_quota_and_unknown_post_are_refused_all_or_nothing():
    unit = make_unit("imo-unit")
    make_post(unit, "Chuyên viên", quota=1)
    content = (
        "staff_no,full_name,unit,post,valid_from,grade,qualifications\n"
        "IMO1,Nguyễn Văn A,imo-unit,Chuyên viên,2025-07-01,3,cử nhân luật;thạc sĩ\n"
        "IMO2,Trần Thị B,imo-unit,Chuyên viên,2025-07-01,2,\n"
        "IMO3,Lê Văn C,imo-unit,Kế toán,2025-07-01,9,\n"
    ).encode()

    report = import_file("officials", "officials.csv", content)

    assert [line for line, _ in report.errors] == [3, 4]
    assert "đủ biên chế" in report.errors[0][1]
    assert "Kế toán" in report.errors[1][1]
    assert "grade 9" in report.errors[1][1]
    assert not Official.objects.filter(staff_no__startswith="IMO").exists()

    good = import_file(
        "officials", "officials.csv", content.split(b"\n", 2)[0] + b"\n" + content.split(b"\n")[1]
    )
    assert (good.errors, good.created) == ([], 1)
    official = Official.objects.get(staff_no="IMO1")
    assert official.qualifications == ["cử nhân luật", "thạc sĩ"]
    assert Assignment.objects.get(official=official).unit == unit


def test_missing_columns_and_wrong_encoding_are_reported():
    assert import_file("units", "u.csv", b"code,name\nx,y\n").errors == [
        (1, "Thiếu cột: kind, tier, level, parent, commune_code, valid_from")
    ]
    assert import_file("units", "u.csv", "code\nĐ".encode("utf-16")).errors[0][0] == 0
