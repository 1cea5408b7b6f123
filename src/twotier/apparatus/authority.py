"""Reads about authority: who may decide a task where and when; tasks without a lead (the gaps report)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from .models import Assignment, Delegation, Official, Responsibility, Task, Tier, Unit
from .rules import Rules, load_rules
from .seed import HCMC


@dataclass
class DecisionMaker:
    task: Task
    commune_code: str
    on: date
    lead: Unit | None = None
    responsibility: Responsibility | None = None
    delegate: Unit | Official | None = None
    delegation: Delegation | None = None

    @property
    def instrument(self) -> str:
        return self.delegation.instrument_no if self.delegation else ""

    @property
    def decided_by(self) -> Unit | Official | None:
        return self.delegate or self.lead


def who_may_decide(task: Task, commune_code: str, on: date, *, province_code: str = HCMC) -> DecisionMaker:
    """The lead unit of `task` in the commune on `on` (the commune-tier lead, else the city-wide lead),
    and the delegate if a delegation valid on `on` covers the task and the commune.

    A delegation applies when it is given by the lead unit or by an official assigned to it on `on`,
    lists the task (or lists no task: every task of the delegator), and covers the commune (or the
    delegator's whole territory). Expired or not yet valid delegations never apply.
    """
    result = DecisionMaker(task=task, commune_code=commune_code, on=on)
    leads = Responsibility.objects.leads().valid_on(on).filter(task=task, province_code=province_code)
    row = (
        leads.filter(tier=Tier.COMMUNE, commune_code=commune_code).select_related("unit").first()
        or leads.filter(tier=Tier.CITY, commune_code="").select_related("unit").first()
    )
    if row is None:
        return result
    result.lead, result.responsibility = row.unit, row
    officials = Assignment.objects.filter(unit=row.unit).valid_on(on).values("official_id")
    candidates = (
        Delegation.objects.valid_on(on)
        .filter(Q(from_unit=row.unit) | Q(from_official__in=officials))
        .filter(Q(commune_code="") | Q(commune_code=commune_code))
        .filter(Q(tasks=task) | Q(tasks__isnull=True))
        .select_related("to_unit", "to_official")
        .order_by("-valid_from", "-pk")
        .distinct()
    )
    delegation = candidates.first()
    if delegation is not None:
        result.delegation = delegation
        result.delegate = delegation.delegate
    return result


@dataclass
class Gap:
    task_id: int
    task_code: str
    task_name: str
    field: str
    reason: str
    communes: list[str] = field(default_factory=list)


def commune_gaps(
    on: date, *, province_code: str = HCMC, rules: Rules | None = None
) -> tuple[list[Gap], dict]:
    """Commune-level tasks without a lead in a commune on `on`, grouped by task, each with its reason.

    The reason comes from the rules (a field outside the two-tier apparatus, a field without a rule)
    or from the registry (the commune has no valid unit of the function the rules name).
    """
    rules = rules or load_rules()
    communes = sorted(
        Unit.objects.valid_on(on)
        .filter(province_code=province_code, tier=Tier.COMMUNE, function="commune_committee")
        .values_list("commune_code", flat=True)
    )
    functions_by_commune: dict[str, set[str]] = defaultdict(set)
    for commune, function in (
        Unit.objects.valid_on(on)
        .filter(province_code=province_code, tier=Tier.COMMUNE)
        .values_list("commune_code", "function")
    ):
        functions_by_commune[commune].add(function)
    led: set[tuple[int, str]] = set(
        Responsibility.objects.leads()
        .valid_on(on)
        .filter(province_code=province_code, tier=Tier.COMMUNE)
        .values_list("task_id", "commune_code")
    )
    gaps: list[Gap] = []
    for task in Task.objects.at_commune().order_by("code").only("pk", "code", "name", "field"):
        missing = [c for c in communes if (task.pk, c) not in led]
        if not missing:
            continue
        decision = rules.commune_lead(task.field)
        if task.code.startswith("duty-"):
            duty = next((d for d in rules.duties if d.code == task.code), None)
            decision = decision if duty is None else type(decision)(duty.lead, "")
        if decision.lead is None:
            gaps.append(Gap(task.pk, task.code, task.name, task.field, decision.reason, missing))
            continue
        by_reason: dict[str, list[str]] = defaultdict(list)
        for commune in missing:
            if decision.lead not in functions_by_commune[commune]:
                by_reason[f"Xã/phường không có đơn vị “{decision.lead}” còn hiệu lực"].append(commune)
            else:
                by_reason["Chưa phân công (chạy load_hcmc_responsibilities)"].append(commune)
        for reason, listed in by_reason.items():
            gaps.append(Gap(task.pk, task.code, task.name, task.field, reason, listed))
    summary = {
        "date": on.isoformat(),
        "communes": len(communes),
        "commune_tasks": Task.objects.at_commune().count(),
        "task_commune_pairs": Task.objects.at_commune().count() * len(communes),
        "pairs_with_lead": sum(1 for _t, c in led if c in set(communes)),
        "tasks_with_gaps": len({g.task_id for g in gaps}),
        "pairs_without_lead": sum(len(g.communes) for g in gaps),
    }
    return gaps, summary


def city_gaps(on: date, *, province_code: str = HCMC) -> list[Task]:
    """City-level tasks without a city-wide lead on `on`."""
    led = (
        Responsibility.objects.leads()
        .valid_on(on)
        .filter(province_code=province_code, tier=Tier.CITY, commune_code="")
    )
    return list(Task.objects.filter(at_province=True).exclude(pk__in=led.values("task_id")).order_by("code"))
