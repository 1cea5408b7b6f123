"""Writes of the evaluation app: the daily rollup.

`rollup_day(d)` recomputes every `DailyRollup` row of day `d` (Asia/Ho_Chi_Minh) from the one-stop
shop's rows and replaces the day's rows in one transaction, so running it again gives the same rows
(idempotent); `rollup_range` rebuilds a range the same way. Both run the set-based SQL of `rollup_sql`;
`compute_day` restates the rules with the ORM, one day at a time, as the tests' reference.

Timeliness (DOMAIN.md, Decision 766/QĐ-TTg): a dossier completed (status 9, `completed_at`) on day d
is early when its `due_at` falls on a later date, on time when on d, late when on an earlier date —
an apology letter changes nothing — and late whatever its dates when a second supplement request
was made (`counts_as_overdue`). No `due_at` (no stated time limit): counted apart, outside the rates.

Backlog at the end of day d (instant e = 00:00 of d+1): received before e, neither completed nor
closed before e. Paused when a supplement request made before e was not completed before e;
otherwise overdue when `due_at` < e or a second supplement request was made before e; else within
time. Known approximation: the current `due_at` is used, so for a dossier whose due time a later
supplement moved, a past day's overdue flag may differ from what the desk saw that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum

from twotier.dossiers.deadlines import VN_TZ
from twotier.dossiers.models import (
    ApologyLetter,
    Complaint,
    Document,
    Dossier,
    Payment,
    PaymentMethod,
    Rating,
    SupplementRequest,
)
from twotier.dossiers.states import DossierChannel

from . import pgbulk, rollup_sql
from .models import (
    FLOW_FIELDS,
    MEASURE_FIELDS,
    SNAPSHOT_FIELDS,
    CommuneDailyRollup,
    DailyRollup,
    QueueRollup,
    RolledUpDay,
)

Key = tuple[str, str, int, int]  # province, commune, unit id, procedure id


def day_bounds(d: date) -> tuple[datetime, datetime]:
    """[00:00 of d, 00:00 of d+1) in Asia/Ho_Chi_Minh, whatever the machine's zone."""
    start = datetime.combine(d, time(0), tzinfo=VN_TZ)
    return start, datetime.combine(d + timedelta(days=1), time(0), tzinfo=VN_TZ)


def _keyed(prefix: str) -> list[str]:
    return [
        f"{prefix}province_code",
        f"{prefix}competent_commune_code",
        f"{prefix}competent_unit_id",
        f"{prefix}procedure_id",
    ]


def _collect(acc: dict[Key, dict[str, int]], rows: Any, prefix: str, fields: dict[str, str]) -> None:
    """Add the annotated counts of `rows` (grouped by the dossier's key) to the accumulator."""
    names = _keyed(prefix)
    for row in rows:
        key = (row[names[0]], row[names[1]] or "", row[names[2]], row[names[3]])
        target = acc[key]
        for field, column in fields.items():
            target[field] += int(row[column] or 0)


