"""The Decision 766 service index (pure): each group on inputs with known answers."""

from __future__ import annotations

import pytest

from twotier.evaluation.index import IndexConfig, Inputs, measures, service_index


def groups(result):
    return {g["number"]: g["score"] for g in result["groups"]}


def test_group_1_is_never_computed():
    # publication timeliness needs announcement dates the platform does not hold: never 0, never 18
    result = service_index(Inputs(received=10, received_online=10, completed_on_time=10))
    assert groups(result)[1] is None
    assert result["groups"][0]["components"] == []


def test_group_2_on_time_rate_counts_open_within_and_excludes_nothing_else():
    x = Inputs(completed_early=3, completed_on_time=2, completed_late=4, open_within=1, open_overdue=2)
    # timely = 3 + 2 + 1 = 6 of handled 12
    assert measures(x)["on_time_rate"] == pytest.approx(0.5)
    assert groups(service_index(x))[2] == pytest.approx(10.0)


def test_group_2_not_computed_without_handled_dossiers():
    assert groups(service_index(Inputs(received=5)))[2] is None


def test_group_3_digitisation_and_reuse_full_at_80_percent():
    x = Inputs(received=10, received_digitised=8, received_with_reuse=4)
    # 11 × min(1, 0.8/0.8) + 11 × 0.4/0.8
    assert groups(service_index(x))[3] == pytest.approx(11 + 5.5)
    assert groups(service_index(Inputs(received=10, received_digitised=10, received_with_reuse=10)))[3] == 22


def test_group_3_not_computed_without_received_dossiers():
    assert groups(service_index(Inputs(completed_on_time=3)))[3] is None


def test_group_4_online_share_full_at_half_and_payments():
    x = Inputs(received=10, received_online=2, payments=4, payments_online=4)
    # 11 × 0.2/0.5 + 11 × 1
    assert groups(service_index(x))[4] == pytest.approx(4.4 + 11)


def test_group_4_not_computed_when_no_payment_was_made():
    # the online-payment share has no denominator: not computed rather than 0 or 11
    result = service_index(Inputs(received=10, received_online=10))
    assert groups(result)[4] is None
    parts = {c["key"]: c["score"] for c in result["groups"][3]["components"]}
    assert parts == {"online_share": 11.0, "online_payment_share": None}


def test_group_5_satisfaction_is_100_minus_overdue_and_complaints():
    x = Inputs(completed_on_time=7, completed_late=2, open_overdue=1, complained_dossiers=1)
    # handled 10; overdue 3 → 30%; complaints 10% → satisfaction 60%; 18 × 0.6 / 0.9
    assert measures(x)["satisfaction"] == pytest.approx(0.6)
    assert groups(service_index(x))[5] == pytest.approx(12.0)
    perfect = Inputs(completed_on_time=10)
    assert groups(service_index(perfect))[5] == 18


def test_total_is_over_the_computed_groups_only():
    x = Inputs(
        completed_on_time=10,
        received=10,
        received_online=5,
        received_digitised=8,
        received_with_reuse=8,
        payments=2,
        payments_online=1,
    )
    result = service_index(x)
    assert groups(result) == {1: None, 2: 20.0, 3: 22.0, 4: 22.0, 5: 18.0}
    assert result["total"] == 82.0
    assert result["max_points"] == 82
    assert result["percent"] == pytest.approx(100.0)


def test_nothing_recorded_gives_no_total():
    result = service_index(Inputs())
    assert result["total"] is None
    assert result["percent"] is None
    assert result["max_points"] == 0


def test_thresholds_are_configurable():
    config = IndexConfig.from_settings({"full_at": {"online_share": 0.8}})
    x = Inputs(received=10, received_online=4, payments=1, payments_online=1)
    assert groups(service_index(x, config))[4] == pytest.approx(11 * 0.5 + 11)
    assert groups(service_index(x))[4] == pytest.approx(11 * 0.8 + 11)
