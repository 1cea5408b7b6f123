"""Reads behind the dashboards: the period picker and the trend of a set of rollup rows.

The trend splits the period into buckets (days for up to 31 days, ISO weeks up to 190 days, months
beyond); per bucket the flows are summed and the backlog is the bucket's last day's, as in the period
reports, and the on-time rate is the Decision 766 group-2 rate of the bucket (`index.measures`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet, Sum

from . import index, periods
from .models import FLOW_FIELDS, SNAPSHOT_FIELDS

PICKER_KINDS = ("day", "week", "month", "quarter", "half", "9m", "year")


def period_containing(kind: str, on: date) -> periods.Period:
    """The period of `kind` that contains `on` (for 9m: the year's first nine months)."""
    if kind == "day":
        return periods.day(on)
    if kind == "week":
        y, w, _ = on.isocalendar()
        return periods.week(y, w)
    if kind == "month":
        return periods.month(on.year, on.month)
    if kind == "quarter":
        return periods.quarter(on.year, (on.month - 1) // 3 + 1)
    if kind == "half":
        return periods.half(on.year, 1 if on.month <= 6 else 2)
    if kind == "9m":
        return periods.nine_months(on.year)
    if kind == "year":
        return periods.year_period(on.year)
    raise periods.PeriodError(f"unknown period kind {kind!r}")


@dataclass(frozen=True)
class Bucket:
    label: str
    start: date
    end: date
    received: int
    on_time_rate: float | None
    backlog: int  # open within + open overdue at the end of the bucket


def buckets_of(period: periods.Period) -> list[tuple[str, date, date]]:
    if period.days <= 31:
        return [(d.strftime("%d/%m"), d, d) for d in period.dates()]
    out = []
    if period.days <= 190:
        start = period.start - timedelta(days=period.start.weekday())
        while start <= period.end:
            end = start + timedelta(days=6)
            out.append((f"T{start.isocalendar()[1]}", max(start, period.start), min(end, period.end)))
            start = end + timedelta(days=1)
        return out
    cur = date(period.start.year, period.start.month, 1)
    while cur <= period.end:
        m = periods.month(cur.year, cur.month)
        out.append((cur.strftime("%m/%Y"), max(m.start, period.start), min(m.end, period.end)))
        cur = m.end + timedelta(days=1)
    return out


def trend(rows: QuerySet, period: periods.Period) -> list[Bucket]:
    """`rows`: DailyRollup rows already restricted to the units/territory. Two grouped reads by day."""
    per_day: dict[date, dict[str, int]] = {}
    fields = FLOW_FIELDS + SNAPSHOT_FIELDS
    grouped = (
        rows.between(period.start, period.end)
        .values("day")
        .order_by()
        .annotate(**{f"s_{f}": Sum(f) for f in fields})
    )
    for row in grouped:
        per_day[row["day"]] = {f: int(row[f"s_{f}"] or 0) for f in fields}
    zero = dict.fromkeys(fields, 0)
    result = []
    for label, start, end in buckets_of(period):
        days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        totals = {f: sum(per_day.get(d, zero)[f] for d in days) for f in FLOW_FIELDS}
        totals.update({f: per_day.get(end, zero)[f] for f in SNAPSHOT_FIELDS})
        inputs = index.Inputs(**{f: totals[f] for f in index.Inputs.__dataclass_fields__})
        result.append(
            Bucket(
                label,
                start,
                end,
                totals["received"],
                index.measures(inputs)["on_time_rate"],
                totals["open_within"] + totals["open_overdue"],
            )
        )
    return result
