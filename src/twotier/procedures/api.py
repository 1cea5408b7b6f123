"""REST API of the procedure catalogue, mounted at /api/v1/procedures/ (public, read-only)."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from .models import Procedure, ProcedureVersion
from .querysets import catalogue_stats
from .views import LIST_COLUMNS

router = Router(tags=["procedures"])

MAX_PAGE_SIZE = 100


class TimeLimitOut(Schema):
    value: float | None = Field(None, description="number of units; 0 for same day; null when none/unknown")
    unit: str = Field(description="working_days | calendar_days | same_day | hours | none | '' (not read)")
    text: str = ""
    cutoff_15h: bool = Field(False, description="same day: received after 15:00 → next working day")


class FeeOut(Schema):
    amount_vnd: int | None = Field(None, description="0 = free; null = not one VND amount")
    text: str = ""
    status: str = Field(description="parsed | not_stated | unparsed")
    by_province: bool = False


class ProcedureSummaryOut(Schema):
    code: str
    name: str
    name_en: str
    levels: list[str]
    field: str
    sensitive_category: str
    online_available: bool
    is_curated: bool
    suspect_copy: bool
    time: TimeLimitOut | None
    fee: FeeOut | None
    url: str


class ProcedurePageOut(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[ProcedureSummaryOut]


class VersionSummaryOut(Schema):
    number: int
    created_at: datetime
    content_hash: str
    changed_fields: list[str]


class VersionOut(VersionSummaryOut):
    name: str
    levels: list[str]
    field: str
    target_groups: list[str]
    time: TimeLimitOut
    fee: FeeOut
    channels: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    document_notes: list[str]
    result: list[str]
    legal_basis: list[str]
    legal_documents: list[dict[str, str]]
    agencies: dict[str, str]
    conditions: str
    steps: str
    parse_problems: list[dict[str, str]]


class VersionRawOut(VersionOut):
    raw_text: str
    raw_record: dict[str, Any]
    curated_entry: dict[str, Any] | None


class ProcedureOut(ProcedureSummaryOut):
    suspect_code: str
    in_catalogue: bool
    current_version: VersionOut | None
    versions: list[VersionSummaryOut]


class ErrorOut(Schema):
    detail: str


def _summary(procedure: Procedure) -> dict[str, Any]:
    version = procedure.current_version
    return {
        "code": procedure.code,
        "name": procedure.name,
        "name_en": procedure.name_en,
        "levels": procedure.levels,
        "field": procedure.field,
        "sensitive_category": procedure.sensitive_category,
        "online_available": procedure.online_available,
        "is_curated": getattr(procedure, "is_curated", False),
        "suspect_copy": procedure.suspect_copy,
        "time": version.time_limit if version else None,
        "fee": version.fee if version else None,
        "url": procedure.get_absolute_url(),
    }


def _version(version: ProcedureVersion, *, raw: bool = False) -> dict[str, Any]:
    data = {
        "number": version.number,
        "created_at": version.created_at,
        "content_hash": version.content_hash,
        "changed_fields": version.changed_fields,
        "name": version.name,
        "levels": version.levels,
        "field": version.field,
        "target_groups": version.target_groups,
        "time": version.time_limit,
        "fee": version.fee,
        "channels": version.channels,
        "documents": version.documents,
        "document_notes": version.document_notes,
        "result": version.result,
        "legal_basis": version.legal_basis,
        "legal_documents": version.legal_documents,
        "agencies": {
            "implementing": version.implementing_agency,
            "competent": version.competent_agency,
            "authorised": version.authorised_agency,
            "coordinating": version.coordinating_agency,
        },
        "conditions": version.conditions,
        "steps": version.steps,
        "parse_problems": version.parse_problems,
    }
    if raw:
        data |= {
            "raw_text": version.raw_text,
            "raw_record": version.raw_record,
            "curated_entry": version.curated_entry,
        }
    return data


class CatalogueFilters(Schema):
    q: str = Field("", description="search words, with or without diacritics")
    level: str = Field("", description="commune | province | ministry | other")
    field: str = Field("", description="lĩnh vực, exact")
    sensitive: str = Field("", description="land | construction | public_assets | any")
    online: bool = Field(False, description="only procedures that can be filed online")
    receivable: bool = Field(False, description="leave out suspect copies")
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


def _page(filters: CatalogueFilters) -> dict[str, Any]:
    procedures = Procedure.objects.filtered(
        q=filters.q,
        level=filters.level,
        field=filters.field,
        sensitive=filters.sensitive,
        online=filters.online,
    )
    if filters.receivable:
        procedures = procedures.receivable()
    count = procedures.count()
    start = (filters.page - 1) * filters.page_size
    rows = procedures.select_related("current_version").only(*LIST_COLUMNS, "name_en", "is_curated")
    return {
        "count": count,
        "page": filters.page,
        "pages": max(1, math.ceil(count / filters.page_size)),
        "page_size": filters.page_size,
        "results": [_summary(p) for p in rows[start : start + filters.page_size]],
    }


@router.get("/", response=ProcedurePageOut, summary="List procedures (filters, search, pagination)")
def list_procedures(request, filters: Query[CatalogueFilters]):
    return _page(filters)


@router.get("/search", response=ProcedurePageOut, summary="Search procedures (diacritics-insensitive)")
def search_procedures(request, filters: Query[CatalogueFilters]):
    return _page(filters)


@router.get("/stats", summary="Catalogue figures (as `twotier procedure_stats`)")
def procedure_stats(request):
    return catalogue_stats()


@router.get("/{code}", response={200: ProcedureOut, 404: ErrorOut}, summary="One procedure with its versions")
def get_procedure(request, code: str):
    procedure = get_object_or_404(Procedure.objects.select_related("current_version"), code=code)
    versions = procedure.versions.order_by("number").only(
        "id", "procedure_id", "number", "created_at", "content_hash", "changed_fields"
    )
    return {
        **_summary(procedure),
        "suspect_code": procedure.suspect_code,
        "in_catalogue": procedure.in_catalogue,
        "current_version": _version(procedure.current_version) if procedure.current_version else None,
        "versions": [
            {
                "number": v.number,
                "created_at": v.created_at,
                "content_hash": v.content_hash,
                "changed_fields": v.changed_fields,
            }
            for v in versions
        ],
    }


@router.get(
    "/{code}/versions/{number}",
    response={200: VersionRawOut, 404: ErrorOut},
    summary="One version of a procedure, with the raw record it was parsed from",
)
def get_version(request, code: str, number: int):
    version = get_object_or_404(ProcedureVersion, procedure__code=code, number=number)
    return _version(version, raw=True)
