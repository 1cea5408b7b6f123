"""Early warnings: every kind on hand-built rollups and apparatus rows with known answers; opening,
updating, clearing, recurring; acknowledge/resolve by the unit's leader and the deny paths."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from twotier.core.errors import DomainError
from twotier.evaluation.models import DailyRollup, EvaluationEvent, Warning, WarningStatus
from twotier.evaluation.warnings import acknowledge, evaluate_warnings, open_warnings, resolve

from .conftest import BIRTH

D = date(2026, 3, 20)
OFFICE = "26743-office"


@pytest.fixture
def procedure(db):
    from twotier.procedures.models import Procedure

    return Procedure.objects.get(code=BIRTH)


@pytest.fixture
def put(procedure):
    """put(unit, day, **counts): one hand-built rollup row (received is split to in-person)."""
    from twotier.apparatus.models import Unit

    def make(unit, day: date, **counts) -> DailyRollup:
        if isinstance(unit, str):
            unit = Unit.objects.get(code=unit)
        counts.setdefault("received_in_person", counts.get("received", 0))
        return DailyRollup.objects.create(
            unit=unit,
            procedure=procedure,
            day=day,
            province_code=unit.province_code,
            commune_code=unit.commune_code,
            **counts,
        )

    return make


def kinds_of(unit_code: str) -> dict[str, Warning]:
    return {w.kind: w for w in Warning.objects.filter(unit__code=unit_code)}


# ---- backlog rising ------------------------------------------------------------------------------


def test_backlog_rising_three_days_opens_one_warning_with_the_series(put):
    # backlog = open_within + open_overdue at the end of each day: 2, 4, 5, 7 → rose 3 days in a row
    for offset, (within, overdue) in enumerate([(2, 0), (3, 1), (3, 2), (4, 3)]):
        put(OFFICE, D - timedelta(days=3 - offset), open_within=within, open_overdue=overdue)
    # another commune's office: 3, 4, 4, 6 (flat on one day) → no warning
    for offset, n in enumerate([3, 4, 4, 6]):
        put("26740-office", D - timedelta(days=3 - offset), open_within=n)

    counts = evaluate_warnings(D)

    warning = kinds_of(OFFICE)["backlog_rising"]
    assert warning.status == "open"
    assert warning.opened_on == D
    assert warning.commune_code == "26743"
    assert [p["backlog"] for p in warning.evidence["series"]] == [2, 4, 5, 7]
    assert warning.evidence["series"][0]["day"] == "2026-03-17"
    assert warning.link == "/evaluation/report/?unit=26743-office&period=2026-03-17..2026-03-20"
    assert "backlog_rising" not in kinds_of("26740-office")
    assert counts["opened"] >= 1
    assert EvaluationEvent.objects.filter(warning=warning, kind="opened").count() == 1


def test_backlog_rising_but_below_the_minimum_is_not_a_warning(put):
    for offset, n in enumerate([0, 1, 2, 2]):  # not rising on the last day
        put(OFFICE, D - timedelta(days=3 - offset), open_within=n)
    for offset, n in enumerate([0, 1, 2]):  # only two rises
        put("26740-office", D - timedelta(days=2 - offset), open_within=n)

    evaluate_warnings(D)

    assert "backlog_rising" not in kinds_of(OFFICE)
    assert "backlog_rising" not in kinds_of("26740-office")


def test_evaluating_again_updates_and_a_gone_condition_is_marked_not_closed(put):
    for offset, n in enumerate([2, 4, 5, 7]):
        put(OFFICE, D - timedelta(days=3 - offset), open_within=n)
    evaluate_warnings(D)
    evaluate_warnings(D)  # idempotent: still one warning
    assert Warning.objects.filter(unit__code=OFFICE, kind="backlog_rising").count() == 1

    put(OFFICE, D + timedelta(days=1), open_within=6)  # the backlog fell
    evaluate_warnings(D + timedelta(days=1))

    warning = Warning.objects.get(unit__code=OFFICE, kind="backlog_rising")
    assert warning.status == "open"
    assert warning.condition_holds is False
    assert warning.last_seen_on == D + timedelta(days=1)
    assert EvaluationEvent.objects.filter(warning=warning, kind="condition_gone").count() == 1

    # re-running an older day does not rewind the newer evidence
    evaluate_warnings(D)
    warning.refresh_from_db()
    assert warning.condition_holds is False
    assert warning.last_seen_on == D + timedelta(days=1)


def test_a_resolved_warning_that_recurs_opens_a_new_one(put, make_staff):
    leader = make_staff("leader-26743", "unit_leader", commune="26743")
    for offset, n in enumerate([2, 4, 5, 7]):
        put(OFFICE, D - timedelta(days=3 - offset), open_within=n)
    evaluate_warnings(D)
    first = Warning.objects.get(unit__code=OFFICE, kind="backlog_rising")
    resolve(leader, first.pk, "Bổ sung 2 cán bộ tiếp nhận")

    put(OFFICE, D + timedelta(days=1), open_within=9)  # 4, 5, 7, 9: still rising
    evaluate_warnings(D + timedelta(days=1))

    rows = list(Warning.objects.filter(unit__code=OFFICE, kind="backlog_rising").order_by("pk"))
    assert [w.status for w in rows] == ["resolved", "open"]
    assert rows[1].opened_on == D + timedelta(days=1)
    assert [p["backlog"] for p in rows[1].evidence["series"]] == [4, 5, 7, 9]


# ---- on-time rate under the EWMA lower control limit --------------------------------------------


def test_on_time_rate_below_ewma_limit(put, settings):
    settings.TWOTIER_EVALUATION_WARNINGS = {"ewma_history_days": 14, "ewma_recent_days": 7}
    # history: 14 days alternating 90% and 100% on time; the last 7 days 50%
    for i in range(14):
        day = D - timedelta(days=20 - i)
        put(OFFICE, day, completed_on_time=9 if i % 2 == 0 else 10, completed_late=1 if i % 2 == 0 else 0)
    for i in range(7):
        put(OFFICE, D - timedelta(days=6 - i), completed_on_time=5, completed_late=5)
    # the other office keeps its 90/100% pattern: no warning
    for i in range(21):
        put("26740-office", D - timedelta(days=20 - i), completed_on_time=9 + i % 2, completed_late=1 - i % 2)

    evaluate_warnings(D)

    warning = kinds_of(OFFICE)["on_time_low"]
    # by hand: centre 0.95, σ = 0.05·√(14/13) = 0.0518875; z_7 = 0.5 + 0.45·0.8^7 = 0.594372;
    # limit_7 = 0.95 − 3σ·√(0.2/1.8·(1 − 0.8^14)) = 0.95 − 0.0507334 = 0.899267
    assert warning.evidence["ewma"] == pytest.approx(0.5944, abs=1e-4)
    assert warning.evidence["lower_limit"] == pytest.approx(0.8993, abs=1e-4)
    assert [r["rate"] for r in warning.evidence["recent"]] == [0.5] * 7
    assert "on_time_low" not in kinds_of("26740-office")


def test_on_time_with_too_little_history_is_not_judged(put, settings):
    settings.TWOTIER_EVALUATION_WARNINGS = {"ewma_history_days": 14, "ewma_recent_days": 7}
    for i in range(9):  # 9 days of history < ewma_min_history (10)
        put(OFFICE, D - timedelta(days=15 - i), completed_on_time=10)
    for i in range(7):
        put(OFFICE, D - timedelta(days=6 - i), completed_late=10)

    evaluate_warnings(D)

    assert "on_time_low" not in kinds_of(OFFICE)


def test_days_with_too_few_dossiers_do_not_count(put, settings):
    settings.TWOTIER_EVALUATION_WARNINGS = {"ewma_history_days": 14, "ewma_recent_days": 7}
    for i in range(14):  # a steady history, 90/100% on 10 dossiers a day
        put(OFFICE, D - timedelta(days=20 - i), completed_on_time=9 + i % 2, completed_late=1 - i % 2)
    for i in range(7):  # the recent days have 4 dossiers each (< ewma_min_handled 5), all late
        put(OFFICE, D - timedelta(days=6 - i), completed_late=4)

    evaluate_warnings(D)

    assert "on_time_low" not in kinds_of(OFFICE)


def test_unknown_threshold_setting_is_refused(settings, db):
    settings.TWOTIER_EVALUATION_WARNINGS = {"backlog_dayz": 2}
    with pytest.raises(ValueError, match="backlog_dayz"):
        evaluate_warnings(D)


# ---- supplement requests and apology letters ---------------------------------------------------


def test_many_supplement_requests_and_apology_letters(put):
    from twotier.apparatus.models import Unit

    third = (
        Unit.objects.filter(tier="commune", code__endswith="-office")
        .exclude(commune_code__in=["26743", "26740"])
        .order_by("code")
        .first()
    )
    # 26743-office over the 30 days: 40 received, 10 supplement requests (25% > 20%), 2 letters (5%, not > 5%)
    put(OFFICE, D - timedelta(days=29), received=20, supplement_requests=4, apology_letters=1)
    put(OFFICE, D, received=20, supplement_requests=6, apology_letters=1)
    put(OFFICE, D - timedelta(days=30), received=100)  # outside the window
    # 26740-office: 40 received, 3 letters (7.5% > 5%), 8 requests (20%, not above)
    put("26740-office", D, received=40, supplement_requests=8, apology_letters=3)
    # a third office: only 10 received (under the minimum of 20): 5 requests are not judged
    put(third, D, received=10, supplement_requests=5)

    evaluate_warnings(D)

    office = kinds_of(OFFICE)
    assert office["supplements_high"].evidence["count"] == 10
    assert office["supplements_high"].evidence["received"] == 40
    assert office["supplements_high"].evidence["share"] == 0.25
    assert "apologies_high" not in office
    other = kinds_of("26740-office")
    assert other["apologies_high"].evidence["share"] == 0.075
    assert "supplements_high" not in other
    assert "supplements_high" not in kinds_of(third.code)


# ---- apparatus: staffing against quota, workload per official against peers ---------------------


@pytest.fixture
def peer_units(db):
    """Four commune divisions of one (test) function with posts and officials:
    A quota 2 staff 2, B quota 4 staff 2, C quota 1 staff 2, E quota 2 staff 2."""
    from twotier.apparatus.models import Assignment, Official, Post, Unit

    start = date(2026, 1, 1)
    units = {}
    for i, (name, quota) in enumerate([("a", 2), ("b", 4), ("c", 1), ("e", 2)]):
        unit = Unit.objects.create(
            code=f"26743-evaltest-{name}",
            name=f"Phòng thử {name}",
            kind="division",
            tier="commune",
            level="division",
            function="evaltest",
            province_code="79",
            commune_code="26743",
            valid_from=start,
        )
        post = Post.objects.create(unit=unit, title="Chuyên viên", quota=quota, valid_from=start)
        for k in range(2):
            official = Official.objects.create(
                staff_no=f"EVT-{i}-{k}", full_name=f"Cán bộ {i}{k}", province_code="79", commune_code="26743"
            )
            Assignment.objects.create(official=official, post=post, unit=unit, valid_from=start)
        units[name] = unit
    return units


def test_staff_below_and_above_quota(peer_units):
    from twotier.apparatus.models import Assignment, Post

    # a unit with posts but no official ever recorded: staffing not recorded, no warning
    empty = peer_units["a"]
    empty.pk, empty.code = None, "26743-evaltest-empty"
    empty.save()
    Post.objects.create(unit=empty, title="Chuyên viên", quota=5, valid_from=date(2026, 1, 1))
    # a unit whose only official left before D: 0 people against a quota of 2 is below
    left = peer_units["e"]
    Assignment.objects.filter(unit=left).update(valid_to=date(2026, 3, 1))

    evaluate_warnings(D)

    assert not {"staff_below_quota", "staff_above_quota"} & set(kinds_of("26743-evaltest-a"))
    below = kinds_of("26743-evaltest-b")["staff_below_quota"]
    assert below.evidence["headcount"] == 2
    assert below.evidence["quota"] == 4
    above = kinds_of("26743-evaltest-c")["staff_above_quota"]
    assert (above.evidence["headcount"], above.evidence["quota"]) == (2, 1)
    assert kinds_of("26743-evaltest-e")["staff_below_quota"].evidence["headcount"] == 0
    assert not kinds_of("26743-evaltest-empty")


def test_workload_far_above_peers(peer_units, put):
    # received over the last 30 days, 2 officials each: 300, 100, 120, 80 → 150, 50, 60, 40 per official;
    # median 55, factor 2 → above 110: only A (150 / 55 = 2.73)
    for name, n in (("a", 300), ("b", 100), ("c", 120), ("e", 80)):
        put(peer_units[name], D - timedelta(days=3), received=n)
    put(peer_units["b"], D - timedelta(days=30), received=1000)  # outside the window

    evaluate_warnings(D)

    warning = kinds_of("26743-evaltest-a")["workload_high"]
    assert warning.evidence["per_official"] == 150
    assert warning.evidence["peer_median"] == 55
    assert warning.evidence["ratio_to_median"] == 2.73
    assert warning.evidence["peers"] == 4
    for name in ("b", "c", "e"):
        assert "workload_high" not in kinds_of(f"26743-evaltest-{name}")


# ---- acknowledge and resolve --------------------------------------------------------------------


@pytest.fixture
def warning(put):
    for offset, n in enumerate([2, 4, 5, 7]):
        put(OFFICE, D - timedelta(days=3 - offset), open_within=n)
    evaluate_warnings(D)
    return Warning.objects.get(unit__code=OFFICE, kind="backlog_rising")


def _snapshot(w: Warning) -> tuple:
    w.refresh_from_db()
    return (w.status, w.acknowledged_by_id, w.resolved_by_id, w.notes, w.events.count())


def test_leader_acknowledges_then_resolves_with_notes(warning, make_staff):
    leader = make_staff("leader-a", "unit_leader", commune="26743")

    acknowledge(leader, warning.pk, "Đã phân công thêm người")
    warning.refresh_from_db()
    assert warning.status == WarningStatus.ACKNOWLEDGED
    assert warning.acknowledged_by == leader
    assert warning.acknowledged_at is not None

    resolve(leader, warning.pk, "Hồ sơ tồn đã giảm")
    warning.refresh_from_db()
    assert warning.status == WarningStatus.RESOLVED
    assert warning.resolved_by == leader
    assert "Đã phân công thêm người" in warning.notes
    assert "Hồ sơ tồn đã giảm" in warning.notes
    assert list(warning.events.values_list("kind", flat=True)) == ["opened", "acknowledged", "resolved"]
    assert not open_warnings().filter(pk=warning.pk).exists()


def test_deny_paths_change_nothing(warning, make_staff):
    before = _snapshot(warning)
    specialist = make_staff("spec-a", "specialist", commune="26743")
    other_leader = make_staff("leader-b", "unit_leader", commune="26740")
    leader = make_staff("leader-c", "unit_leader", commune="26743")

    with pytest.raises(PermissionDenied):
        acknowledge(specialist, warning.pk, "x")
    with pytest.raises(Warning.DoesNotExist):
        resolve(other_leader, warning.pk, "x")
    with pytest.raises(DomainError):
        acknowledge(leader, warning.pk, "   ")
    assert _snapshot(warning) == before

    resolve(leader, warning.pk, "xong")
    done = _snapshot(warning)
    with pytest.raises(DomainError):
        resolve(leader, warning.pk, "lần nữa")
    with pytest.raises(DomainError):
        acknowledge(leader, warning.pk, "lần nữa")
    assert _snapshot(warning) == done


def test_views_answer_404_outside_scope_and_403_without_permission(client, warning, make_staff):
    before = _snapshot(warning)
    url = f"/evaluation/warnings/{warning.pk}/"

    client.force_login(make_staff("leader-out", "unit_leader", commune="26740"))
    assert client.get(url).status_code == 404
    assert client.post(url + "resolve/", {"note": "x"}).status_code == 404

    client.force_login(make_staff("eval-in", "evaluator", commune="26743"))
    assert client.get(url).status_code == 200
    assert client.post(url + "acknowledge/", {"note": "x"}).status_code == 403
    assert _snapshot(warning) == before

    client.force_login(make_staff("leader-in", "unit_leader", commune="26743"))
    response = client.post(url + "acknowledge/", {"note": "Đã nhận"})
    assert response.status_code == 302
    assert _snapshot(warning)[0] == "acknowledged"


def test_open_warnings_scoped_to_units_and_user(warning, make_staff):
    from twotier.apparatus.models import Unit

    assert list(open_warnings(Unit.objects.filter(code=OFFICE)).filter(kind="backlog_rising")) == [warning]
    assert not open_warnings(Unit.objects.filter(code="26740-office")).filter(kind="backlog_rising").exists()
    assert (
        not open_warnings(user=make_staff("ev-out", "evaluator", commune="26740"))
        .filter(pk=warning.pk)
        .exists()
    )
    assert open_warnings(user=make_staff("ev-city", "evaluator")).filter(pk=warning.pk).exists()


def test_the_rollup_task_evaluates_warnings(peer_units):
    """The periodic Celery task (called here in-process) rolls up and then evaluates the warnings: unit B
    (2 people for a quota of 4) appears below its quota with today's date."""
    from django.utils import timezone

    from twotier.dossiers.deadlines import VN_TZ
    from twotier.evaluation.tasks import rollup_recent

    assert not Warning.objects.exists()

    rollup_recent()

    today = timezone.now().astimezone(VN_TZ).date()
    below = Warning.objects.get(kind="staff_below_quota", unit=peer_units["b"])
    assert below.last_seen_on == today


def test_api_lists_the_warning_in_scope_only(client, warning, make_staff):
    client.force_login(make_staff("api-in", "evaluator", commune="26743"))
    rows = client.get("/api/v1/evaluation/warnings", {"unit": "26743"}).json()
    mine = next(r for r in rows if r["id"] == warning.pk)
    assert [p["backlog"] for p in mine["evidence"]["series"]] == [2, 4, 5, 7]
    assert mine["unit"] == OFFICE

    client.force_login(make_staff("api-out", "evaluator", commune="26740"))
    assert warning.pk not in {r["id"] for r in client.get("/api/v1/evaluation/warnings").json()}
