"""Queue tickets of a one-stop shop (PASC) and the daily waiting/service statistics kept for evaluation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from twotier.core.models import TimeStamped

from .queue_groups import GROUPS


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Đang chờ")
    CALLED = "called", _("Đang phục vụ")
    SERVED = "served", _("Đã phục vụ")


class Ticket(TimeStamped):
    """A queue number (số thứ tự) taken at a center's kiosk for one counter group, on one day."""

    center_code = models.CharField(_("mã trung tâm (mã xã)"), max_length=10, db_index=True)
    group = models.CharField(_("nhóm quầy"), max_length=20, choices=[(g.key, g.label) for g in GROUPS])
    day = models.DateField(_("ngày"), db_index=True)
    number = models.PositiveIntegerField(_("số thứ tự"))
    procedure_code = models.CharField(_("mã thủ tục"), max_length=20, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    issued_at = models.DateTimeField(_("lấy số lúc"))
    called_at = models.DateTimeField(_("gọi lúc"), null=True, blank=True)
    served_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    counter = models.CharField(_("quầy"), max_length=20, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("số thứ tự")
        verbose_name_plural = _("số thứ tự")
        ordering = ["day", "group", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["center_code", "day", "group", "number"], name="assistant_ticket_unique"
            )
        ]

    @property
    def label(self) -> str:
        from .queue_groups import BY_KEY

        return f"{BY_KEY[self.group].letter}{self.number:03d}"

    def __str__(self) -> str:
        return self.label


class QueueDay(models.Model):
    """Per center, per day, per group: tickets served and total waiting / service seconds."""

    center_code = models.CharField(_("mã trung tâm (mã xã)"), max_length=10)
    day = models.DateField(_("ngày"))
    group = models.CharField(_("nhóm quầy"), max_length=20)
    issued = models.PositiveIntegerField(_("số đã phát"), default=0)
    served = models.PositiveIntegerField(_("số đã phục vụ"), default=0)
    wait_seconds = models.PositiveBigIntegerField(_("tổng thời gian chờ (giây)"), default=0)
    service_seconds = models.PositiveBigIntegerField(_("tổng thời gian phục vụ (giây)"), default=0)

    class Meta:
        verbose_name = _("thống kê xếp hàng theo ngày")
        verbose_name_plural = _("thống kê xếp hàng theo ngày")
        constraints = [
            models.UniqueConstraint(fields=["center_code", "day", "group"], name="assistant_queueday_unique")
        ]

    def __str__(self) -> str:
        return f"{self.center_code} {self.day:%d/%m/%Y} {self.group}"
