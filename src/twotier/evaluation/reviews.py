"""Implementation reviews (sơ kết, tổng kết): every write, with its actor and a `ReviewEvent` row.

A leader opens a review (title, legal basis, period, participating units, due date); each unit gets a
report whose figures are pre-filled from the platform — staff and unit changes from the apparatus
metrics, the Decision 766 service index from the rollups, indicators and open warnings — and whose text
sections are results, difficulties and recommendations; units submit; the organiser consolidates; each
accepted recommendation becomes a follow-up task with exactly one lead unit and a deadline.

Who may do what (checked here, in the services; reads are scoped by the querysets):
- organise (open, return a report, consolidate, accept/decline a recommendation, close): the leader of
  the organising unit (`evaluation.organise_review` and the unit is theirs) or an evaluator whose scope
  covers the organising unit (`evaluation.organise_any_review`);
- write and submit a unit's report: staff of that unit holding `evaluation.submit_unit_report` (the
  unit leader signs the report it sends, Decree 30/2020/NĐ-CP on official documents);
- finish a follow-up task: staff of the lead unit with that permission, or the organiser.

`actor=None` is the system (the seed loader); views always pass the logged-in user.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from twotier.apparatus.models import Unit
from twotier.core.errors import Conflict, DomainError

from .models import (
    FollowUpTask,
    ItemDecision,
    ItemKind,
    ParticipantStatus,
    ReportItem,
    Review,
    ReviewEvent,
    ReviewParticipant,
    ReviewStatus,
    TaskStatus,
    UnitReport,
)
from .review_figures import LEVEL_LABELS, collect_figures, display

# The themes a difficulty or a recommendation is filed under; override with TWOTIER_REVIEW_THEMES
# ([["key", "label"], ...]). The defaults follow the headings of the 22/10/2025 conference's papers.
DEFAULT_THEMES: tuple[tuple[str, Any], ...] = (
    ("organisation", gettext_lazy("Tổ chức bộ máy, tinh giản biên chế")),
    ("decentralisation", gettext_lazy("Phân cấp, phân quyền, ủy quyền")),
    ("staff", gettext_lazy("Cán bộ: bố trí, đào tạo, chính sách")),
    ("digital", gettext_lazy("Chuyển đổi số, hạ tầng công nghệ thông tin, cơ sở dữ liệu")),
    ("facilities", gettext_lazy("Cơ sở vật chất, nguồn lực")),
    ("service", gettext_lazy("Phục vụ người dân, thủ tục hành chính")),
    ("communication", gettext_lazy("Tuyên truyền, tạo đồng thuận")),
    ("other", gettext_lazy("Khác")),
)
MAX_ITEMS = 20  # per kind and report: a conference paper, not a database dump


class ReviewError(DomainError):
    """Bad input: nothing was written (HTTP 400)."""


class ReviewStateError(Conflict):
    """The review or report is not in a state that allows the action (HTTP 409)."""


def themes() -> dict[str, str]:
    configured = getattr(settings, "TWOTIER_REVIEW_THEMES", None) or DEFAULT_THEMES
    return {key: str(label) for key, label in configured}


# ---- who may act -----------------------------------------------------------------------------------


def home_unit_code(user) -> str:
    """The unit a staff account works in: its profile's unit, else its commune (the commune's root unit
    has the commune's code), else none."""
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return ""
    return profile.unit_code or profile.commune_code or ""


def _visible_unit(user, unit: Unit) -> bool:
    return Unit.objects.visible_to(user).filter(pk=unit.pk).exists()


def may_organise(user, unit: Unit) -> bool:
    if user is None:
        return True
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.has_perm("evaluation.organise_any_review") and _visible_unit(user, unit):
        return True
    return user.has_perm("evaluation.organise_review") and home_unit_code(user) == unit.code


def _is_staff_of(user, unit: Unit) -> bool:
    if user is None:
        return True
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.has_perm("evaluation.submit_unit_report") and home_unit_code(user) == unit.code


def may_report(user, participant: ReviewParticipant) -> bool:
    return _is_staff_of(user, participant.unit)


def _require(allowed: bool, what: str) -> None:
    if not allowed:
        raise PermissionDenied(what)


def _event(review: Review, kind: str, *, actor, subject: str = "", data=None, note: str = "") -> ReviewEvent:
    return ReviewEvent.objects.create(
        review=review, kind=kind, actor=actor, subject=subject[:80], data=data or {}, note=note
    )


