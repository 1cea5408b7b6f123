"""Import of dossier history from the exports of the provincial one-stop-shop systems in use.

Input: JSON (a list of objects, or {"data": [...]}) or XLSX (first sheet, header row), with the field
names those systems export (camelCase), e.g.::

    {"code": "H29.99-250801-0001", "acceptedDate": "01/08/2025 09:15:00", "appointmentDate": "...",
     "completedDate": "...", "returnedDate": "...", "procedureCode": "1.001193",
     "procedureName": "Thủ tục đăng ký khai sinh", "sectorName": "Hộ tịch",
     "dossierStatusName": "Đã trả kết quả", "agencyCode": "26740", "applicantName": "...",
     "overDueByUser": "nguyenvana"}

Every row is matched or reported, never dropped silently: procedure (by code, else by name within
the sector, diacritics-insensitive), status (by its Vietnamese name), commune (agency code or commune
code), dates. An imported dossier keeps its source code as receipt code (unique per source system
and id) and gets one `imported` event with the source row; re-importing a file adds nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from twotier.core.text import fold as fold_letters

from .deadlines import VN_TZ
from .states import DossierStatus

STATUS_NAMES: dict[str, int] = {
    "moi dang ky": 1,
    "cho tiep nhan": 1,
    "da tiep nhan": 2,
    "duoc tiep nhan": 2,
    "tiep nhan": 2,
    "khong duoc tiep nhan": 3,
    "tu choi tiep nhan": 3,
    "dang xu ly": 4,
    "dang giai quyet": 4,
    "yeu cau bo sung giay to": 5,
    "cho bo sung": 5,
    "yeu cau bo sung": 5,
    "cho thuc hien nghia vu tai chinh": 6,
    "cho thanh toan": 6,
    "cong dan yeu cau rut ho so": 7,
    "rut ho so": 7,
    "da rut": 7,
    "dung xu ly": 8,
    "da xu ly xong": 9,
    "da co ket qua": 9,
    "cho tra ket qua": 9,
    "da tra ket qua": 10,
    "hoan thanh": 10,
}
DATE_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
)


def fold(text: str) -> str:
    """Matching key for names in exports: no diacritics, lower case, dashes as spaces."""
    return " ".join(fold_letters(str(text or "")).replace("-", " ").split())


def parse_date(value: Any) -> datetime | None:
    """Export dates: dd/mm/yyyy[ HH:MM[:SS]] or ISO; naive values are Asia/Ho_Chi_Minh."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        moment = None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            for fmt in DATE_FORMATS:
                try:
                    moment = datetime.strptime(text, fmt)  # noqa: DTZ007 (zone added below)
                    break
                except ValueError:
                    continue
        if moment is None:
            raise ValueError(f"ngày không đọc được: {text!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)


def status_of(name: Any) -> int | None:
    text = fold(name)
    if text.isdigit() and 1 <= int(text) <= 10:
        return int(text)
    return STATUS_NAMES.get(text)


@dataclass
class ImportReport:
    rows: int = 0
    imported: int = 0
    duplicates: int = 0
    unmatched: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "unmatched": len(self.unmatched),
            "unmatched_rows": self.unmatched,
        }


def read_rows(path: Path) -> list[dict[str, Any]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(rows, [])]
        return [dict(zip(header, r, strict=False)) for r in rows if any(v not in (None, "") for v in r)]
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    if isinstance(data, Mapping):
        data = data.get("data") or data.get("content") or data.get("items") or []
    return [dict(r) for r in data]


def _g(row: Mapping[str, Any], *names: str) -> str:
    for name in names:
        value = row.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return ""


class _Procedures:
    """Procedure lookup by code, or by folded name (within the sector when the name is shared)."""

    def __init__(self) -> None:
        from twotier.procedures.models import Procedure

        self.by_code: dict[str, Any] = {}
        self.by_name: dict[str, list[Any]] = {}
        for p in Procedure.objects.receivable().select_related("current_version"):
            if p.current_version is None:
                continue
            self.by_code[p.code] = p
            self.by_name.setdefault(fold(p.name), []).append(p)

    def find(self, code: str, name: str, sector: str):
        if code and code in self.by_code:
            return self.by_code[code], ""
        candidates = self.by_name.get(fold(name), [])
        if not candidates and fold(name).startswith("thu tuc "):
            candidates = self.by_name.get(fold(name)[8:], [])
        if not candidates:
            candidates = self.by_name.get("thu tuc " + fold(name), [])
        if sector and len(candidates) > 1:
            candidates = [p for p in candidates if fold(p.field) == fold(sector)] or candidates
        if len(candidates) == 1:
            return candidates[0], ""
        if not candidates:
            return None, "không tìm thấy thủ tục"
        return None, f"tên thủ tục trùng {len(candidates)} mã"


