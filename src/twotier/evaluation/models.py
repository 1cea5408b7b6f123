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

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .querysets import QueueRollupQuerySet, RollupQuerySet

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
