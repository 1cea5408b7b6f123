"""Placement after a merger, wired to the registry: officials of the dissolved units and the posts of
the successors → `placement.propose_placement` → dispositions in the draft, which a leader reviews,
adjusts and applies through `services.apply_reorganization`.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import placement as pl
from . import services
from .models import Official, Reorganization, Unit
from .plan import DispositionSpec, Plan
from .preview import build_preview

HCMC_CENTRE = pl.GeoPoint(10.7769, 106.7009)  # Bến Thành, used when a commune has no coordinates


@dataclass
class Proposal:
    placement: pl.Placement
    greedy: pl.Placement
    officials: dict[int, Official]
    labels: dict[str, str]  # post key → "title — unit"

    @property
    def gain_over_greedy(self) -> int:
        return self.placement.total_fit - self.greedy.total_fit


def _points(codes: set[str]) -> dict[str, pl.GeoPoint]:
    try:
        from twotier.geography.models import Commune
    except ImportError:  # pragma: no cover - geography is always installed
        return {}
    rows = Commune.objects.filter(code__in=codes, lat__isnull=False, lon__isnull=False).values_list(
        "code", "lat", "lon"
    )
    return {code: pl.GeoPoint(lat, lon) for code, lat, lon in rows}


def build_instance(
    reorg: Reorganization,
) -> tuple[list[pl.Official], list[pl.Post], dict, dict[int, Official], dict[str, str]]:
    """The placement problem of a draft: its affected officials, its planned posts, who may take what."""
    plan = Plan.from_json(reorg.plan)
    preview = build_preview(reorg)
    unit_code = {a.official_id: a.unit_code for a in preview.affected}
    people = Official.objects.in_bulk(list(unit_code))
    successor_commune = {s.code: s.commune_code for s in preview.units_created}
    points = _points({o.home_commune_code for o in people.values()} | set(successor_commune.values()))
    posts = [
        pl.Post(
            id=spec.key,
            unit_id=spec.unit,
            quota=spec.quota,
            location=points.get(successor_commune.get(spec.unit, ""), HCMC_CENTRE),
            grade_min=spec.min_grade,
            grade_max=max(spec.min_grade, 5),
            required_qualifications=frozenset(spec.required_qualifications),
            desired_skills=frozenset(spec.wanted_skills),
            title=spec.title,
        )
        for spec in plan.posts
    ]
    officials = [
        pl.Official(
            id=o.pk,
            qualifications=frozenset(o.qualifications),
            skills=frozenset(o.skills),
            experience_years=o.years_of_service,
            grade=o.grade,
            home=points.get(o.home_commune_code, HCMC_CENTRE),
            unit_id=unit_code[o.pk],
            home_commune=o.home_commune_code,
        )
        for o in people.values()
    ]
    successors = {pred: plan.successors_of(pred) for pred in plan.predecessors}
    allowed = pl.allowed_from_succession(posts, successors)
    labels = {spec.key: f"{spec.title} — {spec.unit}" for spec in plan.posts}
    return officials, posts, allowed, people, labels


def propose(reorg: Reorganization) -> Proposal:
    """The optimal placement and the greedy baseline for a draft (read only)."""
    officials, posts, allowed, people, labels = build_instance(reorg)
    return Proposal(
        placement=pl.propose_placement(officials, posts, allowed),
        greedy=pl.greedy_placement(officials, posts, allowed),
        officials=people,
        labels=labels,
    )


def accept(reorg: Reorganization, chosen: dict[int, str], *, actor) -> Reorganization:
    """Record the reviewed placement (official id → post key) as move dispositions of the draft.

    Raises placement.PlacementError when the choice breaks a quota, a qualification or the succession
    (checked by `placement.evaluate_placement`), PermissionDenied/Conflict like `services.set_dispositions`.
    """
    officials, posts, allowed, _people, _labels = build_instance(reorg)
    pl.evaluate_placement(officials, posts, allowed, chosen.items())
    return services.set_dispositions(
        reorg, {pk: DispositionSpec("move", key) for pk, key in chosen.items()}, actor=actor
    )


def unit_name(code: str) -> str:
    return Unit.objects.filter(code=code).values_list("name", flat=True).first() or code
