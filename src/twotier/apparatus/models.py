"""The apparatus registry: units and officials over time, reorganizations, tasks, responsibilities,
delegations.

Every row that can change over time carries a half-open validity `[valid_from, valid_to)`: a row is valid on
D if `valid_from <= D` and (`valid_to` is null or `D < valid_to`). A reorganization effective on E sets
`valid_to = E` on its predecessors and `valid_from = E` on its successors, so the registry can answer
"as of" any date and history is never rewritten (STYLE.md, "Registry history").

Territory is kept as code strings (`province_code`, `commune_code`), not foreign keys to geography, so the
high-volume tables keep the province code in their indexes (ARCHITECTURE.md, scale-out path) and this app's
migrations do not depend on another app's schema.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from twotier.core.models import Event, TimeStamped

from .querysets import (
    AssignmentQuerySet,
    DelegationQuerySet,
    OfficialQuerySet,
    PostQuerySet,
    ReorganizationQuerySet,
    ResponsibilityQuerySet,
    TaskQuerySet,
    UnitParentQuerySet,
    UnitQuerySet,
)


class Tier(models.TextChoices):
    CITY = "city", _("Cấp tỉnh/thành phố")
    COMMUNE = "commune", _("Cấp xã")


class UnitKind(models.TextChoices):
    PEOPLES_COUNCIL = "peoples_council", _("Hội đồng nhân dân")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    OFFICE = "office", _("Văn phòng")
    DEPARTMENT = "department", _("Sở, cơ quan chuyên môn cấp tỉnh")
    DIVISION = "division", _("Phòng chuyên môn cấp xã")
    PASC = "pasc", _("Trung tâm Phục vụ hành chính công")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("Đơn vị sự nghiệp công lập")
    FRONT_COMMITTEE = "front_committee", _("Ủy ban Mặt trận Tổ quốc Việt Nam")
    FRONT_DEPARTMENT = "front_department", _("Ban chuyên môn của Mặt trận Tổ quốc")
    POLICE = "police", _("Công an")
    POLICE_DEPARTMENT = "police_department", _("Phòng thuộc Công an")
    POLICE_TEAM = "police_team", _("Đội")
    MASS_ORGANISATION = "mass_organisation", _("Tổ chức chính trị - xã hội")


class UnitLevel(models.TextChoices):
    """Rank of a unit in its organisation; `apparatus_metrics` counts units by this value."""

    ORGANISATION = "organisation", _("Cơ quan, tổ chức")
    DEPARTMENT = "department", _("Cấp phòng, ban, sở")
    TEAM = "team", _("Cấp đội")
    COMMUNE = "commune", _("Cấp xã")
    DIVISION = "division", _("Phòng, ban cấp xã")


class Unit(TimeStamped):
    """An agency or organisational unit (đơn vị) valid over `[valid_from, valid_to)`.

    Codes never change and are never reused: a reorganization ends its predecessors and creates
    successors with new codes. The parent is kept apart, over time, in `UnitParent`, so that moving
    a subtree (a merge or a transfer) does not rewrite its units.
    """

    code = models.CharField(_("mã đơn vị"), max_length=64, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=32, choices=UnitKind.choices)
    tier = models.CharField(_("cấp"), max_length=10, choices=Tier.choices)
    level = models.CharField(_("cấp bậc"), max_length=20, choices=UnitLevel.choices)
    # What the unit does, as the responsibility rules name it (e.g. "office", "econ", "justice");
    # see data/responsibility_rules.yaml.
    function = models.CharField(_("chức năng"), max_length=40, blank=True, db_index=True)
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2, db_index=True)
    commune_code = models.CharField(_("mã xã/phường/đặc khu"), max_length=5, blank=True, db_index=True)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["code"]
        indexes = [models.Index(fields=["province_code", "valid_from", "valid_to"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="unit_valid_range",
            ),
            models.CheckConstraint(
                condition=(Q(tier="city", commune_code="") | (Q(tier="commune") & ~Q(commune_code=""))),
                name="unit_tier_commune",
            ),
        ]
        permissions = [
            ("apply_reorganization", "Phê duyệt và thực hiện sắp xếp tổ chức"),
            ("import_apparatus", "Nhập dữ liệu đơn vị, cán bộ từ tệp"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def valid_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


class UnitParent(models.Model):
    """Subordination (trực thuộc) of a unit to its parent over `[valid_from, valid_to)`."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="parent_links")
    parent = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="child_links")
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)

    objects = UnitParentQuerySet.as_manager()

    class Meta:
        verbose_name = _("quan hệ trực thuộc")
        verbose_name_plural = _("quan hệ trực thuộc")
        indexes = [models.Index(fields=["parent", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="unitparent_valid_range",
            ),
            models.CheckConstraint(condition=~Q(unit=models.F("parent")), name="unitparent_not_self"),
            # One open parent per unit; closed periods are checked by the service.
            models.UniqueConstraint(
                fields=["unit"], condition=Q(valid_to__isnull=True), name="unitparent_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.parent_id} [{self.valid_from}, {self.valid_to or '…'})"


class Post(TimeStamped):
    """A post (vị trí việc làm) of a unit with its staffing quota (biên chế)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(_("vị trí việc làm"), max_length=160)
    quota = models.PositiveIntegerField(_("biên chế"))
    is_leadership = models.BooleanField(_("chức vụ lãnh đạo"), default=False)
    required_qualifications = models.JSONField(_("trình độ yêu cầu"), default=list, blank=True)
    wanted_skills = models.JSONField(_("kỹ năng cần có"), default=list, blank=True)
    min_grade = models.PositiveSmallIntegerField(_("ngạch tối thiểu"), default=0)
    min_digital_skill = models.PositiveSmallIntegerField(_("kỹ năng số tối thiểu"), default=0)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("vị trí việc làm")
        verbose_name_plural = _("vị trí việc làm")
        ordering = ["unit_id", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="post_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.unit_id}"


class DigitalSkill(models.IntegerChoices):
    NONE = 0, _("Chưa có")
    BASIC = 1, _("Cơ bản")
    INTERMEDIATE = 2, _("Trung bình")
    ADVANCED = 3, _("Khá")
    EXPERT = 4, _("Thành thạo")


class Grade(models.IntegerChoices):
    """Civil-service grades (ngạch), ranked so that a post can require a minimum."""

    CLERK = 1, _("Cán sự, nhân viên")
    SPECIALIST = 2, _("Chuyên viên")
    PRINCIPAL = 3, _("Chuyên viên chính")
    SENIOR = 4, _("Chuyên viên cao cấp")


class Official(TimeStamped):
    """A civil servant, public employee or officer (cán bộ, công chức, viên chức, chiến sĩ)."""

    staff_no = models.CharField(_("số hiệu cán bộ"), max_length=32, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=120)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    qualifications = models.JSONField(_("trình độ chuyên môn"), default=list, blank=True)
    skills = models.JSONField(_("kỹ năng"), default=list, blank=True)
    digital_skill = models.PositiveSmallIntegerField(
        _("kỹ năng số"), choices=DigitalSkill.choices, default=DigitalSkill.BASIC
    )
    grade = models.PositiveSmallIntegerField(_("ngạch"), choices=Grade.choices, default=Grade.SPECIALIST)
    years_of_service = models.PositiveSmallIntegerField(_("số năm công tác"), default=0)
    home_commune_code = models.CharField(_("xã/phường cư trú"), max_length=5, blank=True)
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2, db_index=True)
    # The commune of the current unit ('' for city tier), kept by the services for read scoping.
    commune_code = models.CharField(_("mã xã/phường/đặc khu"), max_length=5, blank=True, db_index=True)

    objects = OfficialQuerySet.as_manager()

    class Meta:
        verbose_name = _("cán bộ, công chức")
        verbose_name_plural = _("cán bộ, công chức")
        ordering = ["full_name", "pk"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.staff_no})"


class Assignment(models.Model):
    """An official holding a post over `[valid_from, valid_to)`. Headcount is counted from these rows."""

    official = models.ForeignKey(Official, on_delete=models.PROTECT, related_name="assignments")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="assignments")
    # Denormalised from post.unit so that headcount per unit and date is one indexed query.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments")
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày (không tính)"), null=True, blank=True)
    reorganization = models.ForeignKey(
        "Reorganization", on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        indexes = [
            models.Index(fields=["unit", "valid_from", "valid_to"]),
            models.Index(fields=["official", "valid_from"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="assignment_valid_range",
            ),
            models.UniqueConstraint(
                fields=["official"], condition=Q(valid_to__isnull=True), name="assignment_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official_id} @ {self.post_id} [{self.valid_from}, {self.valid_to or '…'})"


class ReorganizationKind(models.TextChoices):
    MERGE = "merge", _("Hợp nhất, sáp nhập")
    SPLIT = "split", _("Chia, tách")
    ABOLISH = "abolish", _("Giải thể")
    RENAME = "rename", _("Đổi tên")
    TRANSFER = "transfer", _("Chuyển trực thuộc")


class ReorganizationStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPLIED = "applied", _("Đã thực hiện")


class Reorganization(TimeStamped):
    """A reorganization (sắp xếp tổ chức) effective on a date, on a legal basis.

    While a draft, `plan` holds what will happen (see `plan.Plan`); applying writes the successors,
    the links, the dispositions and everything moved, atomically, and freezes the plan.
    """

    kind = models.CharField(_("hình thức"), max_length=10, choices=ReorganizationKind.choices)
    title = models.CharField(_("tên"), max_length=255)
    effective_on = models.DateField(_("ngày hiệu lực"))
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)
    status = models.CharField(
        _("trạng thái"),
        max_length=10,
        choices=ReorganizationStatus.choices,
        default=ReorganizationStatus.DRAFT,
    )
    plan = models.JSONField(_("phương án"), default=dict)
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2, db_index=True)
    commune_code = models.CharField(_("mã xã/phường/đặc khu"), max_length=5, blank=True, db_index=True)
    # None: drafted by the system (a loader such as load_seed_scenario), not by a person
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(_("thực hiện lúc"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ReorganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("sắp xếp tổ chức")
        verbose_name_plural = _("sắp xếp tổ chức")
        ordering = ["-effective_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.effective_on:%d/%m/%Y})"


class ReorganizationLink(models.Model):
    """Predecessor unit → successor unit of a reorganization (N→M). Abolished units have no successor."""

    reorganization = models.ForeignKey(Reorganization, on_delete=models.PROTECT, related_name="links")
    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="predecessor_links"
    )

    class Meta:
        verbose_name = _("liên kết đơn vị trước - sau sắp xếp")
        verbose_name_plural = _("liên kết đơn vị trước - sau sắp xếp")
        constraints = [
            models.UniqueConstraint(
                fields=["reorganization", "predecessor", "successor"], name="reorglink_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id or '∅'}"


class DispositionKind(models.TextChoices):
    MOVE = "move", _("Bố trí vào vị trí mới")
    RETIRE = "retire", _("Nghỉ hưu")
    RELEASE = "release", _("Nghỉ theo chính sách tinh giản")


class Disposition(models.Model):
    """What happened to an official of a dissolved unit in a reorganization."""

    reorganization = models.ForeignKey(Reorganization, on_delete=models.PROTECT, related_name="dispositions")
    official = models.ForeignKey(Official, on_delete=models.PROTECT, related_name="dispositions")
    kind = models.CharField(_("hình thức bố trí"), max_length=10, choices=DispositionKind.choices)
    from_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    to_post = models.ForeignKey(Post, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(_("lý do"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("phương án bố trí cán bộ")
        verbose_name_plural = _("phương án bố trí cán bộ")
        constraints = [
            models.UniqueConstraint(fields=["reorganization", "official"], name="disposition_unique"),
            models.CheckConstraint(
                condition=Q(kind="move", to_post__isnull=False) | (~Q(kind="move") & Q(to_post__isnull=True)),
                name="disposition_move_has_post",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.official_id}: {self.kind}"


class ApparatusEvent(Event):
    """Business history of the registry: who drafted, applied, assigned, delegated what, and when."""

    subject = models.CharField(_("đối tượng"), max_length=80, db_index=True)  # e.g. "responsibility:12"
    reorganization = models.ForeignKey(
        "Reorganization", on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="events")

    class Meta(Event.Meta):
        verbose_name = _("lịch sử bộ máy")
        verbose_name_plural = _("lịch sử bộ máy")


class TaskKind(models.TextChoices):
    PROCEDURE = "procedure", _("Thủ tục hành chính")
    DUTY = "duty", _("Nhiệm vụ")


class Task(TimeStamped):
    """A task (nhiệm vụ): a duty, or an administrative procedure of the catalogue (by its code)."""

    code = models.CharField(_("mã nhiệm vụ"), max_length=64, unique=True)
    name = models.TextField(_("tên nhiệm vụ"))
    kind = models.CharField(_("loại"), max_length=10, choices=TaskKind.choices)
    field = models.CharField(_("lĩnh vực"), max_length=300, blank=True, db_index=True)
    procedure_code = models.CharField(_("mã thủ tục"), max_length=64, blank=True, db_index=True)
    at_commune = models.BooleanField(_("thực hiện cấp xã"), default=False)
    at_province = models.BooleanField(_("thực hiện cấp tỉnh"), default=False)
    competent_agency = models.TextField(_("cơ quan có thẩm quyền"), blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name[:60]}"


class ResponsibilityRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    COORDINATE = "coordinate", _("Phối hợp")


class Responsibility(TimeStamped):
    """Who carries a task in a territory (one commune, or the whole city with commune_code '') and tier.

    One task → one lead agency (Resolution 18-NQ/TW principle; DOMAIN.md): at most one `lead` row per
    (task, province, commune, tier) on any date. Enforced by the database, not only by the service:
    a partial unique constraint on open rows (both engines), and for closed periods an exclusion
    constraint over date ranges on PostgreSQL or an equivalent trigger on SQLite (migration 0002).
    Coordinating units are any number of `coordinate` rows.
    """

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="responsibilities")
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2)
    commune_code = models.CharField(_("địa bàn xã/phường"), max_length=5, blank=True)
    tier = models.CharField(_("cấp"), max_length=10, choices=Tier.choices)
    role = models.CharField(_("vai trò"), max_length=12, choices=ResponsibilityRole.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="responsibilities")
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    reorganization = models.ForeignKey(
        Reorganization, on_delete=models.PROTECT, null=True, blank=True, related_name="responsibilities"
    )

    objects = ResponsibilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân công trách nhiệm")
        verbose_name_plural = _("phân công trách nhiệm")
        indexes = [
            models.Index(fields=["task", "province_code", "commune_code", "tier"]),
            models.Index(fields=["unit", "valid_from"]),
            models.Index(fields=["province_code", "commune_code", "role"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="responsibility_valid_range",
            ),
            models.UniqueConstraint(
                fields=["task", "province_code", "commune_code", "tier"],
                condition=Q(role="lead", valid_to__isnull=True),
                name="responsibility_one_open_lead",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.role} {self.unit_id} @ {self.commune_code or self.province_code}"


class Delegation(TimeStamped):
    """Delegation of authority (ủy quyền/phân cấp) from a unit or official to another, by written instrument.

    Scope: the listed tasks (none = every task the delegator leads) in a territory (a commune, or ''
    for the delegator's whole territory), over `[valid_from, valid_to)`. An expired delegation stops
    applying by itself because every query asks for a date.
    """

    from_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="delegations_given"
    )
    from_official = models.ForeignKey(
        Official, on_delete=models.PROTECT, null=True, blank=True, related_name="delegations_given"
    )
    to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="delegations_received"
    )
    to_official = models.ForeignKey(
        Official, on_delete=models.PROTECT, null=True, blank=True, related_name="delegations_received"
    )
    tasks = models.ManyToManyField(Task, blank=True, related_name="delegations")
    province_code = models.CharField(_("mã tỉnh/thành phố"), max_length=2, db_index=True)
    commune_code = models.CharField(_("địa bàn xã/phường"), max_length=5, blank=True, db_index=True)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    instrument_no = models.CharField(_("số văn bản ủy quyền"), max_length=80)
    instrument_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("ủy quyền")
        verbose_name_plural = _("ủy quyền")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="delegation_valid_range",
            ),
            models.CheckConstraint(
                condition=(Q(from_unit__isnull=False) & Q(from_official__isnull=True))
                | (Q(from_unit__isnull=True) & Q(from_official__isnull=False)),
                name="delegation_one_delegator",
            ),
            models.CheckConstraint(
                condition=(Q(to_unit__isnull=False) & Q(to_official__isnull=True))
                | (Q(to_unit__isnull=True) & Q(to_official__isnull=False)),
                name="delegation_one_delegate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_no}: {self.delegator} → {self.delegate}"

    @property
    def delegator(self):
        return self.from_unit or self.from_official

    @property
    def delegate(self):
        return self.to_unit or self.to_official