def _locked(model, pk: int):
    """Re-read a row inside the transaction, locked on PostgreSQL (a no-op on SQLite, which serialises
    writers), so two clicks cannot both move the same state."""
    return model.objects.select_for_update(of=("self",)).get(pk=pk)


# ---- input of the report form (pure) ---------------------------------------------------------------


@dataclass(frozen=True)
class ItemInput:
    theme: str
    text: str


def parse_reported_figures(text: str) -> list[dict[str, str]]:
    """One figure per line, "label | value" (e.g. "Lớp tập huấn cho 168 Chủ tịch UBMTTQ cấp xã | 2").
    Raises ReviewError naming every bad line."""
    rows, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label, sep, value = line.partition("|")
        if not sep or not label.strip() or not value.strip():
            errors.append(_('Dòng %(n)d: cần dạng "tên số liệu | giá trị"') % {"n": number})
            continue
        rows.append({"label": label.strip()[:200], "value": value.strip()[:100]})
    if errors:
        raise ReviewError("; ".join(errors))
    return rows


def _clean_items(items: Sequence[ItemInput]) -> list[ItemInput]:
    known = themes()
    kept = [ItemInput(i.theme, i.text.strip()) for i in items if i.text.strip()]
    bad = [i.theme for i in kept if i.theme not in known]
    if bad:
        raise ReviewError(_("Chủ đề không có trong danh mục: %(t)s") % {"t": ", ".join(sorted(set(bad)))})
    if len(kept) > MAX_ITEMS:
        raise ReviewError(_("Tối đa %(n)d mục mỗi loại") % {"n": MAX_ITEMS})
    return kept


# ---- the review's life cycle ----------------------------------------------------------------------


@transaction.atomic
def draft_review(
    *,
    title: str,
    legal_basis: str,
    period_start: date,
    period_end: date,
    due_on: date,
    organiser: Unit,
    units: Iterable[Unit],
    actor,
) -> Review:
    """A review in draft with its participating units. Raises PermissionDenied (the actor may not organise
    for `organiser`, or a unit is outside their scope) and ReviewError (bad input; nothing written)."""
    _require(may_organise(actor, organiser), "organise review")
    units = list(dict.fromkeys(units))
    errors = []
    if not title.strip():
        errors.append(_("Cần tên đợt sơ kết, tổng kết"))
    if not legal_basis.strip():
        errors.append(_("Cần căn cứ (ví dụ Nghị quyết 18-NQ/TW)"))
    if period_end < period_start:
        errors.append(_("Kỳ báo cáo kết thúc trước khi bắt đầu"))
    if due_on < period_start:
        errors.append(_("Hạn nộp báo cáo trước kỳ báo cáo"))
    if not units:
        errors.append(_("Cần ít nhất một đơn vị báo cáo"))
    ended = [u.code for u in units if not u.valid_on(period_end)]
    if ended:
        errors.append(
            _("Đơn vị không còn hoạt động ngày %(d)s: %(codes)s")
            % {
                "d": period_end.strftime("%d/%m/%Y"),
                "codes": ", ".join(ended),
            }
        )
    if errors:
        raise ReviewError("; ".join(errors))
    if actor is not None:
        visible = set(
            Unit.objects.visible_to(actor).filter(pk__in=[u.pk for u in units]).values_list("pk", flat=True)
        )
        _require(all(u.pk in visible for u in units), "unit outside scope")
    review = Review.objects.create(
        title=title.strip(),
        legal_basis=legal_basis.strip(),
        period_start=period_start,
        period_end=period_end,
        due_on=due_on,
        organiser=organiser,
        province_code=organiser.province_code,
        commune_code=organiser.commune_code,
        created_by=actor,
    )
    ReviewParticipant.objects.bulk_create(
        [
            ReviewParticipant(
                review=review, unit=u, province_code=u.province_code, commune_code=u.commune_code
            )
            for u in units
        ]
    )
    _event(review, "drafted", actor=actor, data={"units": [u.code for u in units]})
    return review


