"""Early warnings (issue 7 item 5): evaluated after each rollup, acknowledged and resolved by leaders.

`evaluate_warnings(day)` reads the rollups of the days before `day` (and the apparatus headcount and
quotas on `day`), applies the pure rules of `alerts.py` and opens or updates one `Warning` per
(kind, unit) with its evidence (the series, the thresholds) and a link to the unit's report over the
evidence's days. Conditions that no longer hold are marked (`condition_holds = False`), never closed
automatically: a leader resolves a warning with a note (Dat Do commune "evaluates every day, week, month
and quarter to detect difficulties early" — the point is that someone answers for it).

Kinds and rules (thresholds: `THRESHOLDS`, overridden by the setting `TWOTIER_EVALUATION_WARNINGS`):

- `backlog_rising`: the backlog (open within + open overdue at the end of each day) rose strictly on
  each of the last `backlog_days` days, ending at ≥ `backlog_min`.
- `on_time_low`: the EWMA of the daily on-time rate over the last `ewma_recent_days` is below its lower
  control limit; centre and σ from the `ewma_history_days` before (≥ `ewma_min_history` days; a day
  counts only with ≥ `ewma_min_handled` dossiers handled, so that 1-dossier days do not swing the chart;
  σ at least `ewma_min_sigma`).
- `workload_high`: dossiers received in the last `workload_days` per official (assignments on `day`)
  above `workload_factor` × the median of peer units (same province, tier, kind and function;
  ≥ `workload_min_peers` peers with officials).
- `staff_below_quota` / `staff_above_quota`: headcount off the sum of the unit's post quotas by more
  than `staff_tolerance` (units with no assignment ever recorded are skipped: not recorded ≠ 0 people).
- `supplements_high` / `apologies_high`: supplement requests (apology letters) ÷ dossiers received over
  the last `share_days` above `supplement_share` (`apology_share`), on ≥ `share_min_received` received.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Count, IntegerField, QuerySet, Sum, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from twotier.apparatus.models import Assignment, Post, Unit
from twotier.apparatus.querysets import valid_on_q
from twotier.core.errors import Conflict, DomainError

from . import alerts, index
from .models import DailyRollup, EvaluationEvent, Warning, WarningKind, WarningStatus

HANDLE_PERMISSION = "evaluation.handle_warning"

THRESHOLDS: dict[str, float] = {
    "backlog_days": 3,
    "backlog_min": 3,
    "ewma_history_days": 28,
    "ewma_recent_days": 7,
    "ewma_min_history": 10,
    "ewma_lambda": 0.2,
    "ewma_width": 3.0,
    "ewma_min_sigma": 0.02,
    "ewma_min_handled": 5,
    "workload_days": 30,
    "workload_factor": 2.0,
    "workload_min_peers": 3,
    "staff_tolerance": 0.1,
    "share_days": 30,
    "share_min_received": 20,
    "supplement_share": 0.2,
    "apology_share": 0.05,
}

ROLLUP_FIELDS = (
    "received",
    "completed_early",
    "completed_on_time",
    "completed_late",
    "open_within",
    "open_overdue",
    "supplement_requests",
    "apology_letters",
)


def thresholds() -> dict[str, float]:
    """The defaults above with the setting's overrides; an unknown key is a configuration error."""
    overrides = dict(getattr(settings, "TWOTIER_EVALUATION_WARNINGS", None) or {})
    unknown = set(overrides) - set(THRESHOLDS)
    if unknown:
        raise ValueError(f"TWOTIER_EVALUATION_WARNINGS: unknown keys {sorted(unknown)}")
    return {**THRESHOLDS, **{k: float(v) for k, v in overrides.items()}}


@dataclass(frozen=True)
class Finding:
    kind: str
    unit_id: int
    evidence: dict[str, Any]
    start: date  # the evidence's first day (for the report link)


def _days(end: date, n: int) -> list[date]:
    """The n days ending on `end`, oldest first."""
    return [end - timedelta(days=n - 1 - i) for i in range(n)]


