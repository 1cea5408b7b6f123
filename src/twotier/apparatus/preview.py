"""The preview of a reorganization: every change it would make, computed without writing anything.

`services.apply_reorganization` recomputes this preview inside its transaction and writes exactly
what it lists, so what the leader saw is what happens.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from django.db.models import Q

from . import hooks
from .models import Assignment, Delegation, Post, Responsibility, ResponsibilityRole, Unit, UnitParent
from .plan import DispositionSpec, Plan, SuccessorSpec, structural_errors
from .querysets import overlaps_q


@dataclass
class AffectedOfficial:
    official_id: int
    full_name: str
    staff_no: str
    unit_id: int
    unit_code: str
    post_title: str
    disposition: DispositionSpec | None = None
    target_post_id: int | None = None
    target_label: str = ""


@dataclass
class ParentChange:
    child_id: int
    child_code: str
    child_name: str
    old_parent_code: str
    new_parent_code: str


@dataclass
class CarriedResponsibility:
    pk: int
    task_id: int
    task_code: str
    province_code: str
    commune_code: str
    tier: str
    role: str
    from_code: str
    to_code: str | None
    valid_to: date | None
    duplicate: bool = False


@dataclass
class CarriedDelegation:
    pk: int
    instrument_no: str
    from_label: str
    to_label: str
    to_code: str | None


@dataclass
class QuotaUse:
    label: str
    quota: int
    used: int

    @property
    def over(self) -> bool:
        return self.used > self.quota


@dataclass
class Preview:
    reorganization_id: int
    kind: str
    effective_on: date
    plan: Plan
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    units_closed: list[Unit] = field(default_factory=list)
    units_created: list[SuccessorSpec] = field(default_factory=list)
    successor_province: dict[str, str] = field(default_factory=dict)
    parent_changes: list[ParentChange] = field(default_factory=list)
    posts_closed: list[Post] = field(default_factory=list)
    affected: list[AffectedOfficial] = field(default_factory=list)
    quotas: list[QuotaUse] = field(default_factory=list)
    responsibilities: list[CarriedResponsibility] = field(default_factory=list)
    delegations: list[CarriedDelegation] = field(default_factory=list)
    open_work: list[tuple[str, int]] = field(default_factory=list)

    @property
    def unaccounted(self) -> list[AffectedOfficial]:
        return [a for a in self.affected if a.disposition is None]

    @property
    def can_apply(self) -> bool:
        return not self.errors and not self.unaccounted

    @property
    def gaps_created(self) -> list[CarriedResponsibility]:
        return [r for r in self.responsibilities if r.role == ResponsibilityRole.LEAD and r.to_code is None]

    def disposition_counts(self) -> dict[str, int]:
        counts = Counter(a.disposition.kind for a in self.affected if a.disposition is not None)
        return {"move": counts["move"], "retire": counts["retire"], "release": counts["release"]}

    def counts(self) -> dict[str, int]:
        return {
            "units_closed": len(self.units_closed),
            "units_created": len(self.units_created),
            "parent_changes": len(self.parent_changes),
            "posts_closed": len(self.posts_closed),
            "posts_created": len(self.plan.posts),
            "officials": len(self.affected),
            **{f"officials_{k}": v for k, v in self.disposition_counts().items()},
            "unaccounted": len(self.unaccounted),
            "responsibilities": len(self.responsibilities),
            "gaps_created": len(self.gaps_created),
            "delegations": len(self.delegations),
            "open_work": sum(n for _, n in self.open_work),
        }


def build_preview(reorg) -> Preview:
    plan = Plan.from_json(reorg.plan)
    on = reorg.effective_on
    preview = Preview(reorganization_id=reorg.pk, kind=reorg.kind, effective_on=on, plan=plan)
    preview.errors.extend(structural_errors(reorg.kind, plan))
    if reorg.status != "draft":
        preview.errors.append("Phương án đã được thực hiện.")

    preds = {u.code: u for u in Unit.objects.filter(code__in=plan.predecessors)}
    for code in plan.predecessors:
        unit = preds.get(code)
        if unit is None:
            preview.errors.append(f"Không tìm thấy đơn vị {code}.")
        elif not (unit.valid_from < on and (unit.valid_to is None or unit.valid_to > on)):
            preview.errors.append(
                f"Đơn vị {code} phải còn hiệu lực cả ngày trước và ngày {on:%d/%m/%Y} để sắp xếp."
            )
    preview.units_closed = [preds[c] for c in plan.predecessors if c in preds]
    pred_ids = {u.pk: u for u in preview.units_closed}
    succ_codes = {s.code for s in plan.successors}
    taken = set(Unit.objects.filter(code__in=succ_codes).values_list("code", flat=True))
    for code in sorted(taken):
        preview.errors.append(f"Mã {code} đã được dùng cho một đơn vị khác; đơn vị mới phải có mã mới.")

    current_parent: dict[int, str] = dict(
        UnitParent.objects.valid_on(on).filter(unit_id__in=pred_ids).values_list("unit_id", "parent__code")
    )

    def usable_existing(code: str) -> Unit | None:
        unit = Unit.objects.filter(code=code).first()
        if unit is None or not unit.valid_on(on) or unit.pk in pred_ids:
            return None
        return unit

    # successors: fill what the plan left to default from the predecessors
    for spec in plan.successors:
        sources = [preds[c] for c in spec.sources if c in preds]
        if not sources:
            continue
        first = sources[0]
        parents = {current_parent.get(u.pk, "") for u in sources}
        parent = spec.parent
        if reorg.kind == "transfer":
            if not parent or parent == current_parent.get(first.pk, ""):
                preview.errors.append(f"Chuyển trực thuộc: chọn đơn vị cấp trên mới cho {spec.code}.")
        elif reorg.kind == "rename":
            if parent and parent != current_parent.get(first.pk, ""):
                preview.errors.append("Đổi tên không thay đổi đơn vị cấp trên; hãy dùng chuyển trực thuộc.")
            parent = current_parent.get(first.pk, "")
        elif not parent:
            if len(parents) == 1:
                parent = parents.pop()
                # the common parent is dissolved by this same reorganization: hang from its successor
                if parent in preds and len(plan.successors_of(parent)) == 1:
                    parent = plan.successors_of(parent)[0]
            else:
                preview.errors.append(
                    f"Các đơn vị hợp nhất khác cấp trên: chọn đơn vị cấp trên cho {spec.code}."
                )
        if parent and parent not in succ_codes and usable_existing(parent) is None:
            preview.errors.append(
                f"Đơn vị cấp trên {parent} của {spec.code} không có hiệu lực ngày {on:%d/%m/%Y}."
            )
        communes = {u.commune_code for u in sources}
        provinces = {u.province_code for u in sources}
        resolved = replace(
            spec,
            parent=parent,
            kind=spec.kind or first.kind,
            level=spec.level or first.level,
            tier=spec.tier or first.tier,
            function=spec.function or (first.function if len({u.function for u in sources}) == 1 else ""),
            commune_code=spec.commune_code or (communes.pop() if len(communes) == 1 else ""),
        )
        if resolved.tier == "commune" and not resolved.commune_code:
            preview.errors.append(f"Đơn vị cấp xã {spec.code} phải thuộc một xã/phường.")
        preview.units_created.append(resolved)
        preview.successor_province[spec.code] = (
            provinces.pop() if len(provinces) == 1 else first.province_code
        )

    # children of dissolved units
    child_rows = (
        UnitParent.objects.valid_on(on)
        .filter(parent_id__in=pred_ids)
        .exclude(unit_id__in=pred_ids)
        .filter(Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gt=on))
        .select_related("unit", "parent")
        .order_by("unit__code")
    )
    for link in child_rows:
        child = link.unit
        target = plan.children.get(child.code)
        if not target:
            successors = plan.successors_of(link.parent.code)
            if len(successors) == 1:
                target = successors[0]
            elif reorg.kind == "split" and plan.responsibility_to.get("default"):
                target = plan.responsibility_to["default"]
        if not target:
            preview.errors.append(f"Chọn đơn vị cấp trên mới cho {child.name} ({child.code}).")
            continue
        if target not in succ_codes and usable_existing(target) is None:
            preview.errors.append(f"Đơn vị cấp trên {target} của {child.code} không hợp lệ.")
            continue
        if link.valid_from >= on:
            preview.errors.append(f"Quan hệ trực thuộc của {child.code} bắt đầu từ ngày hiệu lực.")
            continue
        preview.parent_changes.append(
            ParentChange(child.pk, child.code, child.name, link.parent.code, target)
        )

    preview.posts_closed = list(
        Post.objects.filter(unit_id__in=pred_ids).filter(overlaps_q(on, None)).select_related("unit")
    )

    # officials: every assignment still running on E in a dissolved unit needs a disposition
    rows = (
        Assignment.objects.filter(unit_id__in=pred_ids)
        .filter(overlaps_q(on, None))
        .values_list(
            "official_id",
            "official__full_name",
            "official__staff_no",
            "unit_id",
            "post__title",
            "valid_from",
        )
        .order_by("unit__code", "official__full_name", "official_id")
    )
    plan_posts = {p.key: p for p in plan.posts}
    existing_ids = {d.existing_post_id for d in plan.dispositions.values() if d.existing_post_id}
    existing = {p.pk: p for p in Post.objects.filter(pk__in=existing_ids).select_related("unit")}
    moves: Counter[str] = Counter()
    seen: set[int] = set()
    for official_id, name, staff_no, unit_id, title, starts in rows:
        if starts >= on:
            preview.errors.append(f"{name}: phân công bắt đầu từ ngày hiệu lực tại đơn vị bị sắp xếp.")
        seen.add(official_id)
        item = AffectedOfficial(official_id, name, staff_no, unit_id, pred_ids[unit_id].code, title)
        disp = plan.dispositions.get(official_id)
        if disp is not None:
            item.disposition = disp
            if disp.kind == "move":
                if disp.post in plan_posts:
                    post_spec = plan_posts[disp.post]
                    item.target_label = f"{post_spec.title} — {post_spec.unit}"
                    moves[disp.post] += 1
                else:
                    post = existing.get(disp.existing_post_id or -1)
                    if post is None or not (
                        post.valid_from <= on and (post.valid_to is None or on < post.valid_to)
                    ):
                        preview.errors.append(f"{name}: vị trí việc làm được chọn không có hiệu lực.")
                    elif post.unit_id in pred_ids or not post.unit.valid_on(on):
                        preview.errors.append(f"{name}: vị trí được chọn thuộc đơn vị không còn hiệu lực.")
                    else:
                        item.target_post_id = post.pk
                        item.target_label = f"{post.title} — {post.unit.code}"
                        moves[disp.post] += 1
            else:
                item.target_label = disp.reason
        preview.affected.append(item)
    stray = sorted(set(plan.dispositions) - seen)
    if stray:
        preview.warnings.append(
            f"{len(stray)} phương án bố trí cho cán bộ không thuộc đơn vị bị sắp xếp sẽ bị bỏ qua."
        )
    for key, spec in plan_posts.items():
        preview.quotas.append(QuotaUse(f"{spec.title} — {spec.unit}", spec.quota, moves.get(key, 0)))
    for post in existing.values():
        used = Assignment.objects.filter(post=post).valid_on(on).exclude(unit_id__in=pred_ids).count()
        key = f"#{post.pk}"
        preview.quotas.append(
            QuotaUse(f"{post.title} — {post.unit.code}", post.quota, used + moves.get(key, 0))
        )
    for quota in preview.quotas:
        if quota.over:
            preview.errors.append(f"Vượt biên chế: {quota.label} ({quota.used}/{quota.quota}).")

    # responsibilities and delegations follow the units
    def target_for(pred_code: str, task_code: str | None) -> str | None:
        if reorg.kind in ("merge", "rename", "transfer"):
            successors = plan.successors_of(pred_code)
            return successors[0] if successors else None
        chosen = plan.responsibility_to.get(task_code or "") or plan.responsibility_to.get("default")
        if chosen and chosen not in succ_codes and usable_existing(chosen) is None:
            preview.errors.append(f"Đơn vị nhận trách nhiệm {chosen} không hợp lệ.")
            return None
        return chosen or None

    resp_rows = (
        Responsibility.objects.filter(unit_id__in=pred_ids)
        .filter(overlaps_q(on, None))
        .select_related("task")
        .order_by("task__code", "commune_code", "role", "pk")
    )
    kept: set[tuple] = set()
    for r in resp_rows:
        if r.valid_from >= on:
            preview.errors.append(
                f"Trách nhiệm {r.task.code} của {pred_ids[r.unit_id].code} bắt đầu từ ngày hiệu lực."
            )
            continue
        to_code = target_for(pred_ids[r.unit_id].code, r.task.code)
        carried = CarriedResponsibility(
            r.pk,
            r.task_id,
            r.task.code,
            r.province_code,
            r.commune_code,
            r.tier,
            r.role,
            pred_ids[r.unit_id].code,
            to_code,
            r.valid_to,
        )
        place = (r.task_id, r.province_code, r.commune_code, r.tier, to_code)
        if to_code is not None:
            # after a merge the successor keeps one row per task and place: the lead wins over coordination
            if (*place, "lead") in kept or (r.role == "coordinate" and (*place, "coordinate") in kept):
                carried.duplicate = True
            kept.add((*place, r.role))
        preview.responsibilities.append(carried)
    leads = {
        (r.task_id, r.province_code, r.commune_code, r.tier, r.to_code)
        for r in preview.responsibilities
        if r.role == "lead"
    }
    for r in preview.responsibilities:
        if (
            r.role == "coordinate"
            and (r.task_id, r.province_code, r.commune_code, r.tier, r.to_code) in leads
        ):
            r.duplicate = True
    for gap in preview.gaps_created:
        preview.warnings.append(
            f"Nhiệm vụ {gap.task_code} tại {gap.commune_code or gap.province_code} "
            "sẽ không còn đơn vị chủ trì."
        )

    deleg_rows = (
        Delegation.objects.filter(Q(from_unit_id__in=pred_ids) | Q(to_unit_id__in=pred_ids))
        .filter(overlaps_q(on, None))
        .select_related("from_unit", "to_unit", "from_official", "to_official")
    )
    for d in deleg_rows:
        if d.valid_from >= on:
            preview.errors.append(f"Ủy quyền {d.instrument_no} bắt đầu từ ngày hiệu lực; hãy sửa trước.")
            continue
        pred = d.from_unit if d.from_unit_id in pred_ids else d.to_unit
        to_code = None if reorg.kind == "abolish" else target_for(pred.code, None)
        preview.delegations.append(
            CarriedDelegation(d.pk, d.instrument_no, str(d.delegator), str(d.delegate), to_code)
        )

    codes = list(plan.predecessors)
    preview.open_work = [(hook.label, hook.count(codes, on)) for hook in hooks.open_work_hooks()]
    return preview
