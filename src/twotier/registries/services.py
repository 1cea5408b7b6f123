"""Every registry lookup: build the query context, ask the configured adapter, log the query.

The log row is written whether the registry answers or not (and before the answer is returned), so
an officer's lookups are always attributable: officer, agency, procedure, dossier, registry, subject.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from twotier.core.errors import DomainError

from .adapters import CitizenInfo, HouseholdInfo, ParcelInfo, QueryContext
from .models import Registry, RegistryQuery

DEFAULT_ADAPTERS = {
    Registry.POPULATION: "twotier.registries.adapters.LocalPopulationRegistry",
    Registry.LAND: "twotier.registries.adapters.LocalLandRegistry",
    Registry.BUSINESS: "twotier.registries.adapters.LocalBusinessRegistry",
}
# Integration-service codes as the sharing platform names its services (configurable per deployment).
SERVICE_CODES = {
    Registry.POPULATION: "CSDLQGDC.TraCuuCongDan",
    Registry.LAND: "CSDLDD.TraCuuThuaDat",
    Registry.BUSINESS: "CSDLHKD.TraCuuHoKinhDoanh",
}
ALLOWED_PERMS = ("dossiers.receive_dossier", "dossiers.process_dossier")

T = TypeVar("T")


@lru_cache(maxsize=8)
def _adapter_instance(path: str):
    return import_string(path)()


def adapter(registry: str):
    configured = getattr(settings, "TWOTIER_REGISTRY_ADAPTERS", None) or {}
    return _adapter_instance(configured.get(registry) or DEFAULT_ADAPTERS[registry])


def _agency_of(officer) -> tuple[str, str, str]:
    profile = getattr(officer, "staff_profile", None)
    commune = getattr(profile, "commune_code", "") or ""
    province = getattr(profile, "province_code", "") or ""
    agency = getattr(profile, "unit_code", "") or (f"{commune}-pasc" if commune else province)
    return agency, province, commune


def _query(
    registry: str,
    subject: str,
    *,
    officer,
    procedure_code: str,
    dossier_code: str,
    ask: Callable[[QueryContext], T],
) -> T:
    if officer is None or not any(officer.has_perm(p) for p in ALLOWED_PERMS):
        raise PermissionDenied(_("Chỉ cán bộ tiếp nhận, xử lý hồ sơ được khai thác dữ liệu dùng chung."))
    agency, province, commune = _agency_of(officer)
    ctx = QueryContext(
        request_id=str(uuid.uuid4()),
        service_code=SERVICE_CODES[registry],
        agency_code=agency,
        officer_code=officer.get_username(),
        procedure_code=procedure_code,
        dossier_code=dossier_code,
    )
    answer = ask(ctx)
    RegistryQuery.objects.create(
        request_id=ctx.request_id,
        registry=registry,
        service_code=ctx.service_code,
        officer=officer,
        officer_code=ctx.officer_code,
        agency_code=agency,
        procedure_code=procedure_code,
        dossier_code=dossier_code,
        subject=subject[:80],
        found=bool(answer),
        province_code=province,
        commune_code=commune,
    )
    return answer


def lookup_citizen(
    id_number: str, *, officer, procedure_code: str = "", dossier_code: str = ""
) -> CitizenInfo | None:
    """Identity, residence and marital status by personal ID number (12 digits). Logged."""
    id_number = id_number.strip()
    if len(id_number) != 12 or not id_number.isdigit():
        raise DomainError(_("Số định danh cá nhân gồm 12 chữ số."))
    return _query(
        Registry.POPULATION,
        id_number,
        officer=officer,
        procedure_code=procedure_code,
        dossier_code=dossier_code,
        ask=lambda ctx: adapter(Registry.POPULATION).citizen(id_number, ctx),
    )


def lookup_parcel(
    commune_code: str,
    map_sheet: str,
    parcel_no: str,
    *,
    officer,
    procedure_code: str = "",
    dossier_code: str = "",
) -> ParcelInfo | None:
    return _query(
        Registry.LAND,
        f"{commune_code}/{map_sheet}/{parcel_no}",
        officer=officer,
        procedure_code=procedure_code,
        dossier_code=dossier_code,
        ask=lambda ctx: adapter(Registry.LAND).parcel(commune_code, map_sheet, parcel_no, ctx),
    )


def parcels_of(
    id_number: str, *, officer, procedure_code: str = "", dossier_code: str = ""
) -> list[ParcelInfo]:
    return _query(
        Registry.LAND,
        id_number,
        officer=officer,
        procedure_code=procedure_code,
        dossier_code=dossier_code,
        ask=lambda ctx: adapter(Registry.LAND).parcels_of(id_number, ctx),
    )


def lookup_household(
    registration_no: str, *, officer, procedure_code: str = "", dossier_code: str = ""
) -> HouseholdInfo | None:
    return _query(
        Registry.BUSINESS,
        registration_no,
        officer=officer,
        procedure_code=procedure_code,
        dossier_code=dossier_code,
        ask=lambda ctx: adapter(Registry.BUSINESS).household(registration_no, ctx),
    )


def households_of(
    id_number: str, *, officer, procedure_code: str = "", dossier_code: str = ""
) -> list[HouseholdInfo]:
    return _query(
        Registry.BUSINESS,
        id_number,
        officer=officer,
        procedure_code=procedure_code,
        dossier_code=dossier_code,
        ask=lambda ctx: adapter(Registry.BUSINESS).households_of(id_number, ctx),
    )
