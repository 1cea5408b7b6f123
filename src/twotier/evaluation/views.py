"""Evaluation pages: City and commune dashboards, the period report (HTML/XLSX/PDF), early warnings,
indicators. Every read starts from `visible_to(request.user)`; out of scope answers 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from twotier.apparatus.models import Unit
from twotier.core.errors import DomainError
from twotier.core.scoping import scope_of
from twotier.dossiers.deadlines import VN_TZ

from . import charts, exports, indicators, warnings
from .dashboard import PICKER_KINDS, period_containing, trend
from .models import (
    DailyRollup,
    EvaluationEvent,
    Indicator,
    IndicatorSource,
    Warning,
    WarningKind,
    WarningStatus,
)
from .periods import Period, PeriodError, parse_period
from .reports import commune_ranking, department_ranking, subtree_ids, summarise, unit_report

VIEW = "evaluation.view_evaluation"
KIND_LABELS = {
    "day": _l("Ngày"),
    "week": _l("Tuần"),
    "month": _l("Tháng"),
    "quarter": _l("Quý"),
    "half": _l("6 tháng"),
    "9m": _l("9 tháng"),
    "year": _l("Năm"),
}


def _today() -> date:
    return timezone.now().astimezone(VN_TZ).date()


def _picked(request: HttpRequest, default_kind: str = "quarter") -> tuple[Period, str, date]:
    """The period from ?period=NAME, or from ?kind=&on= (the picker); bad input → 404-free default."""
    name = request.GET.get("period", "").strip()
    if name:
        try:
            p = parse_period(name)
            return p, p.kind if p.kind in PICKER_KINDS else default_kind, p.start
        except PeriodError:
            messages.error(request, _("Kỳ không hợp lệ: %(p)s") % {"p": name})
    kind = request.GET.get("kind", default_kind)
    if kind not in PICKER_KINDS:
        kind = default_kind
    try:
        on = date.fromisoformat(request.GET.get("on", "")) if request.GET.get("on") else _today()
    except ValueError:
        on = _today()
    return period_containing(kind, on), kind, on


def _picker(kind: str, on: date) -> dict:
    return {"kinds": [(k, KIND_LABELS[k]) for k in PICKER_KINDS], "kind": kind, "on": on}


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _trend_charts(rows, period: Period) -> dict:
    buckets = trend(rows, period)
    labels = [b.label for b in buckets]
    return {
        "received_chart": charts.line_chart(_("Hồ sơ tiếp nhận"), labels, [b.received for b in buckets]),
        "on_time_chart": charts.line_chart(
            _("Tỷ lệ đúng hạn"), labels, [b.on_time_rate for b in buckets], percent=True, colour="#1a7f37"
        ),
        "backlog_chart": charts.line_chart(
            _("Hồ sơ đang giải quyết cuối kỳ"), labels, [b.backlog for b in buckets], colour=charts.BRAND
        ),
    }


@login_required
@permission_required(VIEW, raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The City dashboard (province scope); a commune official is sent to their commune's."""
    scope = scope_of(request.user)
    profile = getattr(request.user, "staff_profile", None)
    if not scope.everything and not scope.province_codes:
        if scope.commune_codes:
            code = sorted(scope.commune_codes)[0]
            return redirect(reverse("evaluation:commune", args=[code]) + "?" + request.GET.urlencode())
        raise Http404
    province = (profile.province_code if profile and profile.province_code else "") or "79"
    if not scope.everything and province not in scope.province_codes:
        raise Http404
    period, kind, on = _picked(request)
    rows = DailyRollup.objects.visible_to(request.user).filter(province_code=province)
    open_qs = warnings.open_warnings(user=request.user).filter(province_code=province)
    ranking = commune_ranking(province, period)
    for item in ranking:
        item["colour"] = charts.index_colour(item["index"]["percent"])
        item["on_time"] = _pct(item["rates"]["on_time_rate"])
    departments = department_ranking(province, period)
    for item in departments:
        item["on_time"] = _pct(item["rates"]["on_time_rate"])
    city = Unit.objects.visible_to(request.user).filter(
        province_code=province, tier="city", parent_links__isnull=True
    )
    root = city.filter(kind="peoples_committee").first() or city.first()
    return render(
        request,
        "evaluation/dashboard.html",
        {
            "period": period,
            "picker": _picker(kind, on),
            "ranking": ranking,
            "ranked": sum(1 for r in ranking if r["rank"] is not None),
            "departments": departments,
            "scale": charts.SCALE,
            "not_computed": charts.NOT_COMPUTED,
            "warnings": open_qs[:12],
            "warning_counts": warnings.counts_by_kind(open_qs),
            "root": root,
            **_trend_charts(rows, period),
        },
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def commune_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.visible_to(request.user), code=code, tier="commune")
    period, kind, on = _picked(request)
    rows = DailyRollup.objects.visible_to(request.user).filter(commune_code=unit.commune_code)
    summary = summarise(subtree_ids(unit, period), period)
    groups = summary["index"]["groups"]
    units = Unit.objects.visible_to(request.user).filter(commune_code=unit.commune_code)
    return render(
        request,
        "evaluation/commune.html",
        {
            "unit": unit,
            "period": period,
            "picker": _picker(kind, on),
            "summary": summary,
            "on_time": _pct(summary["rates"]["on_time_rate"]),
            "groups_chart": charts.bar_chart(
                _("Chỉ số phục vụ theo nhóm (điểm)"),
                [f"{g['number']}. {g['name']}" for g in groups],
                [g["score"] for g in groups],
                maximum=22,
            ),
            "groups": groups,
            "warnings": warnings.open_warnings(units, user=request.user),
            "readings": indicators.indicator_values(unit, period),
            **_trend_charts(rows, period),
        },
    )