def import_rows(rows: Iterable[Mapping[str, Any]], *, system: str, province_code: str = "79") -> ImportReport:
    """Import rows; unmatched rows are reported with their reasons and not imported."""
    from django.db import IntegrityError, transaction

    from . import routing
    from .models import Dossier, DossierEvent, DossierEventKind

    report = ImportReport()
    procedures = _Procedures()
    for number, row in enumerate(rows, start=1):
        report.rows += 1
        reasons: list[str] = []
        source_id = _g(row, "code", "dossierCode", "id", "maHoSo")
        if not source_id:
            reasons.append("thiếu mã hồ sơ")
        procedure, why = procedures.find(
            _g(row, "procedureCode", "procedure_code"), _g(row, "procedureName"), _g(row, "sectorName")
        )
        if procedure is None:
            reasons.append(f"{why}: {_g(row, 'procedureName') or _g(row, 'procedureCode')}")
        status = status_of(_g(row, "dossierStatusName", "dossierStatus", "status"))
        if status is None:
            reasons.append(
                f"trạng thái không rõ: {_g(row, 'dossierStatusName', 'dossierStatus', 'status')!r}"
            )
        dates: dict[str, datetime | None] = {}
        for key, names in {
            "received_at": ("acceptedDate", "receivedDate"),
            "due_at": ("appointmentDate", "dueDate"),
            "completed_at": ("completedDate", "finishedDate"),
            "returned_at": ("returnedDate",),
        }.items():
            try:
                dates[key] = parse_date(_g(row, *names))
            except ValueError as exc:
                reasons.append(str(exc))
        if not reasons and dates.get("received_at") is None:
            reasons.append("thiếu ngày tiếp nhận (acceptedDate)")
        commune = _g(row, "communeCode", "agencyCode")[:5]
        unit = centre = None
        if not reasons:
            on = dates["received_at"].astimezone(VN_TZ).date()
            level = routing.default_level(procedure)
            if level == "commune" and not (commune.isdigit() and len(commune) == 5):
                reasons.append(
                    f"không xác định được xã/phường: {_g(row, 'agencyCode', 'agencyName', 'communeCode')!r}"
                )
            else:
                try:
                    unit = routing.competent_unit(
                        procedure.code, level=level, province_code=province_code, commune_code=commune, on=on
                    ).unit
                    centre = routing.receiving_centre(commune, on) if commune else unit
                except Exception as exc:  # DomainError: no lead unit / no centre on that date
                    reasons.append(str(exc))
        if reasons:
            report.unmatched.append({"row": number, "code": source_id, "reasons": reasons})
            continue
        if (
            Dossier.objects.filter(source_system=system, source_id=source_id).exists()
            or Dossier.objects.filter(receipt_code=source_id[:40]).exists()
        ):
            report.duplicates += 1
            continue
        terminal = status in (3, 7, 8, 10)
        try:
            with transaction.atomic():
                dossier = Dossier.objects.create(
                    receipt_code=source_id[:40],
                    status=status,
                    channel=2
                    if fold(_g(row, "applyMethod", "channel")) in ("truc tuyen", "online", "2")
                    else 1,
                    procedure=procedure,
                    procedure_version=procedure.current_version,
                    level=routing.default_level(procedure),
                    applicant_name=_g(row, "applicantName", "ownerFullname")[:120] or "—",
                    receiving_unit=centre,
                    competent_unit=unit,
                    province_code=province_code,
                    receiving_commune_code=centre.commune_code,
                    competent_commune_code=unit.commune_code,
                    submitted_at=dates["received_at"],
                    received_at=dates["received_at"],
                    due_at=dates["due_at"],
                    completed_at=dates["completed_at"] or (dates["returned_at"] if status >= 9 else None),
                    returned_at=dates["returned_at"],
                    closed_at=(dates["returned_at"] or dates["completed_at"]) if terminal else None,
                    source_system=system,
                    source_id=source_id,
                )
                DossierEvent.objects.create(
                    dossier=dossier,
                    province_code=province_code,
                    kind=DossierEventKind.IMPORTED,
                    data={
                        "system": system,
                        "row": number,
                        "status_name": _g(row, "dossierStatusName"),
                        "over_due_by_user": _g(row, "overDueByUser"),
                        "source": {k: (str(v) if v is not None else None) for k, v in row.items()},
                    },
                )
        except IntegrityError:
            report.duplicates += 1
            continue
        report.imported += 1
    return report


def status_label(code: int) -> str:
    return str(DossierStatus(code).label)
