"""Every transition, allowed and refused, per role; the move service's guarantees.

The expected table below is written by hand from DOMAIN.md's status list and the roles of the
brief (receptionists at the counter, specialists/leaders of the competent unit), not derived from
`states.MOVES`.
"""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied

from twotier.core.errors import Conflict, DomainError
from twotier.core.roles import CITY_SUPERVISOR, EVALUATOR, RECEPTIONIST, SPECIALIST, UNIT_LEADER
from twotier.dossiers import services
from twotier.dossiers.models import Dossier, DossierEvent, Payment, SupplementRequest
from twotier.dossiers.services import (
    StaleDossier,
    TransitionNotAllowed,
    may_move,
    move_dossier,
    receive_dossier,
)
from twotier.dossiers.states import MOVES, TRANSITIONS, DossierStatus

from .factories import RE_BIRTH, A, B, at, hcmc_setup, receipt, staff

STAFF_ROLES = ["rec_a", "rec_b", "spec_b", "lead_b", "spec_a", "lead_a", "evaluator", "supervisor"]
ANY_STAFF_BOTH_SIDES = {"rec_a", "rec_b", "spec_b", "lead_b", "spec_a", "lead_a"}

# (from, to) -> who may make it, for a dossier received at A's centre and handled by B's Office.
# An online filing (status 1) may be received, or refused, at any centre of the province (phi địa giới).
EXPECTED = {
    (1, 2): {"rec_a", "rec_b"},
    (1, 3): {"rec_a", "rec_b"},
    (1, 7): ANY_STAFF_BOTH_SIDES,
    (2, 4): {"spec_b", "lead_b"},
    (2, 5): {"spec_b", "lead_b"},
    (2, 7): ANY_STAFF_BOTH_SIDES,
    (2, 8): {"lead_b"},
    (4, 5): {"spec_b", "lead_b"},
    (4, 6): {"spec_b", "lead_b"},
    (4, 7): ANY_STAFF_BOTH_SIDES,
    (4, 8): {"lead_b"},
    (4, 9): {"spec_b", "lead_b"},
    (5, 4): ANY_STAFF_BOTH_SIDES,
    (5, 7): ANY_STAFF_BOTH_SIDES,
    (5, 8): {"lead_b"},
    (6, 4): ANY_STAFF_BOTH_SIDES,
    (6, 7): ANY_STAFF_BOTH_SIDES,
    (6, 8): {"lead_b"},
    (9, 10): {"rec_a"},
}


@pytest.fixture
def world(db, make_staff):
    hcmc_setup()
    people = {
        "rec_a": staff(make_staff, "rec_a", RECEPTIONIST, A),
        "rec_b": staff(make_staff, "rec_b", RECEPTIONIST, B),
        "spec_b": staff(make_staff, "spec_b", SPECIALIST, B),
        "lead_b": staff(make_staff, "lead_b", UNIT_LEADER, B),
        "spec_a": staff(make_staff, "spec_a", SPECIALIST, A),
        "lead_a": staff(make_staff, "lead_a", UNIT_LEADER, A),
        "evaluator": staff(make_staff, "evaluator", EVALUATOR),
        "supervisor": staff(make_staff, "supervisor", CITY_SUPERVISOR),
    }
    dossier = receive_dossier(receipt(RE_BIRTH), actor=people["rec_a"], received_at=at(2026, 3, 2, 9))
    return people, dossier


def _at_status(dossier: Dossier, status: int) -> Dossier:
    """Put the fixture dossier in a status (test setup only; services are tested below)."""
    Dossier.objects.filter(pk=dossier.pk).update(status=status)
    dossier.refresh_from_db()
    return dossier


def test_the_transition_table_is_exactly_the_expected_one():
    assert {pair for pair in MOVES} == set(EXPECTED)
    assert TRANSITIONS[DossierStatus.RETURNED] == frozenset()
    assert TRANSITIONS[DossierStatus.PROCESSING] == {5, 6, 7, 8, 9}


def test_every_pair_and_role(world):
    people, dossier = world
    mismatches = []
    for source, target in itertools.product(range(1, 11), range(1, 11)):
        dossier.status = source
        allowed = EXPECTED.get((source, target), set())
        for name in STAFF_ROLES:
            if may_move(people[name], dossier, target) != (name in allowed):
                mismatches.append((source, target, name))
    assert mismatches == []


def _call(pair, dossier, actor):
    """Make the move through the service that carries its data."""
    _source, target = pair
    v = dossier.version
    wrapper = MOVES[pair].wrapper
    if wrapper == "receive_online":
        return services.receive_online(dossier, actor=actor, seen_version=v)
    if wrapper == "refuse_receipt":
        return services.refuse_receipt(dossier, actor=actor, seen_version=v, reasons=["Thiếu tờ khai"])
    if wrapper == "withdraw":
        return services.withdraw(dossier, actor=actor, seen_version=v, reason="Công dân rút")
    if wrapper == "request_supplement":
        return services.request_supplement(
            dossier, actor=actor, seen_version=v, items=["Tờ khai"], reason="Thiếu tờ khai"
        )
    if wrapper == "stop_processing":
        return services.stop_processing(dossier, actor=actor, seen_version=v, reason="Không đủ điều kiện")
    if wrapper == "request_payment":
        return services.request_payment(dossier, actor=actor, seen_version=v, amount_vnd=50000)
    if wrapper == "record_payment":
        return services.record_payment(
            dossier, actor=actor, seen_version=v, amount_vnd=50000, method="counter"
        )
    if wrapper == "complete_supplement":
        SupplementRequest.objects.get_or_create(
            dossier=dossier,
            number=1,
            defaults={
                "province_code": "79",
                "items": ["x"],
                "reason": "x",
                "requested_at": at(2026, 3, 3),
                "requested_by": actor,
            },
        )
        return services.complete_supplement(dossier, actor=actor, seen_version=v, completed_at=at(2026, 3, 5))
    return move_dossier(dossier, target, actor=actor, seen_version=v)


