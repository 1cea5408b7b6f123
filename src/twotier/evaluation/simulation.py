"""Workload generator for demos and benchmarks (`twotier simulate`): millions of dossiers in minutes.

**Bypasses the services**: rows are bulk-loaded — PostgreSQL `COPY … FROM STDIN` (psycopg), SQLite
`executemany` — with no events, no notifications, no optimistic lock, and are marked
`source_system = "simulator"` so that they can be told apart and removed (`--reset`). Nothing of the
evaluation reads that mark: the rollups read the same fields for simulated and real dossiers. Run it on
a quiet database: from BULK_THRESHOLD dossiers on PostgreSQL the non-unique indexes of the loaded
tables are dropped during the load and rebuilt after it (their definitions are logged first, with -v 2),
and dossier ids are reserved by moving the id sequence (PostgreSQL) or from MAX(id) (SQLite) inside each
batch's transaction.

Deterministic for a seed: one numpy generator (PCG64) draws every value in a fixed order and fixed
batch size, whatever the database, so the same seed gives the same dossiers (ids aside).

Model (heuristics, documented; not calibrated on real data yet):
- procedures: the real catalogue's procedures that have a commune-tier lead unit in the province
  (apparatus responsibilities), drawn with a Zipf-like skew (rank^-1.1, order fixed by the seed);
- communes: weight (3 for a phường, 1 otherwise) × (1 + ln(1 + area km²)); geography holds no population;
- days: working days only (the VN calendar: Tết and other holidays have no receipts), Monday busiest
  (weights Mon..Fri 1.25, 1.1, 1.0, 1.0, 0.9); the two weeks before the Tết break ×1.35 (year-end
  rush), the week after it ×0.6; office hours 07:00–16:59;
- the time limit of the procedure version when stated in working days (else 3 working days), due at
  17:00 of the n-th working day after receipt (0 days: the receipt day);
- outcomes: 8% one supplement request (1% a second one ⇒ counts as overdue), 80% early, 12% on time,
  8% late (70% of these with an apology letter, issued 6 hours before the due time); work finishing
  after `--to` stays open (and a supplement not yet supplied keeps it paused); 90% of completed results
  returned the next day; 40% online, 1% postal; 85% digitised; 45% with a paper reused from the
  population registry (5% also one from the land registry); 30% pay a fee (online for 60% of online
  filings, 20% otherwise); 25% of returned dossiers rated, 1% complained about.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.db import connection, transaction

from twotier.dossiers.deadlines import WorkingCalendar

from . import pgbulk

SYSTEM = "simulator"
WEEKDAY_WEIGHT = (1.25, 1.1, 1.0, 1.0, 0.9, 0.3, 0.1)
BATCH = 100_000  # fixed: the random stream, hence the data, must not depend on the database
EPOCH = date(1970, 1, 1)
VN_OFFSET = 7 * 3600  # Asia/Ho_Chi_Minh is UTC+07:00 (no daylight saving since 1975)
FAR = np.iinfo(np.int64).max


def commune_weight(kind: str, area_km2: float | None) -> float:
    return (3.0 if kind == "phuong" else 1.0) * (1.0 + math.log1p(area_km2 or 0.0))


def tet_breaks(start: date, end: date, calendar: WorkingCalendar) -> list[tuple[date, date]]:
    """Runs of ≥ 5 consecutive days off starting in January or February (the Tết break)."""
    runs, d, run_start = [], start - timedelta(days=40), None
    while d <= end + timedelta(days=40):
        if not calendar.is_working_day(d):
            run_start = run_start or d
        else:
            if run_start and (d - run_start).days >= 5 and run_start.month in (1, 2):
                runs.append((run_start, d - timedelta(days=1)))
            run_start = None
        d += timedelta(days=1)
    return runs


def day_weights(start: date, end: date, calendar: WorkingCalendar) -> list[tuple[date, float]]:
    """The working days of start..end with their receipt weight (weekday × season)."""
    breaks = tet_breaks(start, end, calendar)
    out = []
    d = start
    while d <= end:
        if calendar.is_working_day(d):
            w = WEEKDAY_WEIGHT[d.weekday()]
            for first, last in breaks:
                if first - timedelta(days=14) <= d < first:
                    w *= 1.35
                elif last < d <= last + timedelta(days=7):
                    w *= 0.6
            out.append((d, w))
        d += timedelta(days=1)
    return out


@dataclass(frozen=True)
class Plan:
    """Everything the generator draws from (read once from the catalogue, apparatus and geography)."""

    province_code: str
    commune_codes: list[str]
    commune_p: np.ndarray  # probability of each commune
    # per commune: arrays of procedure id, version id, unit id, limit (working days), cumulative p
    offers: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]
    days: np.ndarray  # receipt days (days since 1970-01-01)
    day_p: np.ndarray
    working: np.ndarray  # every working day from start to end + 200 days (days since epoch), sorted
    until: int  # 00:00 local of the day after `end`, UTC epoch seconds: later events have not happened
    system_user_id: int
    rising: int = -1  # index of the commune whose backlog rises over the last RISING_DAYS days, or -1
    rising_from: int = 0  # first receipt day (days since epoch) of the rising backlog


RISING_DAYS = 8


def make_plan(
    province_code: str,
    communes: int,
    start: date,
    end: date,
    seed: int,
    calendar: WorkingCalendar,
    rising_commune: str | None = None,
) -> Plan | None:
    from django.contrib.auth import get_user_model

    from twotier.apparatus.models import Responsibility
    from twotier.geography.models import Commune
    from twotier.procedures.models import Procedure

    system_user, _ = get_user_model().objects.get_or_create(
        username="simulator", defaults={"is_active": False}
    )
    chosen = list(
        Commune.objects.filter(province_id=province_code)
        .order_by("code")
        .values_list("code", "kind", "area_km2")
    )[:communes]
    versions = {
        pk: (version_id, time_unit, time_value)
        for pk, version_id, time_unit, time_value in Procedure.objects.filter(
            current_version__isnull=False
        ).values_list("pk", "current_version_id", "current_version__time_unit", "current_version__time_value")
    }
    procedure_ids = dict(Procedure.objects.values_list("code", "pk"))
    raw: dict[str, list[tuple[int, int, int, int]]] = {}
    leads = (
        Responsibility.objects.leads()
        .valid_on(start)
        .filter(province_code=province_code, tier="commune", commune_code__in=[c[0] for c in chosen])
        .exclude(task__procedure_code="")
        .values_list("commune_code", "task__procedure_code", "unit_id")
        .order_by("commune_code", "task__procedure_code", "unit_id")
    )
    for commune_code, procedure_code, unit_id in leads:
        pid = procedure_ids.get(procedure_code)
        if pid is None or pid not in versions:
            continue
        version_id, time_unit, time_value = versions[pid]
        limit = 3
        if time_unit == "working_days" and time_value is not None:
            limit = max(0, int(time_value))
        raw.setdefault(commune_code, []).append((pid, version_id, unit_id, limit))
    chosen = [c for c in chosen if raw.get(c[0])]
    days = day_weights(start, end, calendar)
    if not chosen or not days:
        return None
    rng = np.random.default_rng(seed)
    # one popularity order for the whole province (the same procedures dominate everywhere)
    all_pids = np.array(sorted({o[0] for lst in raw.values() for o in lst}))
    rng.shuffle(all_pids)
    popularity = {int(pid): (rank + 1) ** -1.1 for rank, pid in enumerate(all_pids)}
    offers = []
    for code, _kind, _area in chosen:
        lst = raw[code]
        w = np.array([popularity[o[0]] for o in lst])
        offers.append(
            (
                np.array([o[0] for o in lst]),
                np.array([o[1] for o in lst]),
                np.array([o[2] for o in lst]),
                np.array([o[3] for o in lst]),
                np.cumsum(w) / w.sum(),
            )
        )
    cw = np.array([commune_weight(kind, area) for _, kind, area in chosen])
    dw = np.array([w for _, w in days])
    working, d = [], start
    while d <= end + timedelta(days=200):
        if calendar.is_working_day(d):
            working.append((d - EPOCH).days)
        d += timedelta(days=1)
    codes = [c[0] for c in chosen]
    return Plan(
        province_code=province_code,
        commune_codes=codes,
        rising=codes.index(rising_commune) if rising_commune in codes else -1,
        rising_from=(end - EPOCH).days - RISING_DAYS + 1,
        commune_p=cw / cw.sum(),
        offers=offers,
        days=np.array([(d - EPOCH).days for d, _ in days]),
        day_p=dw / dw.sum(),
        working=np.array(working),
        until=((end - EPOCH).days + 1) * 86400 - VN_OFFSET,
        system_user_id=system_user.pk,
    )


def _add_working(plan: Plan, day: np.ndarray, n: np.ndarray) -> np.ndarray:
    """deadlines.add_working_days vectorised: the n-th working day strictly after `day` (n ≥ 1)."""
    pos = np.searchsorted(plan.working, day, side="right") + n - 1
    return plan.working[np.minimum(pos, len(plan.working) - 1)]


def _at(day: np.ndarray, hour: np.ndarray | int, minute: np.ndarray | int = 0) -> np.ndarray:
    """UTC epoch seconds of a local (UTC+7) day and time."""
    return day.astype(np.int64) * 86400 + np.asarray(hour) * 3600 + np.asarray(minute) * 60 - VN_OFFSET


def generate(plan: Plan, rng: np.random.Generator, n: int) -> dict:
    """One batch: the dossiers' columns, and the related rows as (dossier index, columns) arrays."""
    commune = rng.choice(len(plan.commune_codes), size=n, p=plan.commune_p)
    u = rng.random(n)
    procedure = np.empty(n, np.int64)
    version = np.empty(n, np.int64)
    unit = np.empty(n, np.int64)
    limit = np.empty(n, np.int64)
    for ci, (pids, vids, uids, limits, cum) in enumerate(plan.offers):
        mask = commune == ci
        pick = np.minimum(np.searchsorted(cum, u[mask], side="right"), len(pids) - 1)
        procedure[mask], version[mask], unit[mask], limit[mask] = (
            pids[pick],
            vids[pick],
            uids[pick],
            limits[pick],
        )
    day = plan.days[rng.choice(len(plan.days), size=n, p=plan.day_p)]
    # the demo's struggling commune: over its last RISING_DAYS days it receives every calendar day
    # (weekends too, as online filings) and finishes nothing, so its backlog rises day after day and
    # the rising-backlog warning has something to find
    rising = (commune == plan.rising) & (day >= plan.rising_from)
    # (cycled over the days rather than drawn, so that no day of the window is left without a receipt)
    day = np.where(rising, plan.rising_from + (np.cumsum(rising) - 1) % RISING_DAYS, day)
    if plan.rising >= 0 and rising.any():
        # all of them for the commune's most asked procedure, so one unit's backlog rises (warnings are
        # per unit: receipts spread over several units would leave some days flat for each)
        pids, vids, uids, limits, _cum = plan.offers[plan.rising]
        procedure[rising], version[rising], unit[rising], limit[rising] = pids[0], vids[0], uids[0], limits[0]
    received = _at(day, rng.integers(7, 17, n), rng.integers(0, 60, n))
    due_day = np.where(limit == 0, day, _add_working(plan, day, np.maximum(limit, 1)))
    due = _at(due_day, 17)
    roll = rng.random(n)
    supplement, second = (roll < 0.08) & ~rising, (roll < 0.01) & ~rising  # a pause would dip the backlog
    outcome = rng.random(n)
    span = np.maximum(due_day - day, 1)
    early_day = day + np.floor(rng.random(n) * span).astype(np.int64)
    late_day = _add_working(plan, due_day, rng.integers(1, 6, n))
    second_day = _add_working(plan, due_day, rng.integers(1, 4, n))
    finish_day = np.where(
        second,
        second_day,
        np.where((outcome < 0.80) & (due_day > day), early_day, np.where(outcome < 0.92, due_day, late_day)),
    )
    stuck = (commune == plan.rising) & (finish_day >= plan.rising_from)
    finish_day = np.where(stuck, plan.until // 86400 + 60, finish_day)
    completed = np.maximum(_at(finish_day, rng.integers(8, 17, n), rng.integers(0, 60, n)), received + 1800)
    done = completed < plan.until
    returned = completed + 86400
    is_returned = done & (rng.random(n) < 0.9) & (returned < plan.until)
    r_channel = rng.random(n)
    channel = np.where(r_channel < 0.40, 2, np.where(r_channel < 0.41, 3, 1))
    digitised = rng.random(n) < 0.85
    late = finish_day > due_day
    apology = late & (due < plan.until) & (rng.random(n) < 0.7)
    pays = rng.random(n) < 0.30
    pay_online = rng.random(n) < np.where(channel == 2, 0.6, 0.2)
    fee = rng.choice(np.array([15000, 30000, 50000, 100000]), size=n)
    reuse = rng.random(n)
    rated = is_returned & (rng.random(n) < 0.25)
    score = rng.choice(np.arange(1, 6), size=n, p=np.array([2, 3, 10, 35, 50]) / 100)
    complained = is_returned & (rng.random(n) < 0.01)

    status = np.where(is_returned, 10, np.where(done, 9, 4))
    asked = received + 7200
    supplied = np.minimum(asked + 72000, np.where(done, completed, FAR))
    asked2 = asked + 86400
    supplied2 = asked2 + 14400
    idx = np.arange(n)
    paused_now = (
        supplement & ~done & (((~second) & (supplied >= plan.until)) | (second & (supplied2 >= plan.until)))
    )
    status = np.where(paused_now, 5, status)
    s1 = idx[supplement]
    s2 = idx[second]
    return {
        "n": n,
        "dossier": {
            "status": status,
            "channel": channel,
            "procedure_id": procedure,
            "procedure_version_id": version,
            "unit_id": unit,
            "commune": commune,
            "limit_amount": limit,
            "received_at": received,
            "submitted_at": np.where(channel == 2, received, -1),
            "due_at": due,
            "completed_at": np.where(done, completed, -1),
            "returned_at": np.where(is_returned, returned, -1),
            "is_digitised": digitised,
            "supplement_count": np.where(second, 2, np.where(supplement, 1, 0)),
            "counts_as_overdue": second,
            "fee_vnd": np.where(pays, fee, -1),
        },
        "supplement": (
            np.concatenate([s1, s2]),
            {
                "number": np.concatenate([np.ones(len(s1), np.int64), np.full(len(s2), 2)]),
                "requested_at": np.concatenate([asked[s1], asked2[s2]]),
                "completed_at": np.concatenate(
                    [
                        np.where(supplied[s1] < plan.until, supplied[s1], -1),
                        np.where(supplied2[s2] < plan.until, supplied2[s2], -1),
                    ]
                ),
            },
        ),
        "apology": (
            idx[apology],
            {"issued_at": due[apology] - 21600, "new_due_at": due[apology] + 3 * 86400},
        ),
        "payment": (
            idx[pays],
            {"amount_vnd": fee[pays], "online": pay_online[pays], "paid_at": received[pays] + 3600},
        ),
        "document": (
            np.concatenate([idx[reuse < 0.45], idx[reuse < 0.05]]),
            {
                "registry": np.concatenate(
                    [np.zeros((reuse < 0.45).sum(), bool), np.ones((reuse < 0.05).sum(), bool)]
                )
            },
        ),
        "rating": (idx[rated], {"score": score[rated], "at": returned[rated] + 3600}),
        "complaint": (idx[complained], {"at": returned[complained] + 7200}),
    }


class _Writer:
    """Column text for one engine: PostgreSQL COPY text format, or SQLite parameters."""

    def __init__(self, vendor: str):
        self.pg = vendor == "postgresql"
        self.null = "\\N" if self.pg else None

    def times(self, secs: np.ndarray) -> list:
        if not len(secs):
            return []
        text = np.datetime_as_string(secs.astype("datetime64[s]"), unit="s")
        if not self.pg:  # Django's SQLite format ("YYYY-MM-DD HH:MM:SS", UTC)
            text = np.char.replace(text, "T", " ")
        out = text.tolist()
        if (secs < 0).any():
            for i in np.flatnonzero(secs < 0).tolist():
                out[i] = self.null
        return out

    def ints(self, values: np.ndarray) -> list:
        out = values.astype(str).tolist()
        if (values < 0).any():
            for i in np.flatnonzero(values < 0).tolist():
                out[i] = self.null
        return out

    def bools(self, values: np.ndarray) -> list:
        return np.where(values, "t" if self.pg else "1", "f" if self.pg else "0").tolist()

    def write(self, cursor, table: str, columns: dict[str, list], constants: dict[str, str], n: int) -> None:
        names = list(columns) + list(constants)
        if not n:
            return
        if self.pg:
            suffix = "".join("\t" + v for v in constants.values())
            buf = io.StringIO()
            for row in zip(*columns.values(), strict=True):
                buf.write("\t".join(row))
                buf.write(suffix)
                buf.write("\n")
            with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                copy.write(buf.getvalue())
        else:
            tail = tuple(constants.values())
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
                [row + tail for row in zip(*columns.values(), strict=True)],
            )


