"""REST API: idempotent receipt, transitions with versions, scope."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from twotier.core.models import AccessLog
from twotier.core.roles import RECEPTIONIST, SPECIALIST
from twotier.dossiers import idempotency
from twotier.dossiers.models import Dossier, DossierEvent, IdempotencyRecord

from .factories import BIRTH, OLD_ADDRESS_IN_B, A, B, C, hcmc_setup, staff

URL = "/api/v1/dossiers/receipts"


def body(name="Trần Thị Bình", **extra):
    payload = {
        "procedure_code": BIRTH,
        "applicant": {"name": name, "id_number": "079190004321", "phone": "0912000111"},
        "address": OLD_ADDRESS_IN_B,
        "documents": [{"kind": "Giấy chứng sinh", "is_scanned": True}],
        "is_digitised": True,
    }
    payload.update(extra)
    return payload


@pytest.fixture
def clerk(db, make_staff, client):
    hcmc_setup()
    user = staff(make_staff, "clerk_a", RECEPTIONIST, A)
    client.force_login(user)
    return user


def post(client, payload, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(URL, data=json.dumps(payload), content_type="application/json", **headers)


def test_receipt_through_the_api(client, clerk):
    response = post(client, body())

    assert response.status_code == 201
    data = response.json()
    assert data["status"] == 2
    assert data["status_name"] == "Được tiếp nhận"
    assert data["competent_unit"] == f"{B}-office"
    assert data["receiving_unit"] == f"{A}-pasc"
    assert data["version"] == 1
    dossier = Dossier.objects.get(receipt_code=data["receipt_code"])
    assert list(AccessLog.objects.filter(object_id=str(dossier.pk)).values_list("user", "action")) == [
        (clerk.pk, "change")
    ]


def test_same_key_same_body_returns_the_original_answer_and_creates_nothing(client, clerk):
    first = post(client, body(), key="k-1")
    events = DossierEvent.objects.count()

    again = post(client, body(), key="k-1")

    assert again.status_code == first.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.count() == events


def test_same_key_different_body_is_422_and_creates_nothing(client, clerk):
    post(client, body(), key="k-2")

    response = post(client, body(name="Người khác"), key="k-2")

    assert response.status_code == 422
    assert Dossier.objects.count() == 1


def test_while_the_first_request_runs_a_retry_gets_409(client, clerk):
    from twotier.dossiers.api import ReceiptIn

    digest = idempotency.fingerprint("POST", URL, ReceiptIn(**body()).dict())
    IdempotencyRecord.objects.create(user=clerk, key="k-3", request_hash=digest)

    response = post(client, body(), key="k-3")

    assert response.status_code == 409
    assert Dossier.objects.count() == 0


def test_the_key_is_per_user(client, clerk, make_staff):
    post(client, body(), key="shared")
    other = staff(make_staff, "clerk_c", RECEPTIONIST, C)
    client.force_login(other)

    response = post(client, body(), key="shared")

    assert response.status_code == 201
    assert Dossier.objects.count() == 2


def test_after_24_hours_the_key_runs_again(client, clerk):
    post(client, body(), key="k-old")
    IdempotencyRecord.objects.filter(key="k-old").update(
        created_at=timezone.now() - timedelta(hours=24, minutes=1)
    )

    response = post(client, body(), key="k-old")

    assert response.status_code == 201
    assert Dossier.objects.count() == 2


def test_a_refused_receipt_is_replayed_too(client, clerk):
    first = post(client, body(procedure_code="9.999999"), key="k-bad")
    again = post(client, body(procedure_code="9.999999"), key="k-bad")

    assert (first.status_code, again.status_code) == (400, 400)
    assert again.json() == first.json()
    assert Dossier.objects.count() == 0


def test_transitions_and_the_stale_version(client, clerk, make_staff):
    code = post(client, body()).json()["receipt_code"]
    specialist = staff(make_staff, "spec_b", SPECIALIST, B)
    client.force_login(specialist)
    url = f"/api/v1/dossiers/{code}/transitions"

    ok = client.post(url, data={"target": 4, "version": 1}, content_type="application/json")
    stale = client.post(url, data={"target": 9, "version": 1}, content_type="application/json")

    assert ok.status_code == 200
    assert ok.json()["status"] == 4
    assert ok.json()["version"] == 2
    assert stale.status_code == 409
    assert stale.json() == {"detail": "Hồ sơ đã được người khác cập nhật, vui lòng tải lại"}
    assert Dossier.objects.get(receipt_code=code).status == 4
    assert DossierEvent.objects.filter(dossier__receipt_code=code, kind="status_changed").count() == 1


def test_supplement_through_the_api_then_the_second_is_refused(client, clerk, make_staff):
    code = post(client, body(procedure_code="1.004884")).json()["receipt_code"]
    client.force_login(staff(make_staff, "spec_b", SPECIALIST, B))
    url = f"/api/v1/dossiers/{code}/transitions"
    first = client.post(
        url,
        data={"target": 5, "version": 1, "items": ["Tờ khai"], "reason": "Thiếu"},
        content_type="application/json",
    )
    back = client.post(url, data={"target": 4, "version": 2}, content_type="application/json")
    second = client.post(
        url,
        data={"target": 5, "version": 3, "items": ["Khác"], "reason": "Thiếu"},
        content_type="application/json",
    )

    assert (first.status_code, back.status_code, second.status_code) == (200, 200, 400)
    assert "một lần" in second.json()["detail"]
    assert Dossier.objects.get(receipt_code=code).supplement_count == 1


def test_out_of_scope_is_404(client, clerk, make_staff):
    code = post(client, body()).json()["receipt_code"]
    client.force_login(staff(make_staff, "spec_c", SPECIALIST, C))

    assert client.get(f"/api/v1/dossiers/{code}").status_code == 404
    response = client.post(
        f"/api/v1/dossiers/{code}/transitions",
        data={"target": 4, "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Dossier.objects.get(receipt_code=code).version == 1


def test_queue_lists_and_detail_log_access(client, clerk):
    code = post(client, body()).json()["receipt_code"]
    listing = client.get("/api/v1/dossiers/?queue=counter")
    detail = client.get("/api/v1/dossiers/?queue=all")
    one = client.get(f"/api/v1/dossiers/{code}")

    assert listing.json()["count"] == 0  # nothing waits at the counter (status 1 or 9)
    assert [d["receipt_code"] for d in detail.json()["results"]] == [code]
    assert [e["kind"] for e in one.json()["events"]] == ["received", "transferred"]
    assert AccessLog.objects.filter(action="read").count() == 2


def test_anonymous_is_refused(client, db):
    assert client.post(URL, data=json.dumps(body()), content_type="application/json").status_code == 401
