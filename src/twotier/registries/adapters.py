"""The registry interface and its local demo implementation.

Contract for a real adapter (the National Population Database through NDXP, HCMC's LGSP, the land and
business-registration databases): every call receives a `QueryContext` — a unique request id, the
integration-service code, the requesting agency's electronic code, the requesting officer's code,
the procedure code and the dossier code — exactly the fields the published population-DB query
spec asks for (DOMAIN.md "How agencies reach those databases"), and answers plain dataclasses or
None ("no record"). Adapters never log: `services.py` logs every query, found or not, before the
answer reaches the caller. A real adapter raises `RegistryUnavailable` on a transport failure.

Configure with the optional setting TWOTIER_REGISTRY_ADAPTERS = {"population": "dotted.path", ...}.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol


class RegistryUnavailable(Exception):
    pass


@dataclass(frozen=True)
class QueryContext:
    request_id: str
    service_code: str
    agency_code: str
    officer_code: str
    procedure_code: str = ""
    dossier_code: str = ""


@dataclass(frozen=True)
class CitizenInfo:
    id_number: str
    full_name: str
    birth_date: date
    sex: str
    residence: str
    residence_commune_code: str
    marital_status: str


@dataclass(frozen=True)
class ParcelInfo:
    commune_code: str
    map_sheet: str
    parcel_no: str
    area_m2: Decimal
    land_use: str
    holder_id_number: str
    certificate_no: str


@dataclass(frozen=True)
class HouseholdInfo:
    registration_no: str
    name: str
    owner_id_number: str
    commune_code: str
    address: str
    business_line: str
    status: str


class PopulationRegistry(Protocol):
    def citizen(self, id_number: str, ctx: QueryContext) -> CitizenInfo | None: ...


class LandRegistry(Protocol):
    def parcel(
        self, commune_code: str, map_sheet: str, parcel_no: str, ctx: QueryContext
    ) -> ParcelInfo | None: ...

    def parcels_of(self, id_number: str, ctx: QueryContext) -> list[ParcelInfo]: ...


class BusinessRegistry(Protocol):
    def household(self, registration_no: str, ctx: QueryContext) -> HouseholdInfo | None: ...

    def households_of(self, id_number: str, ctx: QueryContext) -> list[HouseholdInfo]: ...


class LocalPopulationRegistry:
    """Answers from DemoCitizen."""

    def citizen(self, id_number: str, ctx: QueryContext) -> CitizenInfo | None:
        from .models import DemoCitizen

        row = DemoCitizen.objects.filter(id_number=id_number).first()
        if row is None:
            return None
        return CitizenInfo(
            row.id_number,
            row.full_name,
            row.birth_date,
            row.sex,
            row.residence,
            row.residence_commune_code,
            row.marital_status,
        )


def _parcel(row) -> ParcelInfo:
    return ParcelInfo(
        row.commune_code,
        row.map_sheet,
        row.parcel_no,
        row.area_m2,
        row.land_use,
        row.holder_id_number,
        row.certificate_no,
    )


def _household(row) -> HouseholdInfo:
    return HouseholdInfo(
        row.registration_no,
        row.name,
        row.owner_id_number,
        row.commune_code,
        row.address,
        row.business_line,
        row.status,
    )


class LocalLandRegistry:
    def parcel(
        self, commune_code: str, map_sheet: str, parcel_no: str, ctx: QueryContext
    ) -> ParcelInfo | None:
        from .models import DemoParcel

        row = DemoParcel.objects.filter(
            commune_code=commune_code, map_sheet=map_sheet, parcel_no=parcel_no
        ).first()
        return None if row is None else _parcel(row)

    def parcels_of(self, id_number: str, ctx: QueryContext) -> list[ParcelInfo]:
        from .models import DemoParcel

        return [_parcel(r) for r in DemoParcel.objects.filter(holder_id_number=id_number).order_by("pk")]


class LocalBusinessRegistry:
    def household(self, registration_no: str, ctx: QueryContext) -> HouseholdInfo | None:
        from .models import DemoHousehold

        row = DemoHousehold.objects.filter(registration_no=registration_no).first()
        return None if row is None else _household(row)

    def households_of(self, id_number: str, ctx: QueryContext) -> list[HouseholdInfo]:
        from .models import DemoHousehold

        return [_household(r) for r in DemoHousehold.objects.filter(owner_id_number=id_number).order_by("pk")]
