"""The figures a unit's review report is pre-filled with, each with its source (reads only): apparatus
metrics, the Decision 766 service index from the rollups, indicators and open early warnings; and their
display in Vietnamese number format (UX.md)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from twotier.apparatus.metrics import compare
from twotier.apparatus.models import Unit

LEVEL_LABELS = {
    "organisation": gettext_lazy("Số cơ quan, tổ chức trực thuộc"),
    "department": gettext_lazy("Số đơn vị cấp phòng, ban, sở"),
    "team": gettext_lazy("Số đơn vị cấp đội"),
    "commune": gettext_lazy("Số đơn vị cấp xã"),
    "division": gettext_lazy("Số phòng, ban cấp xã"),
}


def figure(
    key: str, label: str, value: float | None, source: str, *, before: float | None = None, unit: str = ""
) -> dict[str, Any]:
    """One pre-filled figure: its value, the value before the period (if compared), the change."""
    change = None if value is None or before is None else round(value - before, 1)
    pct = None if change is None or not before else round(100 * change / before, 1)
    return {
        "key": key,
        "label": label,
        "before": before,
        "value": value,
        "change": change,
        "change_pct": pct,
        "unit": unit,
        "source": source,
    }


def collect_figures(unit: Unit, start: date, end: date) -> list[dict[str, Any]]:
    """The figures of `unit` for the period start..end, each with its source (reads only).

    - apparatus metrics of the unit's subtree on the day before the period and on its last day
      (headcount, units by level, units of the commune tier below a city organisation);
    - the Decision 766 service index of the subtree over the period, from the daily rollups
      ("not computed" = None when nothing was handled, never 0);
    - indicators and open warnings of the unit, when the evaluation app holds them.
    """
    from . import reports
    from .periods import parse_period

    before_day = start - timedelta(days=1)
    metrics = compare(unit, before_day, end)
    source = _("Bộ máy tổ chức: biên chế, đơn vị ngày %(before)s và %(after)s") % {
        "before": before_day.strftime("%d/%m/%Y"),
        "after": end.strftime("%d/%m/%Y"),
    }
    first, second = metrics["before"], metrics["after"]
    # No assignment on either date means the registry holds no staff for this subtree: "not computed",
    # not a headcount of 0.
    staffed = bool(first["headcount"] or second["headcount"])
    rows = [
        figure(
            "headcount",
            _("Biên chế có mặt"),
            second["headcount"] if staffed else None,
            source,
            before=first["headcount"] if staffed else None,
            unit=_("người"),
        )
    ]
    levels = list(dict.fromkeys([*first["units_by_level"], *second["units_by_level"]]))
    for level in levels:
        rows.append(
            figure(
                f"units_{level}",
                str(LEVEL_LABELS.get(level, level)),
                second["units_by_level"].get(level, 0),
                source,
                before=first["units_by_level"].get(level, 0),
            )
        )
    if second["commune_units"] or first["commune_units"]:
        rows.append(
            figure(
                "commune_units",
                _("Đơn vị trực thuộc ở cấp xã"),
                second["commune_units"],
                source,
                before=first["commune_units"],
            )
        )

    period = parse_period(f"{start.isoformat()}..{end.isoformat()}")
    summary = reports.summarise(reports.subtree_ids(unit, period), period)
    index_source = _("Đánh giá: tổng hợp hồ sơ một cửa %(start)s–%(end)s (Quyết định 766/QĐ-TTg)") % {
        "start": start.strftime("%d/%m/%Y"),
        "end": end.strftime("%d/%m/%Y"),
    }
    percent = summary["index"]["percent"]
    on_time = summary["rates"]["on_time_rate"]
    online = summary["rates"]["online_share"]
    rows += [
        figure("received", _("Hồ sơ tiếp nhận trong kỳ"), summary["totals"]["received"], index_source),
        figure(
            "service_index",
            _("Chỉ số phục vụ (trên các nhóm tính được)"),
            None if percent is None else round(percent, 1),
            index_source,
            unit="%",
        ),
        figure(
            "on_time_rate",
            _("Tỷ lệ hồ sơ đúng hạn"),
            None if on_time is None else round(100 * on_time, 1),
            index_source,
            unit="%",
        ),
        figure(
            "online_share",
            _("Tỷ lệ hồ sơ trực tuyến"),
            None if online is None else round(100 * online, 1),
            index_source,
            unit="%",
        ),
    ]
    rows += indicator_figures(unit, start, end)
    return rows


def indicator_figures(unit: Unit, start: date, end: date) -> list[dict[str, Any]]:
    """Indicators of the unit for the review period, and its open warnings.

    - computed indicators (from the platform's rows) over the review period itself;
    - entered or imported indicators: the latest value the unit reported for a period ending inside the
      review period (reports come quarterly, 9-monthly, …, not for the review's own dates), beside the
      same period last year;
    - unresolved early warnings of the unit and its subtree: their number and kinds.
    """
    from . import indicators, reports, warnings
    from .models import Indicator, IndicatorSource, IndicatorValue
    from .periods import Period, parse_period, same_period_last_year

    rows: list[dict[str, Any]] = []
    period = parse_period(f"{start.isoformat()}..{end.isoformat()}")
    for indicator in Indicator.objects.order_by("code"):
        if indicator.source == IndicatorSource.COMPUTED:
            # the dossier counts are already shown from the rollups above
            if indicator.computed_key in {"dossiers_on_time_rate", "dossiers_received"}:
                continue
            value, source, _note = indicators.value_of(indicator, unit, period)
            label, shown = indicator.name, period
        else:
            stored = (
                IndicatorValue.objects.filter(
                    indicator=indicator, unit=unit, period_end__gte=start, period_end__lte=end
                )
                .order_by("-period_end", "period_start")
                .first()
            )
            if stored is None:
                continue
            value, source = stored.value, stored.source
            shown = Period(stored.period_kind, stored.period_start, stored.period_end, stored.period_name)
            when = f"{shown.start:%d/%m/%Y}–{shown.end:%d/%m/%Y}" if shown.kind == "custom" else shown.name
            label = f"{indicator.name} ({when})"
        before, _source, _note = indicators.value_of(indicator, unit, same_period_last_year(shown))
        if indicator.source == IndicatorSource.COMPUTED and not value and not before:
            # nothing (or 0) now and last year: the platform records nothing of this kind for the unit
            continue
        rows.append(
            figure(
                f"indicator_{indicator.code}",
                label,
                None if value is None else float(value),
                _("Chỉ tiêu “%(name)s” (%(source)s), so với cùng kỳ năm trước")
                % {"name": indicator.name, "source": IndicatorSource(source).label},
                before=None if before is None else float(before),
                unit=indicator.unit_of_measure,
            )
        )
    subtree = reports.subtree_ids(unit, period)
    open_now = list(warnings.open_warnings(Unit.objects.filter(pk__in=subtree)))
    kinds = sorted({w.get_kind_display() for w in open_now})
    rows.append(
        figure(
            "open_warnings",
            _("Cảnh báo sớm chưa xử lý xong"),
            len(open_now),
            _("Cảnh báo sớm: %(kinds)s") % {"kinds": "; ".join(kinds)} if kinds else _("Cảnh báo sớm"),
        )
    )
    return rows


def fmt_number(value: float | None) -> str:
    """Vietnamese number format (UX.md): dot thousands, comma decimals; None → "chưa tính"."""
    if value is None:
        return _("chưa tính")
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, frac = f"{value:,.1f}".split(".")
    return f"{whole.replace(',', '.')},{frac}"


def display(fig: dict[str, Any]) -> str:
    """ "891 → 457 (−434; −48,7%)" for a compared figure, else the value with its unit."""
    value = fmt_number(fig.get("value"))
    suffix = f" {fig['unit']}" if fig.get("unit") and fig.get("value") is not None else ""
    if fig.get("before") is None:
        return f"{value}{suffix}"
    text = f"{fmt_number(fig['before'])} → {value}{suffix}"
    if fig.get("change") is not None:
        sign = "+" if fig["change"] > 0 else ""
        pct = f"; {sign}{fmt_number(fig['change_pct'])}%" if fig.get("change_pct") is not None else ""
        text += f" ({sign}{fmt_number(fig['change'])}{pct})"
    return text