# ---- period report ---------------------------------------------------------------------------------

REPORT_ROWS = [
    ("received", _l("Hồ sơ tiếp nhận")),
    ("received_online", _l("— trực tuyến")),
    ("received_digitised", _l("— được số hóa")),
    ("completed_early", _l("Hoàn thành trước hạn")),
    ("completed_on_time", _l("Hoàn thành đúng hạn")),
    ("completed_late", _l("Hoàn thành quá hạn")),
    ("open_within", _l("Đang giải quyết trong hạn (cuối kỳ)")),
    ("open_overdue", _l("Đang giải quyết quá hạn (cuối kỳ)")),
    ("open_paused", _l("Đang chờ bổ sung (cuối kỳ)")),
    ("supplement_requests", _l("Yêu cầu bổ sung")),
    ("apology_letters", _l("Phiếu xin lỗi, hẹn lại")),
    ("payments_online", _l("Thanh toán trực tuyến")),
    ("complaints", _l("Phản ánh, kiến nghị")),
]
RATE_ROWS = [
    ("on_time_rate", _l("Tỷ lệ đúng hạn")),
    ("online_share", _l("Tỷ lệ trực tuyến")),
    ("digitised_share", _l("Tỷ lệ số hóa")),
    ("reuse_share", _l("Tỷ lệ khai thác dữ liệu")),
    ("online_payment_share", _l("Tỷ lệ thanh toán trực tuyến")),
    ("satisfaction", _l("Mức độ hài lòng")),
]


def report_table(data: dict) -> dict:
    """Rows for the HTML page and the exports: label, current, previous, last year, change on last year."""
    cur, prev, ly = data["current"], data["previous"], data["last_year"]
    totals = [
        (label, cur["totals"][k], prev["totals"][k], ly["totals"][k], _change(data["change_on_last_year"][k]))
        for k, label in REPORT_ROWS
    ]
    rates = [
        (label, _pct(cur["rates"][k]), _pct(prev["rates"][k]), _pct(ly["rates"][k]), "")
        for k, label in RATE_ROWS
    ]
    groups = [
        (
            f"{g['number']}. {g['name']} ({g['points']:g})",
            _score(g["score"]),
            _score(p["score"]),
            _score(y["score"]),
            "",
        )
        for g, p, y in zip(
            cur["index"]["groups"], prev["index"]["groups"], ly["index"]["groups"], strict=True
        )
    ]
    index_row = (
        _("Chỉ số (thang 100, trên các nhóm tính được)"),
        _score(cur["index"]["percent"]),
        _score(prev["index"]["percent"]),
        _score(ly["index"]["percent"]),
        "",
    )
    return {"totals": totals, "rates": rates, "groups": [*groups, index_row]}


