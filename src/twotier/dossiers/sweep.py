"""The periodic deadline sweep: due soon, overdue, reminders. Idempotent: each dossier is flagged once
per condition (the `*_flagged_at` columns), so running it every few minutes is harmless.

The flags are system bookkeeping, not state changes made by a person: they do not bump the dossier's
`version` (an officer's pending action is not invalidated by the sweep) but each writes an event.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .deadlines import to_local
from .idempotency import purge_expired
from .models import Dossier, DossierEvent, DossierEventKind, LookupAttempt
from .querysets import due_soon_hours


def _remind(dossier: Dossier, kind: str) -> bool:
    user = dossier.assignee
    if user is None or not user.email:
        return False
    due = timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y")
    subject = (
        f"[Sắp đến hạn] Hồ sơ {dossier.receipt_code}"
        if kind == "due_soon"
        else f"[Quá hạn] Hồ sơ {dossier.receipt_code}"
    )
    send_mail(
        subject,
        f"Hồ sơ {dossier.receipt_code} có hạn trả kết quả {due}.",
        getattr(settings, "DEFAULT_FROM_EMAIL", None),
        [user.email],
        fail_silently=True,
    )
    return True


def sweep(now: datetime | None = None, hours: float | None = None) -> dict[str, int]:
    """Flag due-soon and overdue dossiers not flagged yet; purge expired idempotency keys and day-old
    lookup attempts. Returns the counts."""
    now = now or timezone.now()
    hours = due_soon_hours() if hours is None else hours
    counts = {"due_soon": 0, "overdue": 0, "reminders": 0}
    soon = (
        Dossier.objects.due_soon(now, hours)
        .filter(due_soon_flagged_at__isnull=True)
        .select_related("assignee")
    )
    for dossier in soon.iterator(chunk_size=500):
        with transaction.atomic():
            if not Dossier.objects.filter(pk=dossier.pk, due_soon_flagged_at__isnull=True).update(
                due_soon_flagged_at=now
            ):
                continue
            DossierEvent.objects.create(
                dossier=dossier,
                province_code=dossier.province_code,
                kind=DossierEventKind.DUE_SOON,
                data={"due_at": to_local(dossier.due_at).isoformat(), "hours": hours},
            )
        counts["due_soon"] += 1
        counts["reminders"] += _remind(dossier, "due_soon")
    late = Dossier.objects.overdue(now).filter(overdue_flagged_at__isnull=True).select_related("assignee")
    for dossier in late.iterator(chunk_size=500):
        with transaction.atomic():
            if not Dossier.objects.filter(pk=dossier.pk, overdue_flagged_at__isnull=True).update(
                overdue_flagged_at=now
            ):
                continue
            has_letter = dossier.apology_letters.exists()
            DossierEvent.objects.create(
                dossier=dossier,
                province_code=dossier.province_code,
                kind=DossierEventKind.OVERDUE,
                data={"due_at": to_local(dossier.due_at).isoformat(), "apology_letter": has_letter},
            )
        counts["overdue"] += 1
        counts["reminders"] += _remind(dossier, "overdue")
    counts["expired_keys"] = purge_expired()
    counts["old_lookups"] = LookupAttempt.objects.filter(at__lt=now - timedelta(days=1)).delete()[0]
    return counts
