"""`twotier due_date`: JSON on stdout, errors on stderr with a non-zero exit code.

Expected values are worked out by hand (see test_deadlines.py): Fri 13/02/2026 16:30 + 5 working days
skips Tết (16–20/02) and two weekends → Fri 27/02/2026 17:00.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run_in_process(*args: str) -> dict:
    out = StringIO()
    call_command("due_date", *args, stdout=out)
    return json.loads(out.getvalue())


def run_cli(*args: str, tz: str = "UTC") -> subprocess.CompletedProcess:
    """The real console entry point in a fresh process whose zone (TZ and Django's TIME_ZONE) is `tz`."""
    env = {
        **os.environ,
        "TZ": tz,
        "TIME_ZONE": tz,
        "DJANGO_SETTINGS_MODULE": "twotier.settings_test",
    }
    return subprocess.run(
        [sys.executable, "-m", "twotier.cli", "due_date", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--received", "2026-02-13T16:30", "--working-days", "5"], "2026-02-27T17:00:00+07:00"),
        # same day: Wed 11/03/2026 before / at 15:00:00
        (["--received", "2026-03-11T14:59:59", "--working-days", "0"], "2026-03-11T17:00:00+07:00"),
        (["--received", "2026-03-11T15:00:00", "--working-days", "0"], "2026-03-12T17:00:00+07:00"),
        # Mon 09/02/2026 + 7 calendar days = Mon 16/02 (Tết) → Mon 23/02
        (["--received", "2026-02-09T09:00", "--calendar-days", "7"], "2026-02-23T17:00:00+07:00"),
        # Mon 09/03/2026 10:00 + 4 working hours over lunch → 15:30
        (["--received", "2026-03-09T10:00", "--hours", "4"], "2026-03-09T15:30:00+07:00"),
        # an offset is converted: 09:30Z = 16:30 in Hanoi
        (["--received", "2026-02-13T09:30:00+00:00", "--working-days", "5"], "2026-02-27T17:00:00+07:00"),
        (["--received", "2026-02-13 16:30", "--working-days", "5"], "2026-02-27T17:00:00+07:00"),
    ],
)
def test_prints_the_due_time(args, expected):
    assert run_in_process(*args) == {"due_at": expected}


def test_no_limit_prints_null():
    assert run_in_process("--received", "2026-02-13T16:30", "--no-limit") == {"due_at": None}


def test_naive_input_is_hanoi_time_even_when_the_process_zone_is_utc():
    """14:59:59 without an offset is before the cut-off in Hanoi (read as UTC it would be 21:59:59 there)."""
    result = run_cli("--received", "2026-03-11T14:59:59", "--working-days", "0", tz="UTC")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"due_at": "2026-03-11T17:00:00+07:00"}


def test_offset_input_is_converted_when_the_process_zone_is_elsewhere():
    """08:00Z on Wed 11/03/2026 is 15:00:00 in Hanoi: a same-day dossier is due Thu 12/03."""
    result = run_cli("--received", "2026-03-11T08:00:00Z", "--working-days", "0", tz="America/New_York")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '{"due_at": "2026-03-12T17:00:00+07:00"}'


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--received", "2026-03-11", "--working-days", "1"], "expected YYYY-MM-DDTHH:MM"),
        (["--received", "2026-02-30T10:00", "--working-days", "1"], "not a valid date and time"),
        (["--received", "2026-03-11T10:00", "--working-days", "-1"], "must not be negative"),
        (["--received", "2026-03-11T10:00", "--working-days", "two"], "expected a whole number"),
        (["--received", "2026-03-11T10:00", "--working-days", "1", "--hours", "2"], "not allowed with"),
        (["--received", "2026-03-11T10:00"], "one of the arguments"),
        (["--received", "2026-03-11T10:00", "--calendar-days", "0"], "calendar_days must be at least 1"),
        (["--received", "2026-03-11T10:00", "--hours", "0"], "working_hours must be at least 1"),
        (["--received", "2199-03-11T10:00", "--working-days", "1"], "outside the working calendar"),
    ],
)
def test_bad_input_is_a_command_error(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("due_date", *args, stdout=StringIO())


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["--received", "13/02/2026 16:30", "--working-days", "5"], "expected YYYY-MM-DDTHH:MM", 2),
        (["--received", "2026-03-11T10:00", "--calendar-days", "0"], "calendar_days must be at least 1", 1),
    ],
)
def test_bad_input_exits_non_zero_with_the_message_on_stderr(args, message, code):
    result = run_cli(*args)

    assert result.returncode == code
    assert result.stdout == ""
    assert message in result.stderr
