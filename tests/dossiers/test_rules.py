"""The law's rules: one consolidated supplement request (leader override), the pause, the apology
letter (due_at never changes), the due-soon / overdue queues and the periodic sweep.

Worked example (re-registration of a birth, 5 working days), dates checked by hand on the 2026
calendar: received Mon 02/03/2026 09:00 → due Mon 09/03 17:00 (03, 04, 05, 06, 09).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from twotier.core.errors import DomainError
from twotier.core.roles import RECEPTIONIST, SPECIALIST, UNIT_LEADER
from twotier.dossiers import services
from twotier.dossiers.models import ApologyLetter, Dossier, DossierEvent, SupplementRequest
from twotier.dossiers.services import SupplementAlreadyRequested, move_dossier, receive_dossier
from twotier.dossiers.sweep import sweep

from .factories import RE_BIRTH, A, B, at, hcmc_setup, receipt, staff


@pytest.fixture
def world(db, make_staff):
    hcmc_setup()
    people = {
        "rec_a": staff(make_staff, "rec_a", RECEPTIONIST, A),
        "spec_b": staff(make_staff, "spec_b", SPECIALIST, B, email="spec_b@example.vn"),
        "lead_b": staff(make_staff, "lead_b", UNIT_LEADER, B),
    }
    dossier = receive_dossier(receipt(RE_BIRTH), actor=people["rec_a"], received_at=at(2026, 3, 2, 9))
    dossier = move_dossier(dossier, 4, actor=people["spec_b"], seen_version=1)
    return people, dossier


def test_due_time_of_the_worked_example(world):
    _, dossier = world
    assert dossier.due_at == at(2026, 3, 9, 17)


def test_supplement_pauses_and_completion_restarts_with_the_days_left(world):
    people, dossier = world
    dossier = services.request_supplement(
        dossier,
        actor=people["spec_b"],
        seen_version=2,
        items=["Tờ khai đăng ký lại khai sinh", "Bản sao giấy tờ tùy thân"],
        reason="Thiếu giấy tờ",
        now=at(2026, 3, 4, 10),
    )
    assert (dossier.status, dossier.supplement_count, dossier.paused_at) == (5, 1, at(2026, 3, 4, 10))
    assert dossier.due_at == at(2026, 3, 9, 17)  # unchanged while paused
    request = SupplementRequest.objects.get(dossier=dossier)
    assert (request.number, request.items, request.due_before) == (
        1,
        ["Tờ khai đăng ký lại khai sinh", "Bản sao giấy tờ tùy thân"],
        at(2026, 3, 9, 17),
    )
    # r = 3 working days left after Wed 04/03 (05, 06, 09); completed Tue 10/03 → 11, 12, 13 → Fri 13/03 17:00
    dossier = services.complete_supplement(
        dossier, actor=people["rec_a"], seen_version=3, completed_at=at(2026, 3, 10, 8, 30)
    )
    assert (dossier.status, dossier.paused_at) == (4, None)
    assert dossier.due_at == at(2026, 3, 13, 17)
    request.refresh_from_db()
    assert (request.completed_at, request.due_after) == (at(2026, 3, 10, 8, 30), at(2026, 3, 13, 17))
    event = dossier.events.get(kind="supplement_completed")
    assert event.data["due_before"] == at(2026, 3, 9, 17).isoformat()
    assert event.data["due_after"] == at(2026, 3, 13, 17).isoformat()


def _first_supplement_then_back(people, dossier):
    dossier = services.request_supplement(
        dossier, actor=people["spec_b"], seen_version=dossier.version, items=["Tờ khai"], reason="Thiếu"
    )
    return services.complete_supplement(dossier, actor=people["spec_b"], seen_version=dossier.version)


def test_a_second_supplement_request_is_refused_without_a_leader_override(world):
    people, dossier = world
    dossier = _first_supplement_then_back(people, dossier)
    version = dossier.version

    with pytest.raises(SupplementAlreadyRequested, match="chỉ được yêu cầu bổ sung một lần"):
        services.request_supplement(
            dossier, actor=people["spec_b"], seen_version=version, items=["X"], reason="Thiếu"
        )
    with pytest.raises(SupplementAlreadyRequested):
        services.request_supplement(
            dossier, actor=people["lead_b"], seen_version=version, items=["X"], reason="Thiếu"
        )
    with pytest.raises(PermissionDenied):
        services.request_supplement(
            dossier,
            actor=people["spec_b"],
            seen_version=version,
            items=["X"],
            reason="Thiếu",
            override_reason="Vì",
        )

    dossier.refresh_from_db()
    assert (dossier.status, dossier.version, dossier.supplement_count, dossier.counts_as_overdue) == (
        4,
        version,
        1,
        False,
    )
    assert SupplementRequest.objects.filter(dossier=dossier).count() == 1


def test_a_leader_override_allows_the_second_request_logs_it_and_counts_the_dossier_overdue(world):
    people, dossier = world
    dossier = _first_supplement_then_back(people, dossier)

    dossier = services.request_supplement(
        dossier,
        actor=people["lead_b"],
        seen_version=dossier.version,
        items=["Giấy xác nhận cư trú"],
        reason="Phát sinh khi thẩm định",
        override_reason="Phát hiện sai lệch thông tin cư trú sau lần bổ sung thứ nhất",
    )

    assert (dossier.status, dossier.supplement_count, dossier.counts_as_overdue) == (5, 2, True)
    second = SupplementRequest.objects.get(dossier=dossier, number=2)
    assert second.override_reason == "Phát hiện sai lệch thông tin cư trú sau lần bổ sung thứ nhất"
    override = dossier.events.get(kind="supplement_override")
    assert (override.actor, override.note) == (people["lead_b"], second.override_reason)


def test_supplement_request_lists_everything_at_once(world):
    people, dossier = world
    with pytest.raises(DomainError):
        services.request_supplement(
            dossier, actor=people["spec_b"], seen_version=2, items=[" "], reason="Thiếu"
        )
    dossier.refresh_from_db()
    assert (dossier.status, dossier.supplement_count) == (4, 0)


def test_apology_sets_the_new_appointment_and_never_changes_due_at(world):
    people, dossier = world
    letter = services.issue_apology(
        dossier,
        actor=people["spec_b"],
        seen_version=2,
        reason="Chờ xác minh tại nơi đăng ký khai sinh trước đây",
        new_due_at=at(2026, 3, 12, 17),
        now=at(2026, 3, 9, 10),
    )
    dossier.refresh_from_db()
    assert dossier.due_at == at(2026, 3, 9, 17)
    assert dossier.rescheduled_due_at == at(2026, 3, 12, 17)
    assert (letter.before_due, dossier.version) == (True, 3)
    assert dossier.events.filter(kind="apology_issued").count() == 1
    assert dossier.notifications.filter(kind="apology_issued").count() == 2
    # finished after due_at: late, letter or not
    dossier = move_dossier(dossier, 9, actor=people["spec_b"], seen_version=3)
    Dossier.objects.filter(pk=dossier.pk).update(completed_at=at(2026, 3, 11, 10))
    dossier.refresh_from_db()
    from twotier.dossiers.display import deadline_view

    assert deadline_view(dossier).state == "late"


def test_apology_date_must_be_after_the_due_time_and_only_the_competent_unit_issues_it(world):
    people, dossier = world
    with pytest.raises(DomainError, match="Ngày hẹn lại phải sau"):
        services.issue_apology(
            dossier,
            actor=people["spec_b"],
            seen_version=2,
            reason="x",
            new_due_at=at(2026, 3, 9, 16),
            now=at(2026, 3, 9, 10),
        )
    with pytest.raises(PermissionDenied):
        services.issue_apology(
            dossier,
            actor=people["rec_a"],
            seen_version=2,
            reason="x",
            new_due_at=at(2026, 3, 12, 17),
            now=at(2026, 3, 9, 10),
        )
    assert ApologyLetter.objects.count() == 0
    dossier.refresh_from_db()
    assert (dossier.rescheduled_due_at, dossier.version) == (None, 2)


def test_queues_due_soon_overdue_and_apology_lists(world):
    people, dossier = world
    qs = Dossier.objects.all()
    # Fri 06/03 10:00: 5.5 h (06/03) + 8 h (09/03) left → not due soon
    assert list(qs.due_soon(at(2026, 3, 6, 10))) == []
    # Mon 09/03 10:00: 1.5 h + 4 h = 5.5 h left < 8 → due soon, needs an apology letter
    assert list(qs.due_soon(at(2026, 3, 9, 10))) == [dossier]
    assert list(qs.needing_apology(at(2026, 3, 9, 10))) == [dossier]
    assert list(qs.overdue(at(2026, 3, 9, 10))) == []
    # Tue 10/03: overdue, without a letter → flagged
    assert list(qs.overdue(at(2026, 3, 10, 9))) == [dossier]
    assert list(qs.overdue_without_apology(at(2026, 3, 10, 9))) == [dossier]
    services.issue_apology(
        dossier,
        actor=people["spec_b"],
        seen_version=2,
        reason="x",
        new_due_at=at(2026, 3, 12, 17),
        now=at(2026, 3, 9, 11),
    )
    assert list(qs.needing_apology(at(2026, 3, 9, 12))) == []
    assert list(qs.overdue_without_apology(at(2026, 3, 10, 9))) == []
    assert list(qs.overdue(at(2026, 3, 10, 9))) == [dossier]


def test_paused_dossiers_are_neither_due_soon_nor_overdue(world):
    people, dossier = world
    services.request_supplement(dossier, actor=people["spec_b"], seen_version=2, items=["X"], reason="Thiếu")
    assert list(Dossier.objects.due_soon(at(2026, 3, 9, 10))) == []
    assert list(Dossier.objects.overdue(at(2026, 3, 20, 10))) == []


def test_sweep_flags_once_and_reminds_the_assignee(world, mailoutbox):
    _people, dossier = world
    nothing = {"expired_keys": 0, "old_lookups": 0}
    assert sweep(now=at(2026, 3, 6, 10)) == {"due_soon": 0, "overdue": 0, "reminders": 0, **nothing}
    assert sweep(now=at(2026, 3, 9, 10)) == {"due_soon": 1, "overdue": 0, "reminders": 1, **nothing}
    assert sweep(now=at(2026, 3, 9, 11)) == {"due_soon": 0, "overdue": 0, "reminders": 0, **nothing}
    assert sweep(now=at(2026, 3, 10, 9)) == {"due_soon": 0, "overdue": 1, "reminders": 1, **nothing}
    assert sweep(now=at(2026, 3, 10, 10)) == {"due_soon": 0, "overdue": 0, "reminders": 0, **nothing}
    kinds = list(
        DossierEvent.objects.filter(dossier=dossier, kind__in=["due_soon", "overdue"]).values_list(
            "kind", "data"
        )
    )
    assert kinds == [
        ("due_soon", {"due_at": at(2026, 3, 9, 17).isoformat(), "hours": 8.0}),
        ("overdue", {"due_at": at(2026, 3, 9, 17).isoformat(), "apology_letter": False}),
    ]
    assert [m.to for m in mailoutbox] == [["spec_b@example.vn"], ["spec_b@example.vn"]]
    dossier.refresh_from_db()
    assert dossier.version == 2  # the sweep does not invalidate an officer's open page
