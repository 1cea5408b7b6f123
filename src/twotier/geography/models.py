"""The administrative map after the reform of 1 July 2025 and the map before it.

Current units (34 provinces, 3,321 communes) follow the GSO list as published by the package
`vietnam-provinces`; former units (63 provinces, 696 districts, 10,035 wards) and the succession of
each of them to the new communes come from `vietnamadminunits` (see sources.py). All codes are
zero-padded strings: province 2 digits, district 3, commune/ward 5.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .querysets import CommuneQuerySet, ConversionJobQuerySet


class ProvinceKind(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO = "thanh_pho", _("Thành phố trực thuộc trung ương")


class CommuneKind(models.TextChoices):
    PHUONG = "phuong", _("Phường")
    XA = "xa", _("Xã")
    DAC_KHU = "dac_khu", _("Đặc khu")


class LegacyDistrictKind(models.TextChoices):
    QUAN = "quan", _("Quận")
    HUYEN = "huyen", _("Huyện")
    THI_XA = "thi_xa", _("Thị xã")
    THANH_PHO = "thanh_pho", _("Thành phố thuộc tỉnh")


class LegacyWardKind(models.TextChoices):
    PHUONG = "phuong", _("Phường")
    XA = "xa", _("Xã")
    THI_TRAN = "thi_tran", _("Thị trấn")


class Province(models.Model):
    """A province or centrally-run city (tỉnh, thành phố trực thuộc trung ương) since 1 July 2025."""

    code = models.CharField(_("mã tỉnh"), max_length=2, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=ProvinceKind.choices)
    lat = models.FloatField(_("vĩ độ"), null=True, blank=True)
    lon = models.FloatField(_("kinh độ"), null=True, blank=True)

    class Meta:
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A commune-level unit (xã, phường, đặc khu) since 1 July 2025.

    `alias_code` is the code the package vietnamadminunits gives the same unit where it differs from
    the GSO list (123 units); every lookup by code accepts it, the GSO code first.
    """

    code = models.CharField(_("mã xã/phường/đặc khu"), max_length=5, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=CommuneKind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("tỉnh, thành phố")
    )
    area_km2 = models.FloatField(_("diện tích (km²)"), null=True, blank=True)
    lat = models.FloatField(_("vĩ độ"), null=True, blank=True)
    lon = models.FloatField(_("kinh độ"), null=True, blank=True)
    alias_code = models.CharField(_("mã theo vietnamadminunits"), max_length=5, blank=True, db_index=True)
    alias_name = models.CharField(_("tên theo vietnamadminunits"), max_length=100, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("xã, phường, đặc khu")
        verbose_name_plural = _("xã, phường, đặc khu")
        ordering = ["province_id", "code"]
        indexes = [models.Index(fields=["province", "name"])]

    def __str__(self) -> str:
        return self.name


class LegacyProvince(models.Model):
    """A province before 1 July 2025 (63), with the new province it became part of."""

    code = models.CharField(_("mã tỉnh cũ"), max_length=2, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=ProvinceKind.choices)
    successor = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="predecessors", verbose_name=_("nay thuộc")
    )

    class Meta:
        verbose_name = _("tỉnh cũ (trước 01/7/2025)")
        verbose_name_plural = _("tỉnh cũ (trước 01/7/2025)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class LegacyDistrict(models.Model):
    """A district-level unit abolished on 1 July 2025 (quận, huyện, thị xã, thành phố thuộc tỉnh)."""

    code = models.CharField(_("mã huyện cũ"), max_length=3, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=LegacyDistrictKind.choices)
    province = models.ForeignKey(
        LegacyProvince, on_delete=models.PROTECT, related_name="districts", verbose_name=_("tỉnh cũ")
    )
    lat = models.FloatField(_("vĩ độ"), null=True, blank=True)
    lon = models.FloatField(_("kinh độ"), null=True, blank=True)
    aliases = models.JSONField(_("tên gọi cũ hơn"), default=list, blank=True)

    class Meta:
        verbose_name = _("huyện cũ (trước 01/7/2025)")
        verbose_name_plural = _("huyện cũ (trước 01/7/2025)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class LegacyWard(models.Model):
    """A commune-level unit before 1 July 2025 (10,035). `aliases` keeps still older names that
    vietnamadminunits knows (wards merged in 2019–2024), as plain keys without the type word."""

    code = models.CharField(_("mã xã cũ"), max_length=5, primary_key=True)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=10, choices=LegacyWardKind.choices)
    district = models.ForeignKey(
        LegacyDistrict, on_delete=models.PROTECT, related_name="wards", verbose_name=_("huyện cũ")
    )
    lat = models.FloatField(_("vĩ độ"), null=True, blank=True)
    lon = models.FloatField(_("kinh độ"), null=True, blank=True)
    aliases = models.JSONField(_("tên gọi cũ hơn"), default=list, blank=True)

    class Meta:
        verbose_name = _("xã cũ (trước 01/7/2025)")
        verbose_name_plural = _("xã cũ (trước 01/7/2025)")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class WardSuccession(models.Model):
    """Former unit → new commune. The source is a former ward, or a whole former district for the 5
    island districts that had no wards (`legacy_ward` empty; e.g. Huyện Côn Đảo → Đặc khu Côn Đảo).

    A ward split between several communes (471 nationally) has one row per successor; exactly one
    is the default (`is_default`), the successor vietnamadminunits marks `isDefaultNewWard`.
    """

    legacy_district = models.ForeignKey(
        LegacyDistrict, on_delete=models.PROTECT, related_name="successions", verbose_name=_("huyện cũ")
    )
    legacy_ward = models.ForeignKey(
        LegacyWard,
        on_delete=models.PROTECT,
        related_name="successions",
        null=True,
        blank=True,
        verbose_name=_("xã cũ"),
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="predecessors", verbose_name=_("xã mới")
    )
    is_default = models.BooleanField(_("đơn vị kế thừa mặc định"), default=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("kế thừa đơn vị hành chính")
        verbose_name_plural = _("kế thừa đơn vị hành chính")
        ordering = ["legacy_district_id", "legacy_ward_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["legacy_district", "legacy_ward", "commune"], name="geo_succession_unique"
            ),
            models.UniqueConstraint(
                fields=["legacy_ward"],
                condition=Q(is_default=True, legacy_ward__isnull=False),
                name="geo_succession_one_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.legacy_ward or self.legacy_district} → {self.commune}"


class GeographyDataset(models.Model):
    """What `load_geography` loaded last: the fingerprint of the source packages (it keys the
    resolver's on-disk cache), their versions and the report of the packages' disagreements."""

    key = models.CharField(max_length=20, primary_key=True, default="current")
    fingerprint = models.CharField(max_length=64)
    versions = models.JSONField(default=dict)
    disagreements = models.JSONField(default=list)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bộ dữ liệu địa giới")
        verbose_name_plural = _("bộ dữ liệu địa giới")

    def __str__(self) -> str:
        return f"{self.key} {self.fingerprint[:12]}"


class ConversionJob(models.Model):
    """A staff upload of a CSV whose address column was converted to the new communes.

    The territory (province_code, commune_code) is copied from the creator's StaffProfile so that
    `ConversionJob.objects.visible_to(user)` scopes reads like every other scoped row.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tạo")
    )
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2, blank=True, db_index=True)
    commune_code = models.CharField(_("mã xã/phường/đặc khu"), max_length=5, blank=True, db_index=True)
    input_file = models.FileField(_("tệp gốc"), upload_to="geography/jobs/input/%Y/%m/")
    input_name = models.CharField(_("tên tệp gốc"), max_length=255)
    column = models.CharField(_("cột địa chỉ"), max_length=255)
    rows = models.PositiveIntegerField(_("số dòng"), default=0)
    exact = models.PositiveIntegerField(_("chính xác"), default=0)
    split = models.PositiveIntegerField(_("bị chia tách"), default=0)
    ambiguous = models.PositiveIntegerField(_("chưa xác định"), default=0)
    not_found = models.PositiveIntegerField(_("không tìm thấy"), default=0)
    output_file = models.FileField(_("tệp kết quả"), upload_to="geography/jobs/output/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)

    objects = ConversionJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("lượt chuyển đổi địa chỉ")
        verbose_name_plural = _("lượt chuyển đổi địa chỉ")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.input_name} ({self.rows})"

    @property
    def output_name(self) -> str:
        stem = self.input_name.rsplit(".", 1)[0] or "addresses"
        return f"{stem}-converted.csv"
