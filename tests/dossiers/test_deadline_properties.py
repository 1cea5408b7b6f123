"""Properties of the deadline rule over random receipts (hypothesis), on the real VN calendar."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from twotier.dossiers.calendar import vn_working_calendar
from twotier.dossiers.deadlines import (
    VN_TZ,
    LimitUnit,
    TimeLimit,
    due_at,
    is_due_soon,
    office_time_between,
    resume_after_supplement,
    to_local,
    working_hours_left,
)

CALENDAR = vn_working_calendar()
SETTINGS = settings(max_examples=300, deadline=None)

naive_receipts = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31, 23, 59, 59))
offsets = st.integers(min_value=-12 * 4, max_value=14 * 4).map(lambda q: timezone(timedelta(minutes=15 * q)))
receipts = st.one_of(
    naive_receipts,
    naive_receipts.map(lambda d: d.replace(tzinfo=VN_TZ)),
    st.builds(lambda d, tz: d.replace(tzinfo=tz), naive_receipts, offsets),
)
day_limits = st.one_of(
    st.integers(0, 60).map(TimeLimit.working_days),
    st.integers(1, 90).map(TimeLimit.calendar_days),
)


@SETTINGS
@given(received=receipts, limit=day_limits)
def test_day_limits_end_at_17_on_a_working_day_after_the_receipt(received, limit):
    due = due_at(received, limit, CALENDAR)

    assert due.utcoffset() == timedelta(hours=7)
    assert due.timetz().replace(tzinfo=None) == time(17, 0)
    assert CALENDAR.is_working_day(due.date())
    assert due > received if received.tzinfo else due > to_local(received)


@SETTINGS
@given(received=receipts, n=st.integers(1, 60))
def test_working_days_count_exactly_n_working_days_after_the_receipt_date(received, n):
    due = due_at(received, TimeLimit.working_days(n), CALENDAR)
    day, counted = to_local(received).date(), 0
    while day < due.date():
        day += timedelta(days=1)
        counted += CALENDAR.is_working_day(day)

    assert counted == n


@SETTINGS
@given(
    received=receipts,
    n=st.integers(0, 59),
    unit=st.sampled_from([LimitUnit.WORKING_DAYS, LimitUnit.CALENDAR_DAYS]),
)
def test_day_limits_are_monotonic_in_n(received, n, unit):
    if unit is LimitUnit.CALENDAR_DAYS and n == 0:
        n = 1
    shorter = due_at(received, TimeLimit(n, unit), CALENDAR)
    longer = due_at(received, TimeLimit(n + 1, unit), CALENDAR)

    assert shorter <= longer
    if unit is LimitUnit.WORKING_DAYS and n >= 1:
        assert shorter < longer


@SETTINGS
@given(received=receipts, n=st.integers(1, 80))
def test_working_hours_contain_exactly_n_office_hours_and_end_inside_office_hours(received, n):
    due = due_at(received, TimeLimit.working_hours(n), CALENDAR)
    local = due.timetz().replace(tzinfo=None)

    assert due > to_local(received)
    assert office_time_between(received, due, CALENDAR) == timedelta(hours=n)
    assert working_hours_left(received, due, CALENDAR) == timedelta(hours=n)
    assert CALENDAR.is_working_day(due.date())
    assert any(start < local <= end for start, end in CALENDAR.office_hours)


@SETTINGS
@given(received=receipts, n=st.integers(1, 80))
def test_working_hours_are_monotonic_in_n(received, n):
    assert due_at(received, TimeLimit.working_hours(n), CALENDAR) < due_at(
        received, TimeLimit.working_hours(n + 1), CALENDAR
    )


@SETTINGS
@given(
    received=naive_receipts,
    tz=offsets,
    limit=st.one_of(day_limits, st.integers(1, 40).map(TimeLimit.working_hours)),
)
def test_the_same_instant_in_any_offset_gives_the_same_due_time(received, tz, limit):
    local_wall_clock = received  # naive: Asia/Ho_Chi_Minh
    same_instant = received.replace(tzinfo=VN_TZ).astimezone(tz)

    assert due_at(local_wall_clock, limit, CALENDAR) == due_at(same_instant, limit, CALENDAR)


@SETTINGS
@given(
    received=naive_receipts,
    n=st.integers(1, 30),
    request_after=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=45)),
    pause=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
)
def test_the_pause_never_shortens_the_deadline(received, n, request_after, pause):
    due = due_at(received, TimeLimit.working_days(n), CALENDAR)
    requested = received + request_after
    completed = requested + pause

    resumed = resume_after_supplement(due, requested, completed, CALENDAR)

    assert resumed >= due
    assert resumed.timetz().replace(tzinfo=None) == time(17, 0)
    assert CALENDAR.is_working_day(resumed.date())
    if to_local(requested) < due:
        assert resumed > to_local(completed)
        if completed.date() == requested.date() and requested.date() < due.date():
            assert resumed == due  # the clock stopped and restarted on the same day: nothing lost


@SETTINGS
@given(now=naive_receipts, received=naive_receipts, n=st.integers(0, 20))
def test_due_soon_means_fewer_than_8_office_hours_left_and_not_overdue(now, received, n):
    due = due_at(received, TimeLimit.working_days(n), CALENDAR)
    left = working_hours_left(now, due, CALENDAR)

    assert is_due_soon(now, due, CALENDAR) == (to_local(now) < due and left < timedelta(hours=8))
    assert (left < timedelta(0)) <= (to_local(now) >= due)
