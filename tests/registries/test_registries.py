"""Once-only registries: the demo adapters answer from the platform's tables; every query carries the
officer, the agency, the procedure and the dossier, and is logged whether found or not."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from tests.dossiers.factories import BIRTH, A, hcmc_setup, receipt, staff
from twotier.core.errors import DomainError
from twotier.core.roles import EVALUATOR, RECEPTIONIST
from twotier.registries import services
from twotier.registries.adapters import CitizenInfo, QueryContext
from twotier.registries.demo import demo_id, load_demo
from twotier.registries.models import DemoCitizen, DemoHousehold, DemoParcel, RegistryQuery

SEEN: list[QueryContext] = []


class RecordingPopulation:
    """A stand-in for the national adapter: records the context it is given."""

    def citizen(self, id_number, ctx):
        SEEN.append(ctx)
        return CitizenInfo(
            id_number, "Võ Thị Sáu", date(1990, 1, 2), "Nữ", "1 Lê Lợi", "26743", "Chưa kết hôn"
        )


@pytest.fixture
def clerk(db, make_staff):
    return staff(make_staff, "rec_a", RECEPTIONIST, A)


@pytest.fixture
def citizen(db):
    return DemoCitizen.objects.create(
        id_number="079090001234",
        full_name="Nguyễn Văn An",
        birth_date=date(1990, 5, 17),
        sex="Nam",
        residence="12 Lý Tự Trọng, Phường Sài Gòn, Thành phố Hồ Chí Minh",
        residence_commune_code="26740",
        marital_status="Đã kết hôn",
    )


def test_population_lookup_answers_and_logs_who_for_what(clerk, citizen):
    found = services.lookup_citizen("079090001234", officer=clerk, procedure_code=BIRTH)
    missing = services.lookup_citizen("079090009999", officer=clerk, procedure_code=BIRTH, dossier_code="X-1")

    assert (found.full_name, found.birth_date, found.marital_status) == (
        "Nguyễn Văn An",
        date(1990, 5, 17),
        "Đã kết hôn",
    )
    assert missing is None
    rows = list(
        RegistryQuery.objects.order_by("pk").values_list(
            "registry",
            "officer_code",
            "agency_code",
            "procedure_code",
            "dossier_code",
            "subject",
            "found",
            "commune_code",
        )
    )
    assert rows == [
        ("population", "rec_a", f"{A}-pasc", BIRTH, "", "079090001234", True, A),
        ("population", "rec_a", f"{A}-pasc", BIRTH, "X-1", "079090009999", False, A),
    ]
    assert len({r.request_id for r in RegistryQuery.objects.all()}) == 2


@override_settings(
    TWOTIER_REGISTRY_ADAPTERS={"population": "tests.registries.test_registries.RecordingPopulation"}
)
def test_the_adapter_receives_the_full_query_context(clerk):
    SEEN.clear()
    services.lookup_citizen(
        "079190000001", officer=clerk, procedure_code=BIRTH, dossier_code="26743-260302-00001"
    )
    (ctx,) = SEEN
    assert (ctx.service_code, ctx.agency_code, ctx.officer_code, ctx.procedure_code, ctx.dossier_code) == (
        "CSDLQGDC.TraCuuCongDan",
        f"{A}-pasc",
        "rec_a",
        BIRTH,
        "26743-260302-00001",
    )
    assert RegistryQuery.objects.get().request_id == ctx.request_id


def test_only_one_stop_shop_staff_may_query(make_staff, citizen):
    evaluator = staff(make_staff, "eva", EVALUATOR)
    with pytest.raises(PermissionDenied):
        services.lookup_citizen("079090001234", officer=evaluator)
    assert RegistryQuery.objects.count() == 0


def test_malformed_id_is_refused_without_a_query(clerk):
    with pytest.raises(DomainError):
        services.lookup_citizen("1234", officer=clerk)
    assert RegistryQuery.objects.count() == 0


def test_land_and_business_lookups(clerk):
    DemoParcel.objects.create(
        commune_code="26740",
        map_sheet="12",
        parcel_no="345",
        area_m2=Decimal("85.5"),
        land_use="Đất ở tại đô thị",
        holder_id_number="079090001234",
        certificate_no="CS000345",
    )
    DemoHousehold.objects.create(
        registration_no="4126740001",
        name="Hộ kinh doanh An",
        owner_id_number="079090001234",
        commune_code="26740",
        address="12 Lý Tự Trọng",
        business_line="Ăn uống",
        status="Đang hoạt động",
    )
    parcel = services.lookup_parcel("26740", "12", "345", officer=clerk, procedure_code="1.013978")
    mine = services.parcels_of("079090001234", officer=clerk)
    household = services.lookup_household("4126740001", officer=clerk)
    households = services.households_of("079090001234", officer=clerk)

    assert (parcel.area_m2, parcel.certificate_no) == (Decimal("85.5"), "CS000345")
    assert [p.parcel_no for p in mine] == ["345"]
    assert household.business_line == "Ăn uống"
    assert [h.registration_no for h in households] == ["4126740001"]
    assert list(RegistryQuery.objects.order_by("pk").values_list("registry", "subject")) == [
        ("land", "26740/12/345"),
        ("land", "079090001234"),
        ("business", "4126740001"),
        ("business", "079090001234"),
    ]


def test_demo_loader_is_seeded_and_idempotent(db):
    communes = [("26740", "Phường Sài Gòn"), ("26743", "Phường Bến Thành")]
    first = load_demo(communes, people_per_commune=5)
    again = load_demo(communes, people_per_commune=5)
    assert first == again == {"citizens": 10, "parcels": 3, "households": 2}
    assert DemoCitizen.objects.filter(id_number=demo_id(1)).exists()
    assert all(len(n) == 12 and n.isdigit() for n in DemoCitizen.objects.values_list("id_number", flat=True))


def test_prefill_on_the_receipt_screen_and_reuse_recorded_on_the_dossier(client, clerk, citizen):
    from twotier.dossiers.services import receive_dossier

    hcmc_setup()
    client.force_login(clerk)
    page = client.get("/dossiers/receive/citizen/", {"id_number": "079090001234", "procedure": BIRTH})
    assert "Nguyễn Văn An" in page.content.decode()
    assert RegistryQuery.objects.filter(officer=clerk, procedure_code=BIRTH).count() == 1

    dossier = receive_dossier(receipt(BIRTH), actor=clerk)
    from twotier.dossiers.services import record_registry_reuse

    document = record_registry_reuse(
        dossier,
        actor=clerk,
        seen_version=1,
        kind="Thông tin cư trú",
        registry="population",
        reference="079090001234",
    )
    assert (document.reused_from_registry, document.registry_reference) == ("population", "079090001234")
    assert dossier.events.filter(kind="registry_reused").count() == 1
