"""Reorganizations across their effective date: "as of" queries the day before and on the day."""

from datetime import date

import pytest

from twotier.apparatus import services
from twotier.apparatus.metrics import snapshot
from twotier.apparatus.models import Assignment, Disposition, Official, Post, Responsibility, Unit, UnitParent
from twotier.apparatus.querysets import children_map, parent_of

from .factories import lead, make_post, make_task, make_unit, staff

pytestmark = pytest.mark.django_db
E = date(2025, 7, 1)
BEFORE = date(2025, 6, 30)


@pytest.fixture
def leader(django_user_model):
    return django_user_model.objects.create_superuser("leader-r", password="x")


def codes_below(root: Unit, on: date) -> list[str]:
    return sorted(Unit.objects.subtree(root, on, include_root=False).values_list("code", flat=True))


def test_merge_as_of_the_day_before_and_the_effective_date(leader):
    root = make_unit("m-root", level="organisation")
    a, b = make_unit("m-a", parent=root), make_unit("m-b", parent=root)
    team = make_unit("m-a-team", parent=a, level="team")
    people_a, people_b = staff(make_post(a), 3), staff(make_post(b), 2)
    task = make_task("m-task")
    lead(task, a)
    lead(task, b, role="coordinate")
    dispositions = {str(o.pk): {"kind": "move", "post": "ab/1"} for o in people_a + people_b[:1]}
    dispositions[str(people_b[1].pk)] = {"kind": "release", "reason": "Nghị định 178/2024/NĐ-CP"}
    plan = {
        "predecessors": ["m-a", "m-b"],
        "successors": [
            {"code": "m-ab", "name": "Phòng AB", "kind": "", "level": "", "tier": "", "from": ["m-a", "m-b"]}
        ],
        "posts": [{"key": "ab/1", "unit": "m-ab", "title": "Chuyên viên", "quota": 4}],
        "dispositions": dispositions,
    }
    reorg = services.draft_reorganization(
        kind="merge", title="Hợp nhất A, B", effective_on=E, legal_basis="QĐ 12/2025", plan=plan, actor=leader
    )
    preview = services.preview_reorganization(reorg, actor=leader)
    assert preview.can_apply, preview.errors
    assert [u.code for u in preview.units_closed] == ["m-a", "m-b"]
    assert [(c.child_code, c.new_parent_code) for c in preview.parent_changes] == [("m-a-team", "m-ab")]
    assert preview.disposition_counts() == {"move": 4, "retire": 0, "release": 1}
    assert Unit.objects.filter(code="m-ab").exists() is False  # the preview writes nothing

    services.apply_reorganization(reorg, actor=leader)

    assert codes_below(root, BEFORE) == ["m-a", "m-a-team", "m-b"]
    assert codes_below(root, E) == ["m-a-team", "m-ab"]
    ab = Unit.objects.get(code="m-ab")
    assert parent_of(team.pk, BEFORE) == a.pk
    assert parent_of(team.pk, E) == ab.pk
    assert (Unit.objects.get(code="m-a").valid_to, ab.valid_from) == (E, E)
    assert snapshot(root, BEFORE)["headcount"] == 5
    assert snapshot(root, E)["headcount"] == 4
    assert snapshot(root, BEFORE)["units_by_level"] == {"department": 2, "team": 1}
    assert snapshot(root, E)["units_by_level"] == {"department": 1, "team": 1}
    # the task keeps exactly one lead, carried by the successor from E; the coordination is absorbed
    rows = Responsibility.objects.filter(task=task).order_by("valid_from", "-role")
    assert [(r.unit.code, r.role, r.valid_from, r.valid_to) for r in rows] == [
        ("m-a", "lead", date(2025, 1, 1), E),
        ("m-b", "coordinate", date(2025, 1, 1), E),
        ("m-ab", "lead", E, None),
    ]
    assert Disposition.objects.filter(reorganization=reorg).count() == 5
    released = Official.objects.get(pk=people_b[1].pk)
    assert released.assignments.valid_on(E).count() == 0
    assert released.assignments.valid_on(BEFORE).count() == 1


