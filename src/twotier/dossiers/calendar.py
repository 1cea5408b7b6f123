"""The working calendar of state agencies: the `holidays` VN calendar plus configured days.

`vn_working_calendar()` is pure (the package plus explicit arguments); `working_calendar()` reads the
Django settings (all optional, none needs to exist):

- `TWOTIER_EXTRA_DAYS_OFF`: ISO dates that are days off although the package says otherwise (e.g. a
  day off the Prime Minister grants at short notice, or a make-up Saturday that is cancelled);
- `TWOTIER_EXTRA_WORKDAYS`: ISO dates that are working days (e.g. a make-up Saturday announced after
  the installed `holidays` release);
- `TWOTIER_OFFICE_HOURS`: pairs of "HH:MM", default [("07:30", "11:30"), ("13:00", "17:00")].

Configured dates win over the package; a date in both configured lists is a configuration error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, time
from functools import lru_cache
from typing import Final

import holidays

from twotier.dossiers.deadlines import DEFAULT_OFFICE_HOURS, WorkingCalendar

# Years the calendar knows. The package computes the fixed and lunar holidays for any year, but
# substituted days off and make-up days are only known once the government announces them (the
# installed release knows them up to 2026); later years hold the statutory holidays only.
FIRST_YEAR: Final = 2000
LAST_YEAR: Final = 2099


def vn_working_calendar(
    *,
    extra_days_off: Iterable[date] = (),
    extra_workdays: Iterable[date] = (),
    office_hours: Sequence[tuple[time, time]] = DEFAULT_OFFICE_HOURS,
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
) -> WorkingCalendar:
    """Vietnam's working calendar for `first_year`..`last_year`.

    Days off: every date of `holidays.VN` (public holidays, their observed days off and the substituted
    days off, e.g. Fri 02/05/2025 for Sat 26/04/2025) plus `extra_days_off`. Make-up working days: the
    package's `weekend_workdays` (e.g. Sat 26/04/2025, Sat 22/08/2026) plus `extra_workdays`.
    Raises ValueError when a date is in both extra lists.
    """
    extra_off, extra_work = frozenset(extra_days_off), frozenset(extra_workdays)
    clash = extra_off & extra_work
    if clash:
        raise ValueError(
            "configured both as a day off and as a working day: "
            + ", ".join(d.isoformat() for d in sorted(clash))
        )
    vn = holidays.country_holidays("VN", years=range(first_year, last_year + 1))
    package_off = frozenset(vn.keys())
    package_work = frozenset(vn.weekend_workdays)
    return WorkingCalendar(
        days_off=(package_off | extra_off) - extra_work,
        workdays=(package_work | extra_work) - extra_off,
        office_hours=tuple(office_hours),
        first_year=first_year,
        last_year=last_year,
    )


def parse_office_hours(raw: Iterable[Sequence[str | time]]) -> tuple[tuple[time, time], ...]:
    """[("07:30", "11:30"), ...] → ((time(7, 30), time(11, 30)), ...); raises ValueError."""
    intervals = []
    for pair in raw:
        if isinstance(pair, str) or len(pair) != 2:
            raise ValueError(f"an office interval is a pair of times, got {pair!r}")
        start, end = (value if isinstance(value, time) else time.fromisoformat(value) for value in pair)
        intervals.append((start, end))
    return tuple(intervals)


def parse_dates(raw: Iterable[str | date]) -> frozenset[date]:
    """ISO dates ("2026-01-02") → dates; raises ValueError."""
    return frozenset(value if isinstance(value, date) else date.fromisoformat(value) for value in raw)


def working_calendar() -> WorkingCalendar:
    """The calendar configured in the Django settings (built once per distinct configuration).

    Raises django.core.exceptions.ImproperlyConfigured for a malformed setting.
    """
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    raw_off = getattr(settings, "TWOTIER_EXTRA_DAYS_OFF", ())
    raw_work = getattr(settings, "TWOTIER_EXTRA_WORKDAYS", ())
    raw_hours = getattr(settings, "TWOTIER_OFFICE_HOURS", None)
    try:
        days_off = parse_dates(raw_off)
        workdays = parse_dates(raw_work)
        office_hours = DEFAULT_OFFICE_HOURS if raw_hours is None else parse_office_hours(raw_hours)
        return _cached_calendar(days_off, workdays, office_hours)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"TWOTIER_EXTRA_DAYS_OFF / TWOTIER_EXTRA_WORKDAYS / TWOTIER_OFFICE_HOURS: {exc}"
        ) from exc


@lru_cache(maxsize=8)
def _cached_calendar(
    days_off: frozenset[date], workdays: frozenset[date], office_hours: tuple[tuple[time, time], ...]
) -> WorkingCalendar:
    return vn_working_calendar(extra_days_off=days_off, extra_workdays=workdays, office_hours=office_hours)
