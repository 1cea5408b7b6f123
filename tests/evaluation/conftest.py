"""Hand-built one-stop-shop rows for the evaluation tests (no services: the rollup only reads the rows,
and the tests must fix every time exactly)."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest

from twotier.dossiers.deadlines import VN_TZ

_codes = itertools.count(1)

BIRTH = "1.001193"
D = date(2026, 2, 10)  # a Tuesday
ONE = timedelta(days=1)


def at(d: date, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hh, mm, tzinfo=VN_TZ)


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user(username="eval-clerk", password="x")


@pytest.fixture
def make_dossier(db):
    from twotier.apparatus.models import Unit
    from twotier.dossiers.models import Dossier
    from twotier.procedures.models import Procedure

    procedure = Procedure.objects.get(code=BIRTH)

    def make(unit_code: str = "26743-office", **fields) -> Dossier:
        unit = Unit.objects.get(code=unit_code)
        values = {
            "receipt_code": f"EVAL-{next(_codes):06d}",
            "procedure": procedure,
            "procedure_version": procedure.current_version,
            "applicant_name": "Nguyễn Văn An",
            "receiving_unit": unit,
            "competent_unit": unit,
            "province_code": unit.province_code,
            "receiving_commune_code": unit.commune_code,
            "competent_commune_code": unit.commune_code,
            "status": 4,
        }
        values.update(fields)
        return Dossier.objects.create(**values)

    return make


@pytest.fixture
def scenario(make_dossier, clerk):
    """Eleven dossiers of 26743-office (and one of 26740-office) whose day-D counts are known."""
    from twotier.dossiers.models import (
        ApologyLetter,
        Complaint,
        Document,
        Payment,
        Rating,
        SupplementRequest,
    )

    def supplement(dossier, number, requested, completed=None):
        return SupplementRequest.objects.create(
            dossier=dossier,
            province_code="79",
            number=number,
            reason="thiếu giấy tờ",
            requested_at=requested,
            requested_by=clerk,
            completed_at=completed,
            override_reason="" if number == 1 else "lãnh đạo cho phép",
        )

    d = {}
    # 1: received on D in person, digitised, two papers reused from registries; completed on D, due D+2: early
    d[1] = make_dossier(
        channel=1,
        is_digitised=True,
        received_at=at(D, 9),
        due_at=at(D + 2 * ONE, 17),
        completed_at=at(D, 10),
        status=9,
    )
    for registry in ("population", "land"):
        Document.objects.create(dossier=d[1], province_code="79", kind="x", reused_from_registry=registry)
    Document.objects.create(dossier=d[1], province_code="79", kind="own paper")
    # 2: due D 17:00, completed D 16:00: on time
    d[2] = make_dossier(
        channel=2, received_at=at(D - 3 * ONE), due_at=at(D, 17), completed_at=at(D, 16), status=9
    )
    # 3: due D-1, completed on D with an apology letter issued on D-2: late, letter or not
    d[3] = make_dossier(
        channel=3, received_at=at(D - 5 * ONE), due_at=at(D - ONE, 17), completed_at=at(D, 8), status=9
    )
    ApologyLetter.objects.create(
        dossier=d[3],
        province_code="79",
        reason="chậm",
        new_due_at=at(D, 17),
        issued_at=at(D - 2 * ONE),
        issued_by=clerk,
    )
    # 4: due D+3 but a second supplement request: late
    d[4] = make_dossier(
        received_at=at(D - 5 * ONE),
        due_at=at(D + 3 * ONE, 17),
        completed_at=at(D, 12),
        status=9,
        counts_as_overdue=True,
        supplement_count=2,
    )
    supplement(d[4], 1, at(D - 4 * ONE), at(D - 3 * ONE))
    supplement(d[4], 2, at(D - 2 * ONE), at(D - ONE))
    # 5: received on D online, open, due D+5: within time at the end of D
    d[5] = make_dossier(channel=2, received_at=at(D, 8), due_at=at(D + 5 * ONE, 17))
    # 6: open, due D-1: overdue; an apology letter issued on D
    d[6] = make_dossier(received_at=at(D - 10 * ONE), due_at=at(D - ONE, 17))
    ApologyLetter.objects.create(
        dossier=d[6],
        province_code="79",
        reason="chậm",
        new_due_at=at(D + 3 * ONE),
        issued_at=at(D, 15),
        issued_by=clerk,
        before_due=False,
    )
    # 7: supplement requested on D, not completed: paused (its old due time has passed: still not overdue)
    d[7] = make_dossier(received_at=at(D - 4 * ONE), due_at=at(D - ONE, 17), status=5, supplement_count=1)
    supplement(d[7], 1, at(D, 14))
    # 8: open, no stated time limit
    d[8] = make_dossier(received_at=at(D - 2 * ONE), due_at=None)
    # 9: completed on D, no time limit
    d[9] = make_dossier(received_at=at(D - 2 * ONE), due_at=None, completed_at=at(D, 11), status=9)
    # 10: finished before D; rated 5 on D and first complained about on D
    d[10] = make_dossier(
        received_at=at(D - 20 * ONE),
        due_at=at(D - 15 * ONE, 17),
        completed_at=at(D - 16 * ONE),
        returned_at=at(D - ONE),
        closed_at=at(D - ONE),
        status=10,
    )
    # 11: withdrawn before D: not in the backlog
    d[11] = make_dossier(received_at=at(D - 3 * ONE), due_at=at(D + ONE, 17), closed_at=at(D - ONE), status=7)
    ratings = [(d[10], 5), (d[2], 3)]
    for dossier, score in ratings:
        rating = Rating.objects.create(dossier=dossier, province_code="79", score=score, channel="web")
        Rating.objects.filter(pk=rating.pk).update(at=at(D, 18))
    for dossier, when in ((d[10], at(D, 19)), (d[2], at(D - ONE, 19)), (d[2], at(D, 20))):
        complaint = Complaint.objects.create(dossier=dossier, province_code="79", text="x", channel="web")
        Complaint.objects.filter(pk=complaint.pk).update(at=when)
    Payment.objects.create(
        dossier=d[1], province_code="79", amount_vnd=50000, method="online", paid_at=at(D, 9)
    )
    Payment.objects.create(
        dossier=d[2], province_code="79", amount_vnd=50000, method="counter", paid_at=at(D, 9)
    )
    # another commune's unit: its own row
    d[12] = make_dossier("26740-office", channel=2, received_at=at(D, 10), due_at=at(D + ONE, 17))
    return d


EXPECTED_D = {
    "received": 2,
    "received_in_person": 1,
    "received_online": 1,
    "received_postal": 0,
    "received_digitised": 1,
    "received_with_reuse": 1,
    "documents_reused": 2,
    "completed_early": 1,
    "completed_on_time": 1,
    "completed_late": 2,
    "completed_no_limit": 1,
    "completed_with_apology": 1,
    "supplement_requests": 1,
    "second_supplements": 0,
    "apology_letters": 1,
    "payments": 2,
    "payments_online": 1,
    "ratings": 2,
    "rating_points": 8,
    "ratings_satisfied": 1,
    "complaints": 2,
    "complained_dossiers": 1,
    "open_within": 1,
    "open_overdue": 1,
    "open_paused": 1,
    "open_no_limit": 1,
}
