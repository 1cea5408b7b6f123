"""Background work of the evaluation app (Celery; eager in-process on the embedded default).

- `rollup_recent()`: periodic (e.g. hourly in Celery beat; the schedule entry is the lead's to add in
  settings.CELERY_BEAT_SCHEDULE): recomputes yesterday and today (Asia/Ho_Chi_Minh), so late events of
  the previous day (a result returned after midnight is today's; a rating sent at 23:59 is yesterday's)
  land in their own day. Each day starts from the backlog stored for the day before (`rollup_day`),
  so its cost follows that day's events.
"""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task


@shared_task(name="evaluation.rollup_recent", ignore_result=True)
def rollup_recent() -> int:
    from django.utils import timezone

    from twotier.dossiers.deadlines import VN_TZ
    from twotier.geography.models import Province

    from .services import rollup_day
    from .warnings import evaluate_warnings

    today = timezone.now().astimezone(VN_TZ).date()
    # one province at a time: the day's indexes lead with province_code (ARCHITECTURE.md), so a
    # statement without it would read the whole dossiers table for the open backlog
    written = 0
    for code in Province.objects.order_by("code").values_list("code", flat=True):
        written += rollup_day(today - timedelta(days=1), code) + rollup_day(today, code)
    evaluate_warnings(today)  # early warnings after each rollup (issue 7 item 5; evaluation/warnings.py)
    return written
