"""One-stop-shop dossiers (hồ sơ thủ tục hành chính) from receipt to the returned result.

Decree 118/2025/NĐ-CP and Circular 03/2025/TT-VPCP: a dossier is received at any public administration
service centre (PASC) of the province, handled by the one competent unit, and returned at the centre.
Every state change goes through `services.py` (optimistic lock on `version`, an append-only
`DossierEvent` with the actor); reads go through `DossierQuerySet.visible_to(user)`.

Every high-volume row carries `province_code` (ARCHITECTURE.md: partitioning / Citus by province).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from twotier.core.models import Event, TimeStamped

from .querysets import DossierQuerySet, ProvinceScopedQuerySet
from .states import OPEN, DossierChannel, DossierStatus


class Dossier(TimeStamped):
    """A dossier of an administrative procedure (hồ sơ), from submission or receipt to the result.

    `due_at` is the legal due time computed at receipt from the procedure version's time limit
    (deadlines.py); only the supplement pause recomputes it. An apology letter sets
    `rescheduled_due_at` (a new appointment for the citizen) and never touches `due_at`: a dossier
    finished after `due_at` is late, letter or not.
    """

    receipt_code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    status = models.PositiveSmallIntegerField(
        _("trạng thái"), choices=DossierStatus.choices, default=DossierStatus.RECEIVED
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    channel = models.PositiveSmallIntegerField(
        _("hình thức nộp"), choices=DossierChannel.choices, default=DossierChannel.IN_PERSON
    )
    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.PROTECT, related_name="+", verbose_name=_("thủ tục")
    )
    procedure_version = models.ForeignKey(
        "procedures.ProcedureVersion",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("phiên bản thủ tục khi tiếp nhận"),
    )
    level = models.CharField(_("cấp thực hiện"), max_length=10, default="commune")  # commune | province
    # time limit as read from the procedure version at receipt ("" unit: none stated or unreadable)
    limit_amount = models.PositiveIntegerField(_("thời hạn giải quyết"), null=True, blank=True)
    limit_unit = models.CharField(_("đơn vị thời hạn"), max_length=20, blank=True)
    # applicant (personal data: every read is logged through core.audit.log_access)
    applicant_name = models.CharField(_("họ và tên người nộp"), max_length=120)
    applicant_id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    applicant_birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    address_text = models.CharField(_("địa chỉ (như người nộp ghi)"), max_length=300, blank=True)
    address_status = models.CharField(_("kết quả chuyển đổi địa chỉ"), max_length=12, blank=True)
    address_commune_code = models.CharField(_("xã/phường theo địa chỉ"), max_length=5, blank=True)
    # who receives, who decides
    receiving_unit = models.ForeignKey(
        "apparatus.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("nơi tiếp nhận"),
    )
    competent_unit = models.ForeignKey(
        "apparatus.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan giải quyết"),
    )
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2)
    receiving_commune_code = models.CharField(_("xã/phường nơi tiếp nhận"), max_length=5, blank=True)
    competent_commune_code = models.CharField(_("xã/phường cơ quan giải quyết"), max_length=5, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ xử lý"),
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ tiếp nhận"),
    )
    # times
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True)
    rescheduled_due_at = models.DateTimeField(_("hẹn lại ngày trả kết quả"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng tính thời hạn từ"), null=True, blank=True)
    completed_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    # digitisation at receipt (Decree 118/2025: paper dossiers are scanned at receipt)
    is_digitised = models.BooleanField(_("đã số hóa toàn bộ giấy tờ"), default=False)
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    # A second supplement request (leader override) counts the dossier as overdue in the national index.
    counts_as_overdue = models.BooleanField(_("tính là quá hạn"), default=False)
    # set by the periodic sweep (tasks.sweep_deadlines)
    due_soon_flagged_at = models.DateTimeField(_("đã cảnh báo sắp đến hạn lúc"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("đã cảnh báo quá hạn lúc"), null=True, blank=True)
    fee_vnd = models.BigIntegerField(_("phí, lệ phí (đồng)"), null=True, blank=True)
    # imported from a provincial system's export (import_dossiers): the source system's own identifiers
    source_system = models.CharField(_("hệ thống nguồn"), max_length=40, blank=True)
    source_id = models.CharField(_("mã trong hệ thống nguồn"), max_length=80, blank=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_at", "-pk"]
        permissions = [
            ("receive_dossier", "Tiếp nhận hồ sơ, trả kết quả (bộ phận một cửa)"),
            ("process_dossier", "Xử lý hồ sơ"),
            ("lead_dossier", "Lãnh đạo: dừng xử lý, cho phép yêu cầu bổ sung lần hai"),
        ]
        indexes = [
            models.Index(fields=["province_code", "status", "due_at"], name="dossier_prov_status_due"),
            models.Index(
                fields=["province_code", "competent_commune_code", "status"], name="dossier_competent"
            ),
            models.Index(
                fields=["province_code", "receiving_commune_code", "status"], name="dossier_receiving"
            ),
            models.Index(fields=["province_code", "competent_unit", "status"], name="dossier_unit"),
            models.Index(fields=["province_code", "assignee", "status"], name="dossier_assignee"),
            models.Index(fields=["province_code", "received_at"], name="dossier_received"),
            # the evaluation rollup of a day: dossiers finished that day, and the backlog open at its end
            models.Index(fields=["province_code", "completed_at"], name="dossier_completed"),
            models.Index(fields=["province_code", "closed_at"], name="dossier_closed"),
            # the incremental rollup of a day: dossiers falling due that day move to "overdue"
            models.Index(fields=["province_code", "due_at"], name="dossier_due"),
            models.Index(
                fields=["province_code", "received_at"],
                condition=Q(completed_at__isnull=True, closed_at__isnull=True),
                name="dossier_open",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__gte=1, status__lte=10), name="dossier_status_range"),
            models.CheckConstraint(condition=Q(channel__gte=1, channel__lte=3), name="dossier_channel_range"),
            models.UniqueConstraint(
                fields=["source_system", "source_id"],
                condition=~Q(source_system=""),
                name="dossier_source_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_code

    @property
    def status_name(self) -> str:
        return str(DossierStatus(self.status).label)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("dossiers:detail", args=[self.receipt_code])


class AppendOnly(models.Model):
    """History rows: inserted once, never updated or deleted through the ORM instance."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} rows are append-only")


class DossierEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Nộp trực tuyến")
    RECEIVED = "received", _("Tiếp nhận")
    TRANSFERRED = "transferred", _("Chuyển cơ quan có thẩm quyền")
    STATUS_CHANGED = "status_changed", _("Chuyển trạng thái")
    ASSIGNED = "assigned", _("Phân công xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung")
    SUPPLEMENT_OVERRIDE = "supplement_override", _("Lãnh đạo cho phép bổ sung lần hai")
    SUPPLEMENT_COMPLETED = "supplement_completed", _("Đã bổ sung")
    APOLOGY_ISSUED = "apology_issued", _("Xin lỗi và hẹn lại")
    PAYMENT_REQUESTED = "payment_requested", _("Yêu cầu nộp nghĩa vụ tài chính")
    PAYMENT_RECORDED = "payment_recorded", _("Đã nộp phí, nghĩa vụ tài chính")
    REGISTRY_REUSED = "registry_reused", _("Khai thác dữ liệu dùng chung")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    REORGANIZED = "reorganized", _("Chuyển đơn vị kế thừa sau sắp xếp")
    RATED = "rated", _("Đánh giá")
    COMPLAINED = "complained", _("Phản ánh, kiến nghị")
    IMPORTED = "imported", _("Nhập từ hệ thống cũ")


