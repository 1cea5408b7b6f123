"""Receipt at any centre: routing to the competent unit, transfer, receipt code, due time, documents."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied

from twotier.core.errors import DomainError
from twotier.core.roles import RECEPTIONIST, SPECIALIST
from twotier.dossiers.models import Document, Dossier, DossierEvent, Notification
from twotier.dossiers.services import DocumentInput, next_receipt_code, receive_dossier

from .factories import (
    ADDRESS_IN_A,
    BIRTH,
    COPY_EXTRACT,
    HOUSEHOLD_BUSINESS,
    RE_BIRTH,
    A,
    B,
    at,
    hcmc_setup,
    receipt,
    staff,
)


@pytest.fixture
def units(db):
    return hcmc_setup()


@pytest.fixture
def clerk_a(make_staff, units):
    return staff(make_staff, "clerk_a", RECEPTIONIST, A)


def test_receipt_at_a_for_an_old_address_in_b_goes_to_b_office_and_records_the_transfer(clerk_a, units):
    dossier = receive_dossier(receipt(BIRTH), actor=clerk_a, received_at=at(2026, 2, 10, 9, 30))

    assert dossier.status == 2
    assert dossier.status_name == "Được tiếp nhận"
    assert dossier.receiving_unit.code == f"{A}-pasc"
    assert dossier.competent_unit.code == f"{B}-office"
    assert (dossier.receiving_commune_code, dossier.competent_commune_code) == (A, B)
    assert dossier.address_commune_code == B
    assert dossier.address_status == "exact"
    assert dossier.province_code == "79"
    assert dossier.version == 1
    assert dossier.procedure_version_id == dossier.procedure.current_version_id
    # same-day procedure received before 15:00 on a working day: 17:00 the same day
    assert dossier.due_at == at(2026, 2, 10, 17, 0)
    assert dossier.is_digitised is True
    events = list(
        DossierEvent.objects.filter(dossier=dossier).order_by("pk").values_list("kind", "actor", "data")
    )
    assert [(k, a) for k, a, _ in events] == [("received", clerk_a.pk), ("transferred", clerk_a.pk)]
    assert events[1][2] == {"from_unit": f"{A}-pasc", "to_unit": f"{B}-office", "delegation": None}
    assert list(Document.objects.filter(dossier=dossier).values_list("kind", "is_scanned")) == [
        ("Giấy chứng sinh", True)
    ]
    assert sorted(Notification.objects.filter(dossier=dossier).values_list("channel", "kind", "status")) == [
        ("email", "received", "queued"),
        ("sms", "received", "queued"),
    ]


def test_receipt_in_the_competent_commune_has_no_transfer_event(clerk_a):
    dossier = receive_dossier(
        receipt(BIRTH, address=ADDRESS_IN_A), actor=clerk_a, received_at=at(2026, 2, 10)
    )

    assert dossier.competent_unit.code == f"{A}-office"
    assert list(dossier.events.values_list("kind", flat=True)) == ["received"]


def test_receipt_code_format_and_sequence_per_centre_and_day(clerk_a):
    first = receive_dossier(receipt(BIRTH), actor=clerk_a, received_at=at(2026, 2, 10))
    second = receive_dossier(receipt(BIRTH), actor=clerk_a, received_at=at(2026, 2, 10, 10))
    next_day = receive_dossier(receipt(BIRTH), actor=clerk_a, received_at=at(2026, 2, 11))

    assert (first.receipt_code, second.receipt_code, next_day.receipt_code) == (
        f"{A}-260210-00001",
        f"{A}-260210-00002",
        f"{A}-260211-00001",
    )
    assert re.fullmatch(r"\d{5}-\d{6}-\d{5}", first.receipt_code)


def test_next_receipt_code_counts_per_prefix(db):
    from datetime import date

    assert next_receipt_code("26740", date(2026, 3, 2)) == "26740-260302-00001"
    assert next_receipt_code("26740", date(2026, 3, 2)) == "26740-260302-00002"
    assert next_receipt_code("26743", date(2026, 3, 2)) == "26743-260302-00001"


def test_after_15h_same_day_is_due_next_working_day(clerk_a):
    # Friday 13/02/2026 16:30 is the last working day before Tết 2026 (16–20/02 off): due Mon 23/02.
    dossier = receive_dossier(receipt(BIRTH), actor=clerk_a, received_at=at(2026, 2, 13, 16, 30))

    assert dossier.due_at == at(2026, 2, 23, 17, 0)


def test_working_days_procedure_due_time(clerk_a):
    dossier = receive_dossier(receipt(RE_BIRTH), actor=clerk_a, received_at=at(2026, 4, 28, 10))

    # 5 working days after Tue 28/04/2026: 29/04, [30/04, 01/05 off], 04/05, 05/05, 06/05, 07/05
    assert (dossier.limit_amount, dossier.limit_unit) == (5, "working_days")
    assert dossier.due_at == at(2026, 5, 7, 17, 0)


def test_the_competent_unit_follows_the_responsibility_table(clerk_a):
    dossier = receive_dossier(receipt(HOUSEHOLD_BUSINESS), actor=clerk_a, received_at=at(2026, 2, 10))

    assert dossier.competent_unit.code == f"{B}-econ"
    assert dossier.fee_vnd == 50000


def test_level_defaults_to_commune_and_province_level_goes_to_the_city_department(clerk_a):
    commune = receive_dossier(receipt(COPY_EXTRACT), actor=clerk_a, received_at=at(2026, 2, 10))
    city = receive_dossier(
        receipt(COPY_EXTRACT, level="province"), actor=clerk_a, received_at=at(2026, 2, 10)
    )

    assert (commune.level, commune.competent_unit.code) == ("commune", f"{B}-office")
    assert (city.level, city.competent_unit.code, city.competent_commune_code) == (
        "province",
        "hcmc-justice",
        "",
    )
    assert [e.kind for e in city.events.order_by("pk")] == ["received", "transferred"]


def test_reused_documents_are_recorded(clerk_a):
    docs = [
        DocumentInput("Giấy chứng sinh", is_scanned=True),
        DocumentInput(
            "Thông tin cư trú", reused_from_registry="population", registry_reference="079090001234"
        ),
    ]
    dossier = receive_dossier(receipt(BIRTH, documents=docs, is_digitised=False), actor=clerk_a)

    assert list(
        dossier.documents.order_by("pk").values_list("kind", "reused_from_registry", "is_scanned")
    ) == [
        ("Giấy chứng sinh", "", True),
        ("Thông tin cư trú", "population", False),
    ]
    assert dossier.is_digitised is False
    assert dossier.events.get(kind="registry_reused").data == {
        "items": [{"kind": "Thông tin cư trú", "registry": "population", "reference": "079090001234"}]
    }


def test_only_receptionists_receive(make_staff, units):
    specialist = staff(make_staff, "spec_a", SPECIALIST, A)

    with pytest.raises(PermissionDenied):
        receive_dossier(receipt(BIRTH), actor=specialist)

    assert Dossier.objects.count() == 0


def test_no_lead_unit_is_a_clear_error(clerk_a):
    from twotier.apparatus.models import Responsibility

    # no lead for 1.004222 (permanent residence registration) in commune B
    Responsibility.objects.filter(
        task__procedure_code="1.004222", province_code="79", commune_code=B
    ).delete()
    with pytest.raises(DomainError, match=r"Chưa có đơn vị chủ trì thủ tục 1\.004222"):
        receive_dossier(receipt("1.004222"), actor=clerk_a)

    assert Dossier.objects.count() == 0
    assert DossierEvent.objects.count() == 0


def test_suspect_copies_cannot_be_received(clerk_a):
    from twotier.procedures.models import Procedure

    suspect = Procedure.objects.filter(suspect_copy=True).first()
    with pytest.raises(DomainError, match="Không có thủ tục"):
        receive_dossier(receipt(suspect.code), actor=clerk_a)


def test_bad_personal_id_is_refused(clerk_a):
    with pytest.raises(DomainError, match="12 chữ số"):
        receive_dossier(receipt(BIRTH, id_number="12345"), actor=clerk_a)
    assert Dossier.objects.count() == 0
