"""The consolidated report of a review as PDF (Vietnamese, the committed DejaVu fonts of the one-stop
shop's papers) and as XLSX: every unit's figures side by side, the units' own figures, the difficulties
and recommendations grouped by theme, and the follow-up tasks (reads only)."""

from __future__ import annotations

import io

from django.utils import timezone
from fpdf.fonts import FontFace

from twotier.core.pdf import VietnamesePdf

from .models import ItemDecision, Review
from .reviews import consolidation

TITLE = "BÁO CÁO TỔNG HỢP"


def _decision_text(item) -> str:
    if item.decision == ItemDecision.ACCEPTED and hasattr(item, "task"):
        task = item.task
        return (
            f"Tiếp thu → nhiệm vụ: chủ trì {task.lead_unit.name}, hạn {task.due_on:%d/%m/%Y}"
            f" ({task.get_status_display()})"
        )
    if item.decision == ItemDecision.DECLINED:
        return f"Không tiếp thu: {item.decision_note}"
    return item.get_decision_display()


class ReportPdf(VietnamesePdf):
    def __init__(self) -> None:
        super().__init__(orientation="L", margins=(15, 12, 15), bottom=15)

    def para(self, text: str, size: int = 10, style: str = "", align: str = "L", h: float = 5.5) -> None:
        self.set_font("DejaVu", style, size)
        self.multi_cell(0, h, text, align=align, new_x="LMARGIN", new_y="NEXT", markdown=False)