class DossierEvent(AppendOnly, Event):
    """The dossier's business history (sổ theo dõi hồ sơ, Form 07): append-only, actor recorded."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2)

    class Meta(Event.Meta):
        verbose_name = _("lịch sử hồ sơ")
        verbose_name_plural = _("lịch sử hồ sơ")
        indexes = [models.Index(fields=["province_code", "dossier", "at"], name="dossierevent_dossier")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    @property
    def kind_label(self) -> str:
        try:
            return str(DossierEventKind(self.kind).label)
        except ValueError:
            return self.kind


class Document(models.Model):
    """One paper of the dossier (thành phần hồ sơ): uploaded/scanned, or reused from a registry."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="documents")
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2)
    kind = models.CharField(_("tên giấy tờ"), max_length=500)
    file = models.FileField(_("tệp"), upload_to="dossiers/%Y/%m/", blank=True)
    is_scanned = models.BooleanField(_("đã số hóa"), default=False)
    # '' = provided by the citizen; otherwise the registry it came from ("population", "land", "business")
    reused_from_registry = models.CharField(_("khai thác từ cơ sở dữ liệu"), max_length=20, blank=True)
    registry_reference = models.CharField(_("mã tra cứu"), max_length=80, blank=True)
    added_at = models.DateTimeField(_("thêm lúc"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("giấy tờ trong hồ sơ")
        verbose_name_plural = _("giấy tờ trong hồ sơ")
        ordering = ["dossier", "pk"]
        indexes = [models.Index(fields=["province_code", "dossier"], name="document_dossier")]

    def __str__(self) -> str:
        return self.kind


class SupplementRequest(models.Model):
    """The one consolidated request to supplement the dossier (Form 02), and the pause it causes.

    `days_left` is r of DOMAIN.md's pause rule; `due_before`/`due_after` record how `due_at` moved.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="supplement_requests")
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2)
    number = models.PositiveSmallIntegerField(_("lần"))
    items = models.JSONField(_("giấy tờ cần bổ sung"), default=list)
    reason = models.TextField(_("lý do"))
    requested_at = models.DateTimeField(_("yêu cầu lúc"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    override_reason = models.TextField(_("lý do lãnh đạo cho phép bổ sung lần hai"), blank=True)
    due_before = models.DateTimeField(_("hạn trước khi tạm dừng"), null=True, blank=True)
    completed_at = models.DateTimeField(_("đã bổ sung lúc"), null=True, blank=True)
    due_after = models.DateTimeField(_("hạn sau khi bổ sung"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung hồ sơ")
        verbose_name_plural = _("yêu cầu bổ sung hồ sơ")
        ordering = ["dossier", "number"]
        indexes = [
            models.Index(fields=["province_code", "requested_at"], name="supplement_requested"),
            # the incremental rollup of a day: pauses that end that day
            models.Index(fields=["province_code", "completed_at"], name="supplement_completed"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="supplement_number_unique"),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(override_reason=""), name="supplement_second_needs_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.number}"


class ApologyLetter(models.Model):
    """Apology letter with a new appointment (Form 04, Phiếu xin lỗi và hẹn lại ngày trả kết quả)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="apology_letters")
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2)
    reason = models.TextField(_("lý do chậm"))
    new_due_at = models.DateTimeField(_("hẹn lại ngày trả kết quả"))
    issued_at = models.DateTimeField(_("ban hành lúc"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # the law wants the letter before the due time; a late letter is recorded as such
    before_due = models.BooleanField(_("ban hành trước hạn"), default=True)

    class Meta:
        verbose_name = _("phiếu xin lỗi và hẹn lại")
        verbose_name_plural = _("phiếu xin lỗi và hẹn lại")
        ordering = ["dossier", "issued_at"]
        indexes = [models.Index(fields=["province_code", "issued_at"], name="apology_issued")]

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.new_due_at:%d/%m/%Y}"


class PaymentMethod(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Tại quầy")


class Payment(models.Model):
    """A payment of fees or financial obligations (status 6 → 4)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="payments")
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2)
    amount_vnd = models.BigIntegerField(_("số tiền (đồng)"))
    method = models.CharField(_("hình thức"), max_length=10, choices=PaymentMethod.choices)
    paid_at = models.DateTimeField(_("nộp lúc"))
    reference = models.CharField(_("mã giao dịch/biên lai"), max_length=80, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("thanh toán")
        verbose_name_plural = _("thanh toán")
        indexes = [models.Index(fields=["province_code", "paid_at"], name="payment_paid")]
        constraints = [models.CheckConstraint(condition=Q(amount_vnd__gte=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.amount_vnd} đ ({self.method})"


class FeedbackChannel(models.TextChoices):
    WEB = "web", _("Trang tra cứu")
    KIOSK = "kiosk", _("Ki-ốt")
    SMS = "sms", _("Tin nhắn")


class Rating(models.Model):
    """The citizen's rating of the service, 1–5, once per dossier, after the result."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating")
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2)
    score = models.PositiveSmallIntegerField(_("mức hài lòng"))
    comment = models.TextField(_("ý kiến"), blank=True)
    channel = models.CharField(_("qua"), max_length=10, choices=FeedbackChannel.choices)
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        indexes = [models.Index(fields=["province_code", "at"], name="rating_at")]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_5")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.score}/5"


class Complaint(models.Model):
    """A complaint (phản ánh, kiến nghị) about the handling of a dossier, after the result."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="complaints")
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2)
    text = models.TextField(_("nội dung"))
    channel = models.CharField(_("qua"), max_length=10, choices=FeedbackChannel.choices)
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-at"]
        indexes = [models.Index(fields=["province_code", "at"], name="complaint_at")]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.text[:40]}"


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Lỗi")
    SKIPPED = "skipped", _("Không có địa chỉ")


class Notification(models.Model):
    """An e-mail or SMS to the applicant (outbox): written in the service's transaction, sent by a
    Celery task queued after commit, so nothing is sent for a rolled-back change. A failed send stays
    `queued` (with the error and the attempt count) and is retried with backoff; it becomes `failed`
    only after the last attempt."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="notifications")
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2)
    channel = models.CharField(_("kênh"), max_length=10, choices=NotificationChannel.choices)
    kind = models.CharField(_("loại thông báo"), max_length=40)
    recipient = models.CharField(_("người nhận"), max_length=254)
    subject = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"))
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)

    objects = ProvinceScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes = [models.Index(fields=["province_code", "status"], name="notification_status")]

    def __str__(self) -> str:
        return f"{self.channel} {self.kind} → {self.recipient} ({self.status})"


class ReceiptSequence(models.Model):
    """Counter behind the receipt codes: one row per prefix (centre) and day.

    Incremented with a single guarded UPDATE inside the receipt transaction, so two receipts can never
    draw the same number (the row lock on PostgreSQL, the write lock on SQLite), and the unique
    constraint on `Dossier.receipt_code` backs it.
    """

    prefix = models.CharField(max_length=20)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số thứ tự tiếp nhận")
        verbose_name_plural = _("số thứ tự tiếp nhận")
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="receipt_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.prefix} {self.day:%y%m%d} #{self.last}"


class IdempotencyRecord(models.Model):
    """The answer to a request sent with an `Idempotency-Key` header (24 hours, per user and key)."""

    class State(models.TextChoices):
        RUNNING = "running", _("Đang xử lý")
        DONE = "done", _("Đã xong")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("khóa chống gửi trùng")
        verbose_name_plural = _("khóa chống gửi trùng")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key} ({self.state})"


class LookupAttempt(models.Model):
    """Public status-lookup attempts, for rate limiting by client address (no personal data kept)."""

    client = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    success = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.client} {self.at:%Y-%m-%d %H:%M} {self.success}"
