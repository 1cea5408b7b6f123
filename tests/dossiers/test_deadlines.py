"""The deadline rule of DOMAIN.md, with expectations worked out by hand.

Every expected datetime below was derived on paper from the official 2025/2026 schedule (listed with
its sources in test_calendar.py's docstring) and the rule in DOMAIN.md:
- working days off used here: 2025 — Wed 30/04, Thu 01/05, Fri 02/05 (for Sat 26/04, which is worked),
  Mon 01/09, Tue 02/09; 2026 — Mon 16/02–Fri 20/02 (Tết), Mon 27/04 (Hùng Kings, observed), Thu 30/04,
  Fri 01/05, Mon 31/08 (for Sat 22/08, which is worked), Tue 01/09, Wed 02/09, Tue 24/11;
- weekdays were checked with `date -d` (GNU coreutils), not with the code under test.
The comment on each case shows the count.
"""

from __future__ import annotations

import os
import time as time_module
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from twotier.dossiers.deadlines import (
    SAME_DAY,
    VN_TZ,
    LimitUnit,
    TimeLimit,
    WorkingCalendar,
    due_at,
    is_due_soon,
    resume_after_supplement,
    to_local,
    working_days_left,
    working_hours_left,
)


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN_TZ)


WD = TimeLimit.working_days
CD = TimeLimit.calendar_days
HOURS = TimeLimit.working_hours


# ---- N working days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "limit", "expected"),
    [
        # Tết 2026. Fri 13/02 16:30 + 5: Sat 14, Sun 15, Tết 16–20, Sat 21, Sun 22 skipped;
        # Mon 23 (1), Tue 24 (2), Wed 25 (3), Thu 26 (4), Fri 27 (5)
        (datetime(2026, 2, 13, 16, 30), WD(5), "2026-02-27T17:00:00+07:00"),
        # Thu 12/02 10:00 + 3: Fri 13 (1), [14–22 off], Mon 23 (2), Tue 24 (3)
        (datetime(2026, 2, 12, 10, 0), WD(3), "2026-02-24T17:00:00+07:00"),
        # Hùng Kings and 30/4–1/5 2026. Fri 24/04 + 3: Sat 25, Sun 26, Mon 27 (observed) off;
        # Tue 28 (1), Wed 29 (2), Thu 30 and Fri 01/05 off, Sat 2, Sun 3; Mon 04/05 (3)
        (datetime(2026, 4, 24, 9, 0), WD(3), "2026-05-04T17:00:00+07:00"),
        # 30/4–1/5 2025. Tue 29/04 + 2: Wed 30, Thu 01/05, Fri 02/05 (substituted), Sat 3, Sun 4 off;
        # Mon 05/05 (1), Tue 06/05 (2)
        (datetime(2025, 4, 29, 11, 0), WD(2), "2025-05-06T17:00:00+07:00"),
        # make-up Saturday 26/04/2025 is a working day. Fri 25/04 + 1 → Sat 26/04
        (datetime(2025, 4, 25, 14, 0), WD(1), "2025-04-26T17:00:00+07:00"),
        # Fri 25/04 + 2: Sat 26 (1), Sun 27 off, Mon 28 (2)
        (datetime(2025, 4, 25, 14, 0), WD(2), "2025-04-28T17:00:00+07:00"),
        # make-up Saturday 22/08/2026. Fri 21/08 + 1 → Sat 22/08
        (datetime(2026, 8, 21, 8, 0), WD(1), "2026-08-22T17:00:00+07:00"),
        # Thu 20/08 + 3: Fri 21 (1), Sat 22 (2, make-up), Sun 23 off, Mon 24 (3)
        (datetime(2026, 8, 20, 8, 0), WD(3), "2026-08-24T17:00:00+07:00"),
        # 2/9 2026 with its bridge. Thu 27/08 + 3: Fri 28 (1), Sat 29, Sun 30, Mon 31 (substituted),
        # Tue 01/09, Wed 02/09 off; Thu 03/09 (2), Fri 04/09 (3)
        (datetime(2026, 8, 27, 10, 0), WD(3), "2026-09-04T17:00:00+07:00"),
        # 2/9 2025. Fri 29/08 + 1: Sat 30, Sun 31, Mon 01/09, Tue 02/09 off; Wed 03/09 (1)
        (datetime(2025, 8, 29, 10, 0), WD(1), "2025-09-03T17:00:00+07:00"),
        # Vietnam Culture Day 2026. Mon 23/11 + 1: Tue 24/11 off → Wed 25/11
        (datetime(2026, 11, 23, 10, 0), WD(1), "2026-11-25T17:00:00+07:00"),
        # DOMAIN.md's own example: Sat 14/03/2026, N = 1 → Mon 16/03 17:00, whatever the time of day
        (datetime(2026, 3, 14, 8, 0), WD(1), "2026-03-16T17:00:00+07:00"),
        (datetime(2026, 3, 14, 23, 59, 59), WD(1), "2026-03-16T17:00:00+07:00"),
        # the receipt day never counts, even a working day received at 07:00: Fri 13/03 → Mon 16/03
        (datetime(2026, 3, 13, 7, 0), WD(1), "2026-03-16T17:00:00+07:00"),
        (datetime(2026, 3, 13, 20, 0), WD(1), "2026-03-16T17:00:00+07:00"),
    ],
)
def test_working_days(vn_calendar, received, limit, expected):
    assert due_at(received, limit, vn_calendar).isoformat() == expected


