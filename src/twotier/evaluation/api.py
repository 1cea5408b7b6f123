"""REST API of the evaluation app (mounted at /api/v1/evaluation/). Session auth; the unit is looked up
in the caller's `Unit.objects.visible_to(user)`, so a unit outside the caller's scope answers 404."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError
from ninja.security import django_auth

from twotier.apparatus.models import Unit

from .periods import PeriodError, parse_period
from .reports import unit_report

router = Router(tags=["evaluation"], auth=django_auth)


@router.get(
    "/report",
    summary="Period report of a unit and its subtree, with the previous period and the same period last year",
)
def report(request, unit: str, period: str) -> dict[str, Any]:
    """`period`: 2026-02-13, 2026-W05, 2026-01, 2026-Q1, 2026-H1, 2026-9M, 2026 or 2026-01-01..2026-02-15.
    Shares are 0–1; a value of null is "not computed" (nothing to divide by, or inputs not recorded)."""
    root = get_object_or_404(Unit.objects.visible_to(request.user), code=unit)
    try:
        parsed = parse_period(period)
    except PeriodError as exc:
        raise HttpError(400, str(exc)) from exc
    return unit_report(root, parsed)


@router.get("/ranking", summary="Ranking of a province's communes or departments by the service index")
def ranking(request, period: str, of: str = "communes", province: str = "79") -> list[dict[str, Any]]:
    """`of`: communes | departments. The whole province's ranking is read by city staff of that province
    (and by anyone who may read every territory); anyone else gets 404, as the City dashboard does."""
    from twotier.core.scoping import scope_of

    from .reports import commune_ranking, department_ranking

    scope = scope_of(request.user)
    if not (scope.everything or province in scope.province_codes):
        raise HttpError(404, "Not Found")
    if of not in ("communes", "departments"):
        raise HttpError(400, f"unknown ranking {of!r}: communes or departments")
    try:
        parsed = parse_period(period)
    except PeriodError as exc:
        raise HttpError(400, str(exc)) from exc
    rank = commune_ranking if of == "communes" else department_ranking
    return [
        {
            "rank": item["rank"],
            "code": item.get("commune_code") or item.get("unit_code"),
            "name": item["name"],
            "index_percent": item["index"]["percent"],
            "on_time_rate": item["rates"]["on_time_rate"],
            "received": item["totals"]["received"],
            "open_overdue": item["totals"]["open_overdue"],
        }
        for item in rank(province, parsed)
    ]


@router.get("/warnings", summary="Early warnings in the caller's scope (unresolved by default)")
def warning_list(
    request, unit: str = "", status: str = "unresolved", limit: int = 200
) -> list[dict[str, Any]]:
    """`unit`: a unit code (its warnings and its subtree's today); `status`: unresolved | open |
    acknowledged | resolved | all. A unit outside the caller's scope answers 404."""
    from django.utils import timezone

    from twotier.apparatus.querysets import descendant_ids
    from twotier.dossiers.deadlines import VN_TZ

    from .models import Warning, WarningStatus

    qs = Warning.objects.visible_to(request.user).select_related("unit")
    if unit:
        root = get_object_or_404(Unit.objects.visible_to(request.user), code=unit)
        today = timezone.now().astimezone(VN_TZ).date()
        qs = qs.filter(unit_id__in={root.pk} | descendant_ids([root.pk], today))
    if status == "unresolved":
        qs = qs.unresolved()
    elif status in WarningStatus.values:
        qs = qs.filter(status=status)
    elif status != "all":
        raise HttpError(400, f"unknown status {status!r}")
    return [
        {
            "id": w.pk,
            "kind": w.kind,
            "unit": w.unit.code,
            "opened_on": w.opened_on.isoformat(),
            "last_seen_on": w.last_seen_on.isoformat(),
            "condition_holds": w.condition_holds,
            "status": w.status,
            "evidence": w.evidence,
            "link": w.link,
            "notes": w.notes,
        }
        for w in qs.order_by("-opened_on", "-pk")[: max(1, min(limit, 1000))]
    ]


@router.get("/indicators", summary="Indicator values of a unit for a period, with the same period last year")
def indicator_list(request, unit: str, period: str) -> list[dict[str, Any]]:
    from .indicators import indicator_values

    root = get_object_or_404(Unit.objects.visible_to(request.user), code=unit)
    try:
        parsed = parse_period(period)
    except PeriodError as exc:
        raise HttpError(400, str(exc)) from exc
    return [
        {
            "indicator": r.indicator.code,
            "name": r.indicator.name,
            "unit_of_measure": r.indicator.unit_of_measure,
            "direction": r.indicator.direction,
            "source": r.source,
            "value": None if r.value is None else float(r.value),
            "last_year": None if r.last_year is None else float(r.last_year),
            "change_on_last_year": r.change,
        }
        for r in indicator_values(root, parsed)
    ]
