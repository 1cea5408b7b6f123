"""Background work of the one-stop shop (Celery; eager in-process on the embedded default).

- `send_notifications(ids)`: queued after commit by the services (notifications.queue).
- `sweep_deadlines()`: periodic (Celery beat in production, e.g. every 15 minutes; `twotier
  sweep_deadlines` by hand): flags dossiers due within TWOTIER_DUE_SOON_HOURS working hours (default
  8) and overdue ones, once each, with an event, and reminds the handling officer by e-mail.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="dossiers.send_notifications", ignore_result=True)
def send_notifications(ids: list[int]) -> int:
    from .notifications import send

    return send(ids)


@shared_task(name="dossiers.sweep_deadlines", ignore_result=True)
def sweep_deadlines() -> dict[str, int]:
    from .sweep import sweep

    return sweep()