# ---- same day (N = 0) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        # Wed 11/03/2026: before 15:00:00 → the same day
        (datetime(2026, 3, 11, 7, 0), "2026-03-11T17:00:00+07:00"),
        (datetime(2026, 3, 11, 14, 59, 59), "2026-03-11T17:00:00+07:00"),
        (datetime(2026, 3, 11, 14, 59, 59, 999999), "2026-03-11T17:00:00+07:00"),
        # at 15:00:00 or later → the next working day, Thu 12/03
        (datetime(2026, 3, 11, 15, 0, 0), "2026-03-12T17:00:00+07:00"),
        (datetime(2026, 3, 11, 16, 30), "2026-03-12T17:00:00+07:00"),
        # Fri 13/03 15:00 → Mon 16/03
        (datetime(2026, 3, 13, 15, 0), "2026-03-16T17:00:00+07:00"),
        # a Saturday, any time → Mon 16/03
        (datetime(2026, 3, 14, 9, 0), "2026-03-16T17:00:00+07:00"),
        # a holiday on a weekday (Tue 24/11/2026) → Wed 25/11
        (datetime(2026, 11, 24, 9, 0), "2026-11-25T17:00:00+07:00"),
        # Tết eve Mon 16/02/2026 at 08:00 → first working day after: Mon 23/02
        (datetime(2026, 2, 16, 8, 0), "2026-02-23T17:00:00+07:00"),
        # Fri 13/02/2026 15:30, just before Tết → Mon 23/02
        (datetime(2026, 2, 13, 15, 30), "2026-02-23T17:00:00+07:00"),
        # the make-up Saturday 22/08/2026 is a working day: 10:00 → the same day
        (datetime(2026, 8, 22, 10, 0), "2026-08-22T17:00:00+07:00"),
    ],
)
def test_same_day(vn_calendar, received, expected):
    assert due_at(received, SAME_DAY, vn_calendar).isoformat() == expected


