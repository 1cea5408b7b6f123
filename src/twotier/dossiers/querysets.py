"""Reads of dossiers: read scope (`visible_to`) and the work queues.

Scope (ARCHITECTURE.md "Access"): a commune official sees the dossiers received at their commune's
centre and those their commune's units handle (a dossier received in A for B is seen in both A and B),
and a receptionist also sees the online filings still waiting for receipt (status 1) anywhere in their
province, since any centre may receive them; city staff see their province; `core.view_all_scopes`
sees everything. Out of scope answers 404.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Self

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from twotier.core.scoping import ScopedQuerySet, scope_of

from .states import CLOCK_RUNNING, OPEN, DossierStatus


class ProvinceScopedQuerySet(ScopedQuerySet):
    province_field = "province_code"
    commune_field = None


def due_soon_limit(now: datetime, hours: float) -> datetime:
    """The instant at which `hours` working hours from `now` have elapsed.

    A due time strictly before it has fewer than `hours` working hours left (office time between now
    and a later instant grows with it), so "due soon" is an indexed range on `due_at`.
    """
    from .calendar import working_calendar
    from .deadlines import add_office_time

    return add_office_time(now, timedelta(hours=hours), working_calendar())


def due_soon_hours() -> float:
    from django.conf import settings

    return float(getattr(settings, "TWOTIER_DUE_SOON_HOURS", 8))


class DossierQuerySet(ScopedQuerySet):
    def visible_to(self, user) -> Self:
        scope = scope_of(user)
        if scope.everything:
            return self
        condition = Q(pk__in=[])
        if scope.province_codes:
            condition |= Q(province_code__in=scope.province_codes)
        if scope.commune_codes:
            condition |= Q(receiving_commune_code__in=scope.commune_codes) | Q(
                competent_commune_code__in=scope.commune_codes
            )
            province = getattr(getattr(user, "staff_profile", None), "province_code", "")
            if province and user.has_perm("dossiers.receive_dossier"):
                # receipt regardless of administrative boundaries (phi địa giới, Decree 118/2025/NĐ-CP):
                # an online filing waiting for receipt may be received at any centre of its province
                condition |= Q(status=DossierStatus.SUBMITTED, province_code=province)
        return self.filter(condition)

    # ---- states ----
    def open(self) -> Self:
        return self.filter(status__in=OPEN)

    def clock_running(self) -> Self:
        return self.filter(status__in=CLOCK_RUNNING, due_at__isnull=False)

    def overdue(self, now: datetime | None = None) -> Self:
        """Open, the clock running, and the legal due time passed (overdue is derived, not a status)."""
        return self.clock_running().filter(due_at__lt=now or timezone.now())

    def due_soon(self, now: datetime | None = None, hours: float | None = None) -> Self:
        """Open, the clock running, fewer than `hours` working hours left, not yet overdue."""
        now = now or timezone.now()
        limit = due_soon_limit(now, due_soon_hours() if hours is None else hours)
        return self.clock_running().filter(due_at__gte=now, due_at__lt=limit)

    def awaiting_supplement(self) -> Self:
        return self.filter(status=DossierStatus.AWAITING_SUPPLEMENT)

    def with_apology(self) -> Self:
        from .models import ApologyLetter

        return self.annotate(has_apology=Exists(ApologyLetter.objects.filter(dossier=OuterRef("pk"))))

    def needing_apology(self, now: datetime | None = None) -> Self:
        """Due soon without an apology letter yet: the handling unit must issue one before the due time."""
        return self.due_soon(now).with_apology().filter(has_apology=False)

    def overdue_without_apology(self, now: datetime | None = None) -> Self:
        return self.overdue(now).with_apology().filter(has_apology=False)

    # ---- who ----
    def assigned_to(self, user) -> Self:
        return self.filter(assignee=user)

    def handled_by_units(self, unit_ids) -> Self:
        return self.filter(competent_unit_id__in=list(unit_ids))

    def for_commune(self, commune_code: str) -> Self:
        return self.filter(Q(receiving_commune_code=commune_code) | Q(competent_commune_code=commune_code))

    def for_list(self) -> Self:
        return self.select_related("procedure", "competent_unit", "receiving_unit", "assignee")
