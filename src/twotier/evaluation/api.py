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