def compute_day(d: date, province_code: str | None = None) -> dict[Key, dict[str, int]]:
    """The counts of day `d` (every province, or one), keyed by (province, commune, unit, procedure)."""
    start, end = day_bounds(d)
    acc: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MEASURE_FIELDS, 0))

    def dossiers(**kw: Any):
        qs = Dossier.objects.filter(**kw)
        return qs.filter(province_code=province_code) if province_code else qs

    def related(model, **kw: Any):
        qs = model.objects.filter(**kw)
        return qs.filter(province_code=province_code) if province_code else qs

    group: Callable[[Any, str], Any] = lambda qs, prefix: qs.values(*_keyed(prefix)).order_by()  # noqa: E731

    # received, by channel; digitised at receipt
    received = dossiers(received_at__gte=start, received_at__lt=end)
    _collect(
        acc,
        group(received, "").annotate(
            n=Count("pk"),
            in_person=Count("pk", filter=Q(channel=DossierChannel.IN_PERSON)),
            online=Count("pk", filter=Q(channel=DossierChannel.ONLINE)),
            postal=Count("pk", filter=Q(channel=DossierChannel.POSTAL)),
            digitised=Count("pk", filter=Q(is_digitised=True)),
        ),
        "",
        {
            "received": "n",
            "received_in_person": "in_person",
            "received_online": "online",
            "received_postal": "postal",
            "received_digitised": "digitised",
        },
    )
    # once-only: papers of the day's received dossiers taken from a registry
    reused = related(Document, dossier__received_at__gte=start, dossier__received_at__lt=end).exclude(
        reused_from_registry=""
    )
    _collect(
        acc,
        group(reused, "dossier__").annotate(docs=Count("pk"), dossiers=Count("dossier_id", distinct=True)),
        "dossier__",
        {"documents_reused": "docs", "received_with_reuse": "dossiers"},
    )
    # completed against due_at, by calendar date
    completed = dossiers(completed_at__gte=start, completed_at__lt=end)
    regular = Q(counts_as_overdue=False)
    _collect(
        acc,
        group(completed, "").annotate(
            early=Count("pk", filter=regular & Q(due_at__gte=end)),
            on_time=Count("pk", filter=regular & Q(due_at__gte=start, due_at__lt=end)),
            late=Count("pk", filter=Q(counts_as_overdue=True) | Q(due_at__lt=start)),
            no_limit=Count("pk", filter=regular & Q(due_at__isnull=True)),
        ),
        "",
        {
            "completed_early": "early",
            "completed_on_time": "on_time",
            "completed_late": "late",
            "completed_no_limit": "no_limit",
        },
    )
    apologised = related(ApologyLetter, dossier__completed_at__gte=start, dossier__completed_at__lt=end)
    _collect(
        acc,
        group(apologised, "dossier__").annotate(n=Count("dossier_id", distinct=True)),
        "dossier__",
        {"completed_with_apology": "n"},
    )
    # events of the day
    requests = related(SupplementRequest, requested_at__gte=start, requested_at__lt=end)
    _collect(
        acc,
        group(requests, "dossier__").annotate(n=Count("pk"), second=Count("pk", filter=Q(number__gte=2))),
        "dossier__",
        {"supplement_requests": "n", "second_supplements": "second"},
    )
    letters = related(ApologyLetter, issued_at__gte=start, issued_at__lt=end)
    _collect(acc, group(letters, "dossier__").annotate(n=Count("pk")), "dossier__", {"apology_letters": "n"})
    paid = related(Payment, paid_at__gte=start, paid_at__lt=end)
    _collect(
        acc,
        group(paid, "dossier__").annotate(
            n=Count("pk"), online=Count("pk", filter=Q(method=PaymentMethod.ONLINE))
        ),
        "dossier__",
        {"payments": "n", "payments_online": "online"},
    )
    rated = related(Rating, at__gte=start, at__lt=end)
    _collect(
        acc,
        group(rated, "dossier__").annotate(
            n=Count("pk"), points=Sum("score"), satisfied=Count("pk", filter=Q(score__gte=4))
        ),
        "dossier__",
        {"ratings": "n", "rating_points": "points", "ratings_satisfied": "satisfied"},
    )
    complained = related(Complaint, at__gte=start, at__lt=end)
    _collect(acc, group(complained, "dossier__").annotate(n=Count("pk")), "dossier__", {"complaints": "n"})
    first_complaint = complained.exclude(
        Exists(Complaint.objects.filter(dossier=OuterRef("dossier"), at__lt=start))
    )
    _collect(
        acc,
        group(first_complaint, "dossier__").annotate(n=Count("dossier_id", distinct=True)),
        "dossier__",
        {"complained_dossiers": "n"},
    )
    # backlog at the end of the day
    open_at_end = (
        dossiers(received_at__lt=end)
        .filter(Q(completed_at__isnull=True) | Q(completed_at__gte=end))
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        .annotate(
            paused=Exists(
                SupplementRequest.objects.filter(dossier=OuterRef("pk"), requested_at__lt=end).filter(
                    Q(completed_at__isnull=True) | Q(completed_at__gte=end)
                )
            ),
            second=Exists(
                SupplementRequest.objects.filter(dossier=OuterRef("pk"), requested_at__lt=end, number__gte=2)
            ),
        )
    )
    running = Q(paused=False)
    overdue = running & (Q(second=True) | Q(due_at__lt=end))
    _collect(
        acc,
        group(open_at_end, "").annotate(
            paused_n=Count("pk", filter=Q(paused=True)),
            overdue_n=Count("pk", filter=overdue),
            within_n=Count("pk", filter=running & Q(second=False, due_at__gte=end)),
            no_limit_n=Count("pk", filter=running & Q(second=False, due_at__isnull=True)),
        ),
        "",
        {
            "open_paused": "paused_n",
            "open_overdue": "overdue_n",
            "open_within": "within_n",
            "open_no_limit": "no_limit_n",
        },
    )
    return {key: counts for key, counts in acc.items() if any(counts.values())}


