"""Reads of the apparatus registry: "as of" filters, subtrees, read scope (`visible_to`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Self

from django.db import models
from django.db.models import Q

from twotier.core.scoping import ScopedQuerySet


def valid_on_q(on: date, prefix: str = "") -> Q:
    """Half-open validity: valid_from <= on < valid_to (an open valid_to never ends)."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": on})
    )


def overlaps_q(start: date, end: date | None, prefix: str = "") -> Q:
    """Rows whose half-open validity overlaps [start, end) (end None = open)."""
    condition = Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": start})
    if end is not None:
        condition &= Q(**{f"{prefix}valid_from__lt": end})
    return condition


class AsOfMixin:
    def valid_on(self, on: date) -> Self:
        return self.filter(valid_on_q(on))  # type: ignore[attr-defined]

    def overlapping(self, start: date, end: date | None) -> Self:
        return self.filter(overlaps_q(start, end))  # type: ignore[attr-defined]


class UnitQuerySet(AsOfMixin, ScopedQuerySet):
    province_field = "province_code"
    commune_field = "commune_code"

    def city(self) -> Self:
        return self.filter(tier="city")

    def commune(self) -> Self:
        return self.filter(tier="commune")

    def subtree(self, root, on: date, *, include_root: bool = True) -> Self:
        """Units below `root` (a Unit) as they hang on date `on` (only units valid on that date)."""
        ids = descendant_ids([root.pk], on)
        if include_root:
            ids.add(root.pk)
        return self.filter(pk__in=ids).valid_on(on)


class UnitParentQuerySet(AsOfMixin, models.QuerySet):
    pass


def children_map(on: date) -> dict[int, list[int]]:
    """parent id → child ids, for the parent links and units valid on `on` (one query)."""
    from .models import UnitParent

    result: dict[int, list[int]] = defaultdict(list)
    rows = (
        UnitParent.objects.valid_on(on)
        .filter(valid_on_q(on, "unit__"))
        .values_list("parent_id", "unit_id")
        .order_by("unit__code")
    )
    for parent_id, unit_id in rows:
        result[parent_id].append(unit_id)
    return result


def descendant_ids(
    root_ids: Iterable[int], on: date, children: dict[int, list[int]] | None = None
) -> set[int]:
    """Every unit strictly below the roots on `on` (breadth-first over the parent links of that date)."""
    children = children if children is not None else children_map(on)
    found: set[int] = set()
    frontier = list(root_ids)
    while frontier:
        nxt: list[int] = []
        for pk in frontier:
            for child in children.get(pk, ()):
                if child not in found:
                    found.add(child)
                    nxt.append(child)
        frontier = nxt
    return found


def parent_of(unit_id: int, on: date) -> int | None:
    from .models import UnitParent

    return UnitParent.objects.valid_on(on).filter(unit_id=unit_id).values_list("parent_id", flat=True).first()


class PostQuerySet(AsOfMixin, ScopedQuerySet):
    province_field = "unit__province_code"
    commune_field = "unit__commune_code"


class OfficialQuerySet(ScopedQuerySet):
    province_field = "province_code"
    commune_field = "commune_code"

    def in_units_on(self, unit_ids: Iterable[int], on: date) -> Self:
        """Officials with an assignment active on `on` in one of the units."""
        from .models import Assignment

        active = Assignment.objects.filter(unit_id__in=list(unit_ids)).valid_on(on).values("official_id")
        return self.filter(pk__in=models.Subquery(active))


class AssignmentQuerySet(AsOfMixin, ScopedQuerySet):
    province_field = "unit__province_code"
    commune_field = "unit__commune_code"

    def headcount_by_unit(self, on: date) -> dict[int, int]:
        rows = self.valid_on(on).values("unit_id").annotate(n=models.Count("pk")).values_list("unit_id", "n")
        return dict(rows)


class ReorganizationQuerySet(ScopedQuerySet):
    province_field = "province_code"
    commune_field = "commune_code"

    def drafts(self) -> Self:
        return self.filter(status="draft")

    def applied(self) -> Self:
        return self.filter(status="applied")


class TaskQuerySet(models.QuerySet):
    def procedures(self) -> Self:
        return self.filter(kind="procedure")

    def duties(self) -> Self:
        return self.filter(kind="duty")

    def at_commune(self) -> Self:
        return self.filter(at_commune=True)


class ResponsibilityQuerySet(AsOfMixin, ScopedQuerySet):
    province_field = "province_code"
    commune_field = "commune_code"

    def leads(self) -> Self:
        return self.filter(role="lead")

    def coordinating(self) -> Self:
        return self.filter(role="coordinate")

    def in_territory(self, province_code: str, commune_code: str = "") -> Self:
        return self.filter(province_code=province_code, commune_code=commune_code)


class DelegationQuerySet(AsOfMixin, ScopedQuerySet):
    province_field = "province_code"
    commune_field = "commune_code"

    def expired_on(self, on: date) -> Self:
        return self.filter(valid_to__isnull=False, valid_to__lte=on)