def _daily(day: date, span: int, province_code: str | None) -> dict[int, dict[date, dict[str, int]]]:
    """unit id → day → the rollup fields summed over procedures, for the `span` days ending on `day`."""
    rows = DailyRollup.objects.between(day - timedelta(days=span - 1), day)
    if province_code:
        rows = rows.filter(province_code=province_code)
    result: dict[int, dict[date, dict[str, int]]] = defaultdict(dict)
    grouped = rows.values("unit_id", "day").order_by().annotate(**{f"s_{f}": Sum(f) for f in ROLLUP_FIELDS})
    for row in grouped:
        result[row["unit_id"]][row["day"]] = {f: int(row[f"s_{f}"] or 0) for f in ROLLUP_FIELDS}
    return result


def _zero() -> dict[str, int]:
    return dict.fromkeys(ROLLUP_FIELDS, 0)


def _on_time_rate(v: dict[str, int], minimum: float = 1) -> float | None:
    handled = v["completed_early"] + v["completed_on_time"] + v["completed_late"] + v["open_within"]
    if handled + v["open_overdue"] < minimum:
        return None
    inputs = index.Inputs(
        completed_early=v["completed_early"],
        completed_on_time=v["completed_on_time"],
        completed_late=v["completed_late"],
        open_within=v["open_within"],
        open_overdue=v["open_overdue"],
    )
    return index.measures(inputs)["on_time_rate"]


def rollup_findings(day: date, t: dict[str, float], province_code: str | None = None) -> list[Finding]:
    """Backlog, on-time EWMA, supplement and apology findings from the rollups (one grouped read)."""
    backlog_days = int(t["backlog_days"])
    hist_n, recent_n = int(t["ewma_history_days"]), int(t["ewma_recent_days"])
    share_n = int(t["share_days"])
    span = max(backlog_days + 1, hist_n + recent_n, share_n)
    daily = _daily(day, span, province_code)
    findings: list[Finding] = []
    for unit_id, by_day in daily.items():
        # backlog rising N days in a row (needs N + 1 end-of-day snapshots)
        days = _days(day, backlog_days + 1)
        series = [
            by_day.get(d, _zero())["open_within"] + by_day.get(d, _zero())["open_overdue"] for d in days
        ]
        if alerts.backlog_rising(series, backlog_days) and series[-1] >= t["backlog_min"]:
            findings.append(
                Finding(
                    WarningKind.BACKLOG_RISING,
                    unit_id,
                    {
                        "series": [
                            {"day": d.isoformat(), "backlog": n} for d, n in zip(days, series, strict=True)
                        ],
                        "thresholds": {"days": backlog_days, "min": t["backlog_min"]},
                    },
                    days[0],
                )
            )
        # on-time rate below the EWMA lower control limit
        hist_days = _days(day - timedelta(days=recent_n), hist_n)
        recent_days = _days(day, recent_n)
        least = t["ewma_min_handled"]
        history = [r for d in hist_days if (r := _on_time_rate(by_day.get(d, _zero()), least)) is not None]
        recent = [
            (d, r) for d in recent_days if (r := _on_time_rate(by_day.get(d, _zero()), least)) is not None
        ]
        if len(history) >= t["ewma_min_history"] and recent:
            chart = alerts.ewma_lower_alarm(
                history,
                [rate for _day, rate in recent],
                lam=t["ewma_lambda"],
                width=t["ewma_width"],
                min_sigma=t["ewma_min_sigma"],
            )
            if chart is not None and chart.alarm:
                findings.append(
                    Finding(
                        WarningKind.ON_TIME_LOW,
                        unit_id,
                        {
                            "history": [round(x, 4) for x in history],
                            "recent": [{"day": d.isoformat(), "rate": round(r, 4)} for d, r in recent],
                            "ewma": round(chart.value, 4),
                            "lower_limit": round(chart.lower_limit, 4),
                            "thresholds": {
                                "lambda": t["ewma_lambda"],
                                "width": t["ewma_width"],
                                "min_sigma": t["ewma_min_sigma"],
                                "min_handled": least,
                            },
                        },
                        hist_days[0],
                    )
                )
        # many supplement requests or apology letters
        window = _days(day, share_n)
        received = sum(by_day.get(d, _zero())["received"] for d in window)
        for kind, field, key in (
            (WarningKind.SUPPLEMENTS_HIGH, "supplement_requests", "supplement_share"),
            (WarningKind.APOLOGIES_HIGH, "apology_letters", "apology_share"),
        ):
            count = sum(by_day.get(d, _zero())[field] for d in window)
            if alerts.share_above(count, received, t[key], int(t["share_min_received"])):
                findings.append(
                    Finding(
                        kind,
                        unit_id,
                        {
                            "count": count,
                            "received": received,
                            "share": round(count / received, 4),
                            "from": window[0].isoformat(),
                            "to": day.isoformat(),
                            "thresholds": {"share": t[key], "min_received": t["share_min_received"]},
                        },
                        window[0],
                    )
                )
    return findings