def render_pdf(review: Review) -> bytes:
    data = consolidation(review)
    pdf = ReportPdf()
    pdf.set_title(f"{TITLE} {review.title}")
    pdf.set_creation_date(timezone.now())
    # header: organiser on the left, national motto on the right (Decree 30/2020/NĐ-CP layout)
    top = pdf.get_y()
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(110, 5, review.organiser.name.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    left_bottom = pdf.get_y()
    pdf.set_xy(160, top)
    pdf.multi_cell(120, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C", new_x="LEFT", new_y="NEXT")
    pdf.multi_cell(120, 5, "Độc lập - Tự do - Hạnh phúc", align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    stamp = review.consolidated_at or timezone.now()
    pdf.multi_cell(
        120, 5, f"Ngày {timezone.localtime(stamp):%d/%m/%Y}", align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_y(max(left_bottom, pdf.get_y()) + 4)
    pdf.para(TITLE, 13, "B", "C", 7)
    pdf.para(review.title, 11, "B", "C", 6)
    pdf.para(
        f"Căn cứ: {review.legal_basis}. "
        f"Kỳ báo cáo: {review.period_start:%d/%m/%Y} – {review.period_end:%d/%m/%Y}.",
        10,
        align="C",
    )
    submitted = sum(1 for p in data["participants"] if p.status == "submitted")
    pdf.para(
        f"Đơn vị đã nộp báo cáo: {submitted}/{len(data['participants'])}. "
        + "; ".join(f"{p.unit.name}: {p.get_status_display()}" for p in data["participants"]),
        9,
        align="C",
    )
    pdf.ln(3)

    pdf.para("I. SỐ LIỆU CỦA CÁC ĐƠN VỊ (tính từ dữ liệu của nền tảng)", 11, "B")
    columns = data["columns"]
    if columns:
        label_width = 62
        width = (pdf.epw - label_width) / len(columns)
        pdf.set_font("DejaVu", "", 8)
        with pdf.table(
            col_widths=(label_width, *([width] * len(columns))),
            headings_style=FontFace(emphasis="BOLD"),
            line_height=4.5,
            text_align="LEFT",
        ) as table:
            row = table.row()
            row.cell("Số liệu")
            for p in columns:
                row.cell(p.unit.name)
            for fig in data["figure_rows"]:
                row = table.row()
                row.cell(fig["label"])
                for cell in fig["cells"]:
                    row.cell(cell)
        sources = dict.fromkeys(f["source"] for p in columns for f in p.report.figures)
        pdf.para("Nguồn: " + "; ".join(sources), 8)
    if data["reported"]:
        pdf.ln(2)
        pdf.para("Số liệu do đơn vị báo cáo:", 10, "B")
        for block in data["reported"]:
            lines = "; ".join(f"{f['label']}: {f['value']}" for f in block["figures"])
            pdf.para(f"- {block['unit'].name}: {lines}", 9)
    pdf.ln(2)

    pdf.para("II. KẾT QUẢ ĐẠT ĐƯỢC", 11, "B")
    for p in columns:
        if p.report.results:
            pdf.para(f"- {p.unit.name}: {p.report.results}", 9)
    pdf.ln(2)
    for number, key, heading in (
        ("III", "difficulties", "KHÓ KHĂN, VƯỚNG MẮC (theo chủ đề)"),
        ("IV", "recommendations", "KIẾN NGHỊ, ĐỀ XUẤT (theo chủ đề)"),
    ):
        pdf.para(f"{number}. {heading}", 11, "B")
        for group in data[key]:
            pdf.para(group["label"], 10, "B")
            for item in group["items"]:
                text = f"- {item.report.participant.unit.name}: {item.text}"
                if key == "recommendations":
                    text += f" [{_decision_text(item)}]"
                pdf.para(text, 9)
        pdf.ln(2)
    pdf.para("V. NHIỆM VỤ SAU SƠ KẾT", 11, "B")
    if not data["tasks"]:
        pdf.para("Chưa giao nhiệm vụ.", 9)
    for n, task in enumerate(data["tasks"], start=1):
        pdf.para(
            f"{n}. {task.title} — chủ trì: {task.lead_unit.name}; hạn {task.due_on:%d/%m/%Y}; "
            f"{task.get_status_display()}",
            9,
        )
    return bytes(pdf.output())


def render_xlsx(review: Review) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = consolidation(review)
    wb = Workbook()
    ws = wb.active
    ws.title = "So lieu"
    bold = Font(bold=True)
    ws.append([review.title])
    ws.append(
        [f"Căn cứ: {review.legal_basis}", f"{review.period_start:%d/%m/%Y}", f"{review.period_end:%d/%m/%Y}"]
    )
    ws.append(["Số liệu", *[p.unit.name for p in data["columns"]]])
    for cell in ws[3]:
        cell.font = bold
    for fig in data["figure_rows"]:
        ws.append([fig["label"], *fig["cells"]])
    ws.append([])
    # the raw numbers, one row per unit and figure, for further calculation
    ws.append(["Mã đơn vị", "Đơn vị", "Số liệu", "Trước kỳ", "Cuối kỳ", "Thay đổi", "Thay đổi %", "Nguồn"])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for p in data["columns"]:
        for f in p.report.figures:
            ws.append(
                [
                    p.unit.code,
                    p.unit.name,
                    f["label"],
                    f["before"],
                    f["value"],
                    f["change"],
                    f["change_pct"],
                    f["source"],
                ]
            )
    ws.column_dimensions["A"].width = 45

    items = wb.create_sheet("Kho khan, kien nghi")
    items.append(["Loại", "Chủ đề", "Đơn vị", "Nội dung", "Ý kiến đơn vị tổ chức"])
    for cell in items[1]:
        cell.font = bold
    for kind, label in (("difficulties", "Khó khăn, vướng mắc"), ("recommendations", "Kiến nghị, đề xuất")):
        for group in data[kind]:
            for item in group["items"]:
                decision = _decision_text(item) if kind == "recommendations" else ""
                items.append([label, group["label"], item.report.participant.unit.name, item.text, decision])

    tasks = wb.create_sheet("Nhiem vu")
    tasks.append(["Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Trạng thái", "Kết quả"])
    for cell in tasks[1]:
        cell.font = bold
    for task in data["tasks"]:
        tasks.append(
            [task.title, task.lead_unit.name, task.due_on, task.get_status_display(), task.done_notes]
        )

    reported = wb.create_sheet("Don vi bao cao")
    reported.append(["Đơn vị", "Số liệu", "Giá trị", "Kết quả đạt được"])
    for p in data["columns"]:
        reported.append([p.unit.name, "", "", p.report.results])
        for f in p.report.reported_figures:
            reported.append([p.unit.name, f["label"], f["value"], ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def filename(review: Review, ext: str) -> str:
    return f"bao-cao-tong-hop-{review.pk}.{ext}"