@transaction.atomic
def open_review(review: Review, *, actor) -> Review:
    """Draft → open: every participant gets its report with the figures computed now."""
    review = _locked(Review, review.pk)
    _require(may_organise(actor, review.organiser), "organise review")
    if review.status != ReviewStatus.DRAFT:
        raise ReviewStateError(_("Chỉ mở được đợt sơ kết đang ở dạng dự thảo"))
    now = timezone.now()
    participants = list(review.participants.select_related("unit"))
    UnitReport.objects.bulk_create(
        [
            UnitReport(
                participant=p,
                figures=collect_figures(p.unit, review.period_start, review.period_end),
                figures_at=now,
            )
            for p in participants
        ]
    )
    review.status = ReviewStatus.OPEN
    review.opened_at = now
    review.save(update_fields=["status", "opened_at"])
    _event(review, "opened", actor=actor, data={"participants": len(participants)})
    return review


def _editable(participant: ReviewParticipant, actor) -> ReviewParticipant:
    participant = _locked(ReviewParticipant, participant.pk)
    _require(may_report(actor, participant), "submit unit report")
    if participant.review.status != ReviewStatus.OPEN:
        raise ReviewStateError(_("Đợt sơ kết không còn nhận báo cáo"))
    if participant.status == ParticipantStatus.SUBMITTED:
        raise ReviewStateError(_("Báo cáo đã nộp; chỉ sửa được khi đơn vị tổ chức trả lại"))
    return participant


@transaction.atomic
def refresh_figures(participant: ReviewParticipant, *, actor) -> UnitReport:
    """Recompute the pre-filled figures of a report not yet submitted."""
    participant = _editable(participant, actor)
    review = participant.review
    report = participant.report
    report.figures = collect_figures(participant.unit, review.period_start, review.period_end)
    report.figures_at = timezone.now()
    report.save(update_fields=["figures", "figures_at", "updated_at"])
    _event(review, "figures_refreshed", actor=actor, subject=f"participant:{participant.pk}")
    return report


@transaction.atomic
def save_report(
    participant: ReviewParticipant,
    *,
    results: str,
    difficulties: Sequence[ItemInput],
    recommendations: Sequence[ItemInput],
    reported_figures: list[dict[str, str]] | None = None,
    actor,
) -> UnitReport:
    """Replace the text, the items and the unit's own figures of a report not yet submitted.
    Raises PermissionDenied, ReviewStateError, ReviewError (an unknown theme; nothing written)."""
    participant = _editable(participant, actor)
    kept = {
        ItemKind.DIFFICULTY: _clean_items(difficulties),
        ItemKind.RECOMMENDATION: _clean_items(recommendations),
    }
    report = participant.report
    report.results = results.strip()
    if reported_figures is not None:
        report.reported_figures = reported_figures
    report.save(update_fields=["results", "reported_figures", "updated_at"])
    report.items.all().delete()
    ReportItem.objects.bulk_create(
        [
            ReportItem(report=report, kind=kind, theme=item.theme, text=item.text, position=n)
            for kind, items in kept.items()
            for n, item in enumerate(items)
        ]
    )
    _event(
        participant.review,
        "report_saved",
        actor=actor,
        subject=f"participant:{participant.pk}",
        data={
            "difficulties": len(kept[ItemKind.DIFFICULTY]),
            "recommendations": len(kept[ItemKind.RECOMMENDATION]),
        },
    )
    return report


@transaction.atomic
def submit_report(participant: ReviewParticipant, *, actor) -> ReviewParticipant:
    """Pending or returned → submitted; the figures are kept as shown. Raises ReviewError without results."""
    participant = _editable(participant, actor)
    if not participant.report.results.strip():
        raise ReviewError(_("Cần nội dung kết quả đạt được trước khi nộp"))
    participant.status = ParticipantStatus.SUBMITTED
    participant.submitted_by = actor
    participant.submitted_at = timezone.now()
    participant.save(update_fields=["status", "submitted_by", "submitted_at"])
    _event(participant.review, "report_submitted", actor=actor, subject=f"participant:{participant.pk}")
    return participant


@transaction.atomic
def return_report(participant: ReviewParticipant, *, note: str, actor) -> ReviewParticipant:
    """Submitted → returned with the organiser's reason (the unit edits and submits again)."""
    participant = _locked(ReviewParticipant, participant.pk)
    review = participant.review
    _require(may_organise(actor, review.organiser), "organise review")
    if not note.strip():
        raise ReviewError(_("Cần nêu lý do trả lại"))
    if review.status != ReviewStatus.OPEN or participant.status != ParticipantStatus.SUBMITTED:
        raise ReviewStateError(_("Chỉ trả lại được báo cáo đã nộp khi đợt sơ kết đang nhận báo cáo"))
    participant.status = ParticipantStatus.RETURNED
    participant.returned_note = note.strip()
    participant.save(update_fields=["status", "returned_note"])
    _event(review, "report_returned", actor=actor, subject=f"participant:{participant.pk}", note=note.strip())
    return participant


