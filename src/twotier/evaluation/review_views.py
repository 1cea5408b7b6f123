"""Review screens: list, open a review, a unit's report form, the organiser's consolidation page, the
follow-up tasks, and the consolidated report as PDF and XLSX. Every read starts from `visible_to(user)`
(404 outside scope); every write is one call to `reviews.py` (which checks the right to act)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from twotier.apparatus.models import Unit
from twotier.core.errors import DomainError

from . import review_export, reviews
from .models import (
    FollowUpTask,
    ItemKind,
    ParticipantStatus,
    ReportItem,
    Review,
    ReviewParticipant,
    ReviewStatus,
)
from .review_forms import AcceptForm, NewReviewForm, item_rows, theme_choices

EXTRA_ROWS = 2  # empty rows offered below a report's items


def _review(request: HttpRequest, pk: int) -> Review:
    return get_object_or_404(Review.objects.visible_to(request.user).select_related("organiser"), pk=pk)


def _organised(request: HttpRequest, pk: int) -> Review:
    """A review whose every report the user may read (the organiser's territory is theirs)."""
    return get_object_or_404(Review.objects.organised_within(request.user).select_related("organiser"), pk=pk)


def _participant(request: HttpRequest, pk: int, code: str) -> ReviewParticipant:
    return get_object_or_404(
        ReviewParticipant.objects.visible_to(request.user).select_related(
            "review__organiser", "unit", "report"
        ),
        review_id=pk,
        unit__code=code,
    )


def _can_organise_any(user) -> bool:
    return user.has_perm("evaluation.organise_review") or user.has_perm("evaluation.organise_any_review")


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    visible = Review.objects.visible_to(request.user).select_related("organiser")
    tasks = (
        FollowUpTask.objects.visible_to(request.user)
        .select_related("lead_unit", "review")
        .order_by("status", "due_on", "pk")
    )
    return render(
        request,
        "evaluation/review_list.html",
        {
            "reviews": visible,
            "tasks": tasks[:200],
            "may_open": _can_organise_any(request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
def review_new(request: HttpRequest) -> HttpResponse:
    if not _can_organise_any(request.user):
        raise PermissionDenied
    units = Unit.objects.visible_to(request.user)
    form = NewReviewForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = reviews.draft_review(
                title=data["title"],
                legal_basis=data["legal_basis"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                due_on=data["due_on"],
                organiser=data["organiser"],
                units=data["units"],
                actor=request.user,
            )
            if "draft" not in request.POST:
                review = reviews.open_review(review, actor=request.user)
        except DomainError as exc:
            form.add_error(None, str(exc))
        except PermissionDenied:
            form.add_error("organiser", _("Bạn không được tổ chức sơ kết cho đơn vị này."))
        else:
            messages.success(request, _("Đã tạo đợt sơ kết “%(t)s”.") % {"t": review.title})
            return redirect("reviews:review", pk=review.pk)
    home = reviews.home_unit_code(request.user)
    if not form.is_bound and home:
        form.initial["organiser"] = home
    return render(request, "evaluation/review_new.html", {"form": form})


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    full = Review.objects.organised_within(request.user).filter(pk=review.pk).exists()
    context = {
        "review": review,
        "full": full,
        "may_organise": reviews.may_organise(request.user, review.organiser),
        "today": timezone.localdate(),
    }
    if full:
        context.update(reviews.consolidation(review))
    else:
        context["participants"] = list(
            ReviewParticipant.objects.visible_to(request.user).filter(review=review).select_related("unit")
        )
    return render(request, "evaluation/review_detail.html", context)


def _report_context(participant: ReviewParticipant, user, *, results=None, rows=None, reported_text=None):
    report = participant.report
    names = reviews.themes()
    items = list(report.items.all())
    for item in items:
        item.theme_label = names.get(item.theme, item.theme)
    editable = (
        participant.review.status == ReviewStatus.OPEN
        and participant.status != ParticipantStatus.SUBMITTED
        and reviews.may_report(user, participant)
    )
    if rows is None:
        rows = {}
        for kind in (ItemKind.DIFFICULTY, ItemKind.RECOMMENDATION):
            mine = [(i.theme, i.text) for i in items if i.kind == kind]
            rows[kind] = mine + [("", "")] * EXTRA_ROWS
    if reported_text is None:
        reported_text = "\n".join(f"{f['label']} | {f['value']}" for f in report.reported_figures)
    return {
        "participant": participant,
        "review": participant.review,
        "report": report,
        "figures": [{**f, "shown": reviews.display(f)} for f in report.figures],
        "items": items,
        "editable": editable,
        "themes": theme_choices(),
        "difficulty_rows": list(enumerate(rows[ItemKind.DIFFICULTY])),
        "recommendation_rows": list(enumerate(rows[ItemKind.RECOMMENDATION])),
        "results": report.results if results is None else results,
        "reported_text": reported_text,
    }


def _count(value: str | None) -> int:
    """How many item rows the form sent (bounded; anything unreadable counts as none)."""
    try:
        return max(0, min(int(value or 0), 50))
    except ValueError:
        return 0


@login_required
def report_form(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    participant = _participant(request, pk, code)
    if request.method != "POST":
        return render(request, "evaluation/review_report.html", _report_context(participant, request.user))
    action = request.POST.get("action", "save")
    if action == "refresh":
        try:
            reviews.refresh_figures(participant, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Đã cập nhật số liệu từ nền tảng."))
        return redirect("reviews:report", pk=pk, code=code)

    data = request.POST
    difficulties = item_rows(data, ItemKind.DIFFICULTY, _count(data.get("difficulty-count")))
    recommendations = item_rows(data, ItemKind.RECOMMENDATION, _count(data.get("recommendation-count")))
    reported_text = data.get("reported_figures", "")
    try:
        # save and submit together: a refused submission leaves the report as it was
        with transaction.atomic():
            reviews.save_report(
                participant,
                results=data.get("results", ""),
                difficulties=difficulties,
                recommendations=recommendations,
                reported_figures=reviews.parse_reported_figures(reported_text),
                actor=request.user,
            )
            if action == "submit":
                reviews.submit_report(participant, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        rows = {
            ItemKind.DIFFICULTY: [(i.theme, i.text) for i in difficulties] + [("", "")],
            ItemKind.RECOMMENDATION: [(i.theme, i.text) for i in recommendations] + [("", "")],
        }
        context = _report_context(
            participant, request.user, results=data.get("results", ""), rows=rows, reported_text=reported_text
        )
        return render(request, "evaluation/review_report.html", context, status=400)
    if action == "submit":
        messages.success(request, _("Đã nộp báo cáo của %(unit)s.") % {"unit": participant.unit.name})
    else:
        messages.success(request, _("Đã lưu báo cáo."))
    return redirect("reviews:report", pk=pk, code=code)


def _done(request: HttpRequest, pk: int, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("reviews:review", args=[pk]))


def _refused(request: HttpRequest, pk: int, exc: DomainError) -> HttpResponse:
    """A refused action wrote nothing (the service is atomic): say why, back on the review page."""
    messages.error(request, str(exc))
    return redirect(reverse("reviews:review", args=[pk]))


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    _organised(request, pk)
    participant = _participant(request, pk, code)
    try:
        reviews.return_report(participant, note=request.POST.get("note", ""), actor=request.user)
    except DomainError as exc:
        return _refused(request, pk, exc)
    return _done(request, pk, _("Đã trả lại báo cáo."))


@login_required
@require_POST
def review_consolidate(request: HttpRequest, pk: int) -> HttpResponse:
    review = _organised(request, pk)
    try:
        reviews.consolidate_review(review, actor=request.user)
    except DomainError as exc:
        return _refused(request, pk, exc)
    return _done(request, pk, _("Đã tổng hợp báo cáo."))


@login_required
@require_POST
def review_close(request: HttpRequest, pk: int) -> HttpResponse:
    review = _organised(request, pk)
    try:
        reviews.close_review(review, actor=request.user)
    except DomainError as exc:
        return _refused(request, pk, exc)
    return _done(request, pk, _("Đã kết thúc đợt sơ kết."))


def _item(request: HttpRequest, pk: int, item_id: int) -> ReportItem:
    review = _organised(request, pk)
    return get_object_or_404(ReportItem.objects.filter(report__participant__review=review), pk=item_id)


@login_required
@require_POST
def item_accept(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    item = _item(request, pk, item_id)
    form = AcceptForm(request.POST, units=Unit.objects.visible_to(request.user))
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, errors)
        return redirect(reverse("reviews:review", args=[pk]) + f"#item-{item.pk}")

    try:
        task = reviews.accept_recommendation(
            item,
            lead_unit=form.cleaned_data["lead_unit"],
            due_on=form.cleaned_data["due_on"],
            title=form.cleaned_data["title"],
            actor=request.user,
        )
    except DomainError as exc:
        return _refused(request, pk, exc)
    message = _("Đã giao nhiệm vụ cho %(unit)s, hạn %(due)s.") % {
        "unit": task.lead_unit.name,
        "due": task.due_on.strftime("%d/%m/%Y"),
    }
    return _done(request, pk, message)


@login_required
@require_POST
def item_decline(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    item = _item(request, pk, item_id)
    try:
        reviews.decline_recommendation(item, note=request.POST.get("note", ""), actor=request.user)
    except DomainError as exc:
        return _refused(request, pk, exc)
    return _done(request, pk, _("Đã ghi ý kiến không tiếp thu."))


@login_required
def review_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    review = _organised(request, pk)
    response = HttpResponse(review_export.render_pdf(review), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{review_export.filename(review, "pdf")}"'
    return response


@login_required
def review_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    review = _organised(request, pk)
    response = HttpResponse(
        review_export.render_xlsx(review),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{review_export.filename(review, "xlsx")}"'
    return response


@login_required
@require_POST
def task_done(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(FollowUpTask.objects.visible_to(request.user), pk=task_id)
    try:
        reviews.complete_task(task, notes=request.POST.get("notes", ""), actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã ghi nhận hoàn thành nhiệm vụ."))
    return redirect("reviews:reviews")
