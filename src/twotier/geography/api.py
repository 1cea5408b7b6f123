"""Geography API, mounted at /api/v1/geography/. Public reference data; resolution is offline."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from .models import Commune, Province
from .querysets import predecessors_of, provinces_with_counts
from .services import resolve_addresses

router = Router(tags=["geography"])

MAX_ADDRESSES = 1000


class ResolveIn(Schema):
    addresses: list[str] = Field(..., min_length=1, max_length=MAX_ADDRESSES)


class CandidateOut(Schema):
    commune_code: str
    commune_name: str
    province_code: str
    default: bool
    reading: str = Field(description='"former": successor of a former unit; "new": the commune named')
    former: str | None = Field(None, description="the former unit this candidate succeeds")


class ResolutionOut(Schema):
    input: str
    status: str = Field(description="exact | split | ambiguous | not_found")
    commune_code: str | None
    commune_name: str | None
    province_code: str | None
    province_name: str | None
    candidates: list[CandidateOut]
    recognised: dict[str, Any]


class ResolveOut(Schema):
    results: list[ResolutionOut]


class ProvinceOut(Schema):
    code: str
    name: str
    kind: str
    communes: int
    phuong: int
    xa: int
    dac_khu: int


class CommuneOut(Schema):
    code: str
    name: str
    kind: str
    province_code: str
    area_km2: float | None
    lat: float | None
    lon: float | None
    alias_code: str


class PredecessorOut(Schema):
    legacy_ward_code: str | None
    legacy_ward_name: str | None
    legacy_district_code: str
    legacy_district_name: str
    legacy_province_code: str
    legacy_province_name: str
    is_default: bool
    split: bool = Field(description="the former unit was divided between several communes")


class CommuneDetailOut(CommuneOut):
    province_name: str
    predecessors: list[PredecessorOut]


def _commune_out(c: Commune) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "kind": c.kind,
        "province_code": c.province_id,
        "area_km2": c.area_km2,
        "lat": c.lat,
        "lon": c.lon,
        "alias_code": c.alias_code,
    }


@router.post("/resolve", response=ResolveOut, summary="Resolve old or new addresses to the new communes")
def resolve(request, payload: ResolveIn):
    """1 to 1,000 addresses (else 422); results in input order, as `twotier resolve_address` prints them."""
    return {"results": [r.as_dict() for r in resolve_addresses(payload.addresses)]}


@router.get("/provinces", response=list[ProvinceOut], summary="The 34 provinces with commune counts by kind")
def provinces(request):
    rows = provinces_with_counts()
    return [
        {
            "code": p.code,
            "name": p.name,
            "kind": p.kind,
            "communes": p.n,
            "phuong": p.phuong,
            "xa": p.xa,
            "dac_khu": p.dac_khu,
        }
        for p in rows
    ]


@router.get("/provinces/{code}/communes", response=list[CommuneOut], summary="The communes of a province")
def province_communes(request, code: str, q: str = ""):
    province = get_object_or_404(Province, code=code.zfill(2) if code.isdigit() else code)
    return [_commune_out(c) for c in Commune.objects.filter(province=province).search(q).order_by("code")]


@router.get("/communes/{code}", response=CommuneDetailOut, summary="A commune by code (alias codes accepted)")
def commune(request, code: str):
    found = Commune.objects.select_related("province").by_code(code).first()
    if found is None:
        raise Http404
    predecessors = predecessors_of(found)
    return {**_commune_out(found), "province_name": found.province.name, "predecessors": predecessors}
