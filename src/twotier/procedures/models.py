"""The administrative procedure catalogue (thủ tục hành chính): master data, versioned.

A `Procedure` is keyed by the code it is filed under on the National Public Service Portal. Its content
lives in `ProcedureVersion` rows: a re-import that changes a procedure's content adds a version, never
rewrites one, so a dossier keeps the version it was received under. `Procedure` carries the denormalised
columns the catalogue is browsed and filtered by (levels, field, sensitive category, search key).

Deadlines: the one-stop shop reads `procedure.current_version.time_value` / `.time_unit` (or the
`time_limit` property), where `time_unit` is one of `TimeUnit` ("" = the text could not be read).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from twotier.core.models import Event, TimeStamped

from .querysets import ProcedureQuerySet


class Level(models.TextChoices):
    COMMUNE = "commune", _("Cấp xã")
    PROVINCE = "province", _("Cấp tỉnh")
    MINISTRY = "ministry", _("Cấp bộ")
    OTHER = "other", _("Cơ quan khác")


LEVEL_FIELDS: dict[str, str] = {
    Level.COMMUNE: "at_commune",
    Level.PROVINCE: "at_province",
    Level.MINISTRY: "at_ministry",
    Level.OTHER: "at_other",
}


class SensitiveCategory(models.TextChoices):
    NONE = "", _("Không")
    LAND = "land", _("Đất đai")
    CONSTRUCTION = "construction", _("Xây dựng")
    PUBLIC_ASSETS = "public_assets", _("Tài sản công")


class TimeUnit(models.TextChoices):
    UNPARSED = "", _("Chưa đọc được")
    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    SAME_DAY = "same_day", _("Trong ngày")
    HOURS = "hours", _("giờ làm việc")
    NONE = "none", _("Không quy định")


class ParseStatus(models.TextChoices):
    PARSED = "parsed", _("Đã đọc")
    NOT_STATED = "not_stated", _("Không nêu")
    UNPARSED = "unparsed", _("Chưa đọc được")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Dịch vụ bưu chính")


class CatalogueImport(Event):
    """One run of `load_procedures` that changed the catalogue (runs that change nothing leave no row).

    `data` holds the counts (created, new versions, reparsed, updated) and the source files' hashes.
    """

    class Meta(Event.Meta):
        verbose_name = _("lần nhập danh mục thủ tục")
        verbose_name_plural = _("các lần nhập danh mục thủ tục")

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%d/%m/%Y %H:%M}"


class Procedure(TimeStamped):
    """An administrative procedure as filed in the national catalogue (or, for the few missing there,
    in the curated file). `code` is the filed code even where the page text names another one: such
    records are kept, flagged `suspect_copy`, and left out of receipt (`receivable()`)."""

    code = models.CharField(_("mã thủ tục"), max_length=20, unique=True)
    name = models.TextField(_("tên thủ tục"))
    name_en = models.TextField(_("tên tiếng Anh"), blank=True)
    # Levels as booleans: "listed at commune level" is an indexed equality on SQLite and PostgreSQL alike.
    at_commune = models.BooleanField(_("cấp xã"), default=False, db_index=True)
    at_province = models.BooleanField(_("cấp tỉnh"), default=False, db_index=True)
    at_ministry = models.BooleanField(_("cấp bộ"), default=False, db_index=True)
    at_other = models.BooleanField(_("cơ quan khác"), default=False, db_index=True)
    field = models.CharField(_("lĩnh vực"), max_length=300, blank=True, db_index=True)
    sensitive_category = models.CharField(
        _("lĩnh vực nhạy cảm"),
        max_length=20,
        choices=SensitiveCategory.choices,
        blank=True,
        default="",
        db_index=True,
    )
    is_curated = models.BooleanField(_("đã kiểm tra thủ công"), default=False)
    in_catalogue = models.BooleanField(_("có trong danh mục quốc gia"), default=True)
    suspect_copy = models.BooleanField(_("nghi bản sao của thủ tục khác"), default=False, db_index=True)
    suspect_code = models.CharField(_("mã ghi trong nội dung trang"), max_length=20, blank=True)
    online_available = models.BooleanField(_("có nộp trực tuyến"), default=False, db_index=True)
    current_version = models.ForeignKey(
        "ProcedureVersion",
        verbose_name=_("phiên bản hiện hành"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # code + name + field + English name, lowercase without diacritics: diacritics-insensitive search
    search_text = models.TextField(_("khóa tìm kiếm"), blank=True, editable=False)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(suspect_copy=True, suspect_code=""),
                name="procedure_suspect_names_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def levels(self) -> list[str]:
        return [level for level, column in LEVEL_FIELDS.items() if getattr(self, column)]

    def get_level_display_list(self) -> list[str]:
        return [str(Level(level).label) for level in self.levels]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("procedures:detail", args=[self.code])


class ProcedureVersion(models.Model):
    """One content of a procedure: the raw record as imported and the fields parsed from it.

    Immutable in content: a changed record makes a new version. The parsed fields may be recomputed
    in place when the parser improves (`parser_version`), since they derive from the same raw content.
    """

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản số"))
    content_hash = models.CharField(_("mã băm nội dung"), max_length=64)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    imported_by = models.ForeignKey(
        CatalogueImport,
        verbose_name=_("lần nhập"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="versions",
    )
    changed_fields = models.JSONField(_("nội dung thay đổi so với phiên bản trước"), default=list, blank=True)
    # raw content
    raw_text = models.TextField(_("nội dung trang (nguyên văn)"), blank=True)
    raw_record = models.JSONField(_("bản ghi gốc"), default=dict)
    curated_entry = models.JSONField(_("mục trong danh sách đã kiểm tra"), null=True, blank=True)
    parser_version = models.PositiveSmallIntegerField(_("phiên bản bộ phân tích"), default=0)
    # parsed fields
    name = models.TextField(_("tên thủ tục"))
    levels = models.JSONField(_("cấp thực hiện"), default=list)
    field = models.CharField(_("lĩnh vực"), max_length=300, blank=True)
    kind = models.CharField(_("loại thủ tục"), max_length=200, blank=True)
    decision = models.CharField(_("quyết định công bố"), max_length=200, blank=True)
    target_groups = models.JSONField(_("đối tượng thực hiện"), default=list)
    steps = models.TextField(_("trình tự thực hiện"), blank=True)
    channels = models.JSONField(_("cách thức thực hiện"), default=list)
    time_value = models.DecimalField(
        _("thời hạn giải quyết"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=20, choices=TimeUnit.choices, blank=True, db_index=True
    )
    time_text = models.TextField(_("thời hạn (nguyên văn)"), blank=True)
    cutoff_15h = models.BooleanField(_("nhận sau 15 giờ trả ngày làm việc tiếp theo"), default=False)
    fee_amount_vnd = models.BigIntegerField(_("phí, lệ phí (đồng)"), null=True, blank=True)
    fee_text = models.TextField(_("phí, lệ phí (nguyên văn)"), blank=True)
    fee_by_province = models.BooleanField(_("mức phí do Hội đồng nhân dân tỉnh quyết định"), default=False)
    fee_status = models.CharField(_("tình trạng đọc phí"), max_length=20, choices=ParseStatus.choices)
    documents = models.JSONField(_("thành phần hồ sơ"), default=list)
    document_notes = models.JSONField(_("ghi chú thành phần hồ sơ"), default=list)
    documents_status = models.CharField(
        _("tình trạng đọc thành phần hồ sơ"), max_length=20, choices=ParseStatus.choices
    )
    result = models.JSONField(_("kết quả thực hiện"), default=list)
    legal_basis = models.JSONField(_("căn cứ pháp lý (số hiệu)"), default=list)
    legal_documents = models.JSONField(_("căn cứ pháp lý"), default=list)
    implementing_agency = models.TextField(_("cơ quan thực hiện"), blank=True)
    competent_agency = models.TextField(_("cơ quan có thẩm quyền"), blank=True)
    authorised_agency = models.TextField(_("cơ quan được ủy quyền"), blank=True)
    coordinating_agency = models.TextField(_("cơ quan phối hợp"), blank=True)
    address = models.TextField(_("địa chỉ tiếp nhận hồ sơ"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện thực hiện"), blank=True)
    parse_problems = models.JSONField(_("vấn đề khi phân tích"), default=list)
    # what the page text offers (time, fee, documents), for the parse-rate figures
    text_has = models.JSONField(_("nội dung trang có nêu"), default=dict)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedure_version_number_unique"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="procedure_version_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} v{self.number}"

    @property
    def time_limit(self) -> dict[str, Any]:
        """{value, unit, text, cutoff_15h}: what the one-stop shop computes the due time from."""
        value: Decimal | None = self.time_value
        return {
            "value": None if value is None else (int(value) if value == int(value) else float(value)),
            "unit": self.time_unit,
            "text": self.time_text,
            "cutoff_15h": self.cutoff_15h,
        }

    @property
    def fee(self) -> dict[str, Any]:
        return {
            "amount_vnd": self.fee_amount_vnd,
            "text": self.fee_text,
            "status": self.fee_status,
            "by_province": self.fee_by_province,
        }

    def time_for_channel(self, channel: str) -> dict[str, Any]:
        """The time stated for one channel (the procedure's time when that channel states none)."""
        for row in self.channels:
            if row.get("channel") == channel and row.get("time", {}).get("unit") not in ("", None):
                return row["time"]
        return self.time_limit

    @property
    def blocking_problems(self) -> list[dict[str, str]]:
        return [p for p in self.parse_problems if p.get("blocking") == "yes"]
