"""Pages and API: scoped reads (404 outside scope), the wizard through HTTP, the API's refusals."""

from datetime import date

import pytest
from django.urls import reverse

from twotier.apparatus import services
from twotier.apparatus.models import Assignment, Reorganization, Responsibility, Task, Unit
from twotier.core import roles

from .factories import make_official

pytestmark = pytest.mark.django_db
SAIGON, THUDUC = "26740", "26824"


def test_org_tree_as_of_two_dates_shows_the_front_before_and_after(client, make_staff):
    client.force_login(make_staff("sup.tree", roles.CITY_SUPERVISOR))

    before = client.get(reverse("apparatus:tree"), {"on": "2025-06-30"}).content.decode()
    after = client.get(reverse("apparatus:tree"), {"on": "2025-10-22"}).content.decode()

    assert "hcmc-front-d01" in before
    assert "hcmc-front-ban01" not in before
    assert "hcmc-front-ban01" in after
    assert "hcmc-front-d01" not in after
    assert after.count("Ủy ban nhân dân Phường") == 113


def test_commune_staff_see_their_commune_and_get_404_elsewhere(client, make_staff):
    client.force_login(make_staff("leader.saigon", roles.UNIT_LEADER, commune=SAIGON))

    mine = client.get(reverse("apparatus:unit", args=[f"{SAIGON}-office"]))
    other = client.get(reverse("apparatus:unit", args=[f"{THUDUC}-office"]))
    city = client.get(reverse("apparatus:unit", args=["hcmc-front"]))
    tree = client.get(reverse("apparatus:tree"), {"on": "2025-10-22"}).content.decode()
    api_other = client.get(f"/api/v1/apparatus/units/{THUDUC}-office")

    assert (mine.status_code, other.status_code, city.status_code, api_other.status_code) == (
        200,
        404,
        404,
        404,
    )
    assert f"{SAIGON}-pasc" in tree
    assert f"{THUDUC}-pasc" not in tree


def test_wizard_over_http_merges_two_divisions(client, make_staff):
    leader = make_staff("leader.merge", roles.UNIT_LEADER, commune=SAIGON)
    econ, culture = Unit.objects.get(code=f"{SAIGON}-econ"), Unit.objects.get(code=f"{SAIGON}-culture")
    people = []
    for unit in (econ, culture):
        official = make_official(f"Cán bộ {unit.code}")
        services.assign_official(official, unit.posts.order_by("pk").last(), valid_from=date(2025, 7, 1))
        people.append(official)
    client.force_login(leader)

    response = client.post(
        reverse("apparatus:reorganization-new"),
        {
            "kind": "merge",
            "title": "Hợp nhất hai phòng",
            "effective_on": "2025-11-01",
            "legal_basis": "NQ 01/2025",
            "predecessors": f"{SAIGON}-econ, {SAIGON}-culture",
            "successors": f"{SAIGON}-ec | Phòng Kinh tế - Văn hóa",
        },
    )
    reorg = Reorganization.objects.get(title="Hợp nhất hai phòng")
    assert response.status_code == 302
    refused = client.post(reverse("apparatus:reorganization-apply", args=[reorg.pk]))
    assert refused.status_code == 302
    assert Unit.objects.filter(code=f"{SAIGON}-ec").exists() is False
    key = reorg.plan["posts"][-1]["key"]
    client.post(
        reverse("apparatus:reorganization-dispositions", args=[reorg.pk]),
        {
            f"disp-{people[0].pk}": key,
            f"disp-{people[1].pk}": "release",
            f"reason-{people[1].pk}": "NĐ 178/2024",
        },
    )
    applied = client.post(reverse("apparatus:reorganization-apply", args=[reorg.pk]))

    assert applied.status_code == 302
    assert applied["Location"] == f"{reverse('apparatus:tree')}?on=2025-11-01"
    merged = Unit.objects.get(code=f"{SAIGON}-ec")
    assert Assignment.objects.valid_on(date(2025, 11, 1)).get(official=people[0]).unit == merged
    land = Task.objects.get(code="duty-land-supervision")
    assert (
        Responsibility.objects.leads().valid_on(date(2025, 11, 1)).get(task=land, commune_code=SAIGON).unit
        == merged
    )


def test_api_refuses_a_second_lead_with_409_naming_the_lead(client, make_staff):
    client.force_login(make_staff("leader.api", roles.UNIT_LEADER, commune=SAIGON))

    response = client.post(
        "/api/v1/apparatus/responsibilities",
        {
            "task": "duty-land-supervision",
            "unit": f"{SAIGON}-office",
            "role": "lead",
            "tier": "commune",
            "commune_code": SAIGON,
            "valid_from": "2025-10-01",
        },
        content_type="application/json",
    )

    assert response.status_code == 409
    assert f"({SAIGON}-econ)" in response.json()["detail"]


def test_api_who_decides_and_anonymous_refusal(client, make_staff):
    assert client.get("/api/v1/apparatus/units").status_code == 401
    client.force_login(make_staff("spec.api", roles.SPECIALIST, commune=SAIGON))

    response = client.get(
        "/api/v1/apparatus/who-decides",
        {"task": "duty-land-supervision", "commune": SAIGON, "on": "2025-10-22"},
    )

    assert response.json() == {
        "task": "duty-land-supervision",
        "commune_code": SAIGON,
        "on": "2025-10-22",
        "lead": f"{SAIGON}-econ",
        "delegate": None,
        "instrument": "",
    }


def test_metrics_page_shows_the_article_figure(client, make_staff):
    client.force_login(make_staff("eval.metrics", roles.EVALUATOR))

    page = client.get(
        reverse("apparatus:metrics"), {"unit": "hcmc-front", "before": "2025-06-30", "after": "2025-10-22"}
    )

    assert page.status_code == 200
    assert '<td class="num" id="headcount-pct">-48,7</td>' in page.content.decode()


def test_receptionist_cannot_open_the_wizard(client, make_staff):
    client.force_login(make_staff("recep.x", roles.RECEPTIONIST, commune=SAIGON))
    assert client.get(reverse("apparatus:reorganization-new")).status_code == 403