def test_split_as_of_and_the_successor_told_to_lead(leader):
    root = make_unit("s-root", level="organisation")
    big = make_unit("s-big", parent=root)
    t1, t2 = make_unit("s-t1", parent=big, level="team"), make_unit("s-t2", parent=big, level="team")
    people = staff(make_post(big), 2)
    task = make_task("s-task")
    lead(task, big)
    plan = {
        "predecessors": ["s-big"],
        "successors": [
            {"code": "s-north", "name": "Bắc", "kind": "", "level": "", "tier": "", "from": ["s-big"]},
            {"code": "s-south", "name": "Nam", "kind": "", "level": "", "tier": "", "from": ["s-big"]},
        ],
        "posts": [
            {"key": "n", "unit": "s-north", "title": "CV", "quota": 1},
            {"key": "s", "unit": "s-south", "title": "CV", "quota": 1},
        ],
        "children": {"s-t1": "s-north", "s-t2": "s-south"},
        "responsibility_to": {"default": "s-south"},
        "dispositions": {
            str(people[0].pk): {"kind": "move", "post": "n"},
            str(people[1].pk): {"kind": "move", "post": "s"},
        },
    }
    reorg = services.draft_reorganization(
        kind="split", title="Chia", effective_on=E, legal_basis="QĐ 13/2025", plan=plan, actor=leader
    )
    preview = services.preview_reorganization(reorg)
    assert [(r.task_code, r.from_code, r.to_code) for r in preview.responsibilities] == [
        ("s-task", "s-big", "s-south")
    ]

    services.apply_reorganization(reorg, actor=leader)

    assert codes_below(root, BEFORE) == ["s-big", "s-t1", "s-t2"]
    assert codes_below(root, E) == ["s-north", "s-south", "s-t1", "s-t2"]
    north, south = Unit.objects.get(code="s-north"), Unit.objects.get(code="s-south")
    assert children_map(E)[north.pk] == [t1.pk]
    assert children_map(E)[south.pk] == [t2.pk]
    leads_on = {
        d: list(
            Responsibility.objects.leads().valid_on(d).filter(task=task).values_list("unit__code", flat=True)
        )
        for d in (BEFORE, E)
    }
    assert leads_on == {BEFORE: ["s-big"], E: ["s-south"]}
    assert sorted(
        Assignment.objects.valid_on(E).filter(official__in=people).values_list("unit__code", flat=True)
    ) == [
        "s-north",
        "s-south",
    ]


def test_split_without_a_lead_successor_is_refused(leader):
    root = make_unit("s2-root")
    make_unit("s2-big", parent=root)
    plan = {
        "predecessors": ["s2-big"],
        "successors": [
            {"code": "s2-a", "name": "A", "kind": "", "level": "", "tier": "", "from": ["s2-big"]},
            {"code": "s2-b", "name": "B", "kind": "", "level": "", "tier": "", "from": ["s2-big"]},
        ],
    }
    with pytest.raises(services.DomainError, match="chủ trì"):
        services.draft_reorganization(
            kind="split", title="x", effective_on=E, legal_basis="x", plan=plan, actor=leader
        )


def test_rename_transfer_and_abolish(leader):
    root, other = make_unit("r-root"), make_unit("r-other")
    make_unit("r-old", parent=root)
    gone = make_unit("r-gone", parent=root)
    staff(make_post(gone), 1)
    rename = services.draft_reorganization(
        kind="rename",
        title="Đổi tên",
        effective_on=E,
        legal_basis="QĐ 14/2025",
        actor=leader,
        plan={
            "predecessors": ["r-old"],
            "successors": [
                {"code": "r-new", "name": "Tên mới", "kind": "", "level": "", "tier": "", "from": ["r-old"]}
            ],
        },
    )
    services.apply_reorganization(rename, actor=leader)
    transfer = services.draft_reorganization(
        kind="transfer",
        title="Chuyển",
        effective_on=date(2025, 8, 1),
        legal_basis="QĐ 15/2025",
        actor=leader,
        plan={
            "predecessors": ["r-new"],
            "successors": [
                {
                    "code": "r-moved",
                    "name": "Tên mới",
                    "kind": "",
                    "level": "",
                    "tier": "",
                    "parent": "r-other",
                    "from": ["r-new"],
                }
            ],
        },
    )
    services.apply_reorganization(transfer, actor=leader)
    abolish = services.draft_reorganization(
        kind="abolish",
        title="Giải thể",
        effective_on=E,
        legal_basis="QĐ 16/2025",
        actor=leader,
        plan={
            "predecessors": ["r-gone"],
            "dispositions": {
                str(Post.objects.get(unit__code="r-gone").assignments.get().official_id): {"kind": "retire"}
            },
        },
    )
    services.apply_reorganization(abolish, actor=leader)

    assert codes_below(root, BEFORE) == ["r-gone", "r-old"]
    assert codes_below(root, E) == ["r-new"]
    assert codes_below(root, date(2025, 8, 1)) == []
    assert codes_below(other, date(2025, 8, 1)) == ["r-moved"]
    assert Unit.objects.get(code="r-old").name == "Đơn vị r-old"  # history is never rewritten
    assert UnitParent.objects.filter(unit__code="r-gone", valid_to=E).count() == 1


def test_transfer_to_the_same_parent_is_refused(leader):
    root = make_unit("tr-root")
    make_unit("tr-x", parent=root)
    reorg = services.draft_reorganization(
        kind="transfer",
        title="x",
        effective_on=E,
        legal_basis="x",
        actor=leader,
        plan={
            "predecessors": ["tr-x"],
            "successors": [
                {
                    "code": "tr-y",
                    "name": "Y",
                    "kind": "",
                    "level": "",
                    "tier": "",
                    "parent": "tr-root",
                    "from": ["tr-x"],
                }
            ],
        },
    )
    with pytest.raises(services.Conflict, match="cấp trên mới"):
        services.apply_reorganization(reorg, actor=leader)
    assert not Unit.objects.filter(code="tr-y").exists()
