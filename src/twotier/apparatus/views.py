"""Apparatus pages: scope every read with `visible_to`, validate, call a service, render."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from twotier.core.errors import DomainError

from . import importing, placing, services
from .authority import city_gaps, commune_gaps, who_may_decide
from .forms import AsOfForm, DelegationForm, ImportForm, ReorganizationForm, WhoDecidesForm, codes
from .metrics import compare
from .models import (
    Assignment,
    Delegation,
    Disposition,
    Post,
    Reorganization,
    ReorganizationLink,
    ReorganizationStatus,
    Responsibility,
    Task,
    Unit,
    UnitLevel,
    UnitParent,
)
from .placement import PlacementError
from .plan import DispositionSpec, Plan, PostSpec, SuccessorSpec
from .tree import org_tree, tree_html


def _on(request: HttpRequest) -> date:
    return AsOfForm(request.GET).date()


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    on = _on(request)
    tokens, count = org_tree(Unit.objects.visible_to(request.user), on)
    html = tree_html(tokens, unit_base=reverse("apparatus:units"), on=on, people=escape(_("người")))
    return render(request, "apparatus/tree.html", {"tree": mark_safe(html), "count": count, "on": on})


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.visible_to(request.user), code=code)
    on = _on(request)
    parent_link = UnitParent.objects.valid_on(on).filter(unit=unit).select_related("parent").first()
    children = (
        Unit.objects.visible_to(request.user)
        .filter(pk__in=UnitParent.objects.valid_on(on).filter(parent=unit).values("unit_id"))
        .valid_on(on)
    )
    posts = list(Post.objects.filter(unit=unit).valid_on(on).order_by("pk"))
    people = (
        Assignment.objects.filter(unit=unit)
        .valid_on(on)
        .select_related("official", "post")
        .order_by("post_id", "official__full_name")
    )
    page = Paginator(people, 100).get_page(request.GET.get("page"))
    responsibilities = (
        Responsibility.objects.valid_on(on)
        .filter(unit=unit)
        .select_related("task")
        .order_by("task__code", "commune_code")
    )
    history = ReorganizationLink.objects.filter(Q(predecessor=unit) | Q(successor=unit)).select_related(
        "reorganization", "predecessor", "successor"
    )
    delegations = Delegation.objects.filter(Q(from_unit=unit) | Q(to_unit=unit)).select_related(
        "from_unit", "to_unit"
    )
    return render(
        request,
        "apparatus/unit.html",
        {
            "unit": unit,
            "on": on,
            "parent_link": parent_link,
            "children": children,
            "posts": posts,
            "page": page,
            "headcount": page.paginator.count,
            "responsibilities": responsibilities[:200],
            "responsibility_count": responsibilities.count(),
            "history": history,
            "delegations": delegations,
        },
    )


# ---- reorganizations --------------------------------------------------------------------------


def _default_posts(plan: Plan, units: dict[str, Unit], on: date, split: bool) -> list[PostSpec]:
    """Successor posts proposed from the predecessors' open posts: same titles, quotas added up
    (a merge) or shared out (a split, rounded up). The leader edits them before applying."""
    posts: list[PostSpec] = []
    for spec in plan.successors:
        totals: dict[str, int] = defaultdict(int)
        leading: dict[str, bool] = {}
        for post in Post.objects.filter(unit__code__in=spec.sources).valid_on(on).order_by("pk"):
            share = -(-post.quota // len(plan.successors)) if split else post.quota
            totals[post.title] += share
            leading[post.title] = post.is_leadership
        for index, (title, quota) in enumerate(totals.items(), start=1):
            posts.append(
                PostSpec(
                    key=f"{spec.code}/{index}",
                    unit=spec.code,
                    title=title,
                    quota=quota,
                    is_leadership=leading[title],
                )
            )
    return posts


@login_required
@permission_required("apparatus.view_reorganization", raise_exception=True)
def reorganization_list(request: HttpRequest) -> HttpResponse:
    reorgs = Reorganization.objects.visible_to(request.user).order_by("-effective_on", "-pk")
    return render(
        request,
        "apparatus/reorganizations.html",
        {"page": Paginator(reorgs, 50).get_page(request.GET.get("page"))},
    )


@login_required
@permission_required("apparatus.add_reorganization", raise_exception=True)
def reorganization_new(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.visible_to(request.user)
    form = ReorganizationForm(
        request.POST or None, units=units, initial={"predecessors": request.GET.get("units", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, preds = data["kind"], data["predecessors"]
        plan = Plan(predecessors=preds)
        for code, name in data["successors"]:
            plan.successors.append(
                SuccessorSpec(
                    code=code,
                    name=name,
                    kind="",
                    level="",
                    tier="",
                    parent=data["parent"].strip(),
                    sources=list(preds),
                )
            )
        if kind == "split" and plan.successors:
            plan.responsibility_to["default"] = plan.successors[0].code
        plan.posts = _default_posts(
            plan, {u.code: u for u in units.filter(code__in=preds)}, data["effective_on"], kind == "split"
        )
        try:
            reorg = services.draft_reorganization(
                kind=kind,
                title=data["title"],
                effective_on=data["effective_on"],
                legal_basis=data["legal_basis"],
                plan=plan,
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("apparatus:reorganization", pk=reorg.pk)
    return render(request, "apparatus/reorganization_new.html", {"form": form})


def _reorg_for(request: HttpRequest, pk: int) -> Reorganization:
    return get_object_or_404(Reorganization.objects.visible_to(request.user), pk=pk)


@login_required
@permission_required("apparatus.view_reorganization", raise_exception=True)
def reorganization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reorg = _reorg_for(request, pk)
    if reorg.status != ReorganizationStatus.DRAFT:
        links = reorg.links.select_related("predecessor", "successor").order_by("predecessor__code")
        outcome = dict(
            Disposition.objects.filter(reorganization=reorg)
            .values("kind")
            .annotate(n=Count("pk"))
            .values_list("kind", "n")
        )
        return render(
            request,
            "apparatus/reorganization_applied.html",
            {
                "reorg": reorg,
                "plan": Plan.from_json(reorg.plan),
                "links": links,
                "outcome": outcome,
                "events": reorg.events.select_related("actor"),
            },
        )
    preview = services.preview_reorganization(reorg, actor=request.user)
    plan = preview.plan
    page = Paginator(preview.affected, 200).get_page(request.GET.get("page"))
    return render(
        request,
        "apparatus/reorganization.html",
        {
            "reorg": reorg,
            "preview": preview,
            "plan": plan,
            "page": page,
            "post_choices": [(p.key, f"{p.title} — {p.unit}") for p in plan.posts],
            "is_draft": reorg.status == ReorganizationStatus.DRAFT,
            "counts": preview.counts(),
        },
    )


@login_required
@permission_required("apparatus.view_reorganization", raise_exception=True)
def reorganization_preview(request: HttpRequest, pk: int) -> HttpResponse:
    reorg = _reorg_for(request, pk)
    preview = services.preview_reorganization(reorg, actor=request.user)
    return render(
        request, "apparatus/_preview.html", {"reorg": reorg, "preview": preview, "counts": preview.counts()}
    )


@login_required
@require_POST
def reorganization_dispositions(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the dispositions of the officials shown on the page (and the posts' quotas)."""
    reorg = _reorg_for(request, pk)
    plan = Plan.from_json(reorg.plan)
    changed_quota = False
    for post in plan.posts:
        value = request.POST.get(f"quota-{post.key}")
        if value is not None and value.isdigit() and int(value) != post.quota:
            post.quota = int(value)
            changed_quota = True
    chosen: dict[int, DispositionSpec] = {}
    for key, value in request.POST.items():
        if not key.startswith("disp-") or not value:
            continue
        official_id = int(key[5:])
        reason = request.POST.get(f"reason-{official_id}", "").strip()
        if value in ("retire", "release"):
            chosen[official_id] = DispositionSpec(value, reason=reason)
        else:
            chosen[official_id] = DispositionSpec("move", post=value, reason=reason)
    try:
        if changed_quota:
            services.update_plan(reorg, plan, actor=request.user)
        services.set_dispositions(reorg, chosen, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã lưu phương án bố trí %(n)d cán bộ.") % {"n": len(chosen)})
    return redirect(
        f"{reverse('apparatus:reorganization', args=[reorg.pk])}?page={request.POST.get('page', 1)}"
    )


@login_required
@require_POST
def reorganization_apply(request: HttpRequest, pk: int) -> HttpResponse:
    reorg = _reorg_for(request, pk)
    try:
        services.apply_reorganization(reorg, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("apparatus:reorganization", pk=reorg.pk)
    messages.success(request, _("Đã thực hiện phương án sắp xếp “%(title)s”.") % {"title": reorg.title})
    return redirect(f"{reverse('apparatus:tree')}?on={reorg.effective_on.isoformat()}")


@login_required
@permission_required("apparatus.view_reorganization", raise_exception=True)
def placement_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The optimal placement proposal for a draft; the leader adjusts it and records it as dispositions."""
    reorg = _reorg_for(request, pk)
    if request.method == "POST":
        chosen = {int(k[5:]): v for k, v in request.POST.items() if k.startswith("post-") and v}
        try:
            placing.accept(reorg, chosen, actor=request.user)
        except (DomainError, PlacementError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Đã ghi phương án bố trí cho %(n)d cán bộ.") % {"n": len(chosen)})
            return redirect("apparatus:reorganization", pk=reorg.pk)
    try:
        proposal = placing.propose(reorg)
    except PlacementError as exc:
        messages.error(request, str(exc))
        return redirect("apparatus:reorganization", pk=reorg.pk)
    post_of = proposal.placement.post_of()
    rows = [
        {
            "official": official,
            "post": post_of.get(pk_),
            "fit": next((a.fit for a in proposal.placement.assignments if a.official_id == pk_), None),
        }
        for pk_, official in sorted(proposal.officials.items(), key=lambda item: item[1].full_name)
    ]
    return render(
        request,
        "apparatus/placement.html",
        {"reorg": reorg, "proposal": proposal, "rows": rows, "labels": sorted(proposal.labels.items())},
    )


# ---- responsibilities, gaps, delegations, metrics ----------------------------------------------


@login_required
@permission_required("apparatus.view_responsibility", raise_exception=True)
def responsibilities(request: HttpRequest) -> HttpResponse:
    """Matrix tasks × units of one territory on a date: L (lead), P (coordinate); gaps and overlaps."""
    on = _on(request)
    territory = request.GET.get("territory", "")
    field = request.GET.get("field", "")
    units = Unit.objects.visible_to(request.user).valid_on(on)
    if territory:
        columns = (
            list(units.filter(commune_code=territory).order_by("code"))
            if territory != "city"
            else list(units.filter(tier="city", level="department").order_by("code"))
        )
    else:
        columns = []
    tasks = Task.objects.all()
    if territory and territory != "city":
        tasks = tasks.filter(at_commune=True)
    elif territory == "city":
        tasks = tasks.filter(at_province=True)
    if field:
        tasks = tasks.filter(field=field)
    page = Paginator(tasks.order_by("field", "code"), 100).get_page(request.GET.get("page"))
    task_ids = [t.pk for t in page]
    rows_by_task: dict[int, dict[int, str]] = defaultdict(dict)
    leads_by_task: dict[int, list[str]] = defaultdict(list)
    commune = "" if territory in ("", "city") else territory
    scoped = Responsibility.objects.visible_to(request.user).valid_on(on).filter(task_id__in=task_ids)
    for task_id, unit_id, role, tier, unit_code in scoped.filter(commune_code=commune).values_list(
        "task_id", "unit_id", "role", "tier", "unit__code"
    ):
        rows_by_task[task_id][unit_id] = "L" if role == "lead" else "P"
        if role == "lead":
            leads_by_task[task_id].append(f"{tier}:{unit_code}")
    city_leads = (
        set(
            Responsibility.objects.leads()
            .valid_on(on)
            .filter(task_id__in=task_ids, tier="city", commune_code="")
            .values_list("task_id", flat=True)
        )
        if commune
        else set()
    )
    matrix = [
        {
            "task": task,
            "cells": [rows_by_task[task.pk].get(u.pk, "") for u in columns],
            "gap": not leads_by_task[task.pk],
            "overlap": commune
            and bool(leads_by_task[task.pk])
            and task.pk in city_leads
            and not task.at_province,
        }
        for task in page
    ]
    fields = Task.objects.order_by("field").values_list("field", flat=True).distinct()
    return render(
        request,
        "apparatus/responsibilities.html",
        {
            "on": on,
            "territory": territory,
            "field": field,
            "columns": columns,
            "matrix": matrix,
            "page": page,
            "fields": fields,
            "communes": units.filter(function="commune_committee").order_by("name"),
        },
    )


@login_required
@permission_required("apparatus.view_responsibility", raise_exception=True)
def gaps(request: HttpRequest) -> HttpResponse:
    on = _on(request)
    found, summary = commune_gaps(on)
    return render(
        request,
        "apparatus/gaps.html",
        {"on": on, "gaps": found, "summary": summary, "city": city_gaps(on)[:200]},
    )


@login_required
@permission_required("apparatus.view_delegation", raise_exception=True)
def delegations(request: HttpRequest) -> HttpResponse:
    on = _on(request)
    rows = (
        Delegation.objects.visible_to(request.user)
        .select_related("from_unit", "to_unit", "from_official", "to_official")
        .prefetch_related("tasks")
        .order_by("-valid_from", "-pk")
    )
    if request.GET.get("active"):
        rows = rows.valid_on(on)
    form = DelegationForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("apparatus.add_delegation"):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            units = Unit.objects.visible_to(request.user)
            from_unit = units.filter(code=data["from_unit"]).first()
            to_unit = units.filter(code=data["to_unit"]).first()
            tasks = list(Task.objects.filter(code__in=codes(data["tasks"])))
            if from_unit is None or to_unit is None:
                form.add_error(None, _("Không tìm thấy đơn vị trong phạm vi của bạn."))
            else:
                try:
                    services.create_delegation(
                        instrument_no=data["instrument_no"],
                        valid_from=data["valid_from"],
                        valid_to=data["valid_to"],
                        province_code=from_unit.province_code,
                        commune_code=data["commune"] or from_unit.commune_code,
                        from_unit=from_unit,
                        to_unit=to_unit,
                        tasks=tasks,
                        actor=request.user,
                    )
                except DomainError as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, _("Đã ghi nhận ủy quyền."))
                    return redirect("apparatus:delegations")
    return render(
        request,
        "apparatus/delegations.html",
        {
            "on": on,
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
            "form": form,
            "who_form": WhoDecidesForm(initial={"on": on}),
        },
    )


@login_required
@permission_required("apparatus.view_delegation", raise_exception=True)
def who_decides(request: HttpRequest) -> HttpResponse:
    form = WhoDecidesForm(request.GET)
    result, error = None, ""
    if form.is_valid():
        task = Task.objects.filter(code=form.cleaned_data["task"]).first()
        commune = form.cleaned_data["commune"]
        if task is None:
            error = _("Không tìm thấy nhiệm vụ %(code)s.") % {"code": form.cleaned_data["task"]}
        elif commune and not Unit.objects.visible_to(request.user).filter(commune_code=commune).exists():
            raise Http404
        else:
            result = who_may_decide(task, commune, form.cleaned_data["on"])
    return render(request, "apparatus/_who_decides.html", {"form": form, "result": result, "error": error})


@login_required
@permission_required("apparatus.view_unit", raise_exception=True)
def metrics(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("unit", "hcmc-front")
    unit = get_object_or_404(Unit.objects.visible_to(request.user), code=code)
    before = AsOfForm({"on": request.GET.get("before", "2025-06-30")}).date()
    after = AsOfForm({"on": request.GET.get("after", "2025-10-22")}).date()
    result = compare(unit, before, after, detail=True)
    levels = sorted(set(result["before"]["units_by_level"]) | set(result["after"]["units_by_level"]))
    rows = [
        (
            UnitLevel(lv).label if lv in UnitLevel.values else lv,
            result["before"]["units_by_level"].get(lv, 0),
            result["after"]["units_by_level"].get(lv, 0),
            result["change"]["units_by_level"].get(lv, 0),
            result["change"]["units_by_level_pct"].get(lv),
        )
        for lv in levels
    ]
    return render(
        request,
        "apparatus/metrics.html",
        {
            "unit": unit,
            "result": result,
            "rows": rows,
            "before": before,
            "after": after,
            "organisations": Unit.objects.visible_to(request.user)
            .filter(level="organisation")
            .order_by("code"),
        },
    )


@login_required
@permission_required("apparatus.import_apparatus", raise_exception=True)
def import_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = importing.import_file(
            form.cleaned_data["kind"], upload.name, upload.read(), actor=request.user
        )
        if report.ok:
            messages.success(request, _("Đã nhập %(n)d dòng.") % {"n": report.created})
    return render(request, "apparatus/import.html", {"form": form, "report": report})
