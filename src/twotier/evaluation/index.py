"""The Decision 766/QĐ-TTg (2022) service index (Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng
phục vụ người dân, doanh nghiệp), 100 points in five groups — an approximation.

Pure: plain numbers in, plain numbers out, no ORM. The formulas follow DOMAIN.md (a secondary
transcription, not the official annex), so every threshold and every group's split of its points is
configurable (`IndexConfig`, setting `TWOTIER_EVALUATION_INDEX`).

Rule for missing inputs: a component whose inputs the platform does not record, or whose denominator
is zero in the period, is **not computed** (`None`) — never 0 and never full marks. A group with any
component not computed is not computed; the total is the sum of the computed groups, shown beside
the points those groups are worth (`max_points`), and `percent` rescales it to 100 only over them.

| group | points | components (full marks at) |
|---|---|---|
| 1 publicity & transparency | 18 | publication timeliness of procedures — **not computed**: the platform
  holds no announcement/publication dates, and the public-feedback (PAKN) timeliness of DOMAIN.md
  belongs to the petitions app, which does not exist yet |
| 2 progress & results | 20 | on-time rate = (finished early or on time + still open within time) ÷
  (finished + still open), supplement time excluded (paused dossiers are outside both), a second
  supplement request ⇒ overdue (full at 100%) |
| 3 digitisation | 22 | digitised share of received dossiers (≥ 80%), share of received dossiers that
  reused registry data (≥ 80%); 11 + 11 |
| 4 online service & payment | 22 | online share of received dossiers (≥ 50%), online share of payments
  (≥ 50%); 11 + 11 |
| 5 satisfaction | 18 | 100% − (% overdue + % dossiers complained about) over the dossiers handled
  (≥ 90%) |

A component's points = its weight × min(1, value ÷ full_at): linear up to the threshold.
Dossiers of procedures with no stated time limit are outside the on-time rate (DOMAIN.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Component:
    key: str
    weight: float
    full_at: float  # the share (0–1) at or above which the component gets its full weight


@dataclass(frozen=True)
class Group:
    number: int
    name: str
    points: float
    components: tuple[Component, ...]  # empty: the platform records none of its inputs


def _default_groups() -> tuple[Group, ...]:
    return (
        Group(1, "Công khai, minh bạch", 18, ()),
        Group(2, "Tiến độ, kết quả giải quyết", 20, (Component("on_time_rate", 20, 1.0),)),
        Group(
            3,
            "Số hóa hồ sơ",
            22,
            (Component("digitised_share", 11, 0.8), Component("reuse_share", 11, 0.8)),
        ),
        Group(
            4,
            "Cung cấp dịch vụ trực tuyến, thanh toán trực tuyến",
            22,
            (Component("online_share", 11, 0.5), Component("online_payment_share", 11, 0.5)),
        ),
        Group(5, "Mức độ hài lòng", 18, (Component("satisfaction", 18, 0.9),)),
    )


@dataclass(frozen=True)
class IndexConfig:
    groups: tuple[Group, ...] = field(default_factory=_default_groups)

    @classmethod
    def from_settings(cls, overrides: Mapping[str, Any] | None) -> IndexConfig:
        """Override thresholds: {"full_at": {"online_share": 0.6, ...}, "weight": {...}}."""
        config = cls()
        if not overrides:
            return config
        full_at = dict(overrides.get("full_at", {}))
        weight = dict(overrides.get("weight", {}))
        groups = []
        for group in config.groups:
            components = tuple(
                replace(
                    c,
                    full_at=float(full_at.get(c.key, c.full_at)),
                    weight=float(weight.get(c.key, c.weight)),
                )
                for c in group.components
            )
            groups.append(replace(group, components=components))
        return cls(tuple(groups))


@dataclass(frozen=True)
class Inputs:
    """Counts of one unit (or subtree) over one period, all from the platform's own records."""

    completed_early: int = 0
    completed_on_time: int = 0
    completed_late: int = 0
    open_within: int = 0  # at the end of the period
    open_overdue: int = 0
    received: int = 0
    received_online: int = 0
    received_digitised: int = 0
    received_with_reuse: int = 0
    payments: int = 0
    payments_online: int = 0
    complained_dossiers: int = 0


def share(numerator: int, denominator: int) -> float | None:
    """numerator ÷ denominator, or None (not computed) when nothing was counted."""
    if denominator <= 0:
        return None
    return numerator / denominator


def measures(x: Inputs) -> dict[str, float | None]:
    """The shares the components score. None = not computed."""
    handled = x.completed_early + x.completed_on_time + x.completed_late + x.open_within + x.open_overdue
    timely = x.completed_early + x.completed_on_time + x.open_within
    overdue = x.completed_late + x.open_overdue
    on_time = share(timely, handled)
    overdue_share = share(overdue, handled)
    complaint_share = share(x.complained_dossiers, handled)
    satisfaction = (
        None
        if overdue_share is None or complaint_share is None
        else max(0.0, 1.0 - (overdue_share + complaint_share))
    )
    return {
        "on_time_rate": on_time,
        "digitised_share": share(x.received_digitised, x.received),
        "reuse_share": share(x.received_with_reuse, x.received),
        "online_share": share(x.received_online, x.received),
        "online_payment_share": share(x.payments_online, x.payments),
        "satisfaction": satisfaction,
    }


def component_points(value: float | None, component: Component) -> float | None:
    if value is None:
        return None
    if component.full_at <= 0:
        return component.weight
    return component.weight * min(1.0, value / component.full_at)


def service_index(x: Inputs, config: IndexConfig | None = None) -> dict[str, Any]:
    """The index of one unit and period: every group with its components, and the total.

    Returns {"groups": [{"number", "name", "points", "score" (None = not computed),
    "components": [{"key", "value", "weight", "full_at", "score"}]}], "total", "max_points",
    "percent"}; "total" and "percent" are None when no group is computed.
    """
    config = config or IndexConfig()
    values = measures(x)
    groups = []
    total = 0.0
    max_points = 0.0
    for group in config.groups:
        parts = []
        for c in group.components:
            value = values[c.key]
            parts.append(
                {
                    "key": c.key,
                    "value": value,
                    "weight": c.weight,
                    "full_at": c.full_at,
                    "score": component_points(value, c),
                }
            )
        computed = bool(parts) and all(p["score"] is not None for p in parts)
        score = sum(p["score"] for p in parts) if computed else None
        if score is not None:
            total += score
            max_points += group.points
        groups.append(
            {
                "number": group.number,
                "name": group.name,
                "points": group.points,
                "score": score,
                "components": parts,
            }
        )
    return {
        "groups": groups,
        "total": total if max_points else None,
        "max_points": max_points,
        "percent": (100.0 * total / max_points) if max_points else None,
    }
