"""Evaluation rollups: the one-stop shop's work counted per unit × procedure × day.

A `DailyRollup` row holds, for one competent unit, one procedure and one calendar day
(Asia/Ho_Chi_Minh), the counts that the period reports and the Decision 766/QĐ-TTg service index are
computed from. They are derived from the dossiers' own times and rows (never typed in) by
`services.rollup_day`, which replaces a day's rows in one transaction (idempotent).

Two kinds of measures:
- flows, counted on the day the event happened (received, completed, supplement requested, …): a
  period's value is the sum over its days;
- the backlog snapshot at the end of the day (`open_*`): a period's value is the last day's.

Every row carries `province_code` (ARCHITECTURE.md: partitioning / Citus by province) and
`commune_code` (the unit's commune, "" for city units) so commune rankings read one index.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from twotier.core.models import Event
from twotier.core.scoping import ScopedQuerySet

from .querysets import (
    FollowUpTaskQuerySet,
    ParticipantQuerySet,
    QueueRollupQuerySet,
    ReviewQuerySet,
    RollupQuerySet,
)

# flow measures (summed over the days of a period)
FLOW_FIELDS: tuple[str, ...] = (
    "received",
    "received_in_person",
    "received_online",
    "received_postal",
    "received_digitised",
    "received_with_reuse",
    "documents_reused",
    "completed_early",
    "completed_on_time",
    "completed_late",
    "completed_no_limit",
    "completed_with_apology",
    "supplement_requests",
    "second_supplements",
    "apology_letters",
    "payments",
    "payments_online",
    "ratings",
    "rating_points",
    "ratings_satisfied",
    "complaints",
    "complained_dossiers",
)
# backlog at the end of the day (a period takes its last day's value)
SNAPSHOT_FIELDS: tuple[str, ...] = ("open_within", "open_overdue", "open_paused", "open_no_limit")
MEASURE_FIELDS: tuple[str, ...] = FLOW_FIELDS + SNAPSHOT_FIELDS


def _count(verbose: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(verbose, default=0)


class Measures(models.Model):
    """The rollup's measures (shared by the unit × procedure rows and the per-commune sums)."""

    # received (tiếp nhận) by channel, digitisation at receipt, once-only reuse
    received = _count(_("hồ sơ tiếp nhận"))
    received_in_person = _count(_("tiếp nhận trực tiếp"))
    received_online = _count(_("tiếp nhận trực tuyến"))
    received_postal = _count(_("tiếp nhận qua bưu chính"))
    received_digitised = _count(_("hồ sơ được số hóa"))
    received_with_reuse = _count(_("hồ sơ có khai thác dữ liệu dùng chung"))
    documents_reused = _count(_("giấy tờ khai thác từ cơ sở dữ liệu"))
    # completed (xử lý xong) against due_at, by calendar date
    completed_early = _count(_("hoàn thành trước hạn"))
    completed_on_time = _count(_("hoàn thành đúng hạn"))
    completed_late = _count(_("hoàn thành quá hạn"))
    completed_no_limit = _count(_("hoàn thành, thủ tục không quy định thời hạn"))
    completed_with_apology = _count(_("hoàn thành có phiếu xin lỗi"))
    # events of the day
    supplement_requests = _count(_("yêu cầu bổ sung"))
    second_supplements = _count(_("yêu cầu bổ sung lần hai trở lên"))
    apology_letters = _count(_("phiếu xin lỗi và hẹn lại"))
    payments = _count(_("lượt thanh toán"))
    payments_online = _count(_("thanh toán trực tuyến"))
    ratings = _count(_("lượt đánh giá"))
    rating_points = _count(_("tổng điểm đánh giá"))
    ratings_satisfied = _count(_("đánh giá hài lòng (4–5)"))
    complaints = _count(_("phản ánh, kiến nghị"))
    complained_dossiers = _count(_("hồ sơ bị phản ánh lần đầu"))
    # backlog at the end of the day
    open_within = _count(_("đang giải quyết trong hạn"))
    open_overdue = _count(_("đang giải quyết quá hạn"))
    open_paused = _count(_("đang chờ bổ sung"))
    open_no_limit = _count(_("đang giải quyết, không quy định thời hạn"))

    class Meta:
        abstract = True


