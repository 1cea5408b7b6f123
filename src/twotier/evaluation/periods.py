"""Reporting periods: parse a period name, and find the previous period and the same period last year.

Pure (no ORM). Provinces report monthly, quarterly, for 6 and 9 months and yearly, and rank units
weekly (DOMAIN.md, Decision 766/QĐ-TTg); Dat Do commune also evaluates every day. Accepted names:

| name | period |
|---|---|
| `2026-02-13` | one day |
| `2026-W05` | ISO week (Monday–Sunday) |
| `2026-01` | month |
| `2026-Q1` | quarter |
| `2026-H1`, `2026-H2` | half year |
| `2026-9M` | the first nine months (01/01–30/09) |
| `2026` | year |
| `2026-01-01..2026-02-15` | custom, both ends included |

Previous period: the period of the same kind just before (day, week, month, quarter, half; the
previous year's for `9M` and a year, which do not tile the calendar; for a custom range the same
number of days just before). Same period last year: the same name one year earlier (week 53 → 52
when last year had none; 29/02 → 28/02).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: str  # day | week | month | quarter | half | 9m | year | custom
    start: date
    end: date  # inclusive
    name: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def day(d: date) -> Period:
    return Period("day", d, d, d.isoformat())


def week(year: int, number: int) -> Period:
    try:
        start = date.fromisocalendar(year, number, 1)
    except ValueError as exc:
        raise PeriodError(f"no ISO week {number} in {year}") from exc
    return Period("week", start, start + timedelta(days=6), f"{year}-W{number:02d}")


def month(year: int, number: int) -> Period:
    if not 1 <= number <= 12:
        raise PeriodError(f"no month {number}")
    return Period("month", date(year, number, 1), _month_end(year, number), f"{year}-{number:02d}")


def quarter(year: int, number: int) -> Period:
    if not 1 <= number <= 4:
        raise PeriodError(f"no quarter {number}")
    first = 3 * number - 2
    return Period("quarter", date(year, first, 1), _month_end(year, first + 2), f"{year}-Q{number}")


def half(year: int, number: int) -> Period:
    if number not in (1, 2):
        raise PeriodError(f"no half {number}")
    first = 1 if number == 1 else 7
    return Period("half", date(year, first, 1), _month_end(year, first + 5), f"{year}-H{number}")


def nine_months(year: int) -> Period:
    return Period("9m", date(year, 1, 1), date(year, 9, 30), f"{year}-9M")


def year_period(year: int) -> Period:
    return Period("year", date(year, 1, 1), date(year, 12, 31), f"{year}")


def custom(start: date, end: date) -> Period:
    if end < start:
        raise PeriodError("the period ends before it starts")
    return Period("custom", start, end, f"{start.isoformat()}..{end.isoformat()}")


_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.\.(\d{4})-(\d{2})-(\d{2})$"), "custom"),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "day"),
    (re.compile(r"^(\d{4})-W(\d{1,2})$", re.IGNORECASE), "week"),
    (re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE), "quarter"),
    (re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE), "half"),
    (re.compile(r"^(\d{4})-9M$", re.IGNORECASE), "9m"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})$"), "year"),
]


def parse_period(text: str) -> Period:
    """Parse a period name (see the module docstring). Raises PeriodError."""
    text = text.strip()
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        g = [int(x) for x in match.groups()]
        try:
            if kind == "custom":
                return custom(date(g[0], g[1], g[2]), date(g[3], g[4], g[5]))
            if kind == "day":
                return day(date(g[0], g[1], g[2]))
        except ValueError as exc:
            raise PeriodError(str(exc)) from exc
        if kind == "week":
            return week(g[0], g[1])
        if kind == "quarter":
            return quarter(g[0], g[1])
        if kind == "half":
            return half(g[0], g[1])
        if kind == "9m":
            return nine_months(g[0])
        if kind == "month":
            return month(g[0], g[1])
        return year_period(g[0])
    raise PeriodError(f"unknown period {text!r}")


def _minus_year(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29/02
        return d.replace(year=d.year - 1, day=28)


def previous(period: Period) -> Period:
    s = period.start
    if period.kind == "day":
        return day(s - timedelta(days=1))
    if period.kind == "week":
        y, w, _ = (s - timedelta(days=7)).isocalendar()
        return week(y, w)
    if period.kind == "month":
        return month(s.year - 1, 12) if s.month == 1 else month(s.year, s.month - 1)
    if period.kind == "quarter":
        q = (s.month - 1) // 3 + 1
        return quarter(s.year - 1, 4) if q == 1 else quarter(s.year, q - 1)
    if period.kind == "half":
        return half(s.year - 1, 2) if s.month == 1 else half(s.year, 1)
    if period.kind == "9m":
        return nine_months(s.year - 1)
    if period.kind == "year":
        return year_period(s.year - 1)
    length = timedelta(days=period.days)
    return custom(s - length, period.end - length)


def same_period_last_year(period: Period) -> Period:
    s = period.start
    if period.kind == "day":
        return day(_minus_year(s))
    if period.kind == "week":
        y, w, _ = s.isocalendar()
        try:
            return week(y - 1, w)
        except PeriodError:  # week 53 of a year whose predecessor had 52
            return week(y - 1, 52)
    if period.kind == "month":
        return month(s.year - 1, s.month)
    if period.kind == "quarter":
        return quarter(s.year - 1, (s.month - 1) // 3 + 1)
    if period.kind == "half":
        return half(s.year - 1, 1 if s.month == 1 else 2)
    if period.kind == "9m":
        return nine_months(s.year - 1)
    if period.kind == "year":
        return year_period(s.year - 1)
    return custom(_minus_year(s), _minus_year(period.end))
