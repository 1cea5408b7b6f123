"""REST API of the citizen assistant, mounted at /api/v1/assistant/ (public; no personal data is stored)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Router, Schema

from .querysets import answer

router = Router(tags=["assistant"])


class AskIn(Schema):
    question: str = Field(
        min_length=1, max_length=500, description="free text: Vietnamese, unaccented, English"
    )
    top: int = Field(3, ge=1, le=20)
    address: str = Field("", max_length=400, description="the citizen's address, old or new (optional)")
    personal_id: str = Field("", max_length=12, description="12-digit personal ID number (optional)")
    prefer_commune: bool = True


class DocumentOut(Schema):
    name: str
    copies: int | None = None
    original_or_copy: str = ""
    state_holds: bool = Field(description="the state already holds it: give the personal ID number instead")


class CompetentUnitOut(Schema):
    commune_code: str | None
    commune_name: str | None
    province_code: str | None
    province_name: str | None
    unit: str
    source: str = Field(
        description="apparatus (registry of competent units) | level (from the procedure level)"
    )


class ResultOut(Schema):
    code: str
    name: str
    name_en: str
    level: str
    score: float
    field: str
    url: str
    documents: list[DocumentOut]
    fee: dict[str, Any] | None
    time: dict[str, Any] | None
    channels: list[str]
    online: bool
    competent_unit: CompetentUnitOut | None
    why: list[str]


class AskOut(Schema):
    question: str
    address: dict[str, Any] | None
    personal_id_given: bool
    results: list[ResultOut]


@router.post("/ask", response=AskOut, summary="Which procedure, what to bring, where to go")
def ask(request, payload: AskIn):
    return answer(
        payload.question,
        top=payload.top,
        address=payload.address,
        personal_id=payload.personal_id,
        prefer_commune=payload.prefer_commune,
    )
