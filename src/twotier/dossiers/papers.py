"""The papers of the one-stop shop as PDF (Circular 01/2018/TT-VPCP forms as continued by Decree
118/2025/NĐ-CP and Circular 03/2025/TT-VPCP), in Vietnamese with a font that has every diacritic.

- `receipt`    Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Form 01), with a QR code to the status page
- `supplement` Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Form 02)
- `refusal`    Phiếu từ chối tiếp nhận giải quyết hồ sơ (Form 03)
- `apology`    Phiếu xin lỗi và hẹn lại ngày trả kết quả (Form 04)
- `control`    Phiếu kiểm soát quá trình giải quyết hồ sơ (Form 06), each step early / on time / late

Layout follows the official forms: the unit's name and the document number on the left, the national
motto on the right, the title, the body, the signature block.
"""

from __future__ import annotations

import io
from datetime import datetime

from django.utils import timezone

from twotier.core.pdf import VietnamesePdf

from .deadlines import to_local
from .models import Dossier

TITLES = {
    "receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "supplement": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "refusal": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "apology": "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
    "control": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
}
FORMS = {"receipt": "01", "supplement": "02", "refusal": "03", "apology": "04", "control": "06"}


def _fmt(moment: datetime | None, with_time: bool = True) -> str:
    if moment is None:
        return "—"
    local = to_local(moment)
    return local.strftime("%H giờ %M phút, ngày %d/%m/%Y") if with_time else local.strftime("%d/%m/%Y")


def step_mark(at: datetime, due: datetime | None) -> str:
    """Early / on time / late of one step against the dossier's due time (Form 06)."""
    if due is None:
        return "Không quy định thời hạn"
    at, due = to_local(at), to_local(due)
    if at > due:
        return "Quá hạn"
    if at.date() < due.date():
        return "Trước hạn"
    return "Đúng hạn"