@transaction.atomic
def consolidate_review(review: Review, *, actor) -> Review:
    """Open → consolidated: the reports submitted so far make the consolidated report; units that have
    not submitted are listed as such. Raises ReviewStateError when nobody has submitted."""
    review = _locked(Review, review.pk)
    _require(may_organise(actor, review.organiser), "organise review")
    if review.status != ReviewStatus.OPEN:
        raise ReviewStateError(_("Chỉ tổng hợp được đợt sơ kết đang nhận báo cáo"))
    submitted = review.participants.filter(status=ParticipantStatus.SUBMITTED).count()
    if not submitted:
        raise ReviewStateError(_("Chưa có đơn vị nào nộp báo cáo"))
    review.status = ReviewStatus.CONSOLIDATED
    review.consolidated_at = timezone.now()
    review.save(update_fields=["status", "consolidated_at"])
    _event(
        review,
        "consolidated",
        actor=actor,
        data={"submitted": submitted, "participants": review.participants.count()},
    )
    return review


def _decidable(item: ReportItem, actor) -> ReportItem:
    item = (
        ReportItem.objects.select_for_update(of=("self",))
        .select_related("report__participant__review")
        .get(pk=item.pk)
    )
    participant = item.report.participant
    review = participant.review
    _require(may_organise(actor, review.organiser), "organise review")
    if item.kind != ItemKind.RECOMMENDATION:
        raise ReviewError(_("Chỉ kiến nghị mới được tiếp thu"))
    if item.decision != ItemDecision.PROPOSED:
        raise ReviewStateError(_("Kiến nghị này đã được xem xét"))
    if participant.status != ParticipantStatus.SUBMITTED:
        raise ReviewStateError(_("Báo cáo chưa nộp"))
    if review.status not in (ReviewStatus.OPEN, ReviewStatus.CONSOLIDATED):
        raise ReviewStateError(_("Đợt sơ kết đã kết thúc"))
    return item


@transaction.atomic
def accept_recommendation(
    item: ReportItem, *, lead_unit: Unit, due_on: date, title: str = "", actor
) -> FollowUpTask:
    """Accept a recommendation: it becomes a follow-up task with one lead unit and a deadline.
    Raises PermissionDenied (lead unit outside the actor's scope), ReviewError (deadline in the past)."""
    item = _decidable(item, actor)
    review = item.report.participant.review
    if actor is not None:
        _require(_visible_unit(actor, lead_unit), "lead unit outside scope")
    if due_on < timezone.localdate():
        raise ReviewError(_("Thời hạn đã qua"))
    if not lead_unit.valid_on(due_on) and not lead_unit.valid_on(timezone.localdate()):
        raise ReviewError(_("Đơn vị chủ trì không còn hoạt động"))
    now = timezone.now()
    item.decision = ItemDecision.ACCEPTED
    item.decided_by = actor
    item.decided_at = now
    item.save(update_fields=["decision", "decided_by", "decided_at"])
    task = FollowUpTask.objects.create(
        review=review,
        recommendation=item,
        title=(title.strip() or item.text)[:255],
        lead_unit=lead_unit,
        due_on=due_on,
        province_code=lead_unit.province_code,
        commune_code=lead_unit.commune_code,
    )
    _event(
        review,
        "recommendation_accepted",
        actor=actor,
        subject=f"item:{item.pk}",
        data={"task": task.pk, "lead_unit": lead_unit.code, "due_on": due_on.isoformat()},
    )
    return task


@transaction.atomic
def decline_recommendation(item: ReportItem, *, note: str, actor) -> ReportItem:
    """Decline a recommendation with the organiser's reason."""
    if not note.strip():
        raise ReviewError(_("Cần nêu lý do không tiếp thu"))
    item = _decidable(item, actor)
    item.decision = ItemDecision.DECLINED
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.decision_note = note.strip()
    item.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
    _event(item.report.participant.review, "recommendation_declined", actor=actor, subject=f"item:{item.pk}")
    return item


