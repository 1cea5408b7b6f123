"""Where a dossier goes: the receiving centre of a receptionist, the one competent unit of a procedure.

Reads the apparatus registry through its querysets (never its tables directly by SQL):

- the receiving centre of a commune official is the unit `<commune code>-pasc` valid on the day;
- the competent unit is the lead unit of the procedure's task (`Task.procedure_code`) for the
  applicant's commune (commune tier) or the whole city (province tier: commune_code "") on the
  receipt date — "one task, one lead agency" (DOMAIN.md), which the apparatus database enforces;
- a delegation (ủy quyền) of the task from that lead unit to another unit, valid on the date and
  covering the commune, moves the handling to the delegate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from twotier.core.errors import DomainError

from .deadlines import LimitUnit, TimeLimit

COMMUNE = "commune"
PROVINCE = "province"
LEVEL_TIERS = {COMMUNE: "commune", PROVINCE: "city"}


class NoCompetentUnit(DomainError):
    """No lead unit is registered for the procedure in that territory on that date."""


class NoReceivingCentre(DomainError):
    """The staff account is not attached to a commune with a public administration service centre."""


@dataclass(frozen=True)
class Routing:
    unit: object  # apparatus.models.Unit
    lead_unit: object
    delegation_id: int | None = None


def pasc_code(commune_code: str) -> str:
    return f"{commune_code}-pasc"


def receiving_centre(commune_code: str, on: date):
    """The PASC of a commune valid on `on`. Raises NoReceivingCentre."""
    from twotier.apparatus.models import Unit

    from . import refcache

    def lookup():
        return Unit.objects.valid_on(on).filter(code=pasc_code(commune_code)).first()

    unit = refcache.cached(("centre", commune_code, on), lookup) if commune_code else None
    if unit is None:
        raise NoReceivingCentre(
            _("Không tìm thấy Trung tâm Phục vụ hành chính công của xã/phường %(commune_code)s.")
            % {"commune_code": commune_code or _("(chưa gán)")}
        )
    return unit


def centre_of_staff(user, on: date):
    profile = getattr(user, "staff_profile", None)
    return receiving_centre(getattr(profile, "commune_code", ""), on)


def competent_unit(
    procedure_code: str, *, level: str, province_code: str, commune_code: str, on: date
) -> Routing:
    """The unit that handles a dossier of `procedure_code` at `level` for that territory on `on`.

    Raises NoCompetentUnit naming the gap (the apparatus gaps report lists the same ones).
    Cached per process for a short time (refcache: the same answer for the same day and territory).
    """
    from . import refcache

    key = ("route", procedure_code, level, province_code, commune_code, on)
    return refcache.cached(
        key,
        lambda: _competent_unit(
            procedure_code, level=level, province_code=province_code, commune_code=commune_code, on=on
        ),
    )


def _competent_unit(
    procedure_code: str, *, level: str, province_code: str, commune_code: str, on: date
) -> Routing:
    from twotier.apparatus.models import Delegation, Responsibility, Task

    tier = LEVEL_TIERS.get(level)
    if tier is None:
        raise DomainError(_("Cấp thực hiện không hợp lệ: %(level)s") % {"level": level})
    territory = commune_code if tier == "commune" else ""
    # The task ids first, then the (task, province, commune, tier) index: a join with ORDER BY pk LIMIT 1
    # lets PostgreSQL walk the primary key of ~100,000 responsibilities instead.
    task_ids = list(Task.objects.filter(procedure_code=procedure_code).values_list("pk", flat=True))
    rows = list(
        Responsibility.objects.leads()
        .valid_on(on)
        .filter(task_id__in=task_ids, province_code=province_code, commune_code=territory, tier=tier)
        .select_related("unit", "task")
        .order_by("-valid_from")[:1]
    )
    row = rows[0] if rows else None
    if row is None:
        where = (
            _("xã/phường %(code)s") % {"code": commune_code}
            if tier == "commune"
            else _("tỉnh/thành phố %(code)s") % {"code": province_code}
        )
        raise NoCompetentUnit(
            _("Chưa có đơn vị chủ trì thủ tục %(procedure_code)s tại %(where)s ngày %(on)s.")
            % {"procedure_code": procedure_code, "where": where, "on": format(on, "%d/%m/%Y")}
        )
    delegation = (
        Delegation.objects.valid_on(on)
        .filter(from_unit=row.unit, to_unit__isnull=False)
        .filter(Q(tasks=row.task) | Q(tasks__isnull=True))
        .filter(Q(commune_code="") | Q(commune_code=commune_code))
        .select_related("to_unit")
        .order_by("-valid_from", "-pk")
        .first()
    )
    if delegation is not None and delegation.to_unit.valid_on(on):
        return Routing(unit=delegation.to_unit, lead_unit=row.unit, delegation_id=delegation.pk)
    return Routing(unit=row.unit, lead_unit=row.unit)


def default_level(procedure) -> str:
    """For a procedure listed at several levels the commune is the default when Cấp xã is listed."""
    if procedure.at_commune:
        return COMMUNE
    if procedure.at_province:
        return PROVINCE
    raise DomainError(
        _("Thủ tục %(procedure_code)s không thực hiện ở cấp xã hay cấp tỉnh.")
        % {"procedure_code": procedure.code}
    )


def levels_of(procedure) -> list[str]:
    return [
        level for level, flag in ((COMMUNE, procedure.at_commune), (PROVINCE, procedure.at_province)) if flag
    ]


def time_limit_of(value: Decimal | float | int | None, unit: str) -> TimeLimit | None:
    """The catalogue's (value, unit) as a deadline rule; None for no stated or unreadable limit.

    A fractional number of working days (e.g. 0.5) is converted to working hours (8 per day: the
    default office hours), the smallest unit the rule knows.
    """
    if unit == "same_day":
        return TimeLimit.working_days(0)
    if unit in ("", "none") or value is None:
        return None
    amount = Decimal(str(value))
    if amount <= 0:
        return TimeLimit.working_days(0) if unit == "working_days" else None
    if unit == "hours":
        return TimeLimit(int(amount.to_integral_value(rounding="ROUND_CEILING")), LimitUnit.WORKING_HOURS)
    if amount != amount.to_integral_value():
        if unit == "working_days":
            return TimeLimit(
                int((amount * 8).to_integral_value(rounding="ROUND_CEILING")), LimitUnit.WORKING_HOURS
            )
        amount = amount.to_integral_value(rounding="ROUND_CEILING")
    if unit == "working_days":
        return TimeLimit.working_days(int(amount))
    if unit == "calendar_days":
        return TimeLimit.calendar_days(int(amount))
    return None