def _change(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:+.1f}%"


def _score(x: float | None) -> str:
    return _("chưa tính") if x is None else f"{x:.1f}"


def _report_data(request: HttpRequest) -> tuple[Unit, Period, dict, list]:
    code = request.GET.get("unit", "").strip()
    unit = get_object_or_404(Unit.objects.visible_to(request.user), code=code)
    try:
        period = parse_period(
            request.GET.get("period", "").strip() or period_containing("quarter", _today()).name
        )
    except PeriodError as exc:
        raise Http404(str(exc)) from exc
    data = unit_report(unit, period)
    readings = indicators.indicator_values(unit, period)
    return unit, period, data, readings


@login_required
@permission_required(VIEW, raise_exception=True)
def report(request: HttpRequest) -> HttpResponse:
    if not request.GET.get("unit"):
        units = Unit.objects.visible_to(request.user).filter(parent_links__isnull=True).order_by("code")[:50]
        return render(request, "evaluation/report_pick.html", {"units": units})
    unit, period, data, readings = _report_data(request)
    return render(
        request,
        "evaluation/report.html",
        {
            "unit": unit,
            "period": period,
            "data": data,
            "table": report_table(data),
            "readings": readings,
            "query": request.GET.urlencode(),
        },
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def report_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    unit, period, data, readings = _report_data(request)
    table = report_table(data)
    filename = f"bao-cao-{unit.code}-{period.name.replace('..', '_')}.{fmt}"
    if fmt == "xlsx":
        body = exports.report_xlsx(unit, data, table, readings)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exports.report_pdf(unit, data, table, readings)
        content_type = "application/pdf"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---- warnings --------------------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
def warning_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "unresolved")
    qs = Warning.objects.visible_to(request.user).select_related("unit")
    if status == "unresolved":
        qs = qs.unresolved()
    elif status in WarningStatus.values:
        qs = qs.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in WarningKind.values:
        qs = qs.filter(kind=kind)
    return render(
        request,
        "evaluation/warnings.html",
        {
            "warnings": qs[:200],
            "status": status,
            "kind": kind,
            "kinds": WarningKind.choices,
            "statuses": WarningStatus.choices,
        },
    )


EVIDENCE_LABELS = {
    "count": _l("Số lượng"),
    "received": _l("Hồ sơ tiếp nhận"),
    "share": _l("Tỷ lệ"),
    "from": _l("Từ ngày"),
    "to": _l("Đến ngày"),
    "on": _l("Tại ngày"),
    "headcount": _l("Số người làm việc"),
    "quota": _l("Biên chế"),
    "officials": _l("Số cán bộ"),
    "per_official": _l("Hồ sơ mỗi cán bộ"),
    "peer_median": _l("Trung vị các đơn vị tương đương"),
    "ratio_to_median": _l("Gấp trung vị"),
    "peers": _l("Số đơn vị tương đương"),
    "ewma": _l("Giá trị EWMA"),
    "lower_limit": _l("Giới hạn kiểm soát dưới"),
    "thresholds": _l("Ngưỡng"),
}


EVENT_LABELS = {
    "opened": _l("Phát hiện"),
    "acknowledged": _l("Tiếp nhận"),
    "resolved": _l("Đã xử lý"),
    "condition_gone": _l("Điều kiện cảnh báo không còn"),
    "condition_returned": _l("Điều kiện cảnh báo xuất hiện lại"),
}


def _evidence_rows(w: Warning) -> list[tuple[str, Any]]:
    rows = []
    for key, value in w.evidence.items():
        if isinstance(value, list):
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k} = {v}" for k, v in value.items())
        rows.append((str(EVIDENCE_LABELS.get(key, key)), value))
    return rows