def _tables() -> rollup_sql.Tables:
    return rollup_sql.Tables(
        rollup=DailyRollup._meta.db_table,
        dossier=Dossier._meta.db_table,
        document=Document._meta.db_table,
        supplement=SupplementRequest._meta.db_table,
        apology=ApologyLetter._meta.db_table,
        payment=Payment._meta.db_table,
        rating=Rating._meta.db_table,
        complaint=Complaint._meta.db_table,
    )


REBUILD_WORK_MEM = "256MB"


def _rebuild(start: date, end: date, province_code: str | None, opening: bool = False) -> int:
    """Replace the rollup rows of start..end with the set-based statements of `rollup_sql`;
    `opening`: start from the backlog stored for the day before (the incremental path)."""
    stale = DailyRollup.objects.filter(day__gte=start, day__lte=end)
    if province_code:
        stale = stale.filter(province_code=province_code)
    outside_range = Q(day__lt=start) | Q(day__gt=end)
    if province_code:
        outside_range |= ~Q(province_code=province_code)
    # a rebuild that replaces every row of the table (the first build, a rebuild of everything) loads
    # it in bulk on PostgreSQL: emptied, its non-unique indexes built again after the load
    bulk = (
        connection.vendor == "postgresql"
        and not opening
        and not DailyRollup.objects.filter(outside_range).exists()
    )
    dropped: list[str] = []
    if bulk:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {DailyRollup._meta.db_table}")
        dropped = pgbulk.drop_secondary_indexes([DailyRollup._meta.db_table])
    else:
        stale._raw_delete(stale.db)  # derived rows, no signals or cascades: one DELETE statement
    sql = rollup_sql.rebuild_sql(
        _tables(),
        rollup_sql.Dialect(connection.vendor),
        FLOW_FIELDS,
        SNAPSHOT_FIELDS,
        bool(province_code),
        opening=opening,
    )
    ops = connection.ops
    params: dict[str, Any] = {
        "start_at": ops.adapt_datetimefield_value(day_bounds(start)[0]),
        "end_at": ops.adapt_datetimefield_value(day_bounds(end)[1]),
        "first_end_at": ops.adapt_datetimefield_value(day_bounds(start)[1]),
        "start": ops.adapt_datefield_value(start),
        "end": ops.adapt_datefield_value(end),
        "before": ops.adapt_datefield_value(start - timedelta(days=1)),
    }
    if province_code:
        params["province"] = province_code
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # the range's grouping and window sorts in memory (this transaction only; ends with it)
            cursor.execute(f"SET LOCAL work_mem = '{REBUILD_WORK_MEM}'")
            # the local dates of rollup_sql are UTC + 7 hours (Vietnam has kept UTC+07:00 since 1975)
            cursor.execute("SET LOCAL TimeZone = 'UTC'")
            # JIT compiling these large statements costs more than it saves (20 s at 1 M dossiers)
            cursor.execute("SET LOCAL jit = off")
        written = 0
        for statement in sql:
            cursor.execute(statement, params if "%(" in statement else None)
            if statement.startswith("INSERT"):
                written = cursor.rowcount
    pgbulk.create_indexes(dropped)
    _commune_sums(start, end, province_code)
    rollup_queues(start, end, province_code)
    _record_days(start, end, province_code, incremental=opening)
    return written


def _record_days(start: date, end: date, province_code: str | None, incremental: bool) -> None:
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    RolledUpDay.objects.filter(day__gte=start, day__lte=end, province_code=province_code or "").delete()
    RolledUpDay.objects.bulk_create(
        RolledUpDay(day=d, province_code=province_code or "", incremental=incremental) for d in days
    )