@transaction.atomic
def complete_task(task: FollowUpTask, *, notes: str, actor) -> FollowUpTask:
    """Open → done with what was done. Lead unit's staff with the report permission, or the organiser."""
    task = (
        FollowUpTask.objects.select_for_update(of=("self",))
        .select_related("review__organiser", "lead_unit")
        .get(pk=task.pk)
    )
    _require(
        _is_staff_of(actor, task.lead_unit) or may_organise(actor, task.review.organiser), "complete task"
    )
    if not notes.strip():
        raise ReviewError(_("Cần nêu kết quả thực hiện"))
    if task.status != TaskStatus.OPEN:
        raise ReviewStateError(_("Nhiệm vụ đã hoàn thành"))
    task.status = TaskStatus.DONE
    task.done_notes = notes.strip()
    task.done_by = actor
    task.done_at = timezone.now()
    task.save(update_fields=["status", "done_notes", "done_by", "done_at"])
    _event(task.review, "task_done", actor=actor, subject=f"task:{task.pk}")
    return task


@transaction.atomic
def close_review(review: Review, *, actor) -> Review:
    review = _locked(Review, review.pk)
    _require(may_organise(actor, review.organiser), "organise review")
    if review.status != ReviewStatus.CONSOLIDATED:
        raise ReviewStateError(_("Chỉ kết thúc được đợt sơ kết đã tổng hợp"))
    review.status = ReviewStatus.CLOSED
    review.save(update_fields=["status"])
    _event(review, "closed", actor=actor)
    return review


# ---- the consolidated report (reads) --------------------------------------------------------------


FIXED_ORDER = (
    "headcount",
    "commune_units",
    "received",
    "service_index",
    "on_time_rate",
    "online_share",
    "open_warnings",
)


def _row_order(key: str) -> tuple[int, int]:
    """Staff first, then units by level (organisation → division), then the commune tier, the index, the
    rest (indicators, warnings) in the order met."""
    if key == "headcount":
        return (0, 0)
    if key.startswith("units_"):
        level = key.removeprefix("units_")
        levels = list(LEVEL_LABELS)
        return (1, levels.index(level) if level in levels else len(levels))
    if key in FIXED_ORDER:
        return (2, FIXED_ORDER.index(key))
    return (3, 0)


def consolidation(review: Review) -> dict[str, Any]:
    """Every unit's figures side by side and the items grouped by theme (what the page, the PDF and the
    XLSX show). Figures come from submitted reports only once the review is consolidated; while open,
    from every report (marked by status)."""
    participants = list(review.participants.select_related("unit", "report").order_by("pk"))
    columns = [p for p in participants if hasattr(p, "report")]
    labels: dict[str, str] = {}
    values: dict[str, dict[int, str]] = {}
    for p in columns:
        for fig in p.report.figures:
            labels.setdefault(fig["key"], fig["label"])
            values.setdefault(fig["key"], {})[p.pk] = display(fig)
    figure_rows = [
        {"key": key, "label": label, "cells": [values[key].get(p.pk, "—") for p in columns]}
        for key, label in sorted(labels.items(), key=lambda kv: _row_order(kv[0]))
    ]
    reported = [
        {"unit": p.unit, "figures": p.report.reported_figures} for p in columns if p.report.reported_figures
    ]
    names = themes()
    items = (
        ReportItem.objects.filter(report__participant__review=review)
        .select_related("report__participant__unit", "task__lead_unit")
        .order_by("kind", "theme", "report__participant_id", "position")
    )
    grouped: dict[str, dict[str, list[ReportItem]]] = {ItemKind.DIFFICULTY: {}, ItemKind.RECOMMENDATION: {}}
    for item in items:
        grouped[item.kind].setdefault(item.theme, []).append(item)

    def by_theme(kind: str) -> list[dict[str, Any]]:
        order = list(names)
        keys = sorted(grouped[kind], key=lambda k: (order.index(k) if k in order else len(order), k))
        return [{"theme": k, "label": names.get(k, k), "items": grouped[kind][k]} for k in keys]

    return {
        "participants": participants,
        "columns": columns,
        "figure_rows": figure_rows,
        "reported": reported,
        "difficulties": by_theme(ItemKind.DIFFICULTY),
        "recommendations": by_theme(ItemKind.RECOMMENDATION),
        "tasks": list(review.tasks.select_related("lead_unit", "recommendation__report__participant__unit")),
    }