class Paper(VietnamesePdf):
    def __init__(self) -> None:
        super().__init__(margins=(20, 15, 20), bottom=20)

    def multi_cell(self, *args, **kwargs):  # every block starts again at the left margin, on a new line
        kwargs.setdefault("new_x", "LMARGIN")
        kwargs.setdefault("new_y", "NEXT")
        return super().multi_cell(*args, **kwargs)

    def header_block(self, unit_name: str, number: str, form: str) -> None:
        top = self.get_y()
        self.set_font("DejaVu", "B", 10)
        self.multi_cell(75, 5, unit_name.upper(), align="C")
        self.set_font("DejaVu", "", 10)
        self.multi_cell(75, 5, f"Số: {number}", align="C")
        left_bottom = self.get_y()
        self.set_xy(100, top)
        self.set_font("DejaVu", "B", 10)
        self.multi_cell(90, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C")
        self.set_x(100)
        self.multi_cell(90, 5, "Độc lập - Tự do - Hạnh phúc", align="C")
        self.set_x(100)
        self.set_font("DejaVu", "", 8)
        self.multi_cell(90, 5, f"Mẫu số {form}", align="C")
        self.set_y(max(left_bottom, self.get_y()) + 6)

    def heading(self, text: str, subtitle: str = "") -> None:
        self.set_font("DejaVu", "B", 13)
        self.multi_cell(0, 7, text, align="C")
        if subtitle:
            self.set_font("DejaVu", "", 10)
            self.multi_cell(0, 6, subtitle, align="C")
        self.ln(4)

    def field(self, label: str, value: str = "") -> None:
        self.set_font("DejaVu", "", 11)
        self.multi_cell(0, 6, f"{label}{value}", markdown=False)

    def signature(self, role: str, left: str = "") -> None:
        self.ln(6)
        y = self.get_y()
        if left:
            self.set_font("DejaVu", "B", 10)
            self.multi_cell(80, 5, left, align="C")
        self.set_xy(110, y)
        self.set_font("DejaVu", "B", 10)
        self.multi_cell(80, 5, role, align="C")
        self.set_x(110)
        self.set_font("DejaVu", "", 9)
        self.multi_cell(80, 5, "(Ký, ghi rõ họ tên)", align="C")

    def qr(self, url: str) -> None:
        import qrcode

        image = qrcode.make(url, box_size=4, border=1).get_image()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        buffer.seek(0)
        y = self.get_y()
        self.image(buffer, x=20, y=y, w=28, h=28)
        self.set_xy(52, y + 4)
        self.set_font("DejaVu", "", 9)
        self.multi_cell(0, 5, f"Quét mã để tra cứu tình trạng hồ sơ:\n{url}")
        self.set_y(y + 32)


def _status_url(dossier: Dossier, base_url: str) -> str:
    from django.urls import reverse

    return f"{base_url.rstrip('/')}{reverse('dossiers:status')}?code={dossier.receipt_code}"


def _common(pdf: Paper, dossier: Dossier) -> None:
    pdf.field("Thủ tục: ", f"{dossier.procedure.name} (mã {dossier.procedure.code})")
    pdf.field("Mã hồ sơ: ", dossier.receipt_code)
    pdf.field("Người nộp hồ sơ: ", dossier.applicant_name)
    if dossier.address_text:
        pdf.field("Địa chỉ: ", dossier.address_text)
    if dossier.applicant_phone:
        pdf.field("Số điện thoại: ", dossier.applicant_phone)


def _receipt(pdf: Paper, dossier: Dossier, base_url: str) -> None:
    pdf.header_block(dossier.receiving_unit.name, dossier.receipt_code, FORMS["receipt"])
    pdf.heading(TITLES["receipt"])
    pdf.field(f"{dossier.receiving_unit.name} tiếp nhận hồ sơ của:")
    _common(pdf, dossier)
    pdf.field("Cơ quan giải quyết: ", dossier.competent_unit.name)
    pdf.field("Thành phần hồ sơ:")
    for index, doc in enumerate(dossier.documents.all(), 1):
        source = f" (khai thác từ CSDL {doc.reused_from_registry})" if doc.reused_from_registry else ""
        pdf.field(f"   {index}. ", f"{doc.kind}{source}")
    pdf.field("Số hóa hồ sơ giấy: ", "đã số hóa toàn bộ" if dossier.is_digitised else "chưa số hóa toàn bộ")
    pdf.field("Thời gian nhận hồ sơ: ", _fmt(dossier.received_at))
    pdf.field(
        "Thời gian trả kết quả: ", _fmt(dossier.due_at) if dossier.due_at else "Không quy định thời hạn"
    )
    pdf.field("Nhận kết quả tại: ", dossier.receiving_unit.name)
    pdf.ln(2)
    pdf.qr(_status_url(dossier, base_url))
    pdf.signature("NGƯỜI TIẾP NHẬN HỒ SƠ", "NGƯỜI NỘP HỒ SƠ")


def _supplement(pdf: Paper, dossier: Dossier, base_url: str) -> None:
    request = dossier.supplement_requests.order_by("-number").first()
    if request is None:
        raise KeyError("supplement")
    pdf.header_block(
        dossier.competent_unit.name, f"{dossier.receipt_code}/BS{request.number}", FORMS["supplement"]
    )
    pdf.heading(TITLES["supplement"])
    _common(pdf, dossier)
    pdf.field("Ngày yêu cầu: ", _fmt(request.requested_at))
    pdf.field("Lý do: ", request.reason)
    pdf.field("Đề nghị bổ sung, hoàn thiện các nội dung sau (một lần, đầy đủ):")
    for index, item in enumerate(request.items, 1):
        pdf.field(f"   {index}. ", item)
    pdf.field("Thời gian giải quyết được tạm dừng trong thời gian chờ công dân bổ sung hồ sơ.")
    pdf.qr(_status_url(dossier, base_url))
    pdf.signature("NGƯỜI HƯỚNG DẪN")


def _refusal(pdf: Paper, dossier: Dossier, base_url: str) -> None:
    event = dossier.events.filter(data__to=3).order_by("-pk").first()
    if dossier.status != 3 or event is None:
        raise KeyError("refusal")
    pdf.header_block(dossier.receiving_unit.name, f"{dossier.receipt_code}/TC", FORMS["refusal"])
    pdf.heading(TITLES["refusal"])
    _common(pdf, dossier)
    pdf.field("Hồ sơ không được tiếp nhận vì các lý do sau:")
    for index, reason in enumerate(event.data.get("reasons", []), 1):
        pdf.field(f"   {index}. ", reason)
    pdf.field("Ngày: ", _fmt(event.at, with_time=False))
    pdf.signature("NGƯỜI TIẾP NHẬN HỒ SƠ")


def _apology(pdf: Paper, dossier: Dossier, base_url: str) -> None:
    letter = dossier.apology_letters.order_by("-issued_at").first()
    if letter is None:
        raise KeyError("apology")
    pdf.header_block(dossier.competent_unit.name, f"{dossier.receipt_code}/XL", FORMS["apology"])
    pdf.heading(TITLES["apology"])
    pdf.field(f"{dossier.competent_unit.name} xin lỗi ông/bà {dossier.applicant_name}.")
    _common(pdf, dossier)
    pdf.field("Hạn trả kết quả theo giấy hẹn: ", _fmt(dossier.due_at))
    pdf.field("Lý do chậm: ", letter.reason)
    pdf.field("Hẹn lại ngày trả kết quả: ", _fmt(letter.new_due_at))
    pdf.field("Rất mong ông/bà thông cảm.")
    pdf.qr(_status_url(dossier, base_url))
    pdf.signature("THỦ TRƯỞNG CƠ QUAN")


STEP_NAMES = {
    "received": "Tiếp nhận hồ sơ",
    "transferred": "Chuyển cơ quan có thẩm quyền",
    "status_changed": "Xử lý",
    "supplement_requested": "Yêu cầu bổ sung",
    "supplement_completed": "Nhận hồ sơ bổ sung",
    "payment_recorded": "Thực hiện nghĩa vụ tài chính",
    "apology_issued": "Xin lỗi, hẹn lại",
    "assigned": "Phân công",
}


def _control(pdf: Paper, dossier: Dossier, base_url: str) -> None:
    from .states import DossierStatus

    pdf.header_block(dossier.receiving_unit.name, dossier.receipt_code, FORMS["control"])
    pdf.heading(TITLES["control"], f"Kèm theo hồ sơ {dossier.receipt_code}")
    _common(pdf, dossier)
    pdf.field("Hạn giải quyết: ", _fmt(dossier.due_at))
    pdf.ln(2)
    widths = (52, 48, 40, 30)
    pdf.set_font("DejaVu", "B", 9)
    for width, head in zip(widths, ("Bước", "Thời điểm", "Người thực hiện", "Kết quả"), strict=True):
        pdf.cell(width, 7, head, border=1)
    pdf.ln()
    pdf.set_font("DejaVu", "", 9)
    for event in dossier.events.select_related("actor").order_by("at", "pk"):
        if event.kind not in STEP_NAMES:
            continue
        name = STEP_NAMES[event.kind]
        if event.kind == "status_changed" and "to" in event.data:
            name = str(DossierStatus(event.data["to"]).label)
        actor = event.actor.get_username() if event.actor_id else "—"
        row = (
            name,
            to_local(event.at).strftime("%H:%M %d/%m/%Y"),
            actor,
            step_mark(event.at, dossier.due_at),
        )
        for width, value in zip(widths, row, strict=True):
            pdf.cell(width, 7, value[:40], border=1)
        pdf.ln()


RENDERERS = {
    "receipt": _receipt,
    "supplement": _supplement,
    "refusal": _refusal,
    "apology": _apology,
    "control": _control,
}


def render(dossier: Dossier, kind: str, *, base_url: str = "http://127.0.0.1:8000/") -> bytes:
    """The PDF bytes of one paper. Raises KeyError for an unknown kind or a paper the dossier lacks."""
    renderer = RENDERERS[kind]
    pdf = Paper()
    pdf.set_title(f"{TITLES[kind]} {dossier.receipt_code}")
    pdf.set_creation_date(timezone.now())
    renderer(pdf, dossier, base_url)
    return bytes(pdf.output())
