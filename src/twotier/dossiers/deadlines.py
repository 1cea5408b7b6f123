"""Legal deadlines of one-stop-shop dossiers: a pure module (no ORM, no Django, no process time zone).

The rule is DOMAIN.md's "platform's deadline rule" (Decree 118/2025/NĐ-CP; Civil Code 2015 art. 147
and 148); docs/deadlines.md explains every decision with worked examples. In short:

- every instant is read in Asia/Ho_Chi_Minh; a naive datetime is already in that zone, whatever the
  machine's zone; every result is aware;
- N working days (N >= 1): 17:00 on the N-th working day strictly after the receipt date d
  (art. 147(2): the first day of a period counted in days is not counted; the time of day is irrelevant);
- same day (N = 0): 17:00 on d when d is a working day and the receipt is before 15:00:00 (Decree
  118/2025 on same-day procedures), else 17:00 on the first working day after d;
- N calendar days: 17:00 on d + N, or on the next working day when d + N is a day off (art. 148(5));
- N working hours: counted inside office hours from the receipt instant (art. 147(1): a period counted
  in hours starts at the stated moment);
- no stated limit: no due time.

The working calendar is a parameter (`WorkingCalendar`); `twotier.dossiers.calendar` builds the real one
from the `holidays` package and the Django settings.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

VN_TZ: Final = ZoneInfo("Asia/Ho_Chi_Minh")

# A period counted in days ends at the end of the office day (DOMAIN.md: "due 17:00"), not at 24:00 as
# Civil Code art. 148(6) would have it: the result must be collected while the office is open.
DAY_END: Final = time(17, 0)
# Decree 118/2025/NĐ-CP: a same-day procedure received after 15:00 is due the next working day.
SAME_DAY_CUTOFF: Final = time(15, 0)
DEFAULT_OFFICE_HOURS: Final[tuple[tuple[time, time], ...]] = (
    (time(7, 30), time(11, 30)),
    (time(13, 0), time(17, 0)),
)
DEFAULT_DUE_SOON_HOURS: Final = 8


class CalendarRangeError(ValueError):
    """A date outside the years the working calendar knows (its holidays would be guesses)."""


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days and when the office is open.

    `days_off`: dates that are not working days although they may fall Monday–Friday (public holidays,
    substituted days off, configured extra days off). `workdays`: dates that are working days although
    they may fall on a weekend (make-up working days). The two sets are disjoint: the builder resolves
    precedence. A date is a working day when it is in `workdays`, or it is Monday–Friday and not in
    `days_off`. Dates outside `first_year`..`last_year` raise `CalendarRangeError`.
    """

    days_off: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    office_hours: tuple[tuple[time, time], ...] = DEFAULT_OFFICE_HOURS
    first_year: int = MINYEAR
    last_year: int = MAXYEAR

    def __post_init__(self) -> None:
        both = self.days_off & self.workdays
        if both:
            raise ValueError(f"dates both off and working: {sorted(both)}")
        if not self.office_hours:
            raise ValueError("office hours are empty")
        previous_end: time | None = None
        for start, end in self.office_hours:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("office hours are local wall-clock times, without a zone")
            if not start < end:
                raise ValueError(f"office interval {start}–{end} does not end after it starts")
            if previous_end is not None and start < previous_end:
                raise ValueError("office intervals must be sorted and must not overlap")
            previous_end = end
        if self.first_year > self.last_year:
            raise ValueError("first_year is after last_year")

    def _check(self, day: date) -> None:
        if not self.first_year <= day.year <= self.last_year:
            raise CalendarRangeError(
                f"{day.isoformat()} is outside the working calendar ({self.first_year}–{self.last_year})"
            )

    def is_working_day(self, day: date) -> bool:
        self._check(day)
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        current = day + timedelta(days=1)
        while not self.is_working_day(current):
            current += timedelta(days=1)
        return current

    def office_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The aware office intervals of `day` (none on a day off)."""
        if not self.is_working_day(day):
            return []
        return [(at_local(day, start), at_local(day, end)) for start, end in self.office_hours]


class LimitUnit(enum.StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WORKING_HOURS = "working_hours"


@dataclass(frozen=True)
class TimeLimit:
    """A procedure's stated processing time. Same day is `TimeLimit(0, LimitUnit.WORKING_DAYS)`.

    "No stated limit" is `None` wherever a `TimeLimit` is expected, never a `TimeLimit`.
    """

    amount: int
    unit: LimitUnit

    def __post_init__(self) -> None:
        object.__setattr__(self, "unit", LimitUnit(self.unit))
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise TypeError("a time limit is a whole number")
        minimum = 0 if self.unit is LimitUnit.WORKING_DAYS else 1
        if self.amount < minimum:
            # 0 calendar days or 0 hours has no meaning: a same-day procedure is 0 working days.
            raise ValueError(f"{self.unit.value} must be at least {minimum}, got {self.amount}")

    @classmethod
    def working_days(cls, amount: int) -> TimeLimit:
        return cls(amount, LimitUnit.WORKING_DAYS)

    @classmethod
    def calendar_days(cls, amount: int) -> TimeLimit:
        return cls(amount, LimitUnit.CALENDAR_DAYS)

    @classmethod
    def working_hours(cls, amount: int) -> TimeLimit:
        return cls(amount, LimitUnit.WORKING_HOURS)

    @property
    def is_same_day(self) -> bool:
        return self.unit is LimitUnit.WORKING_DAYS and self.amount == 0


SAME_DAY: Final = TimeLimit.working_days(0)


def to_local(moment: datetime) -> datetime:
    """`moment` as an aware Asia/Ho_Chi_Minh datetime; a naive value is taken as already local.

    Never `datetime.astimezone()` on a naive value: that would read the machine's zone.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=VN_TZ)
    return moment.astimezone(VN_TZ)