class DailyRollup(Measures):
    """Counts of one unit's dossiers of one procedure on one day (bảng tổng hợp theo ngày)."""

    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2)
    commune_code = models.CharField(_("mã xã/phường"), max_length=5, blank=True)
    day = models.DateField(_("ngày"))
    unit = models.ForeignKey(
        "apparatus.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan giải quyết")
    )
    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.PROTECT, related_name="+", verbose_name=_("thủ tục")
    )
    objects = RollupQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu tổng hợp theo ngày")
        verbose_name_plural = _("số liệu tổng hợp theo ngày")
        ordering = ["day", "unit_id", "procedure_id"]
        constraints = [
            models.UniqueConstraint(fields=["day", "unit", "procedure"], name="rollup_day_unit_procedure"),
            models.CheckConstraint(
                condition=Q(
                    received=models.F("received_in_person")
                    + models.F("received_online")
                    + models.F("received_postal")
                ),
                name="rollup_received_by_channel",
            ),
        ]
        indexes = [
            models.Index(fields=["province_code", "day", "unit"], name="rollup_prov_day_unit"),
            models.Index(fields=["province_code", "commune_code", "day"], name="rollup_prov_commune_day"),
            models.Index(fields=["province_code", "unit", "day"], name="rollup_prov_unit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.unit_id} {self.procedure_id}"


# ---- Indicators (issue 7 item 4) -------------------------------------------------------------------


class IndicatorDirection(models.TextChoices):
    HIGHER = "higher", _("Càng cao càng tốt")
    LOWER = "lower", _("Càng thấp càng tốt")


class IndicatorSource(models.TextChoices):
    ENTERED = "entered", _("Nhập tay")
    IMPORTED = "imported", _("Nhập từ tệp")
    COMPUTED = "computed", _("Tính từ dữ liệu nền tảng")


class Indicator(models.Model):
    """An indicator (chỉ tiêu) reported per unit and period, e.g. crimes against social order.

    `source` says where its values come from: entered on a form, imported from CSV, or computed from the
    platform's own rows (`computed_key` names the function in `indicators.COMPUTED`; never stored).
    """

    code = models.SlugField(_("mã chỉ tiêu"), max_length=64, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=40)
    direction = models.CharField(
        _("chiều tốt"), max_length=6, choices=IndicatorDirection.choices, default=IndicatorDirection.HIGHER
    )
    source = models.CharField(
        _("nguồn số liệu"), max_length=8, choices=IndicatorSource.choices, default=IndicatorSource.ENTERED
    )
    computed_key = models.CharField(_("hàm tính"), max_length=40, blank=True)
    description = models.TextField(_("mô tả, căn cứ"), blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["code"]
        permissions = [
            ("enter_indicator", "Nhập giá trị chỉ tiêu"),
            ("import_indicators", "Nhập giá trị chỉ tiêu từ tệp"),
            ("view_evaluation", "Xem bảng điều khiển, báo cáo đánh giá"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit_of_measure})"


class IndicatorValueQuerySet(ScopedQuerySet):
    province_field = "province_code"
    commune_field = "commune_code"


class IndicatorValue(models.Model):
    """The value of an entered or imported indicator for one unit and one period (kind + start..end).

    One row per (indicator, unit, period); a correction replaces the value and writes an
    `EvaluationEvent` with the old and the new value (history kept).
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    unit = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="+")
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2, db_index=True)
    commune_code = models.CharField(_("mã xã/phường"), max_length=5, blank=True, db_index=True)
    period_kind = models.CharField(_("loại kỳ"), max_length=8)  # periods.Period.kind
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    period_name = models.CharField(_("kỳ"), max_length=32)  # e.g. "2025-9M"
    value = models.DecimalField(_("giá trị"), max_digits=16, decimal_places=4)
    source = models.CharField(_("nguồn"), max_length=8, choices=IndicatorSource.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("nhập lúc"), auto_now=True)

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = _("giá trị chỉ tiêu")
        ordering = ["indicator_id", "unit_id", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period_kind", "period_start", "period_end"],
                name="indicatorvalue_one_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="indicatorvalue_period_range"
            ),
        ]
        indexes = [
            models.Index(fields=["province_code", "indicator", "period_start"], name="indval_prov_ind")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.unit_id} {self.period_name} = {self.value}"


# ---- Early warnings (issue 7 item 5) ---------------------------------------------------------------


class WarningKind(models.TextChoices):
    BACKLOG_RISING = "backlog_rising", _("Hồ sơ tồn tăng liên tục")
    ON_TIME_LOW = "on_time_low", _("Tỷ lệ đúng hạn dưới giới hạn kiểm soát")
    WORKLOAD_HIGH = "workload_high", _("Khối lượng hồ sơ mỗi cán bộ vượt xa đơn vị tương đương")
    STAFF_BELOW_QUOTA = "staff_below_quota", _("Số người làm việc thấp hơn biên chế")
    STAFF_ABOVE_QUOTA = "staff_above_quota", _("Số người làm việc vượt biên chế")
    SUPPLEMENTS_HIGH = "supplements_high", _("Nhiều yêu cầu bổ sung hồ sơ")
    APOLOGIES_HIGH = "apologies_high", _("Nhiều phiếu xin lỗi, hẹn lại")


class WarningStatus(models.TextChoices):
    OPEN = "open", _("Mới phát hiện")
    ACKNOWLEDGED = "acknowledged", _("Đã tiếp nhận")
    RESOLVED = "resolved", _("Đã xử lý")


class WarningQuerySet(ScopedQuerySet):
    province_field = "province_code"
    commune_field = "commune_code"

    def unresolved(self):
        return self.exclude(status=WarningStatus.RESOLVED)


class Warning(models.Model):
    """An early warning (cảnh báo sớm) of one kind for one unit, opened by `warnings.evaluate_warnings`.

    At most one unresolved warning per (kind, unit): later evaluations update its evidence
    (`last_seen_on`, `condition_holds`); once resolved, a new occurrence opens a new warning, so the
    history of each occurrence is kept, with every step in `EvaluationEvent`.
    """

    kind = models.CharField(_("loại cảnh báo"), max_length=24, choices=WarningKind.choices)
    unit = models.ForeignKey("apparatus.Unit", on_delete=models.PROTECT, related_name="+")
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2, db_index=True)
    commune_code = models.CharField(_("mã xã/phường"), max_length=5, blank=True, db_index=True)
    opened_on = models.DateField(_("phát hiện ngày"))
    last_seen_on = models.DateField(_("đánh giá gần nhất ngày"))
    condition_holds = models.BooleanField(_("điều kiện cảnh báo còn đúng"), default=True)
    evidence = models.JSONField(_("căn cứ (chuỗi số liệu, ngưỡng)"), default=dict)
    link = models.CharField(_("liên kết số liệu"), max_length=300, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=WarningStatus.choices, default=WarningStatus.OPEN
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)
    notes = models.TextField(_("ghi chú xử lý"), blank=True)

    objects = WarningQuerySet.as_manager()

    class Meta:
        verbose_name = _("cảnh báo sớm")
        verbose_name_plural = _("cảnh báo sớm")
        ordering = ["-opened_on", "-pk"]
        permissions = [("handle_warning", "Tiếp nhận, xử lý cảnh báo sớm")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "unit"], condition=~Q(status="resolved"), name="warning_one_unresolved"
            ),
        ]
        indexes = [models.Index(fields=["province_code", "status", "opened_on"], name="warning_prov_status")]

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_id} {self.opened_on}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("evaluation:warning", args=[self.pk])


class EvaluationEvent(Event):
    """History of the evaluation app's writes: indicator values entered/imported, warnings opened,
    updated, acknowledged and resolved (who, when, with which note)."""

    subject = models.CharField(_("đối tượng"), max_length=80, db_index=True)  # e.g. "warning:12"
    warning = models.ForeignKey(
        Warning, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )

    class Meta(Event.Meta):
        verbose_name = _("lịch sử đánh giá")
        verbose_name_plural = _("lịch sử đánh giá")


# ---- implementation reviews (sơ kết, tổng kết thực hiện) -----------------------------------------
# The seed article is one: the City Party Committee's conference of 22/10/2025 reviewing Resolution
# 18-NQ/TW, where each agency reported results, difficulties and recommendations (issue 7, item 7).


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    OPEN = "open", _("Đang nhận báo cáo")
    CONSOLIDATED = "consolidated", _("Đã tổng hợp")
    CLOSED = "closed", _("Đã kết thúc")


class Review(models.Model):
    """An implementation review (đợt sơ kết, tổng kết): an organiser asks units for a report on a period.

    `province_code`/`commune_code` are the organiser's territory (the read scope of the whole review).
    """

    title = models.CharField(_("tên đợt sơ kết, tổng kết"), max_length=255)
    legal_basis = models.CharField(_("căn cứ"), max_length=255)
    period_start = models.DateField(_("kỳ báo cáo từ ngày"))
    period_end = models.DateField(_("kỳ báo cáo đến ngày"))
    due_on = models.DateField(_("hạn nộp báo cáo"))
    organiser = models.ForeignKey(
        "apparatus.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị tổ chức")
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2, db_index=True)
    commune_code = models.CharField(_("mã xã/phường"), max_length=5, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    opened_at = models.DateTimeField(_("mở lúc"), null=True, blank=True)
    consolidated_at = models.DateTimeField(_("tổng hợp lúc"), null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("đợt sơ kết, tổng kết")
        verbose_name_plural = _("đợt sơ kết, tổng kết")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="review_period_order"
            ),
        ]
        permissions = [
            ("organise_review", "Tổ chức sơ kết, tổng kết cho đơn vị mình"),
            ("organise_any_review", "Tổ chức sơ kết, tổng kết cho mọi đơn vị trong phạm vi"),
            ("submit_unit_report", "Ký gửi báo cáo của đơn vị"),
        ]

    def __str__(self) -> str:
        return self.title


class ParticipantStatus(models.TextChoices):
    PENDING = "pending", _("Chưa nộp")
    SUBMITTED = "submitted", pgettext_lazy("report", "Đã nộp")  # "Đã nộp" alone is a paid fee
    RETURNED = "returned", _("Trả lại để bổ sung")


class ReviewParticipant(models.Model):
    """A unit asked to report in a review; its territory (the unit's) is the scope of its report."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey(
        "apparatus.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị báo cáo")
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=ParticipantStatus.choices, default=ParticipantStatus.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    returned_note = models.TextField(_("lý do trả lại"), blank=True)
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2, db_index=True)
    commune_code = models.CharField(_("mã xã/phường"), max_length=5, blank=True, db_index=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị tham gia")
        verbose_name_plural = _("đơn vị tham gia")
        ordering = ["review_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["review", "unit"], name="review_participant_once")]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.unit_id}"


class UnitReport(models.Model):
    """One unit's report: figures pre-filled from the platform (read-only, each with its source), the
    figures the unit reports itself, and the text of its results (difficulties and recommendations are
    `ReportItem`s, each with a theme, so the organiser can group them)."""

    participant = models.OneToOneField(ReviewParticipant, on_delete=models.CASCADE, related_name="report")
    # [{"key", "label", "before", "value", "change", "unit", "source"}] computed by reviews.collect_figures
    figures = models.JSONField(_("số liệu từ nền tảng"), default=list, blank=True)
    figures_at = models.DateTimeField(_("số liệu tính lúc"), null=True, blank=True)
    # [{"label", "value"}] typed by the unit: what the platform does not hold (e.g. a training course)
    reported_figures = models.JSONField(_("số liệu đơn vị báo cáo"), default=list, blank=True)
    results = models.TextField(_("kết quả đạt được"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")

    def __str__(self) -> str:
        return f"report {self.participant_id}"


class ItemKind(models.TextChoices):
    DIFFICULTY = "difficulty", _("Khó khăn, vướng mắc")
    RECOMMENDATION = "recommendation", _("Kiến nghị, đề xuất")


class ItemDecision(models.TextChoices):
    PROPOSED = "proposed", _("Chưa xem xét")
    ACCEPTED = "accepted", _("Tiếp thu")
    DECLINED = "declined", _("Không tiếp thu")


class ReportItem(models.Model):
    """A difficulty or a recommendation of a unit's report, with a theme from `reviews.themes()`.
    Recommendations carry the organiser's decision; an accepted one has a `FollowUpTask`."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("loại"), max_length=16, choices=ItemKind.choices)
    theme = models.CharField(_("chủ đề"), max_length=32)
    text = models.TextField(_("nội dung"))
    position = models.PositiveSmallIntegerField(default=0)
    decision = models.CharField(
        _("ý kiến của đơn vị tổ chức"),
        max_length=16,
        choices=ItemDecision.choices,
        default=ItemDecision.PROPOSED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("khó khăn, kiến nghị")
        verbose_name_plural = _("khó khăn, kiến nghị")
        ordering = ["report_id", "kind", "position", "pk"]
        constraints = [
            # only a recommendation is accepted or declined
            models.CheckConstraint(
                condition=Q(kind="recommendation") | Q(decision="proposed"), name="reportitem_decision_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text[:40]}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")


class FollowUpTask(models.Model):
    """The follow-up of an accepted recommendation: exactly one lead unit (đơn vị chủ trì) and a deadline
    ("một việc chỉ giao cho một cơ quan chủ trì", DOMAIN.md). Scope: the lead unit's territory."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="tasks")
    recommendation = models.OneToOneField(ReportItem, on_delete=models.PROTECT, related_name="task")
    title = models.CharField(_("nhiệm vụ"), max_length=255)
    lead_unit = models.ForeignKey(
        "apparatus.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị chủ trì")
    )
    due_on = models.DateField(_("thời hạn"))
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_notes = models.TextField(_("kết quả thực hiện"), blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("giao lúc"), auto_now_add=True)
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2, db_index=True)
    commune_code = models.CharField(_("mã xã/phường"), max_length=5, blank=True, db_index=True)

    objects = FollowUpTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ sau sơ kết")
        verbose_name_plural = _("nhiệm vụ sau sơ kết")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(done_notes=""), name="followuptask_done_has_notes"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ReviewEvent(Event):
    """Business history of a review: opened, saved, submitted, returned, consolidated, accepted, done."""

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="events")
    subject = models.CharField(_("đối tượng"), max_length=80, blank=True)  # e.g. "participant:12"

    class Meta(Event.Meta):
        verbose_name = _("lịch sử sơ kết, tổng kết")
        verbose_name_plural = _("lịch sử sơ kết, tổng kết")


class CommuneDailyRollup(Measures):
    """The same measures summed over every unit and procedure of one commune and day.

    Written by the same rebuild right after the unit × procedure rows (a GROUP BY over them), so that
    the ranking of the 168 communes over a quarter reads 168 × 92 rows instead of millions.
    """

    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2)
    commune_code = models.CharField(_("mã xã/phường"), max_length=5)
    day = models.DateField(_("ngày"))

    objects = RollupQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu tổng hợp theo xã và ngày")
        verbose_name_plural = _("số liệu tổng hợp theo xã và ngày")
        ordering = ["day", "commune_code"]
        constraints = [
            models.UniqueConstraint(fields=["day", "commune_code"], name="communerollup_day_commune"),
        ]
        indexes = [models.Index(fields=["province_code", "day"], name="communerollup_prov_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.commune_code}"


class RolledUpDay(models.Model):
    """The ledger of the rollup: which days are rolled up, for one province or all ("").

    The incremental rollup of a day starts from the backlog stored for the day before, which is only
    right when that day was rolled up for the same scope; otherwise the day is recomputed in full.
    """

    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2, blank=True)
    day = models.DateField(_("ngày"))
    incremental = models.BooleanField(_("tính gia tăng"), default=False)
    finished_at = models.DateTimeField(_("thời điểm tính"), auto_now=True)

    class Meta:
        verbose_name = _("ngày đã tổng hợp")
        verbose_name_plural = _("ngày đã tổng hợp")
        constraints = [
            models.UniqueConstraint(fields=["day", "province_code"], name="rolledupday_day_province"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.province_code or '*'}"


class QueueRollup(models.Model):
    """Queue waits of one PASC (centre = its commune code) on one day, all counter groups together.

    Counted in the same rollup as `DailyRollup` from the assistant's daily queue statistics (tickets
    issued and served, total wait = call − issue, total service = served − call); the waits do not
    belong to a unit × procedure (a ticket names a counter group, not a dossier), hence a table of their own.
    """

    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2)
    center_code = models.CharField(_("mã trung tâm (mã xã)"), max_length=10)
    day = models.DateField(_("ngày"))
    tickets_issued = _count(_("số thứ tự đã phát"))
    tickets_served = _count(_("số thứ tự đã phục vụ"))
    wait_seconds = models.PositiveBigIntegerField(_("tổng thời gian chờ (giây)"), default=0)
    service_seconds = models.PositiveBigIntegerField(_("tổng thời gian phục vụ (giây)"), default=0)

    objects = QueueRollupQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu xếp hàng theo ngày")
        verbose_name_plural = _("số liệu xếp hàng theo ngày")
        ordering = ["day", "center_code"]
        constraints = [models.UniqueConstraint(fields=["day", "center_code"], name="queuerollup_day_center")]
        indexes = [
            models.Index(fields=["province_code", "center_code", "day"], name="queuerollup_prov_center")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.center_code}"
