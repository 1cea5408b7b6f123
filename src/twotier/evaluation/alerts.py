"""Early-warning rules (issue 7 item 5) as pure functions over plain series — no ORM.

Wired by `warnings.evaluate_warnings`, which applies them after each rollup to every unit's series and
opens/updates one `Warning` per (kind, unit) with its evidence. Thresholds are arguments so that the
caller can take them from settings.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise


def backlog_rising(series: Sequence[int], days: int = 3) -> bool:
    """True when the backlog rose strictly on each of the last `days` days (needs days + 1 values)."""
    if days < 1 or len(series) < days + 1:
        return False
    tail = series[-(days + 1) :]
    return all(b > a for a, b in pairwise(tail))


@dataclass(frozen=True)
class Ewma:
    value: float  # the EWMA statistic after the last observation
    lower_limit: float
    alarm: bool


def ewma_lower_alarm(
    history: Sequence[float],
    recent: Sequence[float],
    *,
    lam: float = 0.2,
    width: float = 3.0,
    min_sigma: float = 0.0,
) -> Ewma | None:
    """EWMA control chart of a rate (e.g. the daily on-time rate of a unit), lower side only.

    The centre line and σ come from `history` (at least 2 values, σ > 0); the statistic
    z_t = λ·x_t + (1 − λ)·z_{t−1}, z_0 = centre, runs over `recent`; the lower control limit at step t is
    centre − width·σ·√(λ/(2−λ)·(1 − (1−λ)^{2t})) (Montgomery, Introduction to Statistical Quality
    Control, §9.2). Alarm when the last z is below its limit. None when history cannot define a chart.
    `min_sigma` floors σ: a unit that was on time every day of its history (σ = 0) still gets a chart.
    """
    if len(history) < 2 or not recent:
        return None
    centre = statistics.fmean(history)
    sigma = max(statistics.stdev(history), min_sigma)
    if sigma <= 0:
        return None
    z = centre
    limit = centre
    for t, x in enumerate(recent, start=1):
        z = lam * x + (1 - lam) * z
        limit = centre - width * sigma * math.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
    return Ewma(z, limit, z < limit)


def workload_outliers(workload: Mapping[str, tuple[int, int]], factor: float = 2.0) -> dict[str, float]:
    """Units whose dossiers per official exceed `factor` × the median of all units with officials.

    `workload`: unit → (dossiers handled, officials). Returns unit → its ratio to the median.
    """
    per_official = {u: n / staff for u, (n, staff) in workload.items() if staff > 0}
    if len(per_official) < 2:
        return {}
    median = statistics.median(per_official.values())
    if median <= 0:
        return {}
    return {u: r / median for u, r in per_official.items() if r > factor * median}


def staffing_gap(headcount: int, quota: int, tolerance: float = 0.1) -> str | None:
    """'below' or 'above' when the headcount is off the quota by more than `tolerance` of it."""
    if quota <= 0:
        return "above" if headcount > 0 else None
    if headcount < quota * (1 - tolerance):
        return "below"
    if headcount > quota * (1 + tolerance):
        return "above"
    return None


def share_above(count: int, base: int, threshold: float, minimum_base: int = 20) -> bool:
    """Many supplement requests or apology letters: count ÷ base above `threshold`, on enough dossiers."""
    return base >= minimum_base and count / base > threshold