def at_local(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=VN_TZ)


def add_working_days(day: date, count: int, calendar: WorkingCalendar) -> date:
    """The `count`-th working day strictly after `day` (`day` itself never counts)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    current = day
    for _ in range(count):
        current = calendar.next_working_day(current)
    return current


def _office_spans(start: datetime, calendar: WorkingCalendar) -> Iterator[tuple[datetime, datetime]]:
    """Office intervals from `start` on, the first one clipped to begin at `start`. Endless."""
    day = start.date()
    while True:
        for begin, end in calendar.office_intervals(day):
            if end <= start:
                continue
            yield max(begin, start), end
        day += timedelta(days=1)


def add_office_time(start: datetime, duration: timedelta, calendar: WorkingCalendar) -> datetime:
    """The earliest instant by which `duration` of office time has elapsed since `start`.

    A period that ends exactly at the close of an interval ends there (11:30, not 13:00).
    """
    if duration < timedelta(0):
        raise ValueError("duration must not be negative")
    start = to_local(start)
    if duration == timedelta(0):
        return start
    remaining = duration
    for begin, end in _office_spans(start, calendar):
        if end - begin >= remaining:
            return begin + remaining
        remaining -= end - begin
    raise AssertionError("unreachable: _office_spans never ends")  # pragma: no cover


def office_time_between(start: datetime, end: datetime, calendar: WorkingCalendar) -> timedelta:
    """Office time inside [start, end); zero when end <= start."""
    start, end = to_local(start), to_local(end)
    total = timedelta(0)
    if end <= start:
        return total
    for begin, close in _office_spans(start, calendar):
        if begin >= end:
            break
        total += min(close, end) - begin
    return total


def _same_day_due(received: datetime, calendar: WorkingCalendar) -> datetime:
    day = received.date()
    if calendar.is_working_day(day) and received.time() < SAME_DAY_CUTOFF:
        return at_local(day, DAY_END)
    return at_local(calendar.next_working_day(day), DAY_END)


def due_at(received_at: datetime, limit: TimeLimit | None, calendar: WorkingCalendar) -> datetime | None:
    """The due time of a dossier received at `received_at` under `limit` (None: no stated limit)."""
    if limit is None:
        return None
    received = to_local(received_at)
    day = received.date()
    if limit.unit is LimitUnit.WORKING_DAYS:
        if limit.amount == 0:
            return _same_day_due(received, calendar)
        return at_local(add_working_days(day, limit.amount, calendar), DAY_END)
    if limit.unit is LimitUnit.CALENDAR_DAYS:
        last = day + timedelta(days=limit.amount)
        if not calendar.is_working_day(last):
            last = calendar.next_working_day(last)
        return at_local(last, DAY_END)
    return add_office_time(received, timedelta(hours=limit.amount), calendar)


def working_days_left(requested_at: datetime, due_at: datetime, calendar: WorkingCalendar) -> int:
    """r of the pause rule: working days strictly after the request's date, up to and including the
    due date. 0 when the request comes on the due day or later."""
    current = to_local(requested_at).date()
    last = to_local(due_at).date()
    left = 0
    while True:
        current = calendar.next_working_day(current)
        if current > last:
            return left
        left += 1


def resume_after_supplement(
    due_at: datetime | None,
    requested_at: datetime,
    completed_at: datetime,
    calendar: WorkingCalendar,
    *,
    unit: LimitUnit = LimitUnit.WORKING_DAYS,
) -> datetime | None:
    """The new due time once the citizen completes the dossier (DOMAIN.md's pause rule).

    At the supplement request (`requested_at`) the clock stops with r working days left (see
    `working_days_left`); when the citizen completes the dossier at `completed_at` (day s), the dossier
    is due at 17:00 on the r-th working day after s. Calendar-day limits follow the same working-day
    rule. Decisions (docs/deadlines.md):

    - a request on the due day itself, before the due time, leaves r = 0: the completed dossier is
      then treated as a same-day dossier received at `completed_at` (17:00 on s if s is a working day
      and the completion is before 15:00:00, else 17:00 on the next working day);
    - a request at or after the due time stops nothing: the time had run out, `due_at` is
      returned unchanged and the dossier stays late;
    - for a limit in working hours the clock keeps the office time left at the request and restarts
      at `completed_at`.

    Raises ValueError when the completion precedes the request. No limit (`due_at` None) stays None.
    """
    if due_at is None:
        return None
    requested, completed, due = to_local(requested_at), to_local(completed_at), to_local(due_at)
    if completed < requested:
        raise ValueError("the dossier cannot be completed before the supplement request")
    if requested >= due:
        return due
    if unit is LimitUnit.WORKING_HOURS:
        return add_office_time(completed, office_time_between(requested, due, calendar), calendar)
    left = working_days_left(requested, due, calendar)
    if left == 0:
        return _same_day_due(completed, calendar)
    return at_local(add_working_days(completed.date(), left, calendar), DAY_END)


def working_hours_left(now: datetime, due_at: datetime | None, calendar: WorkingCalendar) -> timedelta | None:
    """Office time left until `due_at`; negative (office time elapsed since `due_at`) once overdue.

    None when there is no due time.
    """
    if due_at is None:
        return None
    now, due = to_local(now), to_local(due_at)
    if now < due:
        return office_time_between(now, due, calendar)
    return -office_time_between(due, now, calendar)


def is_due_soon(
    now: datetime,
    due_at: datetime | None,
    calendar: WorkingCalendar,
    hours: float = DEFAULT_DUE_SOON_HOURS,
) -> bool:
    """Fewer than `hours` working hours left and not yet overdue (overdue is its own queue)."""
    if due_at is None or to_local(now) >= to_local(due_at):
        return False
    left = working_hours_left(now, due_at, calendar)
    assert left is not None
    return left < timedelta(hours=hours)