def _quota_and_headcount(day: date, province_code: str | None) -> tuple[dict[int, int], dict[int, int]]:
    posts = Post.objects.filter(valid_on_q(day)).filter(valid_on_q(day, "unit__"))
    assignments = Assignment.objects.all()
    if province_code:
        posts = posts.filter(unit__province_code=province_code)
        assignments = assignments.filter(unit__province_code=province_code)
    quota = {
        u: int(q or 0)
        for u, q in posts.values("unit_id").order_by().annotate(q=Sum("quota")).values_list("unit_id", "q")
    }
    return quota, assignments.headcount_by_unit(day)


def apparatus_findings(day: date, t: dict[str, float], province_code: str | None = None) -> list[Finding]:
    """Staffing against quota, and workload per official against peer units."""
    quota, headcount = _quota_and_headcount(day, province_code)
    # A unit that never had an assignment recorded has its staffing "not recorded", not 0 people
    # (the registry of commune officials is filled unit by unit): no staffing warning for it.
    recorded = set(
        Assignment.objects.filter(unit_id__in=list(quota)).values_list("unit_id", flat=True).distinct()
    )
    findings: list[Finding] = []
    for unit_id, q in quota.items():
        if unit_id not in recorded:
            continue
        n = headcount.get(unit_id, 0)
        gap = alerts.staffing_gap(n, q, t["staff_tolerance"])
        if gap:
            kind = WarningKind.STAFF_BELOW_QUOTA if gap == "below" else WarningKind.STAFF_ABOVE_QUOTA
            findings.append(
                Finding(
                    kind,
                    unit_id,
                    {
                        "headcount": n,
                        "quota": q,
                        "on": day.isoformat(),
                        "thresholds": {"tolerance": t["staff_tolerance"]},
                    },
                    day,
                )
            )
    # workload: dossiers received over the window per official, against peers of the same kind
    n_days = int(t["workload_days"])
    start = day - timedelta(days=n_days - 1)
    rows = DailyRollup.objects.between(start, day)
    if province_code:
        rows = rows.filter(province_code=province_code)
    received = dict(rows.values("unit_id").order_by().annotate(n=Sum("received")).values_list("unit_id", "n"))
    units = Unit.objects.filter(pk__in=set(received) | set(headcount)).values(
        "pk", "province_code", "tier", "kind", "function"
    )
    peers: dict[tuple, dict[int, tuple[int, int]]] = defaultdict(dict)
    for u in units:
        key = (u["province_code"], u["tier"], u["kind"], u["function"])
        peers[key][u["pk"]] = (int(received.get(u["pk"]) or 0), headcount.get(u["pk"], 0))
    for group in peers.values():
        staffed = {u: w for u, w in group.items() if w[1] > 0}
        if len(staffed) < t["workload_min_peers"]:
            continue
        per_official = [n / s for n, s in staffed.values()]
        for unit_id, ratio in alerts.workload_outliers(staffed, t["workload_factor"]).items():
            n, s = staffed[unit_id]
            findings.append(
                Finding(
                    WarningKind.WORKLOAD_HIGH,
                    unit_id,
                    {
                        "received": n,
                        "officials": s,
                        "per_official": round(n / s, 2),
                        "peer_median": round(statistics.median(per_official), 2),
                        "ratio_to_median": round(ratio, 2),
                        "peers": len(staffed),
                        "from": start.isoformat(),
                        "to": day.isoformat(),
                        "thresholds": {"factor": t["workload_factor"], "min_peers": t["workload_min_peers"]},
                    },
                    start,
                )
            )
    return findings


