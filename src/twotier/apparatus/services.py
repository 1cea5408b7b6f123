"""Every write to the apparatus registry: atomic, actor recorded, history never rewritten.

`actor=None` means the system itself (a management command loading reference data); a user actor
must hold the permission of the write and see the units it touches (`Unit.objects.visible_to`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twotier.core.errors import Conflict, DomainError
from twotier.core.services import bump_reference_version

from . import hooks
from .bulk import insert_rows
from .models import (
    ApparatusEvent,
    Assignment,
    Delegation,
    Disposition,
    Official,
    Post,
    Reorganization,
    ReorganizationLink,
    ReorganizationStatus,
    Responsibility,
    ResponsibilityRole,
    Task,
    Tier,
    Unit,
    UnitParent,
)
from .plan import DispositionSpec, Plan, structural_errors
from .preview import Preview, build_preview
from .querysets import overlaps_q


class OverlappingValidity(Conflict):
    """Two rows that must not overlap in time would overlap."""


class SecondLead(Conflict):
    """A task already has a lead unit in that territory on those dates."""


class UnaccountedOfficials(Conflict):
    """A reorganization cannot be applied while an official of a dissolved unit has no disposition."""


def _require(actor, perm: str) -> None:
    if actor is not None and not actor.has_perm(perm):
        raise PermissionDenied(perm)


def _require_visible_units(actor, unit_ids: Iterable[int]) -> None:
    if actor is None:
        return
    wanted = set(unit_ids)
    seen = set(Unit.objects.visible_to(actor).filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - seen:
        raise PermissionDenied("unit outside scope")


def _event(kind: str, *, actor, subject: str, unit=None, reorganization=None, data=None, note=""):
    return ApparatusEvent.objects.create(
        kind=kind,
        actor=actor,
        subject=subject[:80],
        unit=unit,
        reorganization=reorganization,
        data=data or {},
        note=note,
    )


# ---- units, posts, officials, assignments -------------------------------------------------------


@transaction.atomic
def create_unit(
    *,
    code: str,
    name: str,
    kind: str,
    tier: str,
    level: str,
    province_code: str,
    valid_from: date,
    parent: Unit | None = None,
    commune_code: str = "",
    function: str = "",
    name_en: str = "",
    legal_basis: str = "",
    actor=None,
) -> Unit:
    """Create a unit (and its parent link). Raises Conflict if the code exists (codes are never reused)."""
    _require(actor, "apparatus.add_unit")
    if parent is not None:
        _require_visible_units(actor, [parent.pk])
    if Unit.objects.filter(code=code).exists():
        raise Conflict(
            _("Mã đơn vị %(code)s đã được sử dụng; mã đơn vị không được dùng lại.") % {"code": code}
        )
    if parent is not None and not parent.valid_on(valid_from):
        raise DomainError(
            _("Đơn vị cấp trên %(parent_code)s không còn hiệu lực ngày %(valid_from)s.")
            % {"parent_code": parent.code, "valid_from": format(valid_from, "%d/%m/%Y")}
        )
    bump_reference_version()  # every worker process drops its cached routing (dossiers.refcache)
    unit = Unit.objects.create(
        code=code,
        name=name,
        name_en=name_en,
        kind=kind,
        tier=tier,
        level=level,
        function=function,
        province_code=province_code,
        commune_code=commune_code if tier == Tier.COMMUNE else "",
        valid_from=valid_from,
        legal_basis=legal_basis,
    )
    if parent is not None:
        UnitParent.objects.create(unit=unit, parent=parent, valid_from=valid_from)
    _event(
        "unit_created",
        actor=actor,
        subject=f"unit:{code}",
        unit=unit,
        data={"parent": parent and parent.code},
    )
    return unit


@transaction.atomic
def set_parent(unit: Unit, parent: Unit, *, valid_from: date, actor=None) -> UnitParent:
    """Subordinate `unit` to `parent` from `valid_from`, ending the current link there.

    Raises OverlappingValidity if a link of the unit starts on or after `valid_from` (history is never
    rewritten: a later link must be ended by its own change).
    """
    _require(actor, "apparatus.change_unit")
    _require_visible_units(actor, [unit.pk, parent.pk])
    if unit.pk == parent.pk:
        raise DomainError(_("Đơn vị không thể trực thuộc chính nó."))
    later = UnitParent.objects.filter(unit=unit, valid_from__gte=valid_from)
    if later.exists():
        raise OverlappingValidity(
            _("Đơn vị %(unit_code)s đã có quan hệ trực thuộc từ ngày %(since)s.")
            % {"unit_code": unit.code, "since": format(later.first().valid_from, "%d/%m/%Y")}
        )
    UnitParent.objects.filter(unit=unit).filter(overlaps_q(valid_from, None)).update(valid_to=valid_from)
    link = UnitParent.objects.create(unit=unit, parent=parent, valid_from=valid_from)
    _event("parent_set", actor=actor, subject=f"unit:{unit.code}", unit=unit, data={"parent": parent.code})
    return link


@transaction.atomic
def create_post(
    unit: Unit, *, title: str, quota: int, valid_from: date, actor=None, **requirements: Any
) -> Post:
    _require(actor, "apparatus.add_post")
    _require_visible_units(actor, [unit.pk])
    if not unit.valid_on(valid_from):
        raise DomainError(
            _("Đơn vị %(unit_code)s không có hiệu lực ngày %(valid_from)s.")
            % {"unit_code": unit.code, "valid_from": format(valid_from, "%d/%m/%Y")}
        )
    post = Post.objects.create(unit=unit, title=title, quota=quota, valid_from=valid_from, **requirements)
    _event("post_created", actor=actor, subject=f"post:{post.pk}", unit=unit, data={"title": title})
    return post


@transaction.atomic
def create_official(
    *, staff_no: str, full_name: str, province_code: str, actor=None, **fields: Any
) -> Official:
    _require(actor, "apparatus.add_official")
    if Official.objects.filter(staff_no=staff_no).exists():
        raise Conflict(_("Số hiệu cán bộ %(staff_no)s đã tồn tại.") % {"staff_no": staff_no})
    official = Official.objects.create(
        staff_no=staff_no, full_name=full_name, province_code=province_code, **fields
    )
    _event("official_created", actor=actor, subject=f"official:{official.pk}")
    return official


@transaction.atomic
def assign_official(
    official: Official, post: Post, *, valid_from: date, valid_to: date | None = None, actor=None
) -> Assignment:
    """Give `official` the post over [valid_from, valid_to).

    Raises OverlappingValidity if the official holds another post in that period, DomainError if the
    post or its unit is not valid on `valid_from` or the post's quota is full.
    """
    _require(actor, "apparatus.add_assignment")
    unit = post.unit
    _require_visible_units(actor, [unit.pk])
    if valid_to is not None and valid_to <= valid_from:
        raise DomainError(_("Ngày kết thúc phải sau ngày bắt đầu."))
    if not (post.valid_from <= valid_from and (post.valid_to is None or valid_from < post.valid_to)):
        raise DomainError(
            _("Vị trí %(post_title)s không có hiệu lực ngày %(valid_from)s.")
            % {"post_title": post.title, "valid_from": format(valid_from, "%d/%m/%Y")}
        )
    if not unit.valid_on(valid_from):
        raise DomainError(
            _("Đơn vị %(unit_code)s không có hiệu lực ngày %(valid_from)s.")
            % {"unit_code": unit.code, "valid_from": format(valid_from, "%d/%m/%Y")}
        )
    clash = official.assignments.filter(overlaps_q(valid_from, valid_to)).select_related("unit").first()
    if clash is not None:
        raise OverlappingValidity(
            (
                _("%(full_name)s đang giữ vị trí tại %(unit_name)s từ %(since)s đến %(until)s.")
                if clash.valid_to
                else _("%(full_name)s đang giữ vị trí tại %(unit_name)s từ %(since)s.")
            )
            % {
                "full_name": official.full_name,
                "unit_name": clash.unit.name,
                "since": format(clash.valid_from, "%d/%m/%Y"),
                "until": format(clash.valid_to, "%d/%m/%Y") if clash.valid_to else "",
            }
        )
    if post.assignments.valid_on(valid_from).count() >= post.quota:
        raise DomainError(
            _("Vị trí %(post_title)s đã đủ biên chế (%(post_quota)s).")
            % {"post_title": post.title, "post_quota": post.quota}
        )
    assignment = Assignment.objects.create(
        official=official, post=post, unit=unit, valid_from=valid_from, valid_to=valid_to
    )
    Official.objects.filter(pk=official.pk).update(
        province_code=unit.province_code, commune_code=unit.commune_code
    )
    _event(
        "official_assigned", actor=actor, subject=f"official:{official.pk}", unit=unit, data={"post": post.pk}
    )
    return assignment


@transaction.atomic
def end_assignment(assignment: Assignment, *, on: date, actor=None) -> Assignment:
    _require(actor, "apparatus.change_assignment")
    _require_visible_units(actor, [assignment.unit_id])
    if on <= assignment.valid_from or (assignment.valid_to is not None and on >= assignment.valid_to):
        raise DomainError(_("Ngày kết thúc nằm ngoài thời gian phân công."))
    Assignment.objects.filter(pk=assignment.pk).update(valid_to=on)
    assignment.refresh_from_db()
    _event(
        "assignment_ended", actor=actor, subject=f"official:{assignment.official_id}", data={"on": str(on)}
    )
    return assignment


# ---- reorganizations ----------------------------------------------------------------------------


def _territory_of(plan: Plan) -> tuple[str, str]:
    units = list(Unit.objects.filter(code__in=plan.predecessors).values_list("province_code", "commune_code"))
    provinces = {p for p, _ in units}
    communes = {c for _, c in units}
    province = provinces.pop() if len(provinces) == 1 else ""
    commune = communes.pop() if len(communes) == 1 else ""
    return province, commune


@transaction.atomic
def draft_reorganization(
    *, kind: str, title: str, effective_on: date, legal_basis: str, plan: Plan | dict, actor
) -> Reorganization:
    """Record a draft reorganization (nothing in the registry changes until it is applied)."""
    _require(actor, "apparatus.add_reorganization")
    plan = plan if isinstance(plan, Plan) else Plan.from_json(plan)
    errors = structural_errors(kind, plan)
    if errors:
        raise DomainError(" ".join(errors))
    units = Unit.objects.filter(code__in=plan.predecessors)
    if units.count() != len(plan.predecessors):
        missing = sorted(set(plan.predecessors) - set(units.values_list("code", flat=True)))
        raise DomainError(_("Không tìm thấy đơn vị: %(codes)s.") % {"codes": ", ".join(missing)})
    _require_visible_units(actor, units.values_list("pk", flat=True))
    province, commune = _territory_of(plan)
    reorg = Reorganization.objects.create(
        kind=kind,
        title=title,
        effective_on=effective_on,
        legal_basis=legal_basis,
        plan=plan.to_json(),
        province_code=province,
        commune_code=commune,
        created_by=actor,
    )
    _event("reorganization_drafted", actor=actor, subject=f"reorganization:{reorg.pk}", reorganization=reorg)
    return reorg


def _editable(reorg: Reorganization, actor) -> Reorganization:
    _require(actor, "apparatus.change_reorganization")
    locked = Reorganization.objects.select_for_update().get(pk=reorg.pk)
    if locked.status != ReorganizationStatus.DRAFT:
        raise Conflict(_("Phương án đã được thực hiện, không sửa được."))
    units = Unit.objects.filter(code__in=Plan.from_json(locked.plan).predecessors).values_list(
        "pk", flat=True
    )
    _require_visible_units(actor, units)
    return locked


@transaction.atomic
def update_plan(reorg: Reorganization, plan: Plan | dict, *, actor) -> Reorganization:
    reorg = _editable(reorg, actor)
    plan = plan if isinstance(plan, Plan) else Plan.from_json(plan)
    errors = structural_errors(reorg.kind, plan)
    if errors:
        raise DomainError(" ".join(errors))
    reorg.plan = plan.to_json()
    reorg.save(update_fields=["plan", "updated_at"])
    _event("plan_updated", actor=actor, subject=f"reorganization:{reorg.pk}", reorganization=reorg)
    return reorg


@transaction.atomic
def set_dispositions(
    reorg: Reorganization, dispositions: dict[int, DispositionSpec], *, actor
) -> Reorganization:
    """Record (or replace) the disposition of the given officials in a draft.

    Raises DomainError if the plan becomes invalid."""
    reorg = _editable(reorg, actor)
    plan = Plan.from_json(reorg.plan)
    plan.dispositions.update(dispositions)
    errors = structural_errors(reorg.kind, plan)
    if errors:
        raise DomainError(" ".join(errors))
    reorg.plan = plan.to_json()
    reorg.save(update_fields=["plan", "updated_at"])
    _event(
        "dispositions_set",
        actor=actor,
        subject=f"reorganization:{reorg.pk}",
        reorganization=reorg,
        data={"officials": sorted(dispositions)},
    )
    return reorg


def preview_reorganization(reorg: Reorganization, *, actor=None) -> Preview:
    """Every change the reorganization would make, and every reason it cannot yet be applied (read only)."""
    if actor is not None:
        units = Unit.objects.filter(code__in=Plan.from_json(reorg.plan).predecessors).values_list(
            "pk", flat=True
        )
        _require_visible_units(actor, units)
    return build_preview(reorg)


@transaction.atomic
def apply_reorganization(reorg: Reorganization, *, actor) -> Reorganization:
    """Apply a draft: end predecessors on the effective date E, create successors from E, move everything.

    Raises PermissionDenied, UnaccountedOfficials (an official of a dissolved unit has no disposition),
    Conflict for any other blocking problem of the preview. All or nothing.
    """
    _require(actor, "apparatus.apply_reorganization")
    reorg = Reorganization.objects.select_for_update().get(pk=reorg.pk)
    if reorg.status != ReorganizationStatus.DRAFT:
        raise Conflict(_("Phương án đã được thực hiện."))
    preview = preview_reorganization(reorg, actor=actor)
    if preview.unaccounted:
        names = ", ".join(f"{a.full_name} ({a.unit_code})" for a in preview.unaccounted[:10])
        more = len(preview.unaccounted) - 10
        raise UnaccountedOfficials(
            (
                _("Còn %(count)d cán bộ chưa có phương án bố trí: %(names)s và %(more)d người khác.")
                if more > 0
                else _("Còn %(count)d cán bộ chưa có phương án bố trí: %(names)s.")
            )
            % {"count": len(preview.unaccounted), "names": names, "more": more}
        )
    if preview.errors:
        raise Conflict(" ".join(preview.errors))
    bump_reference_version()  # every worker process drops its cached routing (dossiers.refcache)
    _write_reorganization(reorg, preview, actor)
    reorg.status = ReorganizationStatus.APPLIED
    reorg.applied_at = timezone.now()
    reorg.applied_by = actor
    reorg.save(update_fields=["status", "applied_at", "applied_by", "updated_at"])
    _event(
        "reorganization_applied",
        actor=actor,
        subject=f"reorganization:{reorg.pk}",
        reorganization=reorg,
        data=preview.counts(),
    )
    return reorg


def _write_reorganization(reorg: Reorganization, preview: Preview, actor) -> None:
    on = reorg.effective_on
    plan = preview.plan
    pred_units = {u.code: u for u in Unit.objects.filter(code__in=plan.predecessors)}
    pred_ids = [u.pk for u in pred_units.values()]

    # 1. successors (units valid from E), then their parent links (a parent may itself be a successor)
    new_units: dict[str, Unit] = {}
    for spec in preview.units_created:
        new_units[spec.code] = Unit.objects.create(
            code=spec.code,
            name=spec.name,
            name_en=spec.name_en,
            kind=spec.kind,
            tier=spec.tier,
            level=spec.level,
            function=spec.function,
            province_code=preview.successor_province[spec.code],
            commune_code=spec.commune_code if spec.tier == Tier.COMMUNE else "",
            valid_from=on,
            legal_basis=reorg.legal_basis,
        )

    def resolve(code: str) -> Unit:
        return new_units.get(code) or Unit.objects.get(code=code)

    # 2. end the predecessors, their parent links and their posts on E
    Unit.objects.filter(pk__in=pred_ids).update(valid_to=on)
    UnitParent.objects.filter(unit_id__in=pred_ids).filter(overlaps_q(on, None)).update(valid_to=on)
    Post.objects.filter(unit_id__in=pred_ids).filter(overlaps_q(on, None)).update(valid_to=on)
    parent_links = [
        UnitParent(unit=new_units[s.code], parent=resolve(s.parent), valid_from=on)
        for s in preview.units_created
        if s.parent
    ]
    # 3. children of dissolved units hang from their new parent from E
    child_ids = [c.child_id for c in preview.parent_changes]
    UnitParent.objects.filter(unit_id__in=child_ids).filter(overlaps_q(on, None)).update(valid_to=on)
    parent_links += [
        UnitParent(unit_id=c.child_id, parent=resolve(c.new_parent_code), valid_from=on)
        for c in preview.parent_changes
    ]
    UnitParent.objects.bulk_create(parent_links)
    ReorganizationLink.objects.bulk_create(
        [
            ReorganizationLink(
                reorganization=reorg, predecessor=pred_units[p], successor=new_units[s] if s else None
            )
            for p, s in plan.links()
        ]
    )

    # 4. posts of the successors
    new_posts: dict[str, Post] = {}
    for spec in plan.posts:
        new_posts[spec.key] = Post(
            unit=new_units[spec.unit],
            title=spec.title,
            quota=spec.quota,
            is_leadership=spec.is_leadership,
            required_qualifications=spec.required_qualifications,
            wanted_skills=spec.wanted_skills,
            min_grade=spec.min_grade,
            min_digital_skill=spec.min_digital_skill,
            valid_from=on,
        )
    Post.objects.bulk_create(list(new_posts.values()))
    existing_posts = Post.objects.in_bulk([a.target_post_id for a in preview.affected if a.target_post_id])

    # 5. officials: end every assignment in a dissolved unit on E, then the dispositions
    Assignment.objects.filter(unit_id__in=pred_ids).filter(overlaps_q(on, None)).update(valid_to=on)
    new_assignments: list[tuple] = []
    dispositions: list[tuple] = []
    by_commune: dict[tuple[str, str], list[int]] = {}
    for item in preview.affected:
        disp = item.disposition
        assert disp is not None  # unaccounted officials were refused above
        post = None
        if disp.kind == "move":
            post = new_posts[disp.post] if disp.post in new_posts else existing_posts[item.target_post_id]
            new_assignments.append((item.official_id, post.pk, post.unit_id, on, None, reorg.pk))
            unit = post.unit
            by_commune.setdefault((unit.province_code, unit.commune_code), []).append(item.official_id)
        dispositions.append(
            (reorg.pk, item.official_id, disp.kind, item.unit_id, post and post.pk, disp.reason)
        )
    insert_rows(
        Assignment, ["official", "post", "unit", "valid_from", "valid_to", "reorganization"], new_assignments
    )
    insert_rows(
        Disposition, ["reorganization", "official", "kind", "from_unit", "to_post", "reason"], dispositions
    )
    for (province, commune), ids in by_commune.items():
        for start in range(0, len(ids), 900):
            Official.objects.filter(pk__in=ids[start : start + 900]).exclude(
                province_code=province, commune_code=commune
            ).update(province_code=province, commune_code=commune)

    # 6. responsibilities: end on E, carried by the successor from E (dropping duplicates)
    moved = preview.responsibilities
    Responsibility.objects.filter(pk__in=[r.pk for r in moved]).update(valid_to=on)
    carried = []
    for r in moved:
        if r.to_code is None or r.duplicate:
            continue
        carried.append(
            Responsibility(
                task_id=r.task_id,
                province_code=r.province_code,
                commune_code=r.commune_code,
                tier=r.tier,
                role=r.role,
                unit=resolve(r.to_code),
                valid_from=on,
                valid_to=r.valid_to,
                legal_basis=reorg.legal_basis,
                reorganization=reorg,
            )
        )
    try:
        with transaction.atomic():
            Responsibility.objects.bulk_create(carried, batch_size=2000)
    except IntegrityError as exc:
        raise SecondLead(_("Không chuyển được trách nhiệm chủ trì: %(exc)s") % {"exc": exc}) from exc

    # 7. delegations given or received by dissolved units
    for d in preview.delegations:
        old = Delegation.objects.get(pk=d.pk)
        tasks = list(old.tasks.all())
        Delegation.objects.filter(pk=d.pk).update(valid_to=on)
        if d.to_code is None:
            continue
        target = resolve(d.to_code)
        copy = Delegation.objects.create(
            from_unit=target if old.from_unit_id in pred_ids else old.from_unit,
            from_official=old.from_official,
            to_unit=target if old.to_unit_id in pred_ids else old.to_unit,
            to_official=old.to_official,
            province_code=old.province_code,
            commune_code=old.commune_code,
            valid_from=on,
            valid_to=old.valid_to,
            instrument_no=old.instrument_no,
            instrument_date=old.instrument_date,
            note=f"Chuyển theo {reorg.legal_basis}",  # stored history stays in Vietnamese
            created_by=actor,
        )
        copy.tasks.set(tasks)

    # 8. open work of other apps, inside this transaction
    mapping: dict[str, str | None] = {}
    for pred, succ in plan.links():
        if pred not in mapping or mapping[pred] is None:
            mapping[pred] = succ
    if reorg.kind == "split":
        default = plan.responsibility_to.get("default")
        mapping = {pred: default for pred in plan.predecessors}
    for hook in hooks.open_work_hooks():
        hook.move(mapping, on, actor, reorg.pk)


# ---- tasks and responsibilities ----------------------------------------------------------------


def _territory_label(province_code: str, commune_code: str) -> str:
    return commune_code or _("toàn tỉnh/thành phố %(province_code)s") % {"province_code": province_code}


@transaction.atomic
def assign_responsibility(
    task: Task,
    unit: Unit,
    *,
    role: str,
    tier: str,
    province_code: str,
    commune_code: str = "",
    valid_from: date,
    valid_to: date | None = None,
    legal_basis: str = "",
    actor=None,
) -> Responsibility:
    """Make `unit` lead or coordinate `task` in a territory over [valid_from, valid_to).

    Raises SecondLead naming the existing lead when the task already has a lead there on an
    overlapping date (the database refuses it too; see the model), DomainError for a unit not valid.
    """
    _require(actor, "apparatus.add_responsibility")
    _require_visible_units(actor, [unit.pk])
    if not unit.valid_on(valid_from):
        raise DomainError(
            _("Đơn vị %(unit_code)s không có hiệu lực ngày %(valid_from)s.")
            % {"unit_code": unit.code, "valid_from": format(valid_from, "%d/%m/%Y")}
        )
    if valid_to is not None and valid_to <= valid_from:
        raise DomainError(_("Ngày kết thúc phải sau ngày bắt đầu."))
    same_place = Responsibility.objects.filter(
        task=task, province_code=province_code, commune_code=commune_code, tier=tier
    ).filter(overlaps_q(valid_from, valid_to))
    if role == ResponsibilityRole.LEAD:
        existing = same_place.leads().select_related("unit").first()
        if existing is not None:
            raise SecondLead(
                _(
                    "Nhiệm vụ %(task_code)s tại %(territory)s đã có đơn vị chủ trì: %(unit_name)s "
                    "(%(unit_code)s) từ %(since)s. Mỗi việc chỉ giao cho một cơ quan chủ trì."
                )
                % {
                    "task_code": task.code,
                    "territory": _territory_label(province_code, commune_code),
                    "unit_name": existing.unit.name,
                    "unit_code": existing.unit.code,
                    "since": format(existing.valid_from, "%d/%m/%Y"),
                }
            )
    elif same_place.filter(unit=unit).exists():
        raise Conflict(
            _("%(unit_name)s đã được giao nhiệm vụ %(task_code)s tại địa bàn này.")
            % {"unit_name": unit.name, "task_code": task.code}
        )
    bump_reference_version()  # every worker process drops its cached routing (dossiers.refcache)
    try:
        with transaction.atomic():
            row = Responsibility.objects.create(
                task=task,
                unit=unit,
                role=role,
                tier=tier,
                province_code=province_code,
                commune_code=commune_code,
                valid_from=valid_from,
                valid_to=valid_to,
                legal_basis=legal_basis,
            )
    except IntegrityError as exc:  # a concurrent writer won the race; the database kept the rule
        raise SecondLead(
            _("Nhiệm vụ %(task_code)s đã có đơn vị chủ trì tại địa bàn này.") % {"task_code": task.code}
        ) from exc
    _event("responsibility_assigned", actor=actor, subject=f"responsibility:{row.pk}", unit=unit)
    return row


@transaction.atomic
def end_responsibility(row: Responsibility, *, on: date, actor=None) -> Responsibility:
    _require(actor, "apparatus.change_responsibility")
    _require_visible_units(actor, [row.unit_id])
    if on <= row.valid_from or (row.valid_to is not None and on >= row.valid_to):
        raise DomainError(_("Ngày kết thúc nằm ngoài thời gian hiệu lực."))
    bump_reference_version()  # every worker process drops its cached routing (dossiers.refcache)
    Responsibility.objects.filter(pk=row.pk).update(valid_to=on)
    row.refresh_from_db()
    _event("responsibility_ended", actor=actor, subject=f"responsibility:{row.pk}", unit=row.unit)
    return row


# ---- delegations -------------------------------------------------------------------------------


@transaction.atomic
def create_delegation(
    *,
    instrument_no: str,
    valid_from: date,
    valid_to: date | None,
    province_code: str,
    commune_code: str = "",
    from_unit: Unit | None = None,
    from_official: Official | None = None,
    to_unit: Unit | None = None,
    to_official: Official | None = None,
    tasks: Iterable[Task] = (),
    instrument_date: date | None = None,
    note: str = "",
    actor=None,
) -> Delegation:
    """Record a delegation of authority (ủy quyền) by written instrument, scope and period.

    Raises DomainError without an instrument number, with no or two delegators/delegates, or with an
    empty period.
    """
    _require(actor, "apparatus.add_delegation")
    if not instrument_no.strip():
        raise DomainError(_("Ủy quyền phải có văn bản (số văn bản)."))
    if (from_unit is None) == (from_official is None) or (to_unit is None) == (to_official is None):
        raise DomainError(_("Chọn đúng một bên ủy quyền và một bên được ủy quyền."))
    if valid_to is not None and valid_to <= valid_from:
        raise DomainError(_("Ngày hết hiệu lực phải sau ngày bắt đầu."))
    units = [u.pk for u in (from_unit, to_unit) if u is not None]
    _require_visible_units(actor, units)
    bump_reference_version()  # every worker process drops its cached routing (dossiers.refcache)
    delegation = Delegation.objects.create(
        from_unit=from_unit,
        from_official=from_official,
        to_unit=to_unit,
        to_official=to_official,
        province_code=province_code,
        commune_code=commune_code,
        valid_from=valid_from,
        valid_to=valid_to,
        instrument_no=instrument_no.strip(),
        instrument_date=instrument_date,
        note=note,
        created_by=actor,
    )
    delegation.tasks.set(list(tasks))
    _event("delegation_created", actor=actor, subject=f"delegation:{delegation.pk}", unit=from_unit)
    return delegation


@transaction.atomic
def revoke_delegation(delegation: Delegation, *, on: date, actor=None) -> Delegation:
    _require(actor, "apparatus.change_delegation")
    if on <= delegation.valid_from:
        raise DomainError(_("Ngày thu hồi phải sau ngày bắt đầu ủy quyền."))
    if delegation.valid_to is not None and on >= delegation.valid_to:
        raise DomainError(_("Ủy quyền đã hết hiệu lực trước ngày này."))
    bump_reference_version()  # every worker process drops its cached routing (dossiers.refcache)
    Delegation.objects.filter(pk=delegation.pk).update(valid_to=on)
    delegation.refresh_from_db()
    _event("delegation_revoked", actor=actor, subject=f"delegation:{delegation.pk}", data={"on": str(on)})
    return delegation


def day_before(on: date) -> date:
    return on - timedelta(days=1)