def _evidence_chart(w: Warning):
    ev = w.evidence
    if w.kind == WarningKind.BACKLOG_RISING:
        return charts.line_chart(
            _("Hồ sơ tồn cuối ngày"),
            [p["day"][5:] for p in ev["series"]],
            [p["backlog"] for p in ev["series"]],
            colour=charts.BRAND,
        )
    if w.kind == WarningKind.ON_TIME_LOW:
        labels = [f"-{len(ev['history']) - i}" for i in range(len(ev["history"]))] + [
            r["day"][5:] for r in ev["recent"]
        ]
        return charts.line_chart(
            _("Tỷ lệ đúng hạn theo ngày (lịch sử và gần đây)"),
            labels,
            ev["history"] + [r["rate"] for r in ev["recent"]],
            percent=True,
        )
    return None


@login_required
@permission_required(VIEW, raise_exception=True)
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    w = get_object_or_404(Warning.objects.visible_to(request.user).select_related("unit"), pk=pk)
    return render(
        request,
        "evaluation/warning.html",
        {
            "w": w,
            "chart": _evidence_chart(w),
            "evidence": _evidence_rows(w),
            "events": [
                (e, EVENT_LABELS.get(e.kind, e.kind))
                for e in EvaluationEvent.objects.filter(warning=w)
                .select_related("actor")
                .order_by("at", "pk")
            ],
            "can_handle": request.user.has_perm(warnings.HANDLE_PERMISSION)
            and w.status != WarningStatus.RESOLVED,
        },
    )


@login_required
@require_POST
def warning_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    get_object_or_404(Warning.objects.visible_to(request.user), pk=pk)  # outside scope: 404 before 403
    if action not in ("acknowledge", "resolve"):
        raise Http404
    if not request.user.has_perm(warnings.HANDLE_PERMISSION):
        raise PermissionDenied
    step = warnings.acknowledge if action == "acknowledge" else warnings.resolve
    try:
        step(request.user, pk, request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã ghi nhận."))
    return redirect("evaluation:warning", pk=pk)


# ---- indicators ------------------------------------------------------------------------------------


@login_required
@permission_required(VIEW, raise_exception=True)
def indicators_view(request: HttpRequest) -> HttpResponse:
    visible = Unit.objects.visible_to(request.user)
    code = request.GET.get("unit") or request.POST.get("unit") or ""
    unit = (
        get_object_or_404(visible, code=code)
        if code
        else visible.filter(parent_links__isnull=True).order_by("code").first()
    )
    period_name = (
        request.GET.get("period") or request.POST.get("period") or period_containing("quarter", _today()).name
    )
    try:
        period = parse_period(period_name)
    except PeriodError:
        messages.error(request, _("Kỳ không hợp lệ: %(p)s") % {"p": period_name})
        period = period_containing("quarter", _today())
    if request.method == "POST":
        try:
            indicators.enter_value(
                request.user,
                request.POST.get("indicator", ""),
                code,
                period.name,
                request.POST.get("value", ""),
                request.POST.get("note", ""),
            )
        except Unit.DoesNotExist as exc:
            raise Http404 from exc
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Đã lưu giá trị chỉ tiêu."))
            return redirect(f"{reverse('evaluation:indicators')}?unit={code}&period={period.name}")
    readings = indicators.indicator_values(unit, period, include_empty=True) if unit else []
    return render(
        request,
        "evaluation/indicators.html",
        {
            "unit": unit,
            "period": period,
            "readings": readings,
            "enterable": Indicator.objects.exclude(source=IndicatorSource.COMPUTED).order_by("code"),
            "can_enter": request.user.has_perm(indicators.ENTER_PERMISSION),
            "can_import": request.user.has_perm(indicators.IMPORT_PERMISSION),
        },
    )


@login_required
@permission_required(indicators.IMPORT_PERMISSION, raise_exception=True)
def indicator_import(request: HttpRequest) -> HttpResponse:
    report_ = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Chọn tệp CSV hoặc XLSX."))
        else:
            report_ = indicators.import_values(request.user, upload.name, upload.read())
            if report_.ok:
                messages.success(request, _("Đã nhập %(n)d giá trị.") % {"n": report_.written})
    return render(
        request, "evaluation/indicator_import.html", {"report": report_, "columns": indicators.COLUMNS}
    )
