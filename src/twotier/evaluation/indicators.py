"""Indicators (issue 7 item 4): values per unit and period — entered, imported from CSV, or computed —
with the change against the same period last year (the police's "crimes down 36% on the same period").

- Entered and imported values are stored in `IndicatorValue`, one per (indicator, unit, period); a
  correction replaces the value and writes an `EvaluationEvent` with the old and new values.
- Computed indicators are never stored: `COMPUTED[key](unit, period)` derives them from the platform's own
  rows each time (rollups, apparatus assignments). There is no petitions app yet, so "petitions answered
  on time" is not offered; the apparatus records no trainings, so the trained-officials indicator counts
  officials with at least an intermediate digital-skill level (the skill training is meant to raise).
- Import: CSV (or XLSX) with columns `indicator, unit, period, value[, note]`; `period` in any form
  `periods.parse_period` accepts (2025-9M, 2026-Q1, 2026-01, …). All-or-nothing: every bad row is
  reported with its line number and nothing is written unless every row is good.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from twotier.apparatus.models import Assignment, DigitalSkill, Official, Unit
from twotier.core.errors import DomainError

from .models import EvaluationEvent, Indicator, IndicatorSource, IndicatorValue
from .periods import Period, PeriodError, parse_period, same_period_last_year

ENTER_PERMISSION = "evaluation.enter_indicator"
IMPORT_PERMISSION = "evaluation.import_indicators"
COLUMNS = ["indicator", "unit", "period", "value"]


# ---- computed indicators (functions of the platform's own rows) ----------------------------------


def _on_time_rate(unit: Unit, period: Period) -> Decimal | None:
    from .reports import subtree_ids, summarise

    rate = summarise(subtree_ids(unit, period), period)["rates"]["on_time_rate"]
    return None if rate is None else Decimal(str(round(100 * rate, 2)))


def _received(unit: Unit, period: Period) -> Decimal | None:
    from .reports import subtree_ids, summarise

    return Decimal(summarise(subtree_ids(unit, period), period)["totals"]["received"])


def _digital_skilled(unit: Unit, period: Period) -> Decimal | None:
    """Officials of the unit's subtree holding a post on the period's last day with an intermediate or
    better digital skill."""
    from .reports import subtree_ids

    ids = subtree_ids(unit, period)
    active = Assignment.objects.filter(unit_id__in=ids).valid_on(period.end).values("official_id")
    n = Official.objects.filter(pk__in=active, digital_skill__gte=DigitalSkill.INTERMEDIATE).count()
    return Decimal(n)


COMPUTED: dict[str, Callable[[Unit, Period], Decimal | None]] = {
    "dossiers_on_time_rate": _on_time_rate,
    "dossiers_received": _received,
    "digital_skilled_officials": _digital_skilled,
}


# ---- reads ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    indicator: Indicator
    value: Decimal | None
    last_year: Decimal | None
    change: float | None  # relative change on the same period last year (-0.36 = down 36%)
    source: str
    note: str = ""

    @property
    def source_label(self) -> str:
        return str(IndicatorSource(self.source).label)

    @property
    def change_pct(self) -> str:
        return "—" if self.change is None else f"{100 * self.change:+.1f}%"

    @property
    def improved(self) -> bool | None:
        """Whether the change goes the indicator's good way (None when there is no change)."""
        if self.change is None or self.change == 0:
            return None
        return (self.change < 0) == (self.indicator.direction == "lower")


def _stored(indicator: Indicator, unit: Unit, period: Period) -> IndicatorValue | None:
    return IndicatorValue.objects.filter(
        indicator=indicator,
        unit=unit,
        period_kind=period.kind,
        period_start=period.start,
        period_end=period.end,
    ).first()


def value_of(indicator: Indicator, unit: Unit, period: Period) -> tuple[Decimal | None, str, str]:
    """(value, source, note) of one indicator for a unit and period; (None, …) when not recorded."""
    if indicator.source == IndicatorSource.COMPUTED:
        func = COMPUTED.get(indicator.computed_key)
        return (func(unit, period) if func else None), IndicatorSource.COMPUTED, ""
    row = _stored(indicator, unit, period)
    if row is None:
        return None, indicator.source, ""
    return row.value, row.source, row.note


def change(current: Decimal | None, before: Decimal | None) -> float | None:
    if current is None or before is None or before == 0:
        return None
    return float((current - before) / before)


def indicator_values(unit: Unit, period: Period, *, include_empty: bool = False) -> list[Reading]:
    """Every indicator's value for `unit` and `period`, with the same period last year and the change.

    Entered/imported indicators with no value in either period are left out unless `include_empty`.
    The caller has already checked that the unit is visible to the user.
    """
    last = same_period_last_year(period)
    readings = []
    for indicator in Indicator.objects.order_by("code"):
        value, source, note = value_of(indicator, unit, period)
        before = value_of(indicator, unit, last)[0]
        if value is None and before is None and not include_empty:
            continue
        readings.append(Reading(indicator, value, before, change(value, before), source, note))
    return readings


# ---- writes --------------------------------------------------------------------------------------


def _parse_value(text: str) -> Decimal:
    cleaned = text.strip().replace(" ", "")
    # Vietnamese writes 1.234,5; accept "1234.5", "1234,5" and "1.234" (thousands) as people type them
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(_("giá trị không phải số: %(v)r") % {"v": text}) from exc
    if not value.is_finite():
        raise ValueError(_("giá trị không phải số: %(v)r") % {"v": text})
    return value


