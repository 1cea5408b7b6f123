"""Notifications to applicants by e-mail and SMS, through pluggable backends (console by default).

Outbox pattern: a service writes `Notification` rows inside its own transaction and asks for them to
be sent after commit (`transaction.on_commit` → Celery task `dossiers.send_notifications`: on Redis
when CELERY_BROKER_URL is set, in-process otherwise). Nothing is sent for a change that rolled back.
A failed send is recorded on the row (error, attempts) and retried by the task with exponential
backoff (TWOTIER_NOTIFICATION_RETRY_SECONDS, 60 s doubling); after TWOTIER_NOTIFICATION_MAX_ATTEMPTS
(5) the row is `failed`. Rows left `queued` (broker down at commit) are re-sent by the periodic
`dossiers.resend_notifications`.

Setting (optional) `TWOTIER_NOTIFICATION_BACKENDS`: {"email": "dotted.path.Class", "sms": "..."};
default: `ConsoleBackend` for both. A backend has `send(notification) -> None` and raises on failure.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .models import Dossier, Notification, NotificationChannel, NotificationStatus

DEFAULT_BACKENDS = {
    NotificationChannel.EMAIL: "twotier.dossiers.notifications.ConsoleBackend",
    NotificationChannel.SMS: "twotier.dossiers.notifications.ConsoleBackend",
}


class ConsoleBackend:
    """Writes each message to standard output (development, tests, the embedded default)."""

    def send(self, notification: Notification) -> None:
        head = f"[{notification.channel} → {notification.recipient}] {notification.subject}"
        sys.stdout.write(f"{head}\n{notification.body}\n")


class DjangoEmailBackend:
    """E-mail through Django's configured EMAIL_BACKEND (SMTP in production)."""

    def send(self, notification: Notification) -> None:
        from django.core.mail import send_mail

        send_mail(
            notification.subject,
            notification.body,
            getattr(settings, "DEFAULT_FROM_EMAIL", None),
            [notification.recipient],
            fail_silently=False,
        )


@lru_cache(maxsize=8)
def _backend(path: str):
    return import_string(path)()


def backend_for(channel: str):
    configured = getattr(settings, "TWOTIER_NOTIFICATION_BACKENDS", None) or {}
    return _backend(configured.get(channel) or DEFAULT_BACKENDS[channel])


def status_url(dossier: Dossier) -> str:
    base = getattr(settings, "TWOTIER_PUBLIC_BASE_URL", "").rstrip("/")
    return f"{base}{reverse('dossiers:status')}?code={dossier.receipt_code}"


def _message(dossier: Dossier, kind: str, data: dict) -> tuple[str, str]:
    code = dossier.receipt_code
    procedure = dossier.procedure.name if dossier.procedure_id else ""
    due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y") if dossier.due_at else ""
    url = status_url(dossier)
    if kind == "received":
        subject = _("Tiếp nhận hồ sơ %(code)s") % {"code": code}
        body = _("Hồ sơ %(code)s (%(procedure)s) đã được tiếp nhận.") % {"code": code, "procedure": procedure}
        if due:
            body += " " + _("Hẹn trả kết quả: %(due)s.") % {"due": due}
    elif kind == "submitted":
        subject = _("Đã nhận hồ sơ trực tuyến %(code)s") % {"code": code}
        body = _("Hồ sơ %(code)s (%(procedure)s) đã được gửi, đang chờ cán bộ tiếp nhận.") % {
            "code": code,
            "procedure": procedure,
        }
    elif kind == "supplement_requested":
        subject = _("Yêu cầu bổ sung hồ sơ %(code)s") % {"code": code}
        body = _("Hồ sơ %(code)s cần bổ sung: %(items)s. Lý do: %(reason)s") % {
            "code": code,
            "items": "; ".join(data.get("items", [])),
            "reason": data.get("reason", ""),
        }
    elif kind == "apology_issued":
        subject = _("Xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s") % {"code": code}
        body = _("Hồ sơ %(code)s chưa giải quyết kịp hạn. Hẹn lại: %(new)s. Lý do: %(reason)s") % {
            "code": code,
            "new": data.get("new_due", ""),
            "reason": data.get("reason", ""),
        }
    elif kind == "result_ready":
        subject = _("Đã có kết quả hồ sơ %(code)s") % {"code": code}
        body = _("Hồ sơ %(code)s đã có kết quả, mời ông/bà đến nhận.") % {"code": code}
    elif kind == "not_accepted":
        subject = _("Hồ sơ %(code)s không được tiếp nhận") % {"code": code}
        body = _("Lý do: %(reason)s") % {"reason": "; ".join(data.get("reasons", []))}
    else:
        subject = _("Hồ sơ %(code)s") % {"code": code}
        body = _("Hồ sơ %(code)s: %(status)s.") % {"code": code, "status": dossier.status_name}
    body += " " + _("Tra cứu: %(url)s") % {"url": url}
    return subject, body