# ---- N calendar days ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "limit", "expected"),
    [
        # Wed 04/03/2026 + 2 = Fri 06/03, a working day
        (datetime(2026, 3, 4, 16, 0), CD(2), "2026-03-06T17:00:00+07:00"),
        # Mon 02/03 + 5 = Sat 07/03 (off) → Mon 09/03
        (datetime(2026, 3, 2, 9, 0), CD(5), "2026-03-09T17:00:00+07:00"),
        # Mon 09/02 + 7 = Mon 16/02 (Tết) → 17–20 Tết, 21–22 weekend → Mon 23/02
        (datetime(2026, 2, 9, 9, 0), CD(7), "2026-02-23T17:00:00+07:00"),
        # Fri 21/08 + 10 = Mon 31/08 (substituted day off) → 01/09, 02/09 off → Thu 03/09
        (datetime(2026, 8, 21, 9, 0), CD(10), "2026-09-03T17:00:00+07:00"),
        # Mon 17/08 + 5 = Sat 22/08, a make-up working day → that day
        (datetime(2026, 8, 17, 9, 0), CD(5), "2026-08-22T17:00:00+07:00"),
        # received on a Sunday late at night: Sun 15/03 + 1 = Mon 16/03
        (datetime(2026, 3, 15, 23, 0), CD(1), "2026-03-16T17:00:00+07:00"),
    ],
)
def test_calendar_days(vn_calendar, received, limit, expected):
    assert due_at(received, limit, vn_calendar).isoformat() == expected


# ---- N working hours (07:30–11:30, 13:00–17:00) --------------------------------------------------


@pytest.mark.parametrize(
    ("received", "hours", "expected"),
    [
        # over lunch: Mon 09/03/2026 10:00 + 4 h = 10:00–11:30 (1.5) + 13:00–15:30 (2.5)
        (datetime(2026, 3, 9, 10, 0), 4, "2026-03-09T15:30:00+07:00"),
        # over a night: Mon 16:00 + 4 h = 16:00–17:00 (1) + Tue 07:30–10:30 (3)
        (datetime(2026, 3, 9, 16, 0), 4, "2026-03-10T10:30:00+07:00"),
        # over a weekend: Fri 13/03 15:00 + 8 h = 2 h Fri + Mon 16/03 07:30–11:30 (4) + 13:00–15:00 (2)
        (datetime(2026, 3, 13, 15, 0), 8, "2026-03-16T15:00:00+07:00"),
        # before opening: 06:00 + 4 h = 07:30–11:30, ending exactly at the close of the morning
        (datetime(2026, 3, 9, 6, 0), 4, "2026-03-09T11:30:00+07:00"),
        # at lunch: 12:00 + 1 h = 13:00–14:00
        (datetime(2026, 3, 9, 12, 0), 1, "2026-03-09T14:00:00+07:00"),
        # after closing: 18:00 + 1 h → Tue 07:30–08:30
        (datetime(2026, 3, 9, 18, 0), 1, "2026-03-10T08:30:00+07:00"),
        # on a Saturday: Sat 14/03 10:00 + 2 h → Mon 16/03 07:30–09:30
        (datetime(2026, 3, 14, 10, 0), 2, "2026-03-16T09:30:00+07:00"),
        # three whole office days: Mon 07:30 + 24 h → Wed 11/03 17:00
        (datetime(2026, 3, 9, 7, 30), 24, "2026-03-11T17:00:00+07:00"),
        # over Tết: Fri 13/02/2026 16:00 + 8 h = 1 h Fri + Mon 23/02 07:30–11:30 (4) + 13:00–16:00 (3)
        (datetime(2026, 2, 13, 16, 0), 8, "2026-02-23T16:00:00+07:00"),
        # the make-up Saturday has office hours: Fri 21/08/2026 16:00 + 2 h → Sat 22/08 07:30–08:30
        (datetime(2026, 8, 21, 16, 0), 2, "2026-08-22T08:30:00+07:00"),
        # seconds are kept: 10:15:30 + 1 h = 11:15:30
        (datetime(2026, 3, 9, 10, 15, 30), 1, "2026-03-09T11:15:30+07:00"),
    ],
)
def test_working_hours(vn_calendar, received, hours, expected):
    assert due_at(received, HOURS(hours), vn_calendar).isoformat() == expected


