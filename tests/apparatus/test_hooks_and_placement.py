"""Open work of other apps follows a reorganization (hook); placement review writes dispositions."""

from datetime import date

import pytest
from django.urls import reverse

from twotier.apparatus import hooks, services
from twotier.apparatus.models import Reorganization
from twotier.core.errors import Conflict

from .factories import make_post, make_unit, staff

pytestmark = pytest.mark.django_db
E = date(2025, 7, 1)


@pytest.fixture
def merge_draft(django_user_model):
    leader = django_user_model.objects.create_superuser("leader-h", password="x")
    root = make_unit("h-root")
    a, b = make_unit("h-a", parent=root), make_unit("h-b", parent=root)
    people = staff(make_post(a), 2) + staff(make_post(b), 1)
    plan = {
        "predecessors": ["h-a", "h-b"],
        "successors": [
            {"code": "h-ab", "name": "AB", "kind": "", "level": "", "tier": "", "from": ["h-a", "h-b"]}
        ],
        "posts": [{"key": "lead", "unit": "h-ab", "title": "Trưởng phòng", "quota": 1},
                  {"key": "staff", "unit": "h-ab", "title": "Chuyên viên", "quota": 2}],
        "dispositions": {str(o.pk): {"kind": "move", "post": "staff"} for o in people[:2]}
        | {str(people[2].pk): {"kind": "move", "post": "lead"}},
    }  # fmt: skip
    reorg = services.draft_reorganization(
        kind="merge", title="H", effective_on=E, legal_basis="QĐ 9/2025", plan=plan, actor=leader
    )
    return reorg, leader, people


def test_open_work_is_counted_in_the_preview_and_moved_in_the_transaction(merge_draft):
    reorg, leader, _ = merge_draft
    moved = []
    hooks.register_open_work(
        "test-dossiers",
        label="Hồ sơ đang xử lý (test)",
        count=lambda codes, on: 7 if sorted(codes) == ["h-a", "h-b"] else 0,
        move=lambda mapping, on, actor, reorg_id: moved.append((dict(mapping), on, reorg_id)) or 7,
    )
    try:
        preview = services.preview_reorganization(reorg)
        services.apply_reorganization(reorg, actor=leader)
    finally:
        hooks.unregister_open_work("test-dossiers")

    assert ("Hồ sơ đang xử lý (test)", 7) in preview.open_work
    assert moved == [({"h-a": "h-ab", "h-b": "h-ab"}, E, reorg.pk)]


def test_a_hook_refusal_rolls_the_whole_reorganization_back(merge_draft):
    reorg, leader, _ = merge_draft

    def refuse(mapping, on, actor, reorg_id):
        raise Conflict("Còn 3 hồ sơ chưa chuyển được")

    hooks.register_open_work("test-refuse", label="x", count=lambda codes, on: 3, move=refuse)
    try:
        with pytest.raises(Conflict):
            services.apply_reorganization(reorg, actor=leader)
    finally:
        hooks.unregister_open_work("test-refuse")

    reorg.refresh_from_db()
    assert reorg.status == "draft"
    assert reorg.links.count() == 0


def test_placement_review_proposes_and_records_dispositions(client, merge_draft):
    reorg, leader, _people = merge_draft
    services.update_plan(reorg, {**reorg.plan, "dispositions": {}}, actor=leader)
    client.force_login(leader)

    page = client.get(reverse("apparatus:placement", args=[reorg.pk]))
    assert page.status_code == 200
    assert page.context["proposal"].placement.placed == 3
    chosen = page.context["proposal"].placement.post_of()
    response = client.post(reverse("apparatus:placement", args=[reorg.pk]),
                           {f"post-{pk}": key for pk, key in chosen.items()})  # fmt: skip

    assert response.status_code == 302
    reorg = Reorganization.objects.get(pk=reorg.pk)
    assert {int(k): v["post"] for k, v in reorg.plan["dispositions"].items()} == chosen
    assert sorted(chosen.values()) == ["lead", "staff", "staff"]
    assert services.preview_reorganization(reorg).can_apply


def test_placement_review_refuses_a_choice_over_quota(client, merge_draft):
    reorg, leader, people = merge_draft
    services.update_plan(reorg, {**reorg.plan, "dispositions": {}}, actor=leader)
    client.force_login(leader)

    client.post(reverse("apparatus:placement", args=[reorg.pk]), {f"post-{o.pk}": "lead" for o in people})

    reorg.refresh_from_db()
    assert reorg.plan["dispositions"] == {}