def is_rolled_up(d: date, province_code: str | None) -> bool:
    """Whether day `d` is rolled up for the scope (one province: that province or all of them)."""
    scopes = [""] + ([province_code] if province_code else [])
    return RolledUpDay.objects.filter(day=d, province_code__in=scopes).exists()


def _commune_sums(start: date, end: date, province_code: str | None) -> None:
    """Replace the per-commune sums of start..end by a GROUP BY over the unit × procedure rows."""
    stale = CommuneDailyRollup.objects.filter(day__gte=start, day__lte=end)
    if province_code:
        stale = stale.filter(province_code=province_code)
    stale._raw_delete(stale.db)
    names = ", ".join(MEASURE_FIELDS)
    sums = ", ".join(f"SUM({f})" for f in MEASURE_FIELDS)
    where = "day >= %(start)s AND day <= %(end)s AND commune_code <> ''"
    params: dict[str, Any] = {
        "start": connection.ops.adapt_datefield_value(start),
        "end": connection.ops.adapt_datefield_value(end),
    }
    if province_code:
        where += " AND province_code = %(province)s"
        params["province"] = province_code
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CommuneDailyRollup._meta.db_table} (day, province_code, commune_code, {names})"
            f" SELECT day, province_code, commune_code, {sums} FROM {DailyRollup._meta.db_table}"
            f" WHERE {where} GROUP BY day, province_code, commune_code",
            params,
        )


def rollup_queues(start: date, end: date, province_code: str | None = None) -> int:
    """Replace the queue rollup rows of start..end from the assistant's daily queue statistics."""
    from twotier.assistant.querysets import queue_day_totals
    from twotier.geography.models import Commune

    stale = QueueRollup.objects.filter(day__gte=start, day__lte=end)
    if province_code:
        stale = stale.filter(province_code=province_code)
    stale.delete()
    rows = list(queue_day_totals(start, end))
    provinces = dict(
        Commune.objects.filter(code__in={r["center_code"] for r in rows}).values_list("code", "province_id")
    )
    objs = [
        QueueRollup(
            province_code=provinces.get(r["center_code"], ""),
            center_code=r["center_code"],
            day=r["day"],
            tickets_issued=r["issued"],
            tickets_served=r["served"],
            wait_seconds=r["wait_seconds"],
            service_seconds=r["service_seconds"],
        )
        for r in rows
        if not province_code or provinces.get(r["center_code"]) == province_code
    ]
    QueueRollup.objects.bulk_create(objs, batch_size=2000)
    return len(objs)


@transaction.atomic
def rollup_day(d: date, province_code: str | None = None) -> int:
    """Replace the rollup rows of day `d` (one province or all). Returns the number of rows written.

    System work (no actor): the rows are derived data, recomputable at any time from the dossiers.
    When the day before is rolled up for the scope, the backlog at the end of `d` is that day's stored
    backlog plus the changes of `d` (received, finished, due, supplement requested or supplied on `d`),
    so the day's cost follows the day's events (indexes on every event time, dossiers 0002 and 0004);
    otherwise it is recomputed from every dossier open at the end of `d`. Either way it gives the rows
    of a rebuild, as long as nothing before `d` changed since the day before was rolled up (a past
    event edited later is picked up by `rollup_range`).
    """
    return _rebuild(d, d, province_code, opening=is_rolled_up(d - timedelta(days=1), province_code))


CHUNK_DAYS = 92  # one quarter per statement: bounds a transaction's size on a 10 M-dossier table


def rollup_range(
    start: date,
    end: date,
    province_code: str | None = None,
    progress: Callable[[date, int], None] | None = None,
) -> int:
    """Rebuild the days start..end (both included), idempotent: one set-based statement and one
    transaction per chunk of up to CHUNK_DAYS days. Returns the rows written."""
    if end < start:
        raise ValueError("end before start")
    total = 0
    lo = start
    while lo <= end:
        hi = min(end, lo + timedelta(days=CHUNK_DAYS - 1))
        with transaction.atomic():
            written = _rebuild(lo, hi, province_code)
        total += written
        if progress:
            progress(hi, written)
        lo = hi + timedelta(days=1)
    return total
