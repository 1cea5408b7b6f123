"""Writes of the queue: take a number, call the next one, mark it served (atomic, actor recorded)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from twotier.core.errors import Conflict, DomainError

from .models import QueueDay, Ticket, TicketStatus
from .queue_groups import BY_KEY


def _stats(center_code: str, day, group: str) -> QueueDay:
    row, _ = QueueDay.objects.get_or_create(center_code=center_code, day=day, group=group)
    return row


@transaction.atomic
def take_ticket(center_code: str, group: str, *, procedure_code: str = "") -> Ticket:
    """The next number of `group` at the center today. The day's stats row is locked first, so two
    kiosks taking a number at once get consecutive numbers (the unique constraint is the backstop)."""
    if group not in BY_KEY:
        raise DomainError(f"unknown counter group: {group}")
    if not center_code.isdigit():
        raise DomainError("center code must be a commune code")
    now = timezone.now()
    day = timezone.localdate(now)
    stats = _stats(center_code, day, group)
    QueueDay.objects.select_for_update().filter(pk=stats.pk).first()
    last = Ticket.objects.filter(center_code=center_code, day=day, group=group).aggregate(m=Max("number"))[
        "m"
    ]
    ticket = Ticket.objects.create(
        center_code=center_code,
        group=group,
        day=day,
        number=(last or 0) + 1,
        procedure_code=procedure_code,
        issued_at=now,
    )
    QueueDay.objects.filter(pk=stats.pk).update(issued=F("issued") + 1)
    return ticket


@transaction.atomic
def call_next(center_code: str, group: str, *, counter: str, actor) -> Ticket | None:
    """Call the oldest waiting ticket of the group to `counter`; None when nobody waits."""
    ticket = (
        Ticket.objects.select_for_update()
        .filter(center_code=center_code, group=group, day=timezone.localdate(), status=TicketStatus.WAITING)
        .order_by("number")
        .first()
    )
    if ticket is None:
        return None
    ticket.status = TicketStatus.CALLED
    ticket.called_at = timezone.now()
    ticket.counter = counter
    ticket.called_by = actor
    ticket.save(update_fields=["status", "called_at", "counter", "called_by", "updated_at"])
    return ticket


@transaction.atomic
def mark_served(ticket_id: int, *, actor) -> Ticket:
    """Close a called ticket and add its waiting (issue → call) and service (call → done) times to the day."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
    if ticket.status != TicketStatus.CALLED:
        raise Conflict("only a called ticket can be marked served")
    ticket.status = TicketStatus.SERVED
    ticket.served_at = timezone.now()
    ticket.save(update_fields=["status", "served_at", "updated_at"])
    wait = int((ticket.called_at - ticket.issued_at).total_seconds())
    service = int((ticket.served_at - ticket.called_at).total_seconds())
    stats = _stats(ticket.center_code, ticket.day, ticket.group)
    QueueDay.objects.filter(pk=stats.pk).update(
        served=F("served") + 1,
        wait_seconds=F("wait_seconds") + max(wait, 0),
        service_seconds=F("service_seconds") + max(service, 0),
    )
    return ticket
