"""Reporting periods (pure): names, previous period, same period last year."""

from __future__ import annotations

from datetime import date

import pytest

from twotier.evaluation.periods import PeriodError, parse_period, previous, same_period_last_year


@pytest.mark.parametrize(
    ("name", "kind", "start", "end"),
    [
        ("2026-02-13", "day", date(2026, 2, 13), date(2026, 2, 13)),
        ("2026-W05", "week", date(2026, 1, 26), date(2026, 2, 1)),
        ("2026-W01", "week", date(2025, 12, 29), date(2026, 1, 4)),
        ("2026-01", "month", date(2026, 1, 1), date(2026, 1, 31)),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-Q1", "quarter", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q4", "quarter", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-H1", "half", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026-H2", "half", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026-9M", "9m", date(2026, 1, 1), date(2026, 9, 30)),
        ("2026", "year", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-01-10..2026-02-15", "custom", date(2026, 1, 10), date(2026, 2, 15)),
    ],
)
def test_parse(name, kind, start, end):
    period = parse_period(name)
    assert (period.kind, period.start, period.end, period.name) == (kind, start, end, name)


@pytest.mark.parametrize(
    "name", ["2026-13", "2026-Q5", "2025-W53", "2026-02-30", "2026-02-15..2026-02-01", "Q1"]
)
def test_bad_names_are_refused(name):
    with pytest.raises(PeriodError):
        parse_period(name)


@pytest.mark.parametrize(
    ("name", "before", "last_year"),
    [
        ("2026-03-01", "2026-02-28", "2025-03-01"),
        ("2024-02-29", "2024-02-28", "2023-02-28"),
        ("2026-W01", "2025-W52", "2025-W01"),
        ("2021-W01", "2020-W53", "2020-W01"),  # 2020 had 53 ISO weeks
        ("2026-W53", "2026-W52", "2025-W52"),  # 2025 had 52
        ("2026-01", "2025-12", "2025-01"),
        ("2026-Q1", "2025-Q4", "2025-Q1"),
        ("2026-Q3", "2026-Q2", "2025-Q3"),
        ("2026-H1", "2025-H2", "2025-H1"),
        ("2026-H2", "2026-H1", "2025-H2"),
        ("2026-9M", "2025-9M", "2025-9M"),
        ("2026", "2025", "2025"),
        ("2026-01-10..2026-01-19", "2025-12-31..2026-01-09", "2025-01-10..2025-01-19"),
    ],
)
def test_previous_and_last_year(name, before, last_year):
    period = parse_period(name)
    assert previous(period).name == before
    assert same_period_last_year(period).name == last_year
