"""Staff pages (queues, receipt screen, HTMX actions, scope) and citizens' pages (status lookup with
rate limit, rating, complaint, online submission)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from twotier.core.models import AccessLog
from twotier.core.roles import RECEPTIONIST, SPECIALIST
from twotier.dossiers.models import Complaint, Dossier, DossierEvent, Rating
from twotier.dossiers.services import move_dossier, receive_dossier

from .factories import BIRTH, OLD_ADDRESS_IN_B, RE_BIRTH, A, B, C, at, hcmc_setup, receipt, staff


@pytest.fixture
def world(db, make_staff):
    hcmc_setup()
    people = {
        "rec_a": staff(make_staff, "rec_a", RECEPTIONIST, A),
        "spec_b": staff(make_staff, "spec_b", SPECIALIST, B),
        "spec_c": staff(make_staff, "spec_c", SPECIALIST, C),
    }
    dossier = receive_dossier(receipt(RE_BIRTH), actor=people["rec_a"], received_at=at(2026, 3, 2, 9))
    return people, dossier


def test_queue_pages_show_scoped_dossiers_with_deadline_colours(client, world):
    people, dossier = world
    client.force_login(people["spec_b"])

    unit = client.get("/dossiers/?queue=unit")
    client.force_login(people["spec_c"])
    other = client.get("/dossiers/?queue=all")

    assert unit.status_code == 200
    assert dossier.receipt_code in unit.content.decode()
    assert 'data-deadline="overdue"' in unit.content.decode()  # due 09/03/2026, long past
    assert dossier.receipt_code not in other.content.decode()


def test_htmx_filter_returns_only_the_table(client, world):
    people, dossier = world
    client.force_login(people["rec_a"])
    response = client.get(
        "/dossiers/?queue=all&q=" + dossier.receipt_code, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-table"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<table" in html
    assert "<html" not in html
    assert dossier.receipt_code in html


def test_detail_is_404_outside_scope_and_logs_reads_inside(client, world):
    people, dossier = world
    client.force_login(people["spec_c"])
    assert client.get(dossier.get_absolute_url()).status_code == 404
    client.force_login(people["spec_b"])
    page = client.get(dossier.get_absolute_url())
    assert page.status_code == 200
    assert "Lịch sử xử lý" in page.content.decode()
    assert (
        AccessLog.objects.filter(user=people["spec_b"], object_id=str(dossier.pk), action="read").count() == 1
    )


def test_htmx_move_then_a_stale_click_gets_409_with_the_message(client, world):
    people, dossier = world
    client.force_login(people["spec_b"])
    url = f"/dossiers/{dossier.receipt_code}/move/"

    ok = client.post(url, {"target": 4, "version": 1}, HTTP_HX_REQUEST="true")
    stale = client.post(url, {"target": 9, "version": 1}, HTTP_HX_REQUEST="true")

    assert ok.status_code == 200
    assert 'data-status="4"' in ok.content.decode()
    assert stale.status_code == 409
    assert "Hồ sơ đã được người khác cập nhật, vui lòng tải lại" in stale.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == 4
    assert DossierEvent.objects.filter(dossier=dossier, kind="status_changed").count() == 1


def test_a_move_outside_scope_is_404_and_changes_nothing(client, world):
    people, dossier = world
    client.force_login(people["spec_c"])
    response = client.post(f"/dossiers/{dossier.receipt_code}/move/", {"target": 4, "version": 1})
    assert response.status_code == 404
    assert Dossier.objects.get(pk=dossier.pk).version == 1


def test_receipt_screen_receives_and_redirects_to_the_dossier(client, world):
    people, _ = world
    client.force_login(people["rec_a"])
    form = client.get("/dossiers/receive/")
    checklist = client.get(f"/dossiers/receive/checklist/?procedure={BIRTH}")
    response = client.post(
        "/dossiers/receive/",
        {
            "procedure": BIRTH,
            "applicant_name": "Lê Thị Cúc",
            "id_number": "079190009876",
            "phone": "0908765432",
            "address": OLD_ADDRESS_IN_B,
            "is_digitised": "on",
            "doc": ["0"],
            "doc_name": ["Giấy chứng sinh", "Văn bản ủy quyền"],
            "doc_registry_0": "",
        },
    )

    assert form.status_code == 200
    assert checklist.status_code == 200
    assert "Thủ tục đăng ký khai sinh" in checklist.content.decode()
    created = Dossier.objects.get(applicant_name="Lê Thị Cúc")
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert created.competent_unit.code == f"{B}-office"
    assert list(created.documents.values_list("kind", flat=True)) == ["Giấy chứng sinh"]


def test_address_help_shows_the_new_commune(client, world):
    people, _ = world
    client.force_login(people["rec_a"])
    response = client.get("/dossiers/receive/address/", {"address": OLD_ADDRESS_IN_B})
    assert "Phường Sài Gòn" in response.content.decode()


# ---- citizens ----------------------------------------------------------------------------------


def test_status_lookup_needs_the_last_four_digits_and_shows_minimal_data(client, world):
    _, dossier = world
    wrong = client.get("/dossiers/status/", {"code": dossier.receipt_code, "secret": "0000"})
    by_phone = client.get("/dossiers/status/", {"code": dossier.receipt_code, "secret": "3456"})
    by_id = client.get("/dossiers/status/", {"code": dossier.receipt_code, "secret": "1234"})

    assert "Không tìm thấy hồ sơ" in wrong.content.decode()
    html = by_phone.content.decode()
    assert "Được tiếp nhận" in html
    assert "Thủ tục đăng ký lại khai sinh" in html
    assert "Nguyễn Văn An" not in html
    assert "0903123456" not in html
    assert "079090001234" not in html
    assert by_id.status_code == 200
    assert "Được tiếp nhận" in by_id.content.decode()


@override_settings(TWOTIER_LOOKUP_MAX_FAILURES=3)
def test_status_lookup_is_rate_limited(client, world):
    _, dossier = world
    for secret in ("0001", "0002", "0003"):
        assert (
            client.get("/dossiers/status/", {"code": dossier.receipt_code, "secret": secret}).status_code
            == 200
        )
    blocked = client.get("/dossiers/status/", {"code": dossier.receipt_code, "secret": "3456"})
    assert blocked.status_code == 429
    assert "Quá nhiều lần thử" in blocked.content.decode()


def test_rating_and_complaint_after_the_result_once(client, world):
    people, dossier = world
    early = client.post(
        "/dossiers/status/rate/", {"code": dossier.receipt_code, "secret": "3456", "score": 5}
    )
    assert early.status_code == 409
    assert Rating.objects.count() == 0
    dossier = move_dossier(dossier, 4, actor=people["spec_b"], seen_version=1)
    dossier = move_dossier(dossier, 9, actor=people["spec_b"], seen_version=2)
    move_dossier(dossier, 10, actor=people["rec_a"], seen_version=3)

    rated = client.post(
        "/dossiers/status/rate/", {"code": dossier.receipt_code, "secret": "3456", "score": 4}
    )
    again = client.post(
        "/dossiers/status/rate/", {"code": dossier.receipt_code, "secret": "3456", "score": 1}
    )
    complaint = client.post(
        "/dossiers/status/complaint/",
        {"code": dossier.receipt_code, "secret": "3456", "text": "Chờ lâu", "channel": "kiosk"},
    )
    wrong_secret = client.post(
        "/dossiers/status/rate/", {"code": dossier.receipt_code, "secret": "9999", "score": 1}
    )

    assert rated.status_code == 200
    assert "Cảm ơn" in rated.content.decode()
    assert again.status_code == 409
    assert complaint.status_code == 200
    assert wrong_secret.status_code == 404
    assert list(Rating.objects.values_list("score", "channel")) == [(4, "web")]
    assert list(Complaint.objects.values_list("text", "channel")) == [("Chờ lâu", "kiosk")]


def test_online_submission_with_uploads_then_receipt_at_the_centre(client, world, make_staff):
    _people, _ = world
    upload = SimpleUploadedFile("giay-chung-sinh.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        "/dossiers/submit/",
        {
            "procedure": BIRTH,
            "applicant_name": "Phạm Minh Khoa",
            "phone": "0911222333",
            "address": OLD_ADDRESS_IN_B,
            "files": [upload],
        },
    )

    assert response.status_code == 200
    dossier = Dossier.objects.get(applicant_name="Phạm Minh Khoa")
    assert dossier.receipt_code in response.content.decode()
    assert (dossier.status, dossier.channel, dossier.received_at, dossier.due_at) == (1, 2, None, None)
    assert dossier.receiving_unit.code == f"{B}-pasc"
    assert [d.kind for d in dossier.documents.all()] == ["giay-chung-sinh.pdf"]
    assert dossier.documents.get().file.read() == b"%PDF-1.4 test"
    # a receptionist of B's centre receives it: the clock starts
    clerk_b = staff(make_staff, "rec_b", RECEPTIONIST, B)
    client.force_login(clerk_b)
    moved = client.post(f"/dossiers/{dossier.receipt_code}/move/", {"target": 2, "version": 1})
    dossier.refresh_from_db()
    assert moved.status_code == 302
    assert (dossier.status, dossier.received_by) == (2, clerk_b)
    assert dossier.due_at is not None


def test_an_online_filing_is_received_at_any_centre_of_the_province(client, world, make_staff):
    """Phi địa giới: filed for commune B, received at C's centre, still handled by B's Office."""
    from twotier.dossiers.services import ApplicantInput, ReceiptInput, submit_online

    people, _ = world
    dossier = submit_online(
        ReceiptInput(
            procedure_code=BIRTH,
            applicant=ApplicantInput(name="Lê Thị Hoa", phone="0911222444"),
            address=OLD_ADDRESS_IN_B,
        )
    )
    assert (dossier.receiving_unit.code, dossier.competent_unit.code) == (f"{B}-pasc", f"{B}-office")
    outsider = staff(make_staff, "rec_hn", RECEPTIONIST, "00004", province="01")  # a Hà Nội centre
    specialist_c = people["spec_c"]
    clerk_c = staff(make_staff, "rec_c", RECEPTIONIST, C)

    for stranger in (outsider, specialist_c):
        client.force_login(stranger)
        refused = client.post(f"/dossiers/{dossier.receipt_code}/move/", {"target": 2, "version": 1})
        assert refused.status_code == 404
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version, dossier.receiving_unit.code) == (1, 1, f"{B}-pasc")

    client.force_login(clerk_c)
    page = client.get(f"/dossiers/{dossier.receipt_code}/")
    moved = client.post(f"/dossiers/{dossier.receipt_code}/move/", {"target": 2, "version": 1})

    dossier.refresh_from_db()
    assert (page.status_code, moved.status_code) == (200, 302)
    assert (dossier.status, dossier.received_by, dossier.receiving_unit.code) == (2, clerk_c, f"{C}-pasc")
    assert (dossier.receiving_commune_code, dossier.competent_unit.code) == (C, f"{B}-office")
    assert dossier.receipt_code.startswith(f"{B}-")  # the code drawn at submission stays
    event = DossierEvent.objects.get(dossier=dossier, kind="received")
    assert (event.actor, event.data["centre"], event.data["filed_at_centre"]) == (
        clerk_c,
        f"{C}-pasc",
        f"{B}-pasc",
    )


def test_one_click_action_from_the_list_returns_the_updated_row(client, world):
    people, dossier = world
    client.force_login(people["spec_b"])
    listing = client.get("/dossiers/?queue=unit").content.decode()
    assert 'data-quick="4"' in listing

    row = client.post(
        f"/dossiers/{dossier.receipt_code}/move/",
        {"target": 4, "version": 1, "fragment": "row"},
        HTTP_HX_REQUEST="true",
    )

    html = row.content.decode()
    assert row.status_code == 200
    assert html.strip().startswith("<tr")
    assert "4 – Đang xử lý" in html
    assert 'data-quick="9"' in html