def _reserve_ids(cursor, table: str, n: int, pg: bool) -> int:
    """The first of n consecutive fresh ids of `table` (caller holds the batch transaction)."""
    if pg:
        cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"SELECT pg_get_serial_sequence('{table}', 'id')")
        seq = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [seq])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s)", [seq, first + n - 1])
        return first
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def write_batch(plan: Plan, batch: dict, seed: int, first_number: int) -> None:
    """Load one generated batch (one transaction)."""
    from twotier.dossiers.models import (
        ApologyLetter,
        Complaint,
        Document,
        Dossier,
        Payment,
        Rating,
        SupplementRequest,
    )

    w = _Writer(connection.vendor)
    n = batch["n"]
    d = batch["dossier"]
    prov = plan.province_code
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor if w.pg else cursor
        if w.pg:
            cursor.execute("SET LOCAL TIME ZONE 'UTC'")
        first = _reserve_ids(cursor, Dossier._meta.db_table, n, w.pg)
        ids = np.arange(first, first + n, dtype=np.int64)
        numbers = np.arange(first_number, first_number + n).astype(str)
        communes = np.array(plan.commune_codes)[d["commune"]].tolist()
        received = w.times(d["received_at"])
        columns = {
            "id": ids.astype(str).tolist(),
            "receipt_code": np.char.add(f"SIM{seed}-", np.char.zfill(numbers, 9)).tolist(),
            "source_id": np.char.add(f"{seed}-", np.char.zfill(numbers, 9)).tolist(),
            "status": w.ints(d["status"]),
            "channel": w.ints(d["channel"]),
            "procedure_id": w.ints(d["procedure_id"]),
            "procedure_version_id": w.ints(d["procedure_version_id"]),
            "limit_amount": w.ints(d["limit_amount"]),
            "receiving_unit_id": w.ints(d["unit_id"]),
            "competent_unit_id": w.ints(d["unit_id"]),
            "receiving_commune_code": communes,
            "competent_commune_code": communes,
            "created_at": received,
            "updated_at": received,
            "submitted_at": w.times(d["submitted_at"]),
            "received_at": received,
            "due_at": w.times(d["due_at"]),
            "completed_at": w.times(d["completed_at"]),
            "returned_at": w.times(d["returned_at"]),
            "closed_at": w.times(d["returned_at"]),
            "is_digitised": w.bools(d["is_digitised"]),
            "supplement_count": w.ints(d["supplement_count"]),
            "counts_as_overdue": w.bools(d["counts_as_overdue"]),
            "fee_vnd": w.ints(d["fee_vnd"]),
        }
        constants = {
            "version": "1",
            "level": "commune",
            "limit_unit": "working_days",
            "applicant_name": "Người dân mô phỏng",
            "applicant_id_number": "",
            "applicant_phone": "",
            "applicant_email": "",
            "address_text": "",
            "address_status": "",
            "address_commune_code": "",
            "province_code": prov,
            "source_system": SYSTEM,
        }
        w.write(raw, Dossier._meta.db_table, columns, constants, n)

        def related(key: str) -> tuple[list, dict]:
            at, cols = batch[key]
            return ids[at].astype(str).tolist(), cols

        user = str(plan.system_user_id)
        empty_list = "[]"
        at, cols = related("supplement")
        w.write(
            raw,
            SupplementRequest._meta.db_table,
            {
                "dossier_id": at,
                "number": w.ints(cols["number"]),
                "requested_at": w.times(cols["requested_at"]),
                "completed_at": w.times(cols["completed_at"]),
                "override_reason": np.where(cols["number"] >= 2, "mô phỏng", "").tolist(),
            },
            {"province_code": prov, "items": empty_list, "reason": "thiếu giấy tờ", "requested_by_id": user},
            len(at),
        )
        at, cols = related("apology")
        w.write(
            raw,
            ApologyLetter._meta.db_table,
            {
                "dossier_id": at,
                "issued_at": w.times(cols["issued_at"]),
                "new_due_at": w.times(cols["new_due_at"]),
            },
            {
                "province_code": prov,
                "reason": "quá tải",
                "issued_by_id": user,
                "before_due": w.bools(np.array([True]))[0],
            },
            len(at),
        )
        at, cols = related("payment")
        w.write(
            raw,
            Payment._meta.db_table,
            {
                "dossier_id": at,
                "amount_vnd": w.ints(cols["amount_vnd"]),
                "method": np.where(cols["online"], "online", "counter").tolist(),
                "paid_at": w.times(cols["paid_at"]),
            },
            {"province_code": prov, "reference": ""},
            len(at),
        )
        at, cols = related("document")
        w.write(
            raw,
            Document._meta.db_table,
            {
                "dossier_id": at,
                "kind": np.where(cols["registry"], "Thông tin thửa đất", "Thông tin cư trú").tolist(),
                "reused_from_registry": np.where(cols["registry"], "land", "population").tolist(),
                "added_at": w.times(batch["dossier"]["received_at"][batch["document"][0]]),
            },
            {
                "province_code": prov,
                "file": "",
                "is_scanned": w.bools(np.array([False]))[0],
                "registry_reference": "",
            },
            len(at),
        )
        at, cols = related("rating")
        w.write(
            raw,
            Rating._meta.db_table,
            {"dossier_id": at, "score": w.ints(cols["score"]), "at": w.times(cols["at"])},
            {"province_code": prov, "comment": "", "channel": "web"},
            len(at),
        )
        at, cols = related("complaint")
        w.write(
            raw,
            Complaint._meta.db_table,
            {"dossier_id": at, "at": w.times(cols["at"])},
            {"province_code": prov, "text": "Phản ánh mô phỏng", "channel": "web"},
            len(at),
        )


