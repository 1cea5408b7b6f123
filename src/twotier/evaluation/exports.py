"""XLSX (openpyxl) and PDF (fpdf2, the committed DejaVu fonts of the dossiers' papers) exports of a
period report: the same rows as the HTML page — current period, previous period, same period last
year, change on last year — plus the indicators."""

from __future__ import annotations

import io
from typing import Any

from twotier.apparatus.models import Unit
from twotier.core.pdf import VietnamesePdf

HEAD = ["", "Kỳ báo cáo", "Kỳ trước", "Cùng kỳ năm trước", "So với cùng kỳ"]


def _head(data: dict[str, Any]) -> list[str]:
    return [
        "",
        f"Kỳ báo cáo {data['current']['period']['name']}",
        f"Kỳ trước {data['previous']['period']['name']}",
        f"Cùng kỳ {data['last_year']['period']['name']}",
        "So với cùng kỳ",
    ]


def _indicator_rows(readings: list) -> list[list[str]]:
    rows = []
    for r in readings:
        change = "—" if r.change is None else f"{100 * r.change:+.1f}%"
        rows.append(
            [
                f"{r.indicator.name} ({r.indicator.unit_of_measure})",
                "—" if r.value is None else f"{r.value.normalize():f}",
                "",
                "—" if r.last_year is None else f"{r.last_year.normalize():f}",
                change,
            ]
        )
    return rows


def report_xlsx(unit: Unit, data: dict[str, Any], table: dict[str, list], readings: list) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    ws.append([f"BÁO CÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH — {unit.name}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"Kỳ {data['current']['period']['start']} – {data['current']['period']['end']}"])
    for title, rows in (
        ("Số liệu hồ sơ", table["totals"]),
        ("Tỷ lệ", table["rates"]),
        ("Chỉ số phục vụ (Quyết định 766/QĐ-TTg, tính gần đúng)", table["groups"]),
        ("Chỉ tiêu", _indicator_rows(readings)),
    ):
        ws.append([])
        ws.append([title])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        ws.append(_head(data))
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([str(row[0]), *row[1:]])
    ws.column_dimensions["A"].width = 60
    for col in "BCDE":
        ws.column_dimensions[col].width = 22
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class _Report(VietnamesePdf):
    def __init__(self) -> None:
        super().__init__(margins=(15, 15, 15), bottom=15)

    def table(self, title: str, head: list[str], rows: list) -> None:
        self.set_font("DejaVu", "B", 11)
        self.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
        widths = (72, 28, 28, 28, 24)
        self.set_font("DejaVu", "B", 8)
        for w, text in zip(widths, head, strict=True):
            self.cell(w, 6, text, border=1)
        self.ln()
        self.set_font("DejaVu", "", 8)
        for row in rows:
            for i, (w, value) in enumerate(zip(widths, row, strict=True)):
                self.cell(w, 6, str(value)[:60], border=1, align="L" if i == 0 else "R")
            self.ln()
        self.ln(3)


def report_pdf(unit: Unit, data: dict[str, Any], table: dict[str, list], readings: list) -> bytes:
    pdf = _Report()
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(
        0, 7, "BÁO CÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("DejaVu", "", 10)
    cur = data["current"]["period"]
    pdf.multi_cell(
        0,
        6,
        f"{unit.name} — kỳ {cur['name']} ({cur['start']} – {cur['end']})",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    head = ["", "Kỳ báo cáo", "Kỳ trước", "Cùng kỳ năm trước", "So cùng kỳ"]
    pdf.table("Số liệu hồ sơ", head, [[str(r[0]), *r[1:]] for r in table["totals"]])
    pdf.table("Tỷ lệ", head, [[str(r[0]), *r[1:]] for r in table["rates"]])
    pdf.table(
        "Chỉ số phục vụ (Quyết định 766/QĐ-TTg, tính gần đúng)",
        head,
        [[str(r[0]), *r[1:]] for r in table["groups"]],
    )
    if readings:
        pdf.table("Chỉ tiêu", head, _indicator_rows(readings))
    return bytes(pdf.output())
