"""`twotier due_date`: the due time of a dossier under the platform's deadline rule.

    twotier due_date --received 2026-02-13T16:30 --working-days 5
    {"due_at": "2026-02-27T17:00:00+07:00"}

`--received` without an offset is Asia/Ho_Chi_Minh time whatever the machine's zone; with an offset it
is converted. Exactly one limit: --working-days N (0 = same-day procedure), --calendar-days N,
--hours N (working hours within office hours) or --no-limit (prints {"due_at": null}).
"""

from __future__ import annotations

import json
import re
from argparse import ArgumentTypeError
from datetime import datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from twotier.dossiers.calendar import working_calendar
from twotier.dossiers.deadlines import CalendarRangeError, TimeLimit, due_at

# A date and a time are both required: for a same-day procedure the time decides (15:00:00 cut-off).
_HAS_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _received(value: str) -> datetime:
    if not _HAS_TIME.match(value):
        raise ArgumentTypeError(f"expected YYYY-MM-DDTHH:MM[:SS][±HH:MM], got {value!r}")
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise ArgumentTypeError(f"not a valid date and time: {value!r} ({exc})") from exc


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError as exc:
        raise ArgumentTypeError(f"expected a whole number, got {value!r}") from exc
    if number < 0:
        raise ArgumentTypeError(f"must not be negative, got {number}")
    return number


class Command(BaseCommand):
    help = "Print the due time of a dossier as JSON: {'due_at': 'YYYY-MM-DDTHH:MM:SS+07:00'}."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--received",
            required=True,
            type=_received,
            help="receipt time, ISO 8601; without an offset it is Asia/Ho_Chi_Minh time",
        )
        limit = parser.add_mutually_exclusive_group(required=True)
        limit.add_argument("--working-days", type=_count, metavar="N", help="N working days (0: same day)")
        limit.add_argument("--calendar-days", type=_count, metavar="N", help="N calendar days (N >= 1)")
        limit.add_argument("--hours", type=_count, metavar="N", help="N working hours within office hours")
        limit.add_argument("--no-limit", action="store_true", help="the procedure states no time limit")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["no_limit"]:
                limit = None
            elif options["working_days"] is not None:
                limit = TimeLimit.working_days(options["working_days"])
            elif options["calendar_days"] is not None:
                limit = TimeLimit.calendar_days(options["calendar_days"])
            else:
                limit = TimeLimit.working_hours(options["hours"])
            due = due_at(options["received"], limit, working_calendar())
        except (CalendarRangeError, ImproperlyConfigured, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps({"due_at": due.isoformat(timespec="seconds") if due else None}))
