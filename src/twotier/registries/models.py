"""Existing state databases, reached once-only (Decree 47/2020/NĐ-CP, Decree 278/2025/NĐ-CP).

`RegistryQuery` is the audit log of every lookup: which officer, of which agency, for which
procedure and dossier, asked which registry about whom (DOMAIN.md: modelled on the NDXP/LGSP query
contract). The other three tables are the *local demo registries*: the data the demo adapters answer
from, on the platform's own database (`twotier load_registry_demo` fills them with synthetic people,
parcels and household businesses). A real deployment replaces the adapters (adapters.py), not these
callers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from twotier.core.scoping import ScopedQuerySet


class Registry(models.TextChoices):
    POPULATION = "population", _("CSDL quốc gia về dân cư")
    LAND = "land", _("CSDL đất đai")
    BUSINESS = "business", _("CSDL đăng ký hộ kinh doanh")


class RegistryQueryQuerySet(ScopedQuerySet):
    province_field = "province_code"
    commune_field = "commune_code"


class RegistryQuery(models.Model):
    """One lookup in a registry (append-only)."""

    request_id = models.CharField(_("mã yêu cầu"), max_length=36, unique=True)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    registry = models.CharField(_("cơ sở dữ liệu"), max_length=20, choices=Registry.choices)
    service_code = models.CharField(_("mã dịch vụ tích hợp"), max_length=60)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    officer_code = models.CharField(_("mã cán bộ"), max_length=150)
    agency_code = models.CharField(_("mã cơ quan"), max_length=64)
    procedure_code = models.CharField(_("mã thủ tục"), max_length=20, blank=True)
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=40, blank=True, db_index=True)
    subject = models.CharField(_("đối tượng tra cứu"), max_length=80)
    found = models.BooleanField(_("có dữ liệu"), default=False)
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2, blank=True)
    commune_code = models.CharField(_("mã xã/phường"), max_length=5, blank=True)

    objects = RegistryQueryQuerySet.as_manager()

    class Meta:
        verbose_name = _("lượt khai thác dữ liệu")
        verbose_name_plural = _("lượt khai thác dữ liệu")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["province_code", "at"], name="registryquery_prov_at")]

    def __str__(self) -> str:
        return f"{self.registry} {self.subject} by {self.officer_code}"


class DemoCitizen(models.Model):
    """Demo population registry: identity, residence, marital status (synthetic people only)."""

    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=120)
    birth_date = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=3)
    residence = models.CharField(_("nơi thường trú"), max_length=300)
    residence_commune_code = models.CharField(_("xã/phường thường trú"), max_length=5)
    marital_status = models.CharField(_("tình trạng hôn nhân"), max_length=30)

    class Meta:
        verbose_name = _("công dân (dữ liệu mẫu)")
        verbose_name_plural = _("công dân (dữ liệu mẫu)")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.id_number})"


class DemoParcel(models.Model):
    """Demo land registry: a land parcel (thửa đất) and its holder."""

    commune_code = models.CharField(_("xã/phường"), max_length=5)
    map_sheet = models.CharField(_("tờ bản đồ số"), max_length=10)
    parcel_no = models.CharField(_("thửa đất số"), max_length=10)
    area_m2 = models.DecimalField(_("diện tích (m²)"), max_digits=12, decimal_places=1)
    land_use = models.CharField(_("mục đích sử dụng"), max_length=60)
    holder_id_number = models.CharField(_("số định danh người sử dụng"), max_length=12, db_index=True)
    certificate_no = models.CharField(_("số giấy chứng nhận"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("thửa đất (dữ liệu mẫu)")
        verbose_name_plural = _("thửa đất (dữ liệu mẫu)")
        constraints = [
            models.UniqueConstraint(
                fields=["commune_code", "map_sheet", "parcel_no"], name="demoparcel_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune_code} tờ {self.map_sheet} thửa {self.parcel_no}"


class DemoHousehold(models.Model):
    """Demo business-household registry (hộ kinh doanh)."""

    registration_no = models.CharField(_("mã số hộ kinh doanh"), max_length=20, unique=True)
    name = models.CharField(_("tên hộ kinh doanh"), max_length=200)
    owner_id_number = models.CharField(_("số định danh chủ hộ"), max_length=12, db_index=True)
    commune_code = models.CharField(_("xã/phường"), max_length=5)
    address = models.CharField(_("địa điểm kinh doanh"), max_length=300)
    business_line = models.CharField(_("ngành, nghề"), max_length=200)
    status = models.CharField(_("tình trạng"), max_length=30)

    class Meta:
        verbose_name = _("hộ kinh doanh (dữ liệu mẫu)")
        verbose_name_plural = _("hộ kinh doanh (dữ liệu mẫu)")

    def __str__(self) -> str:
        return f"{self.name} ({self.registration_no})"
