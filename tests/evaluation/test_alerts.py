"""Early-warning rules (pure) on series with known answers."""

from __future__ import annotations

import math

import pytest

from twotier.evaluation.alerts import (
    backlog_rising,
    ewma_lower_alarm,
    share_above,
    staffing_gap,
    workload_outliers,
)


def test_backlog_rising():
    assert backlog_rising([5, 6, 7, 9], days=3) is True
    assert backlog_rising([5, 6, 6, 9], days=3) is False  # flat once
    assert backlog_rising([6, 7, 9], days=3) is False  # not enough days
    assert backlog_rising([9, 1, 2, 3], days=3) is False  # the drop is inside the window
    assert backlog_rising([9, 1, 2, 3, 4], days=3) is True


def test_ewma_by_hand():
    history = [0.9, 1.0, 0.9, 1.0]  # mean 0.95, sample σ = 0.057735
    sigma = 0.05 * math.sqrt(4 / 3)
    result = ewma_lower_alarm(history, [0.5], lam=0.2, width=3.0)
    assert result.value == pytest.approx(0.2 * 0.5 + 0.8 * 0.95)  # 0.86
    assert result.lower_limit == pytest.approx(0.95 - 3 * sigma * math.sqrt(0.2 / 1.8 * (1 - 0.8**2)))
    # √(0.2/1.8 × 0.36) = 0.2: limit = 0.95 − 3 × 0.057735 × 0.2 = 0.915359
    assert result.lower_limit == pytest.approx(0.915359, abs=1e-6)
    assert result.alarm is True  # one day at 50% against a 95% history
    calm = ewma_lower_alarm(history, [0.95, 0.9], lam=0.2, width=3.0)
    assert calm.value == pytest.approx(0.94)
    assert calm.lower_limit == pytest.approx(0.95 - 3 * sigma * math.sqrt(0.2 / 1.8 * (1 - 0.8**4)))
    assert calm.alarm is False


def test_ewma_needs_a_history():
    assert ewma_lower_alarm([0.9], [0.1]) is None
    assert ewma_lower_alarm([0.9, 0.9], [0.1]) is None  # σ = 0
    assert ewma_lower_alarm([0.9, 1.0], []) is None


def test_ewma_min_sigma_gives_a_steady_unit_a_chart():
    # history always 100% (σ = 0) → σ floored at 0.02; one day at 50%: z = 0.2·0.5 + 0.8·1 = 0.9;
    # limit_1 = 1 − 3·0.02·√(0.2/1.8·(1 − 0.8²)) = 1 − 0.06·0.2 = 0.988
    result = ewma_lower_alarm([1.0, 1.0, 1.0], [0.5], min_sigma=0.02)
    assert result.value == pytest.approx(0.9)
    assert result.lower_limit == pytest.approx(0.988)
    assert result.alarm is True


def test_workload_outliers():
    workload = {"a": (100, 10), "b": (120, 10), "c": (110, 10), "d": (500, 10), "e": (5, 0)}
    # per official: 10, 12, 11, 50 → median 11.5; 50 > 23
    assert workload_outliers(workload) == {"d": pytest.approx(50 / 11.5)}


def test_staffing_gap():
    assert staffing_gap(28, 32) == "below"  # 28 < 28.8
    assert staffing_gap(29, 32) is None
    assert staffing_gap(36, 32) == "above"  # 36 > 35.2
    assert staffing_gap(0, 0) is None


def test_share_above():
    assert share_above(3, 20, 0.1) is True
    assert share_above(2, 20, 0.1) is False
    assert share_above(5, 10, 0.1) is False  # too few dossiers to judge
