"""The working calendar: what the installed `holidays` package says for 2025–2026, and the settings.

Where the expected days come from (written by hand, not read from the package):
- 2025: New Year Wed 01/01; Tết off Sat 25/01–Sun 02/02 (Announcement 6150/TB-BLĐTBXH of 2024, cited
  by the package: Mon 27/01 is the day off in lieu of Tết's 4th day falling on Sat 01/02); Hùng Kings
  Mon 07/04 (10/3 lunar); 30/04–01/05 with Fri 02/05 off in exchange for working Sat 26/04; National
  Day Tue 02/09 plus Mon 01/09 (Labour Code 2019 art. 112: 2/9 plus one adjacent day).
- 2026: New Year Thu 01/01; Tết off Sat 14/02–Sun 22/02, the five statutory days being Mon 16/02 (eve)
  to Fri 20/02 (the plan as reported, e.g. congan.com.vn "Chính thức chốt phương án Tết Nguyên đán Bính
  Ngọ 2026 nghỉ 9 ngày"); Hùng Kings Sun 26/04 → off Mon 27/04; Thu 30/04 and Fri 01/05; National Day Wed
  02/09 plus Tue 01/09, and Mon 31/08 off in exchange for working Sat 22/08 (the package's 2026 reference,
  thuvienphapluat.vn on the 2026 National Day schedule); Vietnam Culture Day Tue 24/11 (new from 2026,
  Politburo decision to make 24/11 a paid day off, as reported by the press and cited by the package).
These lists were then checked against holidays 0.109: they agree exactly.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import holidays
import pytest
from django.core.exceptions import ImproperlyConfigured

from twotier.dossiers.calendar import vn_working_calendar, working_calendar
from twotier.dossiers.deadlines import (
    DEFAULT_OFFICE_HOURS,
    VN_TZ,
    CalendarRangeError,
    TimeLimit,
    WorkingCalendar,
    due_at,
)

WEEKDAY_DAYS_OFF = {
    2025: [
        date(2025, 1, 1),
        date(2025, 1, 27),
        date(2025, 1, 28),
        date(2025, 1, 29),
        date(2025, 1, 30),
        date(2025, 1, 31),
        date(2025, 4, 7),
        date(2025, 4, 30),
        date(2025, 5, 1),
        date(2025, 5, 2),
        date(2025, 9, 1),
        date(2025, 9, 2),
    ],
    2026: [
        date(2026, 1, 1),
        date(2026, 2, 16),
        date(2026, 2, 17),
        date(2026, 2, 18),
        date(2026, 2, 19),
        date(2026, 2, 20),
        date(2026, 4, 27),
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 8, 31),
        date(2026, 9, 1),
        date(2026, 9, 2),
        date(2026, 11, 24),
    ],
}
WEEKEND_WORKDAYS = {2025: [date(2025, 4, 26)], 2026: [date(2026, 8, 22)]}


def _days(year: int) -> list[date]:
    day, days = date(year, 1, 1), []
    while day.year == year:
        days.append(day)
        day += timedelta(days=1)
    return days


@pytest.mark.parametrize("year", [2025, 2026])
def test_weekday_days_off_are_the_official_ones(vn_calendar, year):
    off = [d for d in _days(year) if d.weekday() < 5 and not vn_calendar.is_working_day(d)]

    assert off == WEEKDAY_DAYS_OFF[year]


@pytest.mark.parametrize("year", [2025, 2026])
def test_weekend_make_up_days_are_the_official_ones(vn_calendar, year):
    worked = [d for d in _days(year) if d.weekday() >= 5 and vn_calendar.is_working_day(d)]

    assert worked == WEEKEND_WORKDAYS[year]


def test_working_days_agree_with_the_package_is_working_day_2020_to_2030(vn_calendar):
    package = holidays.country_holidays("VN", years=range(2020, 2031))
    day = date(2020, 1, 1)
    disagreements = []
    while day.year <= 2030:
        if vn_calendar.is_working_day(day) != package.is_working_day(day):
            disagreements.append(day)
        day += timedelta(days=1)

    assert disagreements == []


def test_a_date_outside_the_calendar_years_is_refused(vn_calendar):
    with pytest.raises(CalendarRangeError, match="2100-01-04 is outside the working calendar"):
        vn_calendar.is_working_day(date(2100, 1, 4))


def test_default_settings_give_the_package_calendar_and_default_office_hours(settings, vn_calendar):
    for name in ("TWOTIER_EXTRA_DAYS_OFF", "TWOTIER_EXTRA_WORKDAYS", "TWOTIER_OFFICE_HOURS"):
        if hasattr(settings, name):
            delattr(settings, name)

    calendar = working_calendar()

    assert calendar == vn_calendar
    assert calendar.office_hours == ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))
    assert calendar.office_hours == DEFAULT_OFFICE_HOURS


def test_configured_extra_day_off_pushes_the_due_date(settings):
    """Fri 06/03/2026 configured off: Thu 05/03 + 1 working day skips Fri, Sat, Sun → Mon 09/03."""
    settings.TWOTIER_EXTRA_DAYS_OFF = ["2026-03-06"]

    calendar = working_calendar()

    assert calendar.is_working_day(date(2026, 3, 6)) is False
    due = due_at(datetime(2026, 3, 5, 9, 0), TimeLimit.working_days(1), calendar)
    assert due == datetime(2026, 3, 9, 17, 0, tzinfo=VN_TZ)


def test_configured_make_up_saturday_counts_as_a_working_day(settings):
    """Sat 07/03/2026 configured as a make-up day: Fri 06/03 + 1 working day → Sat 07/03 17:00."""
    settings.TWOTIER_EXTRA_WORKDAYS = ["2026-03-07"]

    calendar = working_calendar()

    assert calendar.is_working_day(date(2026, 3, 7)) is True
    due = due_at(datetime(2026, 3, 6, 9, 0), TimeLimit.working_days(1), calendar)
    assert due == datetime(2026, 3, 7, 17, 0, tzinfo=VN_TZ)


def test_configuration_wins_over_the_package(settings):
    """24/11/2026 (package: day off) configured as worked; Sat 22/08/2026 (package: make-up) as off."""
    settings.TWOTIER_EXTRA_WORKDAYS = ["2026-11-24"]
    settings.TWOTIER_EXTRA_DAYS_OFF = ["2026-08-22"]

    calendar = working_calendar()

    assert due_at(datetime(2026, 11, 23, 9, 0), TimeLimit.working_days(1), calendar) == datetime(
        2026, 11, 24, 17, 0, tzinfo=VN_TZ
    )
    # Fri 21/08 + 1: Sat 22/08 no longer worked, Sun 23/08 → Mon 24/08
    assert due_at(datetime(2026, 8, 21, 9, 0), TimeLimit.working_days(1), calendar) == datetime(
        2026, 8, 24, 17, 0, tzinfo=VN_TZ
    )


def test_configured_office_hours_drive_working_hours(settings):
    """08:00–12:00 and 13:30–17:30: 5 h from Mon 09/03/2026 07:30 = 08:00–12:00 (4 h) + 13:30–14:30."""
    settings.TWOTIER_OFFICE_HOURS = [["08:00", "12:00"], ["13:30", "17:30"]]

    calendar = working_calendar()

    assert calendar.office_hours == ((time(8, 0), time(12, 0)), (time(13, 30), time(17, 30)))
    due = due_at(datetime(2026, 3, 9, 7, 30), TimeLimit.working_hours(5), calendar)
    assert due == datetime(2026, 3, 9, 14, 30, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TWOTIER_EXTRA_DAYS_OFF", ["2026-13-01"], "month must be in 1..12"),
        ("TWOTIER_EXTRA_WORKDAYS", ["not a date"], "Invalid isoformat string"),
        ("TWOTIER_OFFICE_HOURS", [("07:30", "11:30"), ("11:00", "17:00")], "must not overlap"),
        ("TWOTIER_OFFICE_HOURS", [("17:00", "07:30")], "does not end after it starts"),
        ("TWOTIER_OFFICE_HOURS", ["07:30-11:30"], "a pair of times"),
        ("TWOTIER_OFFICE_HOURS", [], "office hours are empty"),
    ],
)
def test_malformed_settings_are_reported(settings, name, value, message):
    setattr(settings, name, value)

    with pytest.raises(ImproperlyConfigured, match=message):
        working_calendar()


def test_a_date_both_off_and_worked_is_a_configuration_error(settings):
    settings.TWOTIER_EXTRA_DAYS_OFF = ["2026-03-07"]
    settings.TWOTIER_EXTRA_WORKDAYS = ["2026-03-07"]

    with pytest.raises(ImproperlyConfigured, match="both as a day off and as a working day: 2026-03-07"):
        working_calendar()


def test_working_calendar_value_rejects_overlapping_sets():
    with pytest.raises(ValueError, match="dates both off and working"):
        WorkingCalendar(days_off=frozenset({date(2026, 3, 7)}), workdays=frozenset({date(2026, 3, 7)}))


def test_vn_working_calendar_extra_days_do_not_touch_other_days():
    calendar = vn_working_calendar(extra_days_off=[date(2026, 3, 6)], first_year=2026, last_year=2026)

    assert calendar.is_working_day(date(2026, 3, 5)) is True
    assert calendar.is_working_day(date(2026, 3, 6)) is False
    assert calendar.is_working_day(date(2026, 8, 22)) is True
    with pytest.raises(CalendarRangeError):
        calendar.is_working_day(date(2027, 1, 4))
