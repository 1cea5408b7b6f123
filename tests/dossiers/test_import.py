"""Import of provincial-system exports: matched rows become dossiers with one `imported` event;
every unmatched row is reported with its reasons; re-import adds nothing."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from twotier.dossiers.importing import fold, parse_date, status_of
from twotier.dossiers.models import Dossier, DossierEvent

from .factories import BIRTH, RE_BIRTH, B, at, hcmc_setup

ROWS = [
    {  # matched by code
        "code": "HCM-250801-0001",
        "acceptedDate": "01/08/2025 09:15:00",
        "appointmentDate": "01/08/2025 17:00:00",
        "completedDate": "01/08/2025 11:00:00",
        "returnedDate": "01/08/2025 14:00:00",
        "procedureCode": BIRTH,
        "procedureName": "Thủ tục đăng ký khai sinh",
        "sectorName": "Hộ tịch",
        "dossierStatusName": "Đã trả kết quả",
        "agencyCode": B,
        "applicantName": "Trần Văn Bảy",
        "overDueByUser": "",
    },
    {  # matched by name without diacritics, late
        "code": "HCM-250802-0002",
        "acceptedDate": "2025-08-04T10:00:00",
        "appointmentDate": "2025-08-11T17:00:00",
        "procedureName": "thu tuc dang ky lai khai sinh",
        "sectorName": "Hộ tịch",
        "dossierStatusName": "Đang xử lý",
        "agencyCode": B,
        "overDueByUser": "canbo.xuly",
    },
    {
        "code": "HCM-3",
        "acceptedDate": "01/08/2025",
        "procedureName": "Thủ tục không có thật",
        "dossierStatusName": "Đang xử lý",
        "agencyCode": B,
    },
    {
        "code": "HCM-4",
        "acceptedDate": "01/08/2025",
        "procedureCode": BIRTH,
        "dossierStatusName": "Trạng thái lạ",
        "agencyCode": B,
    },
    {
        "code": "HCM-5",
        "acceptedDate": "32/13/2025",
        "procedureCode": BIRTH,
        "dossierStatusName": "Đang xử lý",
        "agencyCode": B,
    },
    {
        "code": "HCM-6",
        "acceptedDate": "01/08/2025",
        "procedureCode": BIRTH,
        "dossierStatusName": "Đang xử lý",
        "agencyName": "UBND phường X",
    },
]


def test_helpers():
    assert fold("Đã trả kết quả") == "da tra ket qua"
    assert status_of("Đã trả kết quả") == 10
    assert status_of("Yêu cầu bổ sung giấy tờ") == 5
    assert status_of("?") is None
    assert parse_date("01/08/2025 09:15:00") == at(2025, 8, 1, 9, 15)


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_import_reports_every_unmatched_row_and_is_idempotent(db, tmp_path, capsys, fmt):
    hcmc_setup()
    path = tmp_path / f"export.{fmt}"
    if fmt == "json":
        path.write_text(json.dumps({"data": ROWS}, ensure_ascii=False), encoding="utf-8")
    else:
        wb = Workbook()
        ws = wb.active
        header = sorted({k for r in ROWS for k in r})
        ws.append(header)
        for r in ROWS:
            ws.append([r.get(h) for h in header])
        wb.save(path)

    call_command("import_dossiers", str(path), "--system", "igate-hcm")
    report = json.loads(capsys.readouterr().out)
    call_command("import_dossiers", str(path), "--system", "igate-hcm")
    again = json.loads(capsys.readouterr().out)

    assert (report["rows"], report["imported"], report["duplicates"], report["unmatched"]) == (6, 2, 0, 4)
    assert [(u["row"], u["code"]) for u in report["unmatched_rows"]] == [
        (3, "HCM-3"),
        (4, "HCM-4"),
        (5, "HCM-5"),
        (6, "HCM-6"),
    ]
    assert "không tìm thấy thủ tục" in report["unmatched_rows"][0]["reasons"][0]
    assert "trạng thái không rõ" in report["unmatched_rows"][1]["reasons"][0]
    assert "ngày không đọc được" in report["unmatched_rows"][2]["reasons"][0]
    assert "không xác định được xã/phường" in report["unmatched_rows"][3]["reasons"][0]
    assert (again["imported"], again["duplicates"]) == (0, 2)

    first = Dossier.objects.get(receipt_code="HCM-250801-0001")
    assert (first.status, first.competent_unit.code, first.procedure.code) == (10, f"{B}-office", BIRTH)
    assert first.returned_at == at(2025, 8, 1, 14)
    second = Dossier.objects.get(receipt_code="HCM-250802-0002")
    assert (second.status, second.procedure.code, second.due_at) == (4, RE_BIRTH, at(2025, 8, 11, 17))
    event = DossierEvent.objects.get(dossier=second)
    assert (event.kind, event.data["over_due_by_user"], event.actor) == ("imported", "canbo.xuly", None)