def queue(dossier: Dossier, kind: str, data: dict | None = None) -> list[Notification]:
    """Write the notifications of `kind` for the applicant and send them after commit.

    Must run inside the service's transaction. Returns the rows (none without e-mail and phone).
    """
    subject, body = _message(dossier, kind, data or {})
    rows = []
    if dossier.applicant_email:
        rows.append((NotificationChannel.EMAIL, dossier.applicant_email))
    if dossier.applicant_phone:
        rows.append((NotificationChannel.SMS, dossier.applicant_phone))
    created = Notification.objects.bulk_create(
        [
            Notification(
                dossier=dossier,
                province_code=dossier.province_code,
                channel=channel,
                kind=kind,
                recipient=recipient,
                subject=subject,
                body=body,
            )
            for channel, recipient in rows
        ]
    )
    ids = [n.pk for n in created if n.pk is not None]
    if not ids:  # backends without RETURNING on bulk insert (none of ours): read them back
        ids = list(
            Notification.objects.filter(
                dossier=dossier, kind=kind, status=NotificationStatus.QUEUED
            ).values_list("pk", flat=True)
        )
    if ids:
        # robust: a broker that is down must not turn a committed receipt into an error page; the rows
        # stay `queued` and `resend_stale` (periodic) sends them later
        transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return created


def _enqueue(ids: list[int]) -> None:
    from .tasks import send_notifications

    send_notifications.delay(ids)


def max_attempts() -> int:
    return int(getattr(settings, "TWOTIER_NOTIFICATION_MAX_ATTEMPTS", 5))


def send(ids: Iterable[int]) -> tuple[int, list[int]]:
    """Send queued notifications. Returns (how many were sent, the ids to try again later).

    A backend failure never raises and never loses the message: the row keeps `queued` with the
    error and one more attempt, and is returned for a retry; after `TWOTIER_NOTIFICATION_MAX_ATTEMPTS`
    (5) attempts it becomes `failed` (shown to staff, re-sent by `resend_stale`). One failure does
    not stop the others.
    """
    sent, retry = 0, []
    limit = max_attempts()
    for notification in Notification.objects.filter(pk__in=list(ids), status=NotificationStatus.QUEUED):
        try:
            backend_for(notification.channel).send(notification)
        except Exception as exc:  # a gateway being down is expected: record, retry later
            attempts = notification.attempts + 1
            final = attempts >= limit
            Notification.objects.filter(pk=notification.pk).update(
                status=NotificationStatus.FAILED if final else NotificationStatus.QUEUED,
                error=str(exc)[:2000],
                attempts=attempts,
            )
            if not final:
                retry.append(notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk).update(
            status=NotificationStatus.SENT, sent_at=timezone.now(), attempts=notification.attempts + 1
        )
        sent += 1
    return sent, retry


def resend_stale(older_than_minutes: int = 30) -> int:
    """Queue again what is still unsent after `older_than_minutes`: a message lost with the broker
    (down at commit) or still `queued` after its task gave up. Periodic (Celery beat). Returns the count."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    ids = list(
        Notification.objects.filter(status=NotificationStatus.QUEUED, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:1000]
    )
    if ids:
        _enqueue(ids)
    return len(ids)
