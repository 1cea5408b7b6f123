"""Fixtures of the deadline tests: the real VN working calendar, built once per session."""

from __future__ import annotations

import pytest

from twotier.dossiers.calendar import vn_working_calendar
from twotier.dossiers.deadlines import WorkingCalendar


@pytest.fixture(scope="session")
def vn_calendar() -> WorkingCalendar:
    """The installed `holidays` VN calendar with no configured extra days and default office hours."""
    return vn_working_calendar()
