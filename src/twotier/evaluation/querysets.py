"""Reads of the rollups: rows of a set of units over a date range, summed the way each measure sums."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Self

from django.db.models import Sum

from twotier.core.scoping import ScopedQuerySet


class RollupQuerySet(ScopedQuerySet):
    province_field = "province_code"
    commune_field = "commune_code"

    def between(self, start: date, end: date) -> Self:
        """Rows of the days start..end, both included."""
        return self.filter(day__gte=start, day__lte=end)

    def of_units(self, unit_ids: Iterable[int]) -> Self:
        return self.filter(unit_id__in=list(unit_ids))

    def totals(self, start: date, end: date) -> dict[str, int]:
        """Flows summed over start..end; the backlog of the last day (`end`). Missing rows count 0."""
        from .models import FLOW_FIELDS, SNAPSHOT_FIELDS

        flows = self.between(start, end).aggregate(**{f: Sum(f) for f in FLOW_FIELDS})
        backlog = self.filter(day=end).aggregate(**{f: Sum(f) for f in SNAPSHOT_FIELDS})
        return {k: int(v or 0) for k, v in {**flows, **backlog}.items()}


class QueueRollupQuerySet(ScopedQuerySet):
    """Queue waits per centre and day; a centre's code is its commune's code."""

    province_field = "province_code"
    commune_field = "center_code"

    def between(self, start: date, end: date) -> Self:
        return self.filter(day__gte=start, day__lte=end)

    def totals(self, start: date, end: date) -> dict[str, int]:
        fields = ("tickets_issued", "tickets_served", "wait_seconds", "service_seconds")
        sums = self.between(start, end).aggregate(**{f: Sum(f) for f in fields})
        return {k: int(v or 0) for k, v in sums.items()}
