"""REST API of the apparatus registry (mounted at /api/v1/apparatus/). Session auth; reads are scoped by
`visible_to`, objects outside the caller's scope answer 404; writes go through the services."""

from __future__ import annotations

from datetime import date
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from twotier.core.errors import Conflict, DomainError

from . import services
from .authority import who_may_decide
from .metrics import compare
from .models import Assignment, Delegation, Official, Reorganization, Responsibility, Task, Unit, UnitParent
from .querysets import children_map, descendant_ids

router = Router(tags=["apparatus"], auth=django_auth)


def _today(on: date | None) -> date:
    return on or timezone.localdate()


def domain_errors(func):
    """Map service refusals to HTTP: permission → 403, conflict → 409, other rule → 400."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except PermissionDenied as exc:
            raise HttpError(403, "Không có quyền thực hiện.") from exc
        except Conflict as exc:
            raise HttpError(409, str(exc)) from exc
        except DomainError as exc:
            raise HttpError(400, str(exc)) from exc

    return wrapper


class UnitOut(Schema):
    code: str
    name: str
    name_en: str
    kind: str
    tier: str
    level: str
    function: str
    province_code: str
    commune_code: str
    valid_from: date
    valid_to: date | None


class UnitDetailOut(UnitOut):
    parent: str | None
    children: list[str]
    headcount: int
    posts: int


class OfficialOut(Schema):
    id: int
    staff_no: str
    full_name: str
    grade: int
    digital_skill: int
    qualifications: list[str]
    skills: list[str]
    home_commune_code: str
    unit: str | None


class ResponsibilityOut(Schema):
    id: int
    task: str
    unit: str
    role: str
    tier: str
    province_code: str
    commune_code: str
    valid_from: date
    valid_to: date | None


class ResponsibilityIn(Schema):
    task: str
    unit: str
    role: str
    tier: str
    commune_code: str = ""
    valid_from: date
    valid_to: date | None = None
    legal_basis: str = ""


class DelegationOut(Schema):
    id: int
    instrument_no: str
    from_unit: str | None
    from_official: int | None
    to_unit: str | None
    to_official: int | None
    tasks: list[str]
    commune_code: str
    valid_from: date
    valid_to: date | None


class DelegationIn(Schema):
    instrument_no: str
    from_unit: str
    to_unit: str
    tasks: list[str] = []
    commune_code: str = ""
    valid_from: date
    valid_to: date | None = None


class WhoDecidesOut(Schema):
    task: str
    commune_code: str
    on: date
    lead: str | None
    delegate: str | None
    instrument: str


class ReorganizationOut(Schema):
    id: int
    kind: str
    title: str
    effective_on: date
    legal_basis: str
    status: str
    links: list[tuple[str, str | None]]


class ReorganizationIn(Schema):
    kind: str
    title: str
    effective_on: date
    legal_basis: str
    plan: dict


class PreviewOut(Schema):
    can_apply: bool
    errors: list[str]
    warnings: list[str]
    counts: dict[str, int]
    unaccounted: list[int]


def _unit_out(unit: Unit) -> dict:
    return {f: getattr(unit, f) for f in UnitOut.model_fields}


@router.get("/units", response=list[UnitOut], summary="Units valid on a date (scoped)")
def list_units(
    request, on: date | None = None, tier: str = "", parent: str = "", limit: int = 500, offset: int = 0
):
    on = _today(on)
    units = Unit.objects.visible_to(request.user).valid_on(on)
    if tier:
        units = units.filter(tier=tier)
    if parent:
        root = get_object_or_404(Unit.objects.visible_to(request.user), code=parent)
        units = units.filter(pk__in=UnitParent.objects.valid_on(on).filter(parent=root).values("unit_id"))
    return [_unit_out(u) for u in units.order_by("code")[offset : offset + min(limit, 2000)]]


@router.get("/units/{code}", response=UnitDetailOut, summary="One unit as of a date")
def get_unit(request, code: str, on: date | None = None):
    on = _today(on)
    unit = get_object_or_404(Unit.objects.visible_to(request.user), code=code)
    link = UnitParent.objects.valid_on(on).filter(unit=unit).select_related("parent").first()
    kids = Unit.objects.filter(pk__in=children_map(on).get(unit.pk, [])).order_by("code")
    return {
        **_unit_out(unit),
        "parent": link.parent.code if link else None,
        "children": list(kids.values_list("code", flat=True)),
        "headcount": Assignment.objects.filter(unit=unit).valid_on(on).count(),
        "posts": unit.posts.valid_on(on).count(),
    }


@router.get("/units/{code}/subtree", response=list[str], summary="Codes of every unit below, as of a date")
def unit_subtree(request, code: str, on: date | None = None):
    on = _today(on)
    unit = get_object_or_404(Unit.objects.visible_to(request.user), code=code)
    ids = descendant_ids([unit.pk], on)
    return list(
        Unit.objects.visible_to(request.user)
        .filter(pk__in=ids)
        .order_by("code")
        .values_list("code", flat=True)
    )


@router.get("/units/{code}/metrics", summary="Metrics of the subtree on two dates (as apparatus_metrics)")
def unit_metrics(request, code: str, before: date, after: date):
    unit = get_object_or_404(Unit.objects.visible_to(request.user), code=code)
    return compare(unit, before, after)


@router.get("/officials", response=list[OfficialOut], summary="Officials of a unit on a date (scoped)")
def list_officials(request, unit: str, on: date | None = None, limit: int = 200, offset: int = 0):
    on = _today(on)
    target = get_object_or_404(Unit.objects.visible_to(request.user), code=unit)
    rows = (
        Assignment.objects.filter(unit=target)
        .valid_on(on)
        .select_related("official")
        .order_by("official__full_name")
    )
    return [_official_out(a.official, target.code) for a in rows[offset : offset + min(limit, 1000)]]


def _official_out(o: Official, unit: str | None) -> dict:
    return {
        "id": o.pk,
        "staff_no": o.staff_no,
        "full_name": o.full_name,
        "grade": o.grade,
        "digital_skill": o.digital_skill,
        "qualifications": o.qualifications,
        "skills": o.skills,
        "home_commune_code": o.home_commune_code,
        "unit": unit,
    }


@router.get("/officials/{official_id}", response=OfficialOut, summary="One official and their unit on a date")
def get_official(request, official_id: int, on: date | None = None):
    official = get_object_or_404(Official.objects.visible_to(request.user), pk=official_id)
    current = official.assignments.valid_on(_today(on)).select_related("unit").first()
    return _official_out(official, current.unit.code if current else None)


def _resp_out(r: Responsibility) -> dict:
    return {
        "id": r.pk,
        "task": r.task.code,
        "unit": r.unit.code,
        "role": r.role,
        "tier": r.tier,
        "province_code": r.province_code,
        "commune_code": r.commune_code,
        "valid_from": r.valid_from,
        "valid_to": r.valid_to,
    }


@router.get(
    "/responsibilities", response=list[ResponsibilityOut], summary="Responsibilities on a date (scoped)"
)
def list_responsibilities(
    request,
    task: str = "",
    commune: str = "",
    unit: str = "",
    role: str = "",
    on: date | None = None,
    limit: int = 500,
    offset: int = 0,
):
    rows = Responsibility.objects.visible_to(request.user).valid_on(_today(on)).select_related("task", "unit")
    if task:
        rows = rows.filter(task__code=task)
    if commune:
        rows = rows.filter(commune_code=commune)
    if unit:
        rows = rows.filter(unit__code=unit)
    if role:
        rows = rows.filter(role=role)
    return [
        _resp_out(r)
        for r in rows.order_by("task__code", "commune_code", "role")[offset : offset + min(limit, 2000)]
    ]


@router.post(
    "/responsibilities", response={201: ResponsibilityOut}, summary="Assign a lead or coordinating unit"
)
@domain_errors
def create_responsibility(request, payload: ResponsibilityIn):
    task = get_object_or_404(Task, code=payload.task)
    unit = get_object_or_404(Unit.objects.visible_to(request.user), code=payload.unit)
    row = services.assign_responsibility(
        task,
        unit,
        role=payload.role,
        tier=payload.tier,
        province_code=unit.province_code,
        commune_code=payload.commune_code,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        legal_basis=payload.legal_basis,
        actor=request.user,
    )
    return 201, _resp_out(row)


def _deleg_out(d: Delegation) -> dict:
    return {
        "id": d.pk,
        "instrument_no": d.instrument_no,
        "from_unit": d.from_unit.code if d.from_unit else None,
        "from_official": d.from_official_id,
        "to_unit": d.to_unit.code if d.to_unit else None,
        "to_official": d.to_official_id,
        "tasks": [t.code for t in d.tasks.all()],
        "commune_code": d.commune_code,
        "valid_from": d.valid_from,
        "valid_to": d.valid_to,
    }


@router.get("/delegations", response=list[DelegationOut], summary="Delegations (valid on a date if given)")
def list_delegations(request, on: date | None = None):
    rows = (
        Delegation.objects.visible_to(request.user)
        .select_related("from_unit", "to_unit")
        .prefetch_related("tasks")
    )
    if on:
        rows = rows.valid_on(on)
    return [_deleg_out(d) for d in rows[:1000]]


@router.post("/delegations", response={201: DelegationOut}, summary="Record a delegation of authority")
@domain_errors
def create_delegation(request, payload: DelegationIn):
    units = Unit.objects.visible_to(request.user)
    source = get_object_or_404(units, code=payload.from_unit)
    target = get_object_or_404(units, code=payload.to_unit)
    delegation = services.create_delegation(
        instrument_no=payload.instrument_no,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        province_code=source.province_code,
        commune_code=payload.commune_code,
        from_unit=source,
        to_unit=target,
        tasks=Task.objects.filter(code__in=payload.tasks),
        actor=request.user,
    )
    return 201, _deleg_out(delegation)


@router.get("/who-decides", response=WhoDecidesOut, summary="Who may decide task X in commune Y on date D")
def who_decides(request, task: str, on: date, commune: str = ""):
    target = get_object_or_404(Task, code=task)
    if commune and not Unit.objects.visible_to(request.user).filter(commune_code=commune).exists():
        raise HttpError(404, "Not found")
    result = who_may_decide(target, commune, on)
    return {
        "task": task,
        "commune_code": commune,
        "on": on,
        "lead": result.lead.code if result.lead else None,
        "delegate": (getattr(result.delegate, "code", None) or getattr(result.delegate, "staff_no", None))
        if result.delegate
        else None,
        "instrument": result.instrument,
    }


def _reorg_out(r: Reorganization) -> dict:
    links = [
        (link.predecessor.code, link.successor.code if link.successor else None)
        for link in r.links.select_related("predecessor", "successor")
    ]
    return {
        "id": r.pk,
        "kind": r.kind,
        "title": r.title,
        "effective_on": r.effective_on,
        "legal_basis": r.legal_basis,
        "status": r.status,
        "links": links,
    }


@router.get("/reorganizations", response=list[ReorganizationOut], summary="Reorganizations (scoped)")
def list_reorganizations(request):
    return [_reorg_out(r) for r in Reorganization.objects.visible_to(request.user)[:500]]


@router.get("/reorganizations/{reorg_id}", response=ReorganizationOut)
def get_reorganization(request, reorg_id: int):
    return _reorg_out(get_object_or_404(Reorganization.objects.visible_to(request.user), pk=reorg_id))


@router.post(
    "/reorganizations", response={201: ReorganizationOut}, summary="Draft a reorganization (plan JSON)"
)
@domain_errors
def draft_reorganization(request, payload: ReorganizationIn):
    reorg = services.draft_reorganization(
        kind=payload.kind,
        title=payload.title,
        effective_on=payload.effective_on,
        legal_basis=payload.legal_basis,
        plan=payload.plan,
        actor=request.user,
    )
    return 201, _reorg_out(reorg)


@router.get(
    "/reorganizations/{reorg_id}/preview", response=PreviewOut, summary="Every change, before applying"
)
@domain_errors
def preview_reorganization(request, reorg_id: int):
    reorg = get_object_or_404(Reorganization.objects.visible_to(request.user), pk=reorg_id)
    preview = services.preview_reorganization(reorg, actor=request.user)
    return {
        "can_apply": preview.can_apply,
        "errors": preview.errors,
        "warnings": preview.warnings,
        "counts": preview.counts(),
        "unaccounted": [a.official_id for a in preview.unaccounted],
    }


@router.post(
    "/reorganizations/{reorg_id}/apply", response=ReorganizationOut, summary="Apply a draft (atomic)"
)
@domain_errors
def apply_reorganization(request, reorg_id: int):
    reorg = get_object_or_404(Reorganization.objects.visible_to(request.user), pk=reorg_id)
    return _reorg_out(services.apply_reorganization(reorg, actor=request.user))


@router.get("/tasks/{code}/leads", response=list[ResponsibilityOut], summary="Lead rows of a task on a date")
def task_leads(request, code: str, on: date | None = None):
    rows = (
        Responsibility.objects.visible_to(request.user)
        .leads()
        .valid_on(_today(on))
        .filter(Q(task__code=code))
        .select_related("task", "unit")
    )
    return [_resp_out(r) for r in rows]
