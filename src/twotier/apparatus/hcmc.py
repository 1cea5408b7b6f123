"""HCMC's apparatus as of the two-tier model (DOMAIN.md), loaded by `twotier load_hcmc_apparatus`.

- The City People's Committee (`hcmc`) and its 16 departments from 1/10/2025 (thanhnien.vn,
  vietnamplus.vn, 2025). The registry starts them on 1/7/2025 with the two-tier model: the line-up
  between 1/7 and 1/10/2025 is not modelled.
- For each of the 168 communes (Resolution 1685/NQ-UBTVQH15), from 1/7/2025: its People's Committee
  (code = commune code) under `hcmc`, with the Office of the People's Council and People's Committee,
  the Economic division (xã, đặc khu) or Economic–Infrastructure–Urban division (phường), the
  Culture–Social division and the PASC (Decree 150/2025/NĐ-CP, amended by 370/2025); the commune
  police under `hcmc-police`; the commune Fatherland Front committee under `hcmc-front`.
- Posts: a commune division gets a head, two deputies (Resolution 332/NQ-CP: on average 2 deputies)
  and specialists so that a commune's government posts add up to 32 (09/CV-BCĐ guidance).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from twotier.core.services import bump_reference_version

from .models import (
    ApparatusEvent,
    Post,
    Responsibility,
    Task,
    TaskKind,
    Tier,
    Unit,
    UnitKind,
    UnitLevel,
    UnitParent,
)
from .seed import HCMC, TWO_TIER_START, ensure_roots

DEPARTMENTS_FROM = TWO_TIER_START
LEGAL_BASIS_COMMUNE = "Nghị quyết 1685/NQ-UBTVQH15; Nghị định 150/2025/NĐ-CP (sửa đổi bởi 370/2025/NĐ-CP)"

# code, name, English name, function (the key the responsibility rules use)
DEPARTMENTS = [
    (
        "hcmc-office",
        "Văn phòng Ủy ban nhân dân Thành phố",
        "Office of the City People's Committee",
        "city_office",
    ),
    ("hcmc-home-affairs", "Sở Nội vụ", "Department of Home Affairs", "home_affairs"),
    ("hcmc-justice", "Sở Tư pháp", "Department of Justice", "justice"),
    ("hcmc-finance", "Sở Tài chính", "Department of Finance", "finance"),
    ("hcmc-inspectorate", "Thanh tra Thành phố", "City Inspectorate", "inspectorate"),
    ("hcmc-construction", "Sở Xây dựng", "Department of Construction", "construction"),
    (
        "hcmc-agriculture-environment",
        "Sở Nông nghiệp và Môi trường",
        "Department of Agriculture and Environment",
        "agriculture_environment",
    ),
    ("hcmc-education", "Sở Giáo dục và Đào tạo", "Department of Education and Training", "education"),
    ("hcmc-health", "Sở Y tế", "Department of Health", "health"),
    ("hcmc-food-safety", "Sở An toàn thực phẩm", "Department of Food Safety", "food_safety"),
    ("hcmc-industry-trade", "Sở Công Thương", "Department of Industry and Trade", "industry_trade"),
    (
        "hcmc-science-technology",
        "Sở Khoa học và Công nghệ",
        "Department of Science and Technology",
        "science_technology",
    ),
    ("hcmc-culture-sports", "Sở Văn hóa và Thể thao", "Department of Culture and Sports", "culture_sports"),
    ("hcmc-tourism", "Sở Du lịch", "Department of Tourism", "tourism"),
    (
        "hcmc-ethnic-religion",
        "Sở Dân tộc và Tôn giáo",
        "Department of Ethnic Minorities and Religion",
        "ethnic_religion",
    ),
    (
        "hcmc-planning-architecture",
        "Sở Quy hoạch – Kiến trúc",
        "Department of Planning and Architecture",
        "planning_architecture",
    ),
]

# posts of each commune division: (title, quota); 4 divisions × 8 = 32 government posts per commune
DIVISION_POSTS = [
    ("Trưởng phòng (Giám đốc)", 1),
    ("Phó Trưởng phòng (Phó Giám đốc)", 2),
    ("Công chức chuyên môn", 5),
]


@dataclass(frozen=True)
class CommuneRow:
    code: str
    name: str
    kind: str  # "phuong" | "xa" | "dac_khu"


def commune_units(commune: CommuneRow) -> list[dict]:
    """The units of one commune: (code, name, kind, level, function, parent code)."""
    econ = (
        "Phòng Kinh tế, Hạ tầng và Đô thị" if commune.kind == "phuong" else "Phòng Kinh tế"
    )  # Decree 150/2025 art. 4
    c, n = commune.code, commune.name
    return [
        dict(
            code=c,
            name=f"Ủy ban nhân dân {n}",
            kind=UnitKind.PEOPLES_COMMITTEE,
            level=UnitLevel.COMMUNE,
            function="commune_committee",
            parent="hcmc",
        ),
        dict(
            code=f"{c}-office",
            name=f"Văn phòng HĐND và UBND {n}",
            kind=UnitKind.OFFICE,
            level=UnitLevel.DIVISION,
            function="office",
            parent=c,
        ),
        dict(
            code=f"{c}-econ",
            name=f"{econ} {n}",
            kind=UnitKind.DIVISION,
            level=UnitLevel.DIVISION,
            function="econ",
            parent=c,
        ),
        dict(
            code=f"{c}-culture",
            name=f"Phòng Văn hóa - Xã hội {n}",
            kind=UnitKind.DIVISION,
            level=UnitLevel.DIVISION,
            function="culture",
            parent=c,
        ),
        dict(
            code=f"{c}-pasc",
            name=f"Trung tâm Phục vụ hành chính công {n}",
            kind=UnitKind.PASC,
            level=UnitLevel.DIVISION,
            function="pasc",
            parent=c,
        ),
        dict(
            code=f"{c}-police",
            name=f"Công an {n}",
            kind=UnitKind.POLICE,
            level=UnitLevel.COMMUNE,
            function="police",
            parent="hcmc-police",
        ),
        dict(
            code=f"{c}-front",
            name=f"Ủy ban MTTQ Việt Nam {n}",
            kind=UnitKind.FRONT_COMMITTEE,
            level=UnitLevel.COMMUNE,
            function="front",
            parent="hcmc-front",
        ),
    ]


def hcmc_communes() -> list[CommuneRow]:
    from twotier.geography.models import Commune

    rows = Commune.objects.filter(province_id=HCMC).order_by("code").values_list("code", "name", "kind")
    return [CommuneRow(code, name, kind) for code, name, kind in rows]


@transaction.atomic
def load_hcmc_apparatus(
    communes: list[CommuneRow] | None = None, *, on: date = TWO_TIER_START
) -> dict[str, int]:
    """Create what is missing (idempotent): returns counts of units and posts created."""
    bump_reference_version()  # every worker process drops its cached routing (dossiers.refcache)
    roots = ensure_roots()
    communes = hcmc_communes() if communes is None else communes
    specs: list[dict] = [
        dict(
            code=code,
            name=name,
            name_en=name_en,
            kind=UnitKind.DEPARTMENT,
            level=UnitLevel.DEPARTMENT,
            function=function,
            parent="hcmc",
            tier=Tier.CITY,
            commune_code="",
        )
        for code, name, name_en, function in DEPARTMENTS
    ]
    for commune in communes:
        for spec in commune_units(commune):
            specs.append({**spec, "tier": Tier.COMMUNE, "commune_code": commune.code, "name_en": ""})
    existing = set(Unit.objects.filter(code__in=[s["code"] for s in specs]).values_list("code", flat=True))
    missing = [s for s in specs if s["code"] not in existing]
    Unit.objects.bulk_create(
        [
            Unit(
                code=s["code"],
                name=s["name"],
                name_en=s["name_en"],
                kind=s["kind"],
                tier=s["tier"],
                level=s["level"],
                function=s["function"],
                province_code=HCMC,
                commune_code=s["commune_code"],
                valid_from=on,
                legal_basis="" if s["tier"] == Tier.CITY else LEGAL_BASIS_COMMUNE,
            )
            for s in missing
        ],
        batch_size=1000,
    )
    by_code = {u.code: u for u in Unit.objects.filter(code__in=[s["code"] for s in missing])}
    by_code.update(roots)
    UnitParent.objects.bulk_create(
        [UnitParent(unit=by_code[s["code"]], parent=by_code[s["parent"]], valid_from=on) for s in missing],
        batch_size=1000,
    )
    posts = [
        Post(unit=by_code[s["code"]], title=title, quota=quota, is_leadership=i < 2, valid_from=on)
        for s in missing
        if s["function"] in ("office", "econ", "culture", "pasc")
        for i, (title, quota) in enumerate(DIVISION_POSTS)
    ]
    Post.objects.bulk_create(posts, batch_size=1000)
    if missing:
        ApparatusEvent.objects.create(
            kind="hcmc_apparatus_loaded",
            subject="unit:hcmc",
            data={"units": len(missing), "posts": len(posts), "communes": len(communes)},
        )
    return {"units": len(missing), "posts": len(posts), "communes": len(communes)}


# ---- tasks and responsibilities -----------------------------------------------------------------


def sync_tasks() -> dict[str, int]:
    """One task per receivable catalogue procedure (code = procedure code), plus the duties of the rules.

    Idempotent: new procedures are added, changed names/fields/levels updated; tasks are never deleted
    (responsibilities keep pointing at them).
    """
    from twotier.procedures.models import Procedure

    from .rules import load_rules

    bump_reference_version()  # every worker process drops its cached routing (dossiers.refcache)
    wanted: dict[str, dict] = {}
    for code, name, field, at_commune, at_province, competent in (
        Procedure.objects.receivable()
        .order_by("code")
        .values_list(
            "code", "name", "field", "at_commune", "at_province", "current_version__competent_agency"
        )
    ):
        wanted[code] = dict(
            name=name,
            kind=TaskKind.PROCEDURE,
            field=field or "",
            procedure_code=code,
            at_commune=at_commune,
            at_province=at_province,
            competent_agency=competent or "",
        )
    for duty in load_rules().duties:
        wanted[duty.code] = dict(
            name=duty.name,
            kind=TaskKind.DUTY,
            field=duty.field,
            procedure_code="",
            at_commune=True,
            at_province=False,
            competent_agency="",
        )
    existing = {t.code: t for t in Task.objects.filter(code__in=list(wanted))}
    created = [Task(code=code, **values) for code, values in wanted.items() if code not in existing]
    Task.objects.bulk_create(created, batch_size=1000)
    changed = []
    for code, task in existing.items():
        values = wanted[code]
        if any(getattr(task, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(task, k, v)
            changed.append(task)
    Task.objects.bulk_update(changed, list(next(iter(wanted.values())).keys()), batch_size=500)
    return {"tasks": len(wanted), "created": len(created), "updated": len(changed)}


@transaction.atomic
def load_hcmc_responsibilities(on: date = TWO_TIER_START) -> dict[str, int]:
    """Leads (and the PASC's coordination) for every task of HCMC from the rules, valid from `on`.

    Idempotent: a (task, territory, tier) that already has a lead valid on `on` is left alone, and so is
    an existing coordination row. Only units valid on `on` are used; a row gets the unit's end date.
    """
    from django.utils import timezone

    from .bulk import insert_rows
    from .rules import load_rules

    bump_reference_version()  # every worker process drops its cached routing (dossiers.refcache)
    rules = load_rules()
    duty_lead = {d.code: d.lead for d in rules.duties}
    units = list(
        Unit.objects.valid_on(on)
        .filter(province_code=HCMC)
        .values_list("pk", "code", "commune_code", "function", "valid_to")
    )
    by_code = {code: (pk, valid_to) for pk, code, _, _, valid_to in units}
    by_function = {
        (commune, function): (pk, valid_to) for pk, _, commune, function, valid_to in units if commune
    }
    communes = sorted(commune for _, _, commune, function, _ in units if function == "commune_committee")
    current = Responsibility.objects.valid_on(on).filter(province_code=HCMC)
    has_lead = set(current.leads().values_list("task_id", "commune_code", "tier"))
    has_row = set(current.values_list("task_id", "commune_code", "tier", "unit_id"))
    now = timezone.now()
    rows: list[tuple] = []
    stats = {"commune_leads": 0, "commune_coordinations": 0, "city_leads": 0, "without_rule": 0}

    def add(
        task_id: int, commune: str, tier: str, role: str, unit: tuple[int, date | None], basis: str
    ) -> bool:
        unit_id, valid_to = unit
        if (task_id, commune, tier, unit_id) in has_row:
            return False
        if role == "lead":
            if (task_id, commune, tier) in has_lead:
                return False
            has_lead.add((task_id, commune, tier))
        has_row.add((task_id, commune, tier, unit_id))
        rows.append((task_id, HCMC, commune, tier, role, unit_id, on, valid_to, basis[:255], now, now))
        return True

    for task_id, code, field, at_commune, at_province, competent in Task.objects.order_by("code").values_list(
        "pk", "code", "field", "at_commune", "at_province", "competent_agency"
    ):
        if at_commune:
            decision = rules.commune_lead(field)
            function = duty_lead.get(code, decision.lead)
            if function is None:
                stats["without_rule"] += 1
            else:
                basis = rules.commune_basis.get(function, "")
                for commune in communes:
                    unit = by_function.get((commune, function))
                    if unit is None:
                        continue
                    stats["commune_leads"] += add(task_id, commune, Tier.COMMUNE, "lead", unit, basis)
                    for helper in rules.commune_coordinate:
                        other = by_function.get((commune, helper))
                        if other is not None and other[0] != unit[0]:
                            stats["commune_coordinations"] += add(
                                task_id,
                                commune,
                                Tier.COMMUNE,
                                "coordinate",
                                other,
                                "Nghị định 118/2025/NĐ-CP",
                            )
        if at_province:
            decision = rules.city_lead(field, competent)
            if decision.lead is not None and decision.lead in by_code:
                stats["city_leads"] += add(
                    task_id, "", Tier.CITY, "lead", by_code[decision.lead], decision.basis
                )
    insert_rows(
        Responsibility,
        [
            "task",
            "province_code",
            "commune_code",
            "tier",
            "role",
            "unit",
            "valid_from",
            "valid_to",
            "legal_basis",
            "created_at",
            "updated_at",
        ],
        rows,
    )
    if rows:
        ApparatusEvent.objects.create(kind="hcmc_responsibilities_loaded", subject="unit:hcmc", data=stats)
    return stats
