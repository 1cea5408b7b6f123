"""Small fixed structures for apparatus tests (the big HCMC data is loaded once per session)."""

from __future__ import annotations

from datetime import date
from itertools import count

from twotier.apparatus.models import (
    Assignment,
    Official,
    Post,
    Responsibility,
    Task,
    Tier,
    Unit,
    UnitKind,
    UnitLevel,
    UnitParent,
)

START = date(2025, 1, 1)
_serial = count(1)


def make_unit(
    code: str,
    *,
    parent: Unit | None = None,
    valid_from: date = START,
    tier: str = Tier.CITY,
    commune_code: str = "",
    level: str = UnitLevel.DEPARTMENT,
    kind: str = UnitKind.DEPARTMENT,
    function: str = "",
) -> Unit:
    unit = Unit.objects.create(
        code=code,
        name=f"Đơn vị {code}",
        kind=kind,
        tier=tier,
        level=level,
        function=function,
        province_code="79",
        commune_code=commune_code,
        valid_from=valid_from,
    )
    if parent is not None:
        UnitParent.objects.create(unit=unit, parent=parent, valid_from=valid_from)
    return unit


def make_post(unit: Unit, title: str = "Chuyên viên", quota: int = 10, valid_from: date = START) -> Post:
    return Post.objects.create(unit=unit, title=title, quota=quota, valid_from=valid_from)


def make_official(name: str = "Nguyễn Văn A", **fields) -> Official:
    return Official.objects.create(
        staff_no=f"T{next(_serial):06d}", full_name=name, province_code="79", **fields
    )


def staff(post: Post, n: int, valid_from: date = START) -> list[Official]:
    people = []
    for i in range(n):
        official = make_official(f"Cán bộ {post.unit.code} {i + 1}")
        Assignment.objects.create(official=official, post=post, unit=post.unit, valid_from=valid_from)
        people.append(official)
    return people


def make_task(code: str, *, field: str = "Hộ tịch", at_commune: bool = True) -> Task:
    return Task.objects.create(
        code=code, name=f"Nhiệm vụ {code}", kind="duty", field=field, at_commune=at_commune
    )


def lead(
    task: Task,
    unit: Unit,
    *,
    commune: str = "",
    tier: str = Tier.CITY,
    valid_from: date = START,
    valid_to: date | None = None,
    role: str = "lead",
) -> Responsibility:
    return Responsibility.objects.create(
        task=task,
        unit=unit,
        role=role,
        tier=tier,
        province_code="79",
        commune_code=commune,
        valid_from=valid_from,
        valid_to=valid_to,
    )
