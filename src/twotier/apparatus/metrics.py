"""Metrics of a unit subtree on two dates (reads only): units by level, headcount, and the change.

Definitions (issue 4, item 4):
- the subtree is taken as it hangs on each date (parent links valid on that date);
- units of the root's own tier strictly below the root, valid on the date, are counted in
  `units_by_level`; units of the other tier below a city root (commune police under `hcmc-police`,
  commune Front committees under `hcmc-front`) are counted apart in `commune_units`;
- headcount = assignments active on the date in the root and those same-tier units (the root's own
  staff are the organisation's; in the seed scenario the roots have none);
- headcount_pct = round(100 × (after − before) / before, 1), negative for a reduction.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.db.models import Count, Sum

from .models import Assignment, Post, Unit, UnitLevel
from .querysets import children_map, descendant_ids

LEVEL_ORDER = [value for value, _ in UnitLevel.choices]


def _sorted_levels(counter: Counter[str] | dict[str, int]) -> dict[str, int]:
    return {
        level: counter[level]
        for level in sorted(counter, key=lambda lv: (LEVEL_ORDER.index(lv) if lv in LEVEL_ORDER else 99, lv))
    }


def snapshot(unit: Unit, on: date, *, detail: bool = False) -> dict[str, Any]:
    """The subtree of `unit` on `on`: {"date", "headcount", "units_by_level", "commune_units"} (+ detail)."""
    ids = descendant_ids([unit.pk], on, children_map(on))
    rows = list(Unit.objects.filter(pk__in=ids).valid_on(on).values_list("pk", "tier", "level", "kind"))
    same_tier = [pk for pk, tier, _, _ in rows if tier == unit.tier]
    other_tier = [pk for pk, tier, _, _ in rows if tier != unit.tier]
    counted = [*same_tier, unit.pk] if unit.valid_on(on) else same_tier
    headcount = Assignment.objects.filter(unit_id__in=counted).valid_on(on).count()
    result: dict[str, Any] = {
        "date": on.isoformat(),
        "headcount": headcount,
        "units_by_level": _sorted_levels(Counter(level for _, tier, level, _ in rows if tier == unit.tier)),
        "commune_units": len(other_tier),
    }
    if detail:
        posts = (
            Post.objects.filter(unit_id__in=counted).valid_on(on).aggregate(n=Count("pk"), quota=Sum("quota"))
        )
        result["units_by_kind"] = dict(
            sorted(Counter(kind for _, tier, _, kind in rows if tier == unit.tier).items())
        )
        result["posts"] = posts["n"] or 0
        result["quota"] = posts["quota"] or 0
        result["commune_headcount"] = Assignment.objects.filter(unit_id__in=other_tier).valid_on(on).count()
    return result


def pct(before: int, after: int) -> float | None:
    if before == 0:
        return None
    return round(100 * (after - before) / before, 1)


def compare(unit: Unit, before: date, after: date, *, detail: bool = False) -> dict[str, Any]:
    """The JSON object printed by `twotier apparatus_metrics` (keys in the documented order)."""
    first = snapshot(unit, before, detail=detail)
    second = snapshot(unit, after, detail=detail)
    levels = set(first["units_by_level"]) | set(second["units_by_level"])
    change_levels = _sorted_levels(
        {lv: second["units_by_level"].get(lv, 0) - first["units_by_level"].get(lv, 0) for lv in levels}
    )
    change: dict[str, Any] = {
        "headcount": second["headcount"] - first["headcount"],
        "headcount_pct": pct(first["headcount"], second["headcount"]),
        "units_by_level": change_levels,
    }
    if detail:
        change["units_by_level_pct"] = {
            lv: pct(first["units_by_level"].get(lv, 0), second["units_by_level"].get(lv, 0))
            for lv in change_levels
        }
        change["posts"] = second["posts"] - first["posts"]
    return {"unit": unit.code, "before": first, "after": second, "change": change}