BULK_THRESHOLD = 500_000  # from this size on PostgreSQL, rebuilding indexes beats maintaining them


def _tables() -> list[str]:
    from twotier.dossiers import models as dm

    return [
        m._meta.db_table
        for m in (
            dm.Dossier,
            dm.SupplementRequest,
            dm.ApologyLetter,
            dm.Payment,
            dm.Document,
            dm.Rating,
            dm.Complaint,
        )
    ]


def simulate(
    *,
    province_code: str,
    communes: int,
    dossiers: int,
    start: date,
    end: date,
    seed: int,
    calendar: WorkingCalendar,
    progress: Callable[[int], None] | None = None,
    log: Callable[[str], None] | None = None,
    rising_commune: str | None = None,
) -> int:
    """Load `dossiers` simulated dossiers received between `start` and `end`. Returns the number made.

    `rising_commune`: a commune code whose dossiers received in the last RISING_DAYS days stay open.
    """
    plan = make_plan(province_code, communes, start, end, seed, calendar, rising_commune)
    if plan is None:
        return 0
    rng = np.random.default_rng([seed, 1])
    made = 0
    bulk = connection.vendor == "postgresql" and dossiers >= BULK_THRESHOLD and not connection.in_atomic_block
    dropped = pgbulk.drop_secondary_indexes(_tables(), log) if bulk else []
    try:
        while made < dossiers:
            n = min(BATCH, dossiers - made)
            write_batch(plan, generate(plan, rng, n), seed, made)
            made += n
            if progress:
                progress(made)
    finally:
        if dropped:  # also after a failure: never leave the tables without their indexes
            pgbulk.create_indexes(dropped)
    return made


def simulated_count(province_code: str) -> int:
    from twotier.dossiers.models import Dossier

    return Dossier.objects.filter(province_code=province_code, source_system=SYSTEM).count()


@transaction.atomic
def reset(province_code: str) -> int:
    """Delete every simulated dossier of the province and its rows. Returns the dossiers deleted."""
    from twotier.dossiers.models import (
        ApologyLetter,
        Complaint,
        Document,
        Dossier,
        DossierEvent,
        Payment,
        Rating,
        SupplementRequest,
    )

    ids = Dossier.objects.filter(province_code=province_code, source_system=SYSTEM).values("pk")
    total = ids.count()
    for model in (SupplementRequest, ApologyLetter, Payment, Document, Rating, Complaint):
        model.objects.filter(dossier_id__in=ids)._raw_delete(model.objects.db)
    DossierEvent.objects.filter(dossier_id__in=ids)._raw_delete(DossierEvent.objects.db)
    Dossier.objects.filter(province_code=province_code, source_system=SYSTEM)._raw_delete(Dossier.objects.db)
    return total
