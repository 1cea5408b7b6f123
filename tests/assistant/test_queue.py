"""Queue tickets: numbering per center/group/day, call next, served, daily waiting/service statistics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from twotier.assistant import services
from twotier.assistant.models import QueueDay, Ticket, TicketStatus
from twotier.assistant.queue_groups import group_for_field
from twotier.core.errors import Conflict, DomainError

pytestmark = pytest.mark.django_db
CENTER = "26743"


def test_numbers_are_consecutive_per_group_and_center():
    a1 = services.take_ticket(CENTER, "civil")
    a2 = services.take_ticket(CENTER, "civil")
    c1 = services.take_ticket(CENTER, "land")
    other = services.take_ticket("26734", "civil")
    assert [a1.label, a2.label, c1.label, other.label] == ["A001", "A002", "C001", "A001"]
    assert QueueDay.objects.get(center_code=CENTER, group="civil").issued == 2


def test_unknown_group_is_refused_and_nothing_is_created():
    with pytest.raises(DomainError):
        services.take_ticket(CENTER, "nope")
    assert Ticket.objects.count() == 0


def test_call_next_then_served_stores_wait_and_service_times(django_user_model):
    officer = django_user_model.objects.create_user("counter1")
    first = services.take_ticket(CENTER, "civil")
    services.take_ticket(CENTER, "civil")
    Ticket.objects.filter(pk=first.pk).update(issued_at=timezone.now() - timedelta(minutes=10))
    called = services.call_next(CENTER, "civil", counter="3", actor=officer)
    assert called.pk == first.pk
    assert called.status == TicketStatus.CALLED
    assert called.counter == "3"
    Ticket.objects.filter(pk=first.pk).update(called_at=timezone.now() - timedelta(minutes=4))
    served = services.mark_served(first.pk, actor=officer)
    assert served.status == TicketStatus.SERVED
    day = QueueDay.objects.get(center_code=CENTER, group="civil")
    assert day.served == 1
    assert 360 - 5 <= day.wait_seconds <= 360 + 5
    assert 240 - 5 <= day.service_seconds <= 240 + 5
    with pytest.raises(Conflict):
        services.mark_served(first.pk, actor=officer)
    assert QueueDay.objects.get(pk=day.pk).served == 1


def test_call_next_with_nobody_waiting_returns_none():
    assert services.call_next(CENTER, "land", counter="1", actor=None) is None


def test_groups_by_field():
    assert group_for_field("Hộ tịch").key == "civil"
    assert group_for_field("Đất đai").key == "land"
    assert group_for_field("Thủy sản").key == "other"