def report_link(unit: Unit, start: date, end: date) -> str:
    return f"{reverse('evaluation:report')}?unit={unit.code}&period={start.isoformat()}..{end.isoformat()}"


def _event(kind: str, warning: Warning, *, actor=None, note: str = "", data: dict | None = None) -> None:
    EvaluationEvent.objects.create(
        kind=kind, actor=actor, subject=f"warning:{warning.pk}", warning=warning, note=note, data=data or {}
    )


@transaction.atomic
def evaluate_warnings(day: date, province_code: str | None = None) -> dict[str, int]:
    """Open or update one warning per (kind, unit) found on `day`; mark the others' condition as gone.

    System work (no actor). Idempotent for a day; evaluating an older day than a warning's
    `last_seen_on` leaves that warning alone (a range rebuild does not rewind newer evidence).
    Returns counts {"opened", "updated", "cleared"}.
    """
    t = thresholds()
    findings = rollup_findings(day, t, province_code) + apparatus_findings(day, t, province_code)
    units = Unit.objects.in_bulk({f.unit_id for f in findings})
    existing_qs = Warning.objects.unresolved().select_for_update()
    if province_code:
        existing_qs = existing_qs.filter(province_code=province_code)
    existing = {(w.kind, w.unit_id): w for w in existing_qs}
    counts = {"opened": 0, "updated": 0, "cleared": 0}
    found: set[tuple[str, int]] = set()
    for f in findings:
        key = (str(f.kind), f.unit_id)
        found.add(key)
        unit = units[f.unit_id]
        link = report_link(unit, f.start, day)
        warning = existing.get(key)
        if warning is None:
            warning = Warning.objects.create(
                kind=f.kind,
                unit=unit,
                province_code=unit.province_code,
                commune_code=unit.commune_code,
                opened_on=day,
                last_seen_on=day,
                evidence=f.evidence,
                link=link,
            )
            _event("opened", warning, data=f.evidence)
            counts["opened"] += 1
            continue
        if day < warning.last_seen_on:
            continue
        if not warning.condition_holds:
            _event("condition_returned", warning, data=f.evidence)
        warning.evidence, warning.link, warning.last_seen_on, warning.condition_holds = (
            f.evidence,
            link,
            day,
            True,
        )
        warning.save(update_fields=["evidence", "link", "last_seen_on", "condition_holds"])
        counts["updated"] += 1
    for key, warning in existing.items():
        if key in found or day < warning.last_seen_on:
            continue
        if warning.condition_holds:
            _event("condition_gone", warning, data={"day": day.isoformat()})
            counts["cleared"] += 1
        warning.condition_holds, warning.last_seen_on = False, day
        warning.save(update_fields=["condition_holds", "last_seen_on"])
    return counts


def evaluate_range(start: date, end: date, province_code: str | None = None) -> None:
    d = start
    while d <= end:
        evaluate_warnings(d, province_code)
        d += timedelta(days=1)


# ---- reads ----------------------------------------------------------------------------------------