def test_no_stated_limit_has_no_due_time(vn_calendar):
    assert due_at(datetime(2026, 3, 9, 10, 0), None, vn_calendar) is None


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: TimeLimit.calendar_days(0), "calendar_days must be at least 1, got 0"),
        (lambda: TimeLimit.working_hours(0), "working_hours must be at least 1, got 0"),
        (lambda: TimeLimit.working_days(-1), "working_days must be at least 0, got -1"),
    ],
)
def test_meaningless_limits_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_limit_is_a_whole_number():
    with pytest.raises(TypeError):
        TimeLimit(1.5, LimitUnit.WORKING_DAYS)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        TimeLimit(True, LimitUnit.WORKING_DAYS)


def test_limit_unit_given_as_text_is_normalised():
    assert TimeLimit(2, "calendar_days") == TimeLimit.calendar_days(2)  # type: ignore[arg-type]


# ---- time zones ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "received",
    [
        datetime(2026, 2, 13, 16, 30),  # naive: already Asia/Ho_Chi_Minh
        datetime(2026, 2, 13, 16, 30, tzinfo=VN_TZ),
        datetime(2026, 2, 13, 9, 30, tzinfo=UTC),
        datetime(2026, 2, 13, 8, 30, tzinfo=timezone(timedelta(hours=-1))),
    ],
)
def test_naive_and_offset_inputs_are_the_same_instant(vn_calendar, received):
    assert due_at(received, WD(5), vn_calendar).isoformat() == "2026-02-27T17:00:00+07:00"


def test_an_offset_can_move_the_receipt_to_another_local_day(vn_calendar):
    """The local date and time decide: 07:59:59Z / 08:00Z on Fri 13/03/2026 are 14:59:59 / 15:00 in Hanoi;
    20:00Z on Fri 13/03 is already Sat 14/03 03:00 there."""
    received = datetime(2026, 3, 13, 7, 59, 59, tzinfo=UTC)  # 14:59:59 local, Friday
    assert due_at(received, SAME_DAY, vn_calendar).isoformat() == "2026-03-13T17:00:00+07:00"
    received = datetime(2026, 3, 13, 8, 0, 0, tzinfo=UTC)  # 15:00:00 local, Friday
    assert due_at(received, SAME_DAY, vn_calendar).isoformat() == "2026-03-16T17:00:00+07:00"
    received = datetime(2026, 3, 13, 20, 0, tzinfo=UTC)  # Sat 14/03 03:00 local
    assert due_at(received, WD(1), vn_calendar).isoformat() == "2026-03-16T17:00:00+07:00"


@pytest.fixture
def process_zone_los_angeles(monkeypatch):
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time_module.tzset()
    yield
    monkeypatch.undo()
    time_module.tzset()


def test_a_naive_input_ignores_the_machine_zone(vn_calendar, process_zone_los_angeles):
    assert os.environ["TZ"] == "America/Los_Angeles"
    assert datetime(2026, 3, 11, 12, 0).astimezone().utcoffset() == timedelta(hours=-7)  # PDT: zone took

    due = due_at(datetime(2026, 3, 11, 14, 59, 59), SAME_DAY, vn_calendar)

    assert due.isoformat() == "2026-03-11T17:00:00+07:00"
    assert to_local(datetime(2026, 3, 11, 14, 59, 59)).isoformat() == "2026-03-11T14:59:59+07:00"