def _write(
    indicator: Indicator, unit: Unit, period: Period, value: Decimal, *, source: str, actor, note: str
) -> IndicatorValue:
    row = _stored(indicator, unit, period)
    old = None if row is None else str(row.value)
    if row is None:
        row = IndicatorValue(
            indicator=indicator,
            unit=unit,
            province_code=unit.province_code,
            commune_code=unit.commune_code,
            period_kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            period_name=period.name,
        )
    row.value, row.source, row.note, row.entered_by = value, source, note, actor
    row.save()
    EvaluationEvent.objects.create(
        kind=f"indicator_{source}",
        actor=actor,
        subject=f"indicatorvalue:{row.pk}",
        note=note,
        data={
            "indicator": indicator.code,
            "unit": unit.code,
            "period": period.name,
            "old": old,
            "new": str(value),
        },
    )
    return row


@transaction.atomic
def enter_value(
    actor, indicator_code: str, unit_code: str, period_name: str, value: str, note: str = ""
) -> IndicatorValue:
    """Enter (or correct) one value on the form. Raises PermissionDenied, Unit.DoesNotExist when the unit
    is outside the actor's scope (404), DomainError for bad input."""
    if not actor.has_perm(ENTER_PERMISSION):
        raise PermissionDenied(ENTER_PERMISSION)
    unit = Unit.objects.visible_to(actor).get(code=unit_code)
    indicator = Indicator.objects.filter(code=indicator_code).first()
    if indicator is None:
        raise DomainError(_("Không có chỉ tiêu %(code)s.") % {"code": indicator_code})
    if indicator.source == IndicatorSource.COMPUTED:
        raise DomainError(_("Chỉ tiêu này được tính tự động từ dữ liệu, không nhập tay."))
    try:
        period = parse_period(period_name)
        parsed = _parse_value(value)
    except (PeriodError, ValueError) as exc:
        raise DomainError(str(exc)) from exc
    return _write(
        indicator, unit, period, parsed, source=IndicatorSource.ENTERED, actor=actor, note=note.strip()
    )


@dataclass
class ImportReport:
    rows: int = 0
    written: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs keyed by lower-case header. Raises ValueError for an unreadable file."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        values = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError(_("tệp không phải UTF-8")) from exc
        values = list(csv.reader(io.StringIO(text)))
    if not values:
        raise ValueError(_("tệp rỗng"))
    header = [h.strip().lower() for h in values[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ValueError(_("thiếu cột: %(cols)s") % {"cols": ", ".join(missing)})
    rows = []
    for number, raw in enumerate(values[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue
        rows.append((number, {h: (raw[i].strip() if i < len(raw) else "") for i, h in enumerate(header)}))
    return rows


@transaction.atomic
def import_values(actor, name: str, content: bytes) -> ImportReport:
    """Import indicator values (all-or-nothing; every bad row reported). `actor` None = the CLI (system).

    A row is bad when: the indicator is unknown or computed, the unit is unknown or outside the actor's
    scope, the period or value does not parse, or the same (indicator, unit, period) appears twice.
    """
    if actor is not None and not actor.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied(IMPORT_PERMISSION)
    report = ImportReport()
    try:
        rows = read_rows(name, content)
    except ValueError as exc:
        report.errors.append((1, str(exc)))
        return report
    report.rows = len(rows)
    indicators = {i.code: i for i in Indicator.objects.all()}
    unit_qs = Unit.objects.all() if actor is None else Unit.objects.visible_to(actor)
    units = {u.code: u for u in unit_qs.filter(code__in={r["unit"] for _line, r in rows})}
    seen: dict[tuple, int] = {}
    good: list[tuple[Indicator, Unit, Period, Decimal, str]] = []
    for line, row in rows:
        problems = []
        indicator = indicators.get(row["indicator"])
        if indicator is None:
            problems.append(_("không có chỉ tiêu %(v)r") % {"v": row["indicator"]})
        elif indicator.source == IndicatorSource.COMPUTED:
            problems.append(_("chỉ tiêu %(v)s được tính tự động, không nhập") % {"v": indicator.code})
        unit = units.get(row["unit"])
        if unit is None:
            problems.append(_("không có đơn vị %(v)r (hoặc ngoài phạm vi)") % {"v": row["unit"]})
        period = value = None
        try:
            period = parse_period(row["period"])
        except PeriodError as exc:
            problems.append(_("kỳ không hợp lệ: %(v)s") % {"v": exc})
        try:
            value = _parse_value(row["value"])
        except ValueError as exc:
            problems.append(str(exc))
        if not problems:
            key = (row["indicator"], row["unit"], period.kind, period.start, period.end)
            if key in seen:
                problems.append(_("trùng với dòng %(n)d") % {"n": seen[key]})
            seen.setdefault(key, line)
        if problems:
            report.errors.append((line, "; ".join(problems)))
        else:
            good.append((indicator, unit, period, value, row.get("note", "")))
    if report.errors:
        return report
    for indicator, unit, period, value, note in good:
        _write(indicator, unit, period, value, source=IndicatorSource.IMPORTED, actor=actor, note=note)
    report.written = len(good)
    return report


def series(indicator: Indicator, unit: Unit, periods: list[Period]) -> list[tuple[Period, Decimal | None]]:
    return [(p, value_of(indicator, unit, p)[0]) for p in periods]