def open_warnings(unit_qs: QuerySet[Unit] | Iterable[Unit] | None = None, user=None) -> QuerySet[Warning]:
    """Unresolved warnings (open or acknowledged) of the given units (all units when None), newest first,
    restricted to what `user` may see when a user is given."""
    qs = Warning.objects.unresolved().select_related("unit")
    if user is not None:
        qs = qs.filter(pk__in=Warning.objects.visible_to(user).values("pk"))
    if unit_qs is not None:
        ids = unit_qs.values("pk") if isinstance(unit_qs, QuerySet) else [u.pk for u in unit_qs]
        qs = qs.filter(unit__in=ids)
    return qs.annotate(priority=_PRIORITY).order_by("-condition_holds", "priority", "-opened_on", "-pk")


# Work-flow warnings first (they move day to day), staffing last (they change with the apparatus).
_PRIORITY = Case(
    *[When(kind=kind, then=Value(i)) for i, kind in enumerate(WarningKind.values)],
    default=Value(99),
    output_field=IntegerField(),
)


def counts_by_kind(qs: QuerySet[Warning]) -> list[tuple[str, str, int]]:
    """(kind, label, number) of the warnings in `qs`, in the kinds' order, kinds with none left out."""
    numbers = dict(qs.values("kind").order_by().annotate(n=Count("pk")).values_list("kind", "n"))
    return [(k, label, numbers[k]) for k, label in WarningKind.choices if numbers.get(k)]


# ---- acknowledge and resolve (the responsible leader) ---------------------------------------------


class WarningStateError(Conflict):
    """The warning is not in a state that allows this step."""


def _for_leader(actor, warning_id: int) -> Warning:
    """The warning, locked, if the actor may handle it: permission, then scope (outside → DoesNotExist,
    which views answer with 404)."""
    if not actor.has_perm(HANDLE_PERMISSION):
        raise PermissionDenied(HANDLE_PERMISSION)
    return Warning.objects.visible_to(actor).select_for_update().get(pk=warning_id)


@transaction.atomic
def acknowledge(actor, warning_id: int, note: str) -> Warning:
    """The leader takes the warning on (tiếp nhận), with a note of what they will do."""
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Cần ghi chú khi tiếp nhận cảnh báo."))
    warning = _for_leader(actor, warning_id)
    if warning.status != WarningStatus.OPEN:
        raise WarningStateError(_("Cảnh báo đã được tiếp nhận hoặc đã xử lý."))
    warning.status = WarningStatus.ACKNOWLEDGED
    warning.acknowledged_by, warning.acknowledged_at = actor, timezone.now()
    warning.notes = _append_note(warning.notes, "Tiếp nhận", actor, note)
    warning.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "notes"])
    _event("acknowledged", warning, actor=actor, note=note)
    return warning


@transaction.atomic
def resolve(actor, warning_id: int, note: str) -> Warning:
    """The leader closes the warning (đã xử lý) with a note of what was done; history stays."""
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Cần ghi chú kết quả xử lý."))
    warning = _for_leader(actor, warning_id)
    if warning.status == WarningStatus.RESOLVED:
        raise WarningStateError(_("Cảnh báo đã được xử lý."))
    now = timezone.now()
    if warning.status == WarningStatus.OPEN:  # resolving without a separate acknowledgement acknowledges it
        warning.acknowledged_by, warning.acknowledged_at = actor, now
    warning.status = WarningStatus.RESOLVED
    warning.resolved_by, warning.resolved_at = actor, now
    warning.notes = _append_note(warning.notes, "Xử lý", actor, note)
    warning.save(
        update_fields=["status", "acknowledged_by", "acknowledged_at", "resolved_by", "resolved_at", "notes"]
    )
    _event("resolved", warning, actor=actor, note=note)
    return warning


def _append_note(notes: str, step: str, actor, note: str) -> str:
    stamp = timezone.localtime().strftime("%d/%m/%Y %H:%M")
    line = f"[{stamp}] {step} ({actor.get_username()}): {note}"
    return f"{notes}\n{line}" if notes else line
