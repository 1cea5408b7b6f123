"""The database keeps the rules even when the services are bypassed (both engines)."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from twotier.apparatus import services
from twotier.apparatus.models import Assignment, Reorganization, Responsibility, Unit

from .factories import lead, make_official, make_post, make_task, make_unit, staff

pytestmark = pytest.mark.django_db


def test_second_open_lead_inserted_through_the_orm_raises_integrity_error():
    task = make_task("t-open")
    first, second = make_unit("x-lead-1"), make_unit("x-lead-2")
    lead(task, first)

    with pytest.raises(IntegrityError), transaction.atomic():
        lead(task, second)

    assert list(Responsibility.objects.filter(task=task).values_list("unit__code", flat=True)) == ["x-lead-1"]


def test_second_lead_overlapping_a_closed_period_raises_integrity_error():
    """Not caught by the partial unique index (the first row is closed): the exclusion constraint
    (PostgreSQL) or the trigger (SQLite) refuses it."""
    task = make_task("t-closed")
    first, second = make_unit("x-closed-1"), make_unit("x-closed-2")
    lead(task, first, valid_from=date(2025, 1, 1), valid_to=date(2025, 7, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        lead(task, second, valid_from=date(2025, 6, 30), valid_to=date(2025, 9, 1))

    assert Responsibility.objects.filter(task=task).count() == 1


def test_updating_a_lead_into_an_overlap_raises_integrity_error():
    task = make_task("t-update")
    first, second = make_unit("x-upd-1"), make_unit("x-upd-2")
    lead(task, first, valid_from=date(2025, 1, 1), valid_to=date(2025, 7, 1))
    later = lead(task, second, valid_from=date(2025, 7, 1))

    with pytest.raises(IntegrityError), transaction.atomic():
        Responsibility.objects.filter(pk=later.pk).update(valid_from=date(2025, 6, 1))

    later.refresh_from_db()
    assert later.valid_from == date(2025, 7, 1)


def test_consecutive_leads_and_coordinators_are_allowed():
    task = make_task("t-consecutive")
    first, second, helper = make_unit("x-c-1"), make_unit("x-c-2"), make_unit("x-c-3")
    lead(task, first, valid_from=date(2025, 1, 1), valid_to=date(2025, 7, 1))
    lead(task, second, valid_from=date(2025, 7, 1))
    lead(task, helper, role="coordinate")
    lead(task, first, role="coordinate")
    # the same task may have a lead in each commune (another territory)
    lead(task, second, commune="26740", tier="commune")

    assert Responsibility.objects.filter(task=task, role="lead").count() == 3


def test_service_refuses_a_second_lead_and_names_the_existing_one():
    task = make_task("t-service")
    first, second = make_unit("x-s-1"), make_unit("x-s-2")
    services.assign_responsibility(
        task, first, role="lead", tier="city", province_code="79", valid_from=date(2025, 1, 1)
    )

    with pytest.raises(services.SecondLead) as refused:
        services.assign_responsibility(
            task, second, role="lead", tier="city", province_code="79", valid_from=date(2025, 3, 1)
        )

    assert "Đơn vị x-s-1 (x-s-1)" in str(refused.value)
    assert "01/01/2025" in str(refused.value)
    assert list(Responsibility.objects.filter(task=task).values_list("unit__code", flat=True)) == ["x-s-1"]


def test_overlapping_assignments_of_one_official_are_refused():
    unit = make_unit("x-ov")
    post_a, post_b = make_post(unit, "A"), make_post(unit, "B")
    official = make_official()
    services.assign_official(official, post_a, valid_from=date(2025, 1, 1), valid_to=date(2025, 6, 1))

    with pytest.raises(services.OverlappingValidity):
        services.assign_official(official, post_b, valid_from=date(2025, 5, 31))

    assert Assignment.objects.filter(official=official).count() == 1
    services.assign_official(official, post_b, valid_from=date(2025, 6, 1))  # half-open: no overlap
    assert Assignment.objects.filter(official=official).count() == 2


def test_two_open_assignments_inserted_through_the_orm_raise_integrity_error():
    unit = make_unit("x-ov2")
    post = make_post(unit)
    official = staff(post, 1)[0]

    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(official=official, post=post, unit=unit, valid_from=date(2025, 3, 1))


def test_empty_validity_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(
            code="x-empty",
            name="x",
            kind="department",
            tier="city",
            level="department",
            province_code="79",
            valid_from=date(2025, 7, 1),
            valid_to=date(2025, 7, 1),
        )


def test_apply_refuses_while_an_official_is_unaccounted_for_and_changes_nothing(django_user_model):
    leader = django_user_model.objects.create_superuser("leader-x", password="x")
    root = make_unit("x-root")
    a, b = make_unit("x-a", parent=root), make_unit("x-b", parent=root)
    people = staff(make_post(a), 2) + staff(make_post(b), 1)
    plan = {
        "predecessors": ["x-a", "x-b"],
        "successors": [
            {"code": "x-ab", "name": "AB", "kind": "", "level": "", "tier": "", "from": ["x-a", "x-b"]}
        ],
        "posts": [{"key": "p", "unit": "x-ab", "title": "Chuyên viên", "quota": 3}],
        "dispositions": {
            str(people[0].pk): {"kind": "move", "post": "p"},
            str(people[1].pk): {"kind": "retire"},
        },
    }
    reorg = services.draft_reorganization(
        kind="merge",
        title="AB",
        effective_on=date(2025, 7, 1),
        legal_basis="QĐ 1/2025",
        plan=plan,
        actor=leader,
    )

    with pytest.raises(services.UnaccountedOfficials) as refused:
        services.apply_reorganization(reorg, actor=leader)

    assert people[2].full_name in str(refused.value)
    reorg.refresh_from_db()
    assert reorg.status == "draft"
    assert not Unit.objects.filter(code="x-ab").exists()
    assert Unit.objects.get(code="x-a").valid_to is None
    assert Assignment.objects.filter(official__in=people, valid_to__isnull=True).count() == 3


def test_apply_needs_the_permission(django_user_model):
    clerk = django_user_model.objects.create_user("clerk-x", password="x")
    root = make_unit("x-root2")
    make_unit("x-c", parent=root), make_unit("x-d", parent=root)
    reorg = Reorganization.objects.create(
        kind="merge",
        title="CD",
        effective_on=date(2025, 7, 1),
        legal_basis="x",
        province_code="79",
        plan={
            "predecessors": ["x-c", "x-d"],
            "successors": [
                {"code": "x-cd", "name": "CD", "kind": "", "level": "", "tier": "", "from": ["x-c", "x-d"]}
            ],
        },
    )

    with pytest.raises(services.PermissionDenied):
        services.apply_reorganization(reorg, actor=clerk)

    assert not Unit.objects.filter(code="x-cd").exists()
