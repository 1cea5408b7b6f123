"""The seed scenario: the article's organisations, with their reorganizations as real events.

Source: the seed article (sggp.org.vn, 22/10/2025; DOMAIN.md "The seed article's figures"):
- HCMC Fatherland Front (`hcmc-front`): 891 staff in 32 department-level units → 457 staff in
  10 specialised departments (the article rounds the cut as "nearly 52%"; it is 48.7%).
- HCMC Police (`hcmc-police`): more than 30,000 personnel; two reorganizations removed 46
  department-level and more than 200 team-level units.

The figures are the article's; everything else (unit names below the organisations, people, posts,
the pairing of merged units, dates within 01/07–15/09/2025) is generated deterministically and says so
in its legal basis ("kịch bản minh họa"). The starting structure is written in bulk (it is a snapshot,
not history); every change after 30/06/2025 goes through `services.apply_reorganization`, so the
metrics are computed from the same registry rows any real reorganization would leave.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from twotier.core.services import bump_reference_version

from . import services
from .bulk import OFFICIAL_FIELDS, insert_rows
from .models import (
    Assignment,
    Grade,
    Official,
    Post,
    Reorganization,
    Tier,
    Unit,
    UnitKind,
    UnitLevel,
    UnitParent,
)
from .plan import DispositionSpec, Plan, PostSpec, SuccessorSpec

HCMC = "79"
# The registry's history starts here; structure before it is not modelled.
REGISTRY_START = date(2020, 1, 1)
TWO_TIER_START = date(2025, 7, 1)  # Resolutions 202/2025/QH15 and 1685/NQ-UBTVQH15
SCENARIO = "kịch bản minh họa theo bài báo sggp.org.vn 22/10/2025"
HEAD_TITLES = frozenset({"Trưởng ban", "Trưởng phòng", "Đội trưởng"})
STREAMLINING_POLICY = "Tinh giản theo Nghị định 178/2024/NĐ-CP (sửa đổi bởi Nghị định 67/2025/NĐ-CP)"

ROOTS = [
    # code, name, name_en, kind, function
    (
        "hcmc",
        "Ủy ban nhân dân Thành phố Hồ Chí Minh",
        "Ho Chi Minh City People's Committee",
        UnitKind.PEOPLES_COMMITTEE,
        "city_committee",
    ),
    (
        "hcmc-hdnd",
        "Hội đồng nhân dân Thành phố Hồ Chí Minh",
        "Ho Chi Minh City People's Council",
        UnitKind.PEOPLES_COUNCIL,
        "city_council",
    ),
    (
        "hcmc-front",
        "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố Hồ Chí Minh",
        "Vietnam Fatherland Front Committee of Ho Chi Minh City",
        UnitKind.FRONT_COMMITTEE,
        "front",
    ),
    ("hcmc-police", "Công an Thành phố Hồ Chí Minh", "Ho Chi Minh City Police", UnitKind.POLICE, "police"),
]


def ensure_roots() -> dict[str, Unit]:
    """The city-level organisations every loader hangs from (idempotent)."""
    roots = {}
    for code, name, name_en, kind, function in ROOTS:
        roots[code], _ = Unit.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "kind": kind,
                "tier": Tier.CITY,
                "level": UnitLevel.ORGANISATION,
                "function": function,
                "province_code": HCMC,
                "valid_from": REGISTRY_START,
            },
        )
    return roots


# ---- people ------------------------------------------------------------------------------------

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Trương",
    "Đinh",
    "Lâm",
    "Mai",
]
MIDDLE = [
    "Văn",
    "Thị",
    "Hữu",
    "Minh",
    "Ngọc",
    "Thanh",
    "Đức",
    "Quốc",
    "Thu",
    "Hoàng",
    "Anh",
    "Kim",
    "Gia",
    "Bảo",
    "Xuân",
]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Cường",
    "Dũng",
    "Duy",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hòa",
    "Hùng",
    "Hương",
    "Khang",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Minh",
    "Nam",
    "Nga",
    "Ngân",
    "Nhung",
    "Phong",
    "Phúc",
    "Phương",
    "Quân",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Thành",
    "Trang",
    "Trung",
    "Tuấn",
    "Uyên",
    "Vân",
    "Việt",
    "Vy",
    "Yến",
    "Tùng",
    "Lộc",
    "Đạt",
    "Nhân",
    "Tín",
]
QUALIFICATIONS = [
    "cử nhân luật",
    "cử nhân kinh tế",
    "cử nhân hành chính",
    "cử nhân xã hội học",
    "cử nhân công nghệ thông tin",
    "thạc sĩ",
    "trung cấp",
    "cử nhân quản lý đất đai",
    "kỹ sư xây dựng",
]
POLICE_QUALIFICATIONS = [
    "cử nhân an ninh",
    "cử nhân cảnh sát",
    "trung cấp cảnh sát",
    "cử nhân luật",
    "thạc sĩ",
    "kỹ sư công nghệ thông tin",
]
SKILLS = [
    "dân vận",
    "tuyên truyền",
    "tổ chức",
    "kiểm tra",
    "giám sát",
    "tài chính",
    "pháp luật",
    "công nghệ thông tin",
    "đối ngoại",
    "công tác thanh niên",
    "công tác phụ nữ",
    "công đoàn",
]
POLICE_SKILLS = [
    "điều tra",
    "cư trú",
    "căn cước",
    "giao thông",
    "phòng cháy chữa cháy",
    "an ninh mạng",
    "quản lý hành chính",
    "tuần tra",
    "kỹ thuật hình sự",
    "công nghệ thông tin",
]


@dataclass
class Person:
    official_id: int
    birth_year: int
    years_of_service: int
    staff_no: str
    rank: int  # 0 head, 1 deputy, 2 staff


def _officials(rng: random.Random, prefix: str, n: int, *, police: bool, start: int) -> list[tuple]:
    """Rows for `insert_rows(Official, OFFICIAL_FIELDS, ...)`."""
    quals = POLICE_QUALIFICATIONS if police else QUALIFICATIONS
    skills = POLICE_SKILLS if police else SKILLS
    now = timezone.now()
    people = []
    for i in range(n):
        birth = rng.randint(1965, 2002) if police else rng.randint(1963, 1998)
        people.append(
            (
                f"{prefix}{start + i:06d}",
                f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                birth,
                rng.sample(quals, k=rng.randint(1, 2)),
                rng.sample(skills, k=rng.randint(1, 3)),
                rng.choice([1, 1, 2, 2, 2, 3, 3, 4]),
                rng.choice([Grade.CLERK, Grade.SPECIALIST, Grade.SPECIALIST, Grade.PRINCIPAL]).value,
                max(0, min(2025 - birth - 22, rng.randint(0, 35))),
                "",
                HCMC,
                "",
                now,
                now,
            )
        )
    return people


def _bulk_units(specs: list[dict], parent_of: dict[str, Unit], valid_from: date) -> dict[str, Unit]:
    units = Unit.objects.bulk_create(
        [Unit(province_code=HCMC, tier=Tier.CITY, valid_from=valid_from, **spec) for spec in specs]
    )
    by_code = {u.code: u for u in Unit.objects.filter(code__in=[u.code for u in units])}
    UnitParent.objects.bulk_create(
        [
            UnitParent(unit=by_code[code], parent=parent, valid_from=valid_from)
            for code, parent in parent_of.items()
        ]
    )
    return by_code


def _staff_units(
    rng: random.Random,
    units: list[tuple[Unit, list[tuple[str, int]], int]],
    *,
    prefix: str,
    police: bool,
) -> dict[int, list[Person]]:
    """Create posts, officials and assignments: units = [(unit, [(post title, quota)], headcount)]."""
    posts: list[Post] = []
    for unit, titles, _ in units:
        for index, (title, quota) in enumerate(titles):
            posts.append(
                Post(unit=unit, title=title, quota=quota, is_leadership=index < 2, valid_from=REGISTRY_START)
            )
    Post.objects.bulk_create(posts, batch_size=2000)
    post_rows = defaultdict(list)
    for post in Post.objects.filter(unit_id__in=[u.pk for u, _, _ in units]).order_by("pk"):
        post_rows[post.unit_id].append(post)
    total = sum(n for _, _, n in units)
    start = Official.objects.filter(staff_no__startswith=prefix).count() + 1
    rows = _officials(rng, prefix, total, police=police, start=start)
    insert_rows(Official, OFFICIAL_FIELDS, rows)
    ids = dict(Official.objects.filter(staff_no__startswith=prefix).values_list("staff_no", "pk"))
    assignments: list[tuple] = []
    people: dict[int, list[Person]] = defaultdict(list)
    cursor = 0
    for unit, _, n in units:
        unit_posts = post_rows[unit.pk]
        for i in range(n):
            row = rows[cursor]
            cursor += 1
            rank = 0 if i == 0 else (1 if i < 1 + unit_posts[1].quota else 2)
            official_id = ids[row[0]]
            assignments.append((official_id, unit_posts[rank].pk, unit.pk, REGISTRY_START, None))
            people[unit.pk].append(Person(official_id, row[2], row[7], row[0], rank))
    insert_rows(Assignment, ["official", "post", "unit", "valid_from", "valid_to"], assignments)
    return people


def _merge_plan(
    groups: list[tuple[SuccessorSpec, list[Unit]]],
    people: dict[int, list[Person]],
    titles: tuple[str, str, str],
    deputies: int,
    keep: dict[str, int] | None,
    retire_born_before: int,
) -> Plan:
    """A merge plan: for each successor its posts and a disposition for everyone of its predecessors.

    `keep` (successor code → staff to keep) streamlines: the rest retire if born before
    `retire_born_before`, or leave under the streamlining policy. Without `keep` everyone not retiring
    moves. Heads first, then deputies, then staff; within a rank the longest service first.
    """
    plan = Plan()
    for spec, preds in groups:
        plan.predecessors.extend(u.code for u in preds)
        plan.successors.append(spec)
        staff = [p for u in preds for p in people[u.pk]]
        staff.sort(key=lambda p: (p.rank, -p.years_of_service, p.staff_no))
        retiring = [p for p in staff if p.birth_year < retire_born_before]
        staying = [p for p in staff if p.birth_year >= retire_born_before]
        limit = keep[spec.code] if keep else len(staying)
        moved, leaving = staying[:limit], staying[limit:]
        n_deputies = min(deputies, max(0, len(moved) - 1))
        slots = [(titles[0], 1), (titles[1], n_deputies), (titles[2], max(0, len(moved) - 1 - n_deputies))]
        for index, (title, quota) in enumerate(slots):
            plan.posts.append(
                PostSpec(
                    key=f"{spec.code}/{index}",
                    unit=spec.code,
                    title=title,
                    quota=quota,
                    is_leadership=index < 2,
                )
            )
        for i, person in enumerate(moved):
            index = 0 if i == 0 else (1 if i <= n_deputies else 2)
            plan.dispositions[person.official_id] = DispositionSpec("move", f"{spec.code}/{index}")
        for person in retiring:
            plan.dispositions[person.official_id] = DispositionSpec("retire", reason="Đủ tuổi nghỉ hưu")
        for person in leaving:
            plan.dispositions[person.official_id] = DispositionSpec("release", reason=STREAMLINING_POLICY)
    return plan


def _apply(kind: str, title: str, on: date, plan: Plan) -> Reorganization:
    reorg = services.draft_reorganization(
        kind=kind,
        title=title,
        effective_on=on,
        legal_basis=f"Phương án sắp xếp ({SCENARIO})",
        plan=plan,
        actor=None,
    )
    return services.apply_reorganization(reorg, actor=None)


def _people_now(unit_ids: list[int], on: date) -> dict[int, list[Person]]:
    rows = (
        Assignment.objects.filter(unit_id__in=unit_ids)
        .valid_on(on)
        .order_by("pk")
        .values_list(
            "unit_id",
            "official_id",
            "official__birth_year",
            "official__years_of_service",
            "official__staff_no",
            "post__title",
            "post__is_leadership",
        )
    )
    people: dict[int, list[Person]] = defaultdict(list)
    for unit_id, official_id, birth, years, staff_no, title, leading in rows:
        rank = 0 if title in HEAD_TITLES else (1 if leading else 2)
        people[unit_id].append(Person(official_id, birth, years, staff_no, rank))
    return people


# ---- HCMC Fatherland Front: 891 staff in 32 department-level units → 457 in 10 departments -------

FRONT_BEFORE = {
    "Ủy ban MTTQ": [
        "Văn phòng",
        "Ban Tổ chức",
        "Ban Phong trào",
        "Ban Dân chủ - Pháp luật",
        "Ban Tuyên giáo",
        "Ban Đối ngoại - Dân tộc - Tôn giáo",
        "Ban Giám sát và Phản biện xã hội",
        "Ban Công tác Đại đoàn kết",
    ],
    "Thành Đoàn": [
        "Văn phòng",
        "Ban Tổ chức",
        "Ban Tuyên giáo",
        "Ban Kiểm tra",
        "Ban Thanh niên trường học",
        "Ban Thanh niên công nhân và đô thị",
        "Ban Mặt trận - Thanh niên nông thôn",
    ],
    "Hội Liên hiệp Phụ nữ": [
        "Văn phòng",
        "Ban Tổ chức - Kiểm tra",
        "Ban Tuyên giáo",
        "Ban Gia đình - Xã hội",
        "Ban Kinh tế",
    ],
    "Liên đoàn Lao động": [
        "Văn phòng",
        "Ban Tổ chức",
        "Ban Tuyên giáo - Nữ công",
        "Ban Chính sách - Pháp luật",
        "Ban Kiểm tra",
        "Ban Tài chính",
    ],
    "Hội Nông dân": ["Văn phòng", "Ban Tổ chức - Kiểm tra", "Ban Kinh tế - Xã hội"],
    "Hội Cựu chiến binh": ["Văn phòng", "Ban Tổ chức - Kiểm tra", "Ban Tuyên giáo"],
}
# successor name → indexes (1-based, in the order above) of the 32 units merged into it
FRONT_AFTER = [
    ("Văn phòng", [1, 9, 16, 21, 27]),
    ("Ban Tổ chức - Kiểm tra", [2, 10, 12, 17, 22, 25]),
    ("Ban Tuyên giáo - Đối ngoại", [5, 6, 11]),
    ("Ban Dân chủ - Pháp luật và Giám sát", [4, 7, 24]),
    ("Ban Phong trào", [3, 8]),
    ("Ban Công tác Đoàn - Thanh niên", [13, 14, 15]),
    ("Ban Phụ nữ - Gia đình", [18, 19, 20]),
    ("Ban Công đoàn - Công nhân lao động", [23, 26]),
    ("Ban Nông dân - Nông thôn", [28, 29]),
    ("Ban Cựu chiến binh - Chính sách", [30, 31, 32]),
]
FRONT_STAFF_BEFORE = 891
FRONT_STAFF_AFTER = 457
FRONT_EFFECTIVE = date(2025, 7, 1)


def load_front(roots: dict[str, Unit], rng: random.Random) -> Reorganization | None:
    if Unit.objects.filter(code="hcmc-front-d01").exists():
        return None
    front = roots["hcmc-front"]
    names = [f"{ban} ({org})" for org, bans in FRONT_BEFORE.items() for ban in bans]
    assert len(names) == 32
    specs = [
        {
            "code": f"hcmc-front-d{i:02d}",
            "name": name,
            "kind": UnitKind.FRONT_DEPARTMENT,
            "level": UnitLevel.DEPARTMENT,
            "function": "front",
        }
        for i, name in enumerate(names, start=1)
    ]
    units = _bulk_units(specs, {s["code"]: front for s in specs}, REGISTRY_START)
    ordered = [units[s["code"]] for s in specs]
    base, extra = divmod(FRONT_STAFF_BEFORE, len(ordered))
    sizes = [base + (1 if i < extra else 0) for i in range(len(ordered))]
    staffing = [
        (u, [("Trưởng ban", 1), ("Phó Trưởng ban", 2), ("Chuyên viên", n - 3)], n)
        for u, n in zip(ordered, sizes, strict=True)
    ]
    people = _staff_units(rng, staffing, prefix="MT", police=False)
    groups = [members for _, members in FRONT_AFTER]
    base, extra = divmod(FRONT_STAFF_AFTER, len(groups))
    keep = {f"hcmc-front-ban{i:02d}": base + (1 if i <= extra else 0) for i in range(1, len(groups) + 1)}
    merge = []
    for i, ((name, _), members) in enumerate(zip(FRONT_AFTER, groups, strict=True), start=1):
        spec = SuccessorSpec(
            code=f"hcmc-front-ban{i:02d}",
            name=name,
            kind=UnitKind.FRONT_DEPARTMENT,
            level=UnitLevel.DEPARTMENT,
            tier=Tier.CITY,
            parent="hcmc-front",
            sources=[ordered[m - 1].code for m in members],
            function="front",
        )
        merge.append((spec, [ordered[m - 1] for m in members]))
    plan = _merge_plan(merge, people, ("Trưởng ban", "Phó Trưởng ban", "Chuyên viên"), 3, keep, 1965)
    return _apply(
        "merge", "Sắp xếp các ban của Ủy ban MTTQ Việt Nam Thành phố và các đoàn thể", FRONT_EFFECTIVE, plan
    )


# ---- HCMC Police: > 30,000 personnel; two reorganizations remove 46 department- and > 200 team-level units

POLICE_FUNCTIONS = [
    "Cảnh sát hình sự",
    "Cảnh sát kinh tế",
    "Cảnh sát ma túy",
    "Cảnh sát giao thông",
    "Cảnh sát cơ động",
    "Cảnh sát môi trường",
    "Cảnh sát quản lý hành chính về trật tự xã hội",
    "An ninh chính trị nội bộ",
    "An ninh kinh tế",
    "An ninh mạng và phòng chống tội phạm sử dụng công nghệ cao",
    "Quản lý xuất nhập cảnh",
    "Kỹ thuật hình sự",
    "Hồ sơ nghiệp vụ",
    "Tham mưu",
    "Tổ chức cán bộ",
    "Hậu cần",
    "Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
    "Cảnh sát thi hành án hình sự",
    "Cảnh sát điều tra tội phạm về tham nhũng",
    "Cảnh sát đường thủy",
    "Thanh tra",
    "Xây dựng phong trào",
]
POLICE_DEPARTMENTS = 92
POLICE_TEAMS = 640
POLICE_HQ_STAFF = 10
POLICE_REORGS = [
    (date(2025, 7, 1), "Sắp xếp tổ chức bộ máy Công an Thành phố (lần 1)"),
    (date(2025, 9, 15), "Sắp xếp tổ chức bộ máy Công an Thành phố (lần 2)"),
]
DEPARTMENT_MERGES_PER_REORG = 23  # 46 departments into 23, twice: 46 department-level units removed
TEAM_MERGES_PER_REORG = 106  # 212 teams into 106, twice: 212 team-level units removed


def load_police(roots: dict[str, Unit], rng: random.Random) -> list[Reorganization]:
    if Unit.objects.filter(code="hcmc-police-p001").exists():
        return []
    police = roots["hcmc-police"]
    dept_specs = []
    for i in range(1, POLICE_DEPARTMENTS + 1):
        function = POLICE_FUNCTIONS[(i - 1) % len(POLICE_FUNCTIONS)]
        suffix = "" if i <= len(POLICE_FUNCTIONS) else f" {(i - 1) // len(POLICE_FUNCTIONS) + 1}"
        dept_specs.append(
            {
                "code": f"hcmc-police-p{i:03d}",
                "name": f"Phòng {function}{suffix}",
                "kind": UnitKind.POLICE_DEPARTMENT,
                "level": UnitLevel.DEPARTMENT,
                "function": "police",
            }
        )
    depts = _bulk_units(dept_specs, {s["code"]: police for s in dept_specs}, REGISTRY_START)
    dept_list = [depts[s["code"]] for s in dept_specs]
    team_specs, team_parent = [], {}
    for j in range(POLICE_TEAMS):
        dept = dept_list[j % POLICE_DEPARTMENTS]
        n = j // POLICE_DEPARTMENTS + 1
        code = f"{dept.code}-t{n:02d}"
        team_specs.append(
            {
                "code": code,
                "name": f"Đội {n} — {dept.name}",
                "kind": UnitKind.POLICE_TEAM,
                "level": UnitLevel.TEAM,
                "function": "police",
            }
        )
        team_parent[code] = dept
    teams = _bulk_units(team_specs, team_parent, REGISTRY_START)
    staffing = [
        (d, [("Trưởng phòng", 1), ("Phó Trưởng phòng", 3), ("Cán bộ", 6)], POLICE_HQ_STAFF) for d in dept_list
    ]
    for spec in team_specs:
        n = rng.randint(40, 56)
        staffing.append(
            (teams[spec["code"]], [("Đội trưởng", 1), ("Phó Đội trưởng", 2), ("Cán bộ, chiến sĩ", n - 3)], n)
        )
    _staff_units(rng, staffing, prefix="CA", police=True)
    applied = []
    for round_no, (on, title) in enumerate(POLICE_REORGS, start=1):
        applied.append(_police_round(round_no, on, title))
    return applied


def _police_round(round_no: int, on: date, title: str) -> Reorganization:
    """Merge 46 department-level units pairwise and 106 pairs of sibling teams, effective `on`."""
    day_before = services.day_before(on)
    police = Unit.objects.get(code="hcmc-police")
    below = Unit.objects.subtree(police, day_before, include_root=False).city()
    depts = list(below.filter(level=UnitLevel.DEPARTMENT).order_by("code"))
    teams = list(below.filter(level=UnitLevel.TEAM).order_by("code"))
    parent = dict(
        UnitParent.objects.valid_on(day_before).filter(unit__in=teams).values_list("unit_id", "parent_id")
    )
    # the departments merged this round: the first 46 of the current list (pairs of neighbours)
    dept_pairs = [depts[2 * k : 2 * k + 2] for k in range(DEPARTMENT_MERGES_PER_REORG)]
    groups: list[tuple[SuccessorSpec, list[Unit]]] = []
    for k, pair in enumerate(dept_pairs, start=1):
        spec = SuccessorSpec(
            code=f"hcmc-police-r{round_no}-p{k:02d}",
            name=f"{pair[0].name} (hợp nhất {round_no}/2025)",
            kind=UnitKind.POLICE_DEPARTMENT,
            level=UnitLevel.DEPARTMENT,
            tier=Tier.CITY,
            parent="hcmc-police",
            sources=[u.code for u in pair],
            function="police",
        )
        groups.append((spec, pair))
    by_parent: dict[int, list[Unit]] = defaultdict(list)
    for team in teams:
        by_parent[parent[team.pk]].append(team)
    team_pairs: list[list[Unit]] = []
    for dept in depts:
        siblings = by_parent.get(dept.pk, [])
        for k in range(0, len(siblings) - 1, 2):
            if len(team_pairs) < TEAM_MERGES_PER_REORG:
                team_pairs.append(siblings[k : k + 2])
    assert len(team_pairs) == TEAM_MERGES_PER_REORG
    for k, pair in enumerate(team_pairs, start=1):
        spec = SuccessorSpec(
            code=f"hcmc-police-r{round_no}-t{k:03d}",
            name=f"{pair[0].name.split(' — ')[0]} (hợp nhất) — {pair[0].name.split(' — ')[-1]}",
            kind=UnitKind.POLICE_TEAM,
            level=UnitLevel.TEAM,
            tier=Tier.CITY,
            parent="",
            sources=[u.code for u in pair],
            function="police",
        )
        groups.append((spec, pair))
    people = _people_now([u.pk for _, pair in groups for u in pair], day_before)
    dept_groups = groups[:DEPARTMENT_MERGES_PER_REORG]
    team_groups = groups[DEPARTMENT_MERGES_PER_REORG:]
    plan = _merge_plan(dept_groups, people, ("Trưởng phòng", "Phó Trưởng phòng", "Cán bộ"), 4, None, 1966)
    teams_plan = _merge_plan(
        team_groups, people, ("Đội trưởng", "Phó Đội trưởng", "Cán bộ, chiến sĩ"), 3, None, 1966
    )
    plan.predecessors += teams_plan.predecessors
    plan.successors += teams_plan.successors
    plan.posts += teams_plan.posts
    plan.dispositions.update(teams_plan.dispositions)
    return _apply("merge", title, on, plan)


@transaction.atomic
def load_seed_scenario(seed: int = 2025) -> dict[str, int]:
    bump_reference_version()  # every worker process drops its cached routing (dossiers.refcache)
    rng = random.Random(seed)
    roots = ensure_roots()
    front = load_front(roots, rng)
    police = load_police(roots, rng)
    return {"front_reorganizations": int(front is not None), "police_reorganizations": len(police)}
