"""Shared abstract bases and the access model (who works where); no domain models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class Event(models.Model):
    """Base of every append-only business history table (`<Aggregate>Event`): who did what, when."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("loại sự kiện"), max_length=40)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    note = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]


class StaffProfile(models.Model):
    """Where a staff account works, which decides what it may read (see core.scoping).

    A commune official has a commune code (and its province); a city official has only the province code;
    an account with the `core.view_all_scopes` permission sees everything. The apparatus registry
    will derive these from the official's current assignment; until then they are set here.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2, blank=True, db_index=True)
    commune_code = models.CharField(_("mã xã/phường/đặc khu"), max_length=5, blank=True, db_index=True)
    unit_code = models.CharField(_("mã đơn vị"), max_length=64, blank=True)
    title = models.CharField(_("chức danh"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("hồ sơ cán bộ")
        verbose_name_plural = _("hồ sơ cán bộ")
        permissions = [("view_all_scopes", "Xem dữ liệu của mọi đơn vị")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.commune_code or self.province_code or '-'}"


class AccessLog(models.Model):
    """Access audit: which citizen personal data a user read or changed (one row per read)."""

    class Action(models.TextChoices):
        READ = "read", _("Xem")
        EXPORT = "export", _("Xuất")
        CHANGE = "change", _("Sửa")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    action = models.CharField(_("hành động"), max_length=10, choices=Action.choices, default=Action.READ)
    object_type = models.CharField(_("loại dữ liệu"), max_length=80)
    object_id = models.CharField(_("mã đối tượng"), max_length=80)
    path = models.CharField(_("đường dẫn"), max_length=300, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("nhật ký truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_type}#{self.object_id}"


class ReferenceVersion(models.Model):
    """One row: a counter bumped, in the same transaction, by every service that changes reference data
    (units, responsibilities, delegations, tasks, procedures, geography).

    Why: worker processes keep per-process caches of reference rows (dossiers.refcache, the address
    resolver); a request reads this counter once and drops its process's cache when it moved, so a
    reorganization committed by one process is seen by the next receipt in every other process.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(_("phiên bản dữ liệu danh mục"), default=0)
    changed_at = models.DateTimeField(_("thay đổi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản dữ liệu danh mục")
        verbose_name_plural = _("phiên bản dữ liệu danh mục")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="core_referenceversion_one_row")]

    def __str__(self) -> str:
        return f"reference data v{self.version}"