# ---- the supplement pause -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "requested", "completed", "expected"),
    [
        # due Fri 27/02/2026 17:00; request Tue 24/02 10:00 leaves Wed 25, Thu 26, Fri 27: r = 3;
        # completed Mon 02/03 09:00 → Tue 03 (1), Wed 04 (2), Thu 05 (3)
        (
            vn(2026, 2, 27, 17),
            datetime(2026, 2, 24, 10),
            datetime(2026, 3, 2, 9),
            "2026-03-05T17:00:00+07:00",
        ),
        # due Wed 29/04/2026; request Fri 24/04: Sat, Sun, Mon 27 (observed) off, Tue 28, Wed 29: r = 2;
        # completed Wed 29/04 14:00 → Thu 30, Fri 01/05, Sat, Sun off, Mon 04/05 (1), Tue 05/05 (2)
        (
            vn(2026, 4, 29, 17),
            datetime(2026, 4, 24, 9),
            datetime(2026, 4, 29, 14),
            "2026-05-05T17:00:00+07:00",
        ),
        # a request on a day off (Sat 21/02/2026, in Tết): r = Mon 23 … Fri 27 = 5; completed the same
        # day → 5th working day after Sat 21/02 = Fri 27/02: unchanged
        (
            vn(2026, 2, 27, 17),
            datetime(2026, 2, 21, 10),
            datetime(2026, 2, 21, 16),
            "2026-02-27T17:00:00+07:00",
        ),
        # the request on the due day, before the due time: r = 0 → the same-day rule from the completion:
        # completed Mon 02/03 10:00 (before 15:00, working day) → Mon 02/03 17:00
        (
            vn(2026, 2, 27, 17),
            datetime(2026, 2, 27, 9),
            datetime(2026, 3, 2, 10),
            "2026-03-02T17:00:00+07:00",
        ),
        # … completed Mon 02/03 15:00 → Tue 03/03 17:00
        (
            vn(2026, 2, 27, 17),
            datetime(2026, 2, 27, 9),
            datetime(2026, 3, 2, 15),
            "2026-03-03T17:00:00+07:00",
        ),
        # … completed Sat 28/02 → Mon 02/03 17:00
        (
            vn(2026, 2, 27, 17),
            datetime(2026, 2, 27, 9),
            datetime(2026, 2, 28, 9),
            "2026-03-02T17:00:00+07:00",
        ),
        # a request after the due time stops nothing: due_at unchanged, the dossier stays late
        (
            vn(2026, 2, 27, 17),
            datetime(2026, 2, 27, 17, 30),
            datetime(2026, 3, 2, 9),
            "2026-02-27T17:00:00+07:00",
        ),
        (
            vn(2026, 2, 27, 17),
            datetime(2026, 2, 27, 17, 0),
            datetime(2026, 3, 2, 9),
            "2026-02-27T17:00:00+07:00",
        ),
    ],
)
def test_resume_after_supplement(vn_calendar, due, requested, completed, expected):
    assert resume_after_supplement(due, requested, completed, vn_calendar).isoformat() == expected


def test_working_days_left_counts_after_the_request_day_up_to_the_due_day(vn_calendar):
    due = vn(2026, 2, 27, 17)
    assert working_days_left(datetime(2026, 2, 24, 10), due, vn_calendar) == 3
    assert working_days_left(datetime(2026, 2, 13, 8), due, vn_calendar) == 5  # Tết in between
    assert working_days_left(datetime(2026, 2, 26, 16), due, vn_calendar) == 1
    assert working_days_left(datetime(2026, 2, 27, 8), due, vn_calendar) == 0
    assert working_days_left(datetime(2026, 3, 2, 8), due, vn_calendar) == 0


def test_resume_after_supplement_for_a_limit_in_working_hours(vn_calendar):
    """4 h from Mon 09/03/2026 10:00 → due 15:30. Request Mon 11:00 leaves 11:00–11:30 + 13:00–15:30 = 3 h;
    completed Tue 10/03 16:00 → 16:00–17:00 (1) + Wed 11/03 07:30–09:30 (2)."""
    due = due_at(datetime(2026, 3, 9, 10, 0), HOURS(4), vn_calendar)
    assert due == vn(2026, 3, 9, 15, 30)

    resumed = resume_after_supplement(
        due,
        datetime(2026, 3, 9, 11, 0),
        datetime(2026, 3, 10, 16, 0),
        vn_calendar,
        unit=LimitUnit.WORKING_HOURS,
    )

    assert resumed.isoformat() == "2026-03-11T09:30:00+07:00"


def test_resume_without_a_limit_stays_without_a_limit(vn_calendar):
    assert (
        resume_after_supplement(None, datetime(2026, 3, 9, 11), datetime(2026, 3, 10, 9), vn_calendar) is None
    )


