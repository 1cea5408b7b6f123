"""How a dossier's deadline reads on screen: remaining working time and its colour.

early / due soon / overdue as UX.md asks; a paused dossier (awaiting supplement) shows the pause;
a finished one shows whether it was on time (finish time vs `due_at`, never the rescheduled date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .calendar import working_calendar
from .deadlines import working_hours_left
from .querysets import due_soon_hours
from .states import CLOCK_RUNNING, DossierStatus


@dataclass(frozen=True)
class DeadlineView:
    state: str  # ok | soon | overdue | paused | none | on_time | late | closed
    badge: str  # css: ok | warn | bad | ""
    text: str


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours >= 8:
        return _("còn %(d).1f ngày làm việc") % {"d": hours / 8}
    return _("còn %(h).1f giờ làm việc") % {"h": hours}


def deadline_view(dossier, now: datetime | None = None) -> DeadlineView:
    now = now or timezone.now()
    status = dossier.status
    if status in (DossierStatus.COMPLETED, DossierStatus.RETURNED):
        if dossier.due_at is None:
            return DeadlineView("none", "", _("Không quy định thời hạn"))
        finished = dossier.completed_at or dossier.returned_at
        if (finished is not None and finished > dossier.due_at) or dossier.counts_as_overdue:
            return DeadlineView("late", "bad", _("Trễ hạn"))
        return DeadlineView("on_time", "ok", _("Đúng hạn"))
    if status == DossierStatus.AWAITING_SUPPLEMENT:
        return DeadlineView("paused", "", _("Tạm dừng chờ bổ sung"))
    if status not in CLOCK_RUNNING:
        return DeadlineView("closed", "", "")
    if dossier.due_at is None:
        return DeadlineView("none", "", _("Không quy định thời hạn"))
    left = working_hours_left(now, dossier.due_at, working_calendar())
    assert left is not None
    if now >= dossier.due_at:
        return DeadlineView(
            "overdue", "bad", _("Quá hạn %(h).1f giờ làm việc") % {"h": -left.total_seconds() / 3600}
        )
    if left < timedelta(hours=due_soon_hours()):
        return DeadlineView("soon", "warn", _hours(left))
    return DeadlineView("ok", "ok", _hours(left))
