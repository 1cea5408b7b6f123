"""PDF papers: Vietnamese text with every diacritic survives (extracted back with pypdf), QR code,
each kind served for a dossier that has it, 404 otherwise."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from twotier.core.roles import RECEPTIONIST, SPECIALIST
from twotier.dossiers import papers, services
from twotier.dossiers.services import move_dossier, receive_dossier

from .factories import RE_BIRTH, A, B, at, hcmc_setup, receipt, staff


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def world(db, make_staff):
    hcmc_setup()
    clerk = staff(make_staff, "rec_a", RECEPTIONIST, A)
    specialist = staff(make_staff, "spec_b", SPECIALIST, B)
    dossier = receive_dossier(
        receipt(RE_BIRTH, name="Nguyễn Thị Ánh Tuyết"), actor=clerk, received_at=at(2026, 3, 2, 9, 15)
    )
    return clerk, specialist, dossier


def test_receipt_slip_in_vietnamese_with_the_appointment_and_a_qr_code(world):
    _, _, dossier = world
    pdf = papers.render(dossier, "receipt", base_url="https://dichvu.example.vn/")

    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Nguyễn Thị Ánh Tuyết" in text
    assert "Thủ tục đăng ký lại khai sinh" in text
    assert "17 giờ 00 phút, ngày 09/03/2026" in text
    assert f"https://dichvu.example.vn/dossiers/status/?code={dossier.receipt_code}" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1  # the QR code


def test_supplement_apology_and_control_papers(world):
    _clerk, specialist, dossier = world
    dossier = move_dossier(dossier, 4, actor=specialist, seen_version=1)
    with pytest.raises(KeyError):
        papers.render(dossier, "supplement")
    services.issue_apology(
        dossier,
        actor=specialist,
        seen_version=2,
        reason="Chờ kết quả xác minh",
        new_due_at=at(2026, 3, 12, 17),
        now=at(2026, 3, 9, 9),
    )
    dossier.refresh_from_db()
    dossier = services.request_supplement(
        dossier, actor=specialist, seen_version=3, items=["Bản sao Giấy khai sinh cũ"], reason="Thiếu giấy tờ"
    )

    supplement = text_of(papers.render(dossier, "supplement"))
    apology = text_of(papers.render(dossier, "apology"))
    control = text_of(papers.render(dossier, "control"))

    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in supplement
    assert "Bản sao Giấy khai sinh cũ" in supplement
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in apology
    assert "17 giờ 00 phút, ngày 12/03/2026" in apology
    assert "Chờ kết quả xác minh" in apology
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in control
    assert "Tiếp nhận hồ sơ" in control
    assert "Đang xử lý" in control


def test_step_marks():
    assert papers.step_mark(at(2026, 3, 6, 10), at(2026, 3, 9, 17)) == "Trước hạn"
    assert papers.step_mark(at(2026, 3, 9, 16, 59), at(2026, 3, 9, 17)) == "Đúng hạn"
    assert papers.step_mark(at(2026, 3, 9, 17, 1), at(2026, 3, 9, 17)) == "Quá hạn"
    assert papers.step_mark(at(2026, 3, 9, 17, 1), None) == "Không quy định thời hạn"


def test_paper_view_serves_pdf_in_scope_and_404_outside(client, world, make_staff):
    clerk, _, dossier = world
    client.force_login(clerk)
    ok = client.get(f"/dossiers/{dossier.receipt_code}/paper/receipt.pdf")
    missing = client.get(f"/dossiers/{dossier.receipt_code}/paper/refusal.pdf")
    client.force_login(staff(make_staff, "rec_far", RECEPTIONIST, "26737"))
    outside = client.get(f"/dossiers/{dossier.receipt_code}/paper/receipt.pdf")

    assert (ok.status_code, ok["Content-Type"]) == (200, "application/pdf")
    assert missing.status_code == 404
    assert outside.status_code == 404