def test_completion_before_the_request_is_refused(vn_calendar):
    with pytest.raises(ValueError, match="cannot be completed before the supplement request"):
        resume_after_supplement(
            vn(2026, 2, 27, 17), datetime(2026, 2, 24, 10), datetime(2026, 2, 24, 9), vn_calendar
        )


# ---- working hours left and "due soon" ------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "expected_hours"),
    [
        # due Fri 27/02/2026 17:00
        (datetime(2026, 2, 13, 16, 30), 40.5),  # 0.5 h Fri 13/02, Tết, then Mon 23–Fri 27: 5 × 8 h
        (datetime(2026, 2, 26, 9, 0), 14.5),  # Thu 09:00–11:30, 13:00–17:00 (6.5) + Fri 8
        (datetime(2026, 2, 26, 16, 0), 9.0),
        (datetime(2026, 2, 27, 7, 30), 8.0),
        (datetime(2026, 2, 27, 8, 0), 7.5),
        (datetime(2026, 2, 27, 12, 15), 4.0),  # lunch does not count
        (datetime(2026, 2, 27, 17, 0), 0.0),
        (datetime(2026, 3, 2, 9, 0), -1.5),  # overdue by Mon 07:30–09:00; the weekend does not count
    ],
)
def test_working_hours_left(vn_calendar, now, expected_hours):
    left = working_hours_left(now, vn(2026, 2, 27, 17), vn_calendar)

    assert left == timedelta(hours=expected_hours)


@pytest.mark.parametrize(
    ("now", "hours", "expected"),
    [
        (datetime(2026, 2, 26, 16, 0), 8, False),  # 9 h left
        (datetime(2026, 2, 27, 7, 30), 8, False),  # exactly 8 h: not fewer than 8
        (datetime(2026, 2, 27, 7, 31), 8, True),
        (datetime(2026, 2, 27, 8, 0), 8, True),
        (datetime(2026, 2, 26, 16, 0), 10, True),  # 9 h < 10 h
        (datetime(2026, 2, 27, 16, 59), 8, True),
        (datetime(2026, 2, 27, 17, 0), 8, False),  # overdue is not "due soon"
        (datetime(2026, 3, 2, 9, 0), 8, False),
    ],
)
def test_is_due_soon(vn_calendar, now, hours, expected):
    assert is_due_soon(now, vn(2026, 2, 27, 17), vn_calendar, hours=hours) is expected


def test_due_soon_across_tet(vn_calendar):
    """Due Mon 23/02/2026 17:00; on Fri 13/02 16:00 only 1 h (Fri) + 8 h (Mon 23/02) = 9 h are left."""
    due = vn(2026, 2, 23, 17)
    now = datetime(2026, 2, 13, 16, 0)

    assert working_hours_left(now, due, vn_calendar) == timedelta(hours=9)
    assert is_due_soon(now, due, vn_calendar) is False
    assert is_due_soon(now, due, vn_calendar, hours=10) is True


def test_no_due_time_is_never_due_soon(vn_calendar):
    assert working_hours_left(datetime(2026, 2, 13, 16), None, vn_calendar) is None
    assert is_due_soon(datetime(2026, 2, 13, 16), None, vn_calendar) is False


# ---- a synthetic calendar: the module needs no package and no settings ----------------------------


def test_pure_module_with_a_synthetic_calendar():
    """Mon–Fri, no holidays, one make-up Saturday (07/03/2026) and one weekday off (Mon 09/03/2026)."""
    calendar = WorkingCalendar(days_off=frozenset({date(2026, 3, 9)}), workdays=frozenset({date(2026, 3, 7)}))

    # Fri 06/03 + 2: Sat 07 (1), Sun 08 off, Mon 09 off, Tue 10 (2)
    assert due_at(datetime(2026, 3, 6, 9), WD(2), calendar) == vn(2026, 3, 10, 17)
