"""Background work of the one-stop shop (Celery; eager in-process on the embedded default).

- `send_notifications(ids)`: queued after commit by the services (notifications.queue); retries the
  failed ones with exponential backoff. `resend_notifications()`: periodic, re-sends rows left queued.
- `sweep_deadlines()`: periodic (Celery beat in production, e.g. every 15 minutes; `twotier
  sweep_deadlines` by hand): flags dossiers due within TWOTIER_DUE_SOON_HOURS working hours (default
  8) and overdue ones, once each, with an event, and reminds the handling officer by e-mail.
"""

from __future__ import annotations

from celery import shared_task


def retry_countdown(retries: int) -> int:
    """Exponential backoff: TWOTIER_NOTIFICATION_RETRY_SECONDS (60) × 2^retries, at most a day."""
    from django.conf import settings

    base = int(getattr(settings, "TWOTIER_NOTIFICATION_RETRY_SECONDS", 60))
    return min(base * 2**retries, 86_400)


@shared_task(name="dossiers.send_notifications", bind=True, ignore_result=True, max_retries=None)
def send_notifications(self, ids: list[int]) -> int:
    """Send; the ids that failed are retried (only those) with backoff until their attempts run out
    (notifications.send records every failure on its row, so nothing is lost meanwhile)."""
    from .notifications import send

    sent, retry = send(ids)
    if retry and self.request.is_eager:
        # in-process (embedded default): no worker will come back later, so try again at once, up to
        # the attempt limit (each failure is still recorded on its row)
        while retry:
            more, retry = send(retry)
            sent += more
    elif retry:
        raise self.retry(args=[retry], countdown=retry_countdown(self.request.retries))
    return sent


@shared_task(name="dossiers.resend_notifications", ignore_result=True)
def resend_notifications() -> int:
    from .notifications import resend_stale

    return resend_stale()


@shared_task(name="dossiers.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> dict[str, int]:
    from .sweep import sweep

    return sweep()