@pytest.mark.parametrize("pair", sorted(EXPECTED))
def test_each_move_through_its_service_allowed_and_refused(world, pair):
    people, dossier = world
    source, target = pair
    refused = next(name for name in STAFF_ROLES if name not in EXPECTED[pair])
    allowed = sorted(EXPECTED[pair])[0]
    dossier = _at_status(dossier, source)
    events_before = DossierEvent.objects.filter(dossier=dossier).count()

    with pytest.raises(PermissionDenied):
        _call(pair, dossier, people[refused])
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (source, 1)
    assert DossierEvent.objects.filter(dossier=dossier).count() == events_before

    moved = _call(pair, dossier, people[allowed])
    assert (moved.status, moved.version) == (target, 2)
    last = DossierEvent.objects.filter(dossier=dossier).order_by("-pk").first()
    assert last.actor == people[allowed]
    assert (last.data["from"], last.data["to"]) == (source, target)


def test_a_move_not_in_the_table_is_refused_and_changes_nothing(world):
    people, dossier = world
    with pytest.raises(TransitionNotAllowed):
        move_dossier(dossier, DossierStatus.RETURNED, actor=people["rec_a"], seen_version=1)
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (2, 1)
    assert DossierEvent.objects.filter(dossier=dossier, kind="status_changed").count() == 0


def test_a_move_that_carries_data_must_use_its_wrapper(world):
    people, dossier = world
    with pytest.raises(DomainError, match="request_supplement"):
        move_dossier(dossier, DossierStatus.AWAITING_SUPPLEMENT, actor=people["spec_b"], seen_version=1)
    dossier.refresh_from_db()
    assert dossier.status == 2


def test_a_stale_version_is_refused_with_the_message_and_writes_nothing(world):
    people, dossier = world
    move_dossier(dossier, DossierStatus.PROCESSING, actor=people["spec_b"], seen_version=1)
    stale = Dossier.objects.get(pk=dossier.pk)
    stale.version = 1  # what a second officer's page still shows
    stale.status = 4

    with pytest.raises(StaleDossier) as caught:
        move_dossier(stale, DossierStatus.COMPLETED, actor=people["lead_b"], seen_version=1)

    assert str(caught.value) == "Hồ sơ đã được người khác cập nhật, vui lòng tải lại"
    assert isinstance(caught.value, Conflict)
    dossier.refresh_from_db()
    assert (dossier.status, dossier.version) == (4, 2)
    assert DossierEvent.objects.filter(dossier=dossier, kind="status_changed").count() == 1


def test_start_processing_assigns_the_specialist_and_completion_notifies(world):
    people, dossier = world
    dossier = move_dossier(dossier, DossierStatus.PROCESSING, actor=people["spec_b"], seen_version=1)
    assert dossier.assignee == people["spec_b"]
    dossier = move_dossier(dossier, DossierStatus.COMPLETED, actor=people["spec_b"], seen_version=2)
    assert dossier.completed_at is not None
    assert set(dossier.notifications.filter(kind="result_ready").values_list("channel", flat=True)) == {
        "email",
        "sms",
    }
    dossier = move_dossier(dossier, DossierStatus.RETURNED, actor=people["rec_a"], seen_version=3)
    assert (dossier.status_name, dossier.version) == ("Đã trả kết quả", 4)
    assert dossier.returned_at is not None
    assert dossier.closed_at == dossier.returned_at


def test_payment_round_trip(world):
    people, dossier = world
    dossier = move_dossier(dossier, DossierStatus.PROCESSING, actor=people["spec_b"], seen_version=1)
    dossier = services.request_payment(dossier, actor=people["spec_b"], seen_version=2, amount_vnd=120000)
    assert (dossier.status, dossier.fee_vnd) == (6, 120000)
    dossier = services.record_payment(
        dossier,
        actor=people["rec_a"],
        seen_version=3,
        amount_vnd=120000,
        method="online",
        reference="VNPAY-1",
    )
    assert dossier.status == 4
    assert list(Payment.objects.filter(dossier=dossier).values_list("amount_vnd", "method", "reference")) == [
        (120000, "online", "VNPAY-1")
    ]


def test_a_fee_paid_without_a_status_change_is_recorded(world):
    people, dossier = world
    dossier = services.record_payment(
        dossier, actor=people["rec_a"], seen_version=1, amount_vnd=8000, method="counter"
    )
    assert (dossier.status, dossier.version) == (2, 2)
    assert Payment.objects.filter(dossier=dossier).count() == 1


def test_refusal_requires_reasons(world):
    people, dossier = world
    dossier = _at_status(dossier, 1)
    with pytest.raises(DomainError):
        services.refuse_receipt(dossier, actor=people["rec_a"], seen_version=1, reasons=["  "])
    dossier.refresh_from_db()
    assert dossier.status == 1


def test_events_are_append_only(world):
    _, dossier = world
    event = dossier.events.first()
    event.note = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    assert dossier.events.first().note == ""
