"""Workload generator for demos and benchmarks (`twotier simulate`), small-scale version.

**Bypasses the services**: rows are bulk-inserted (no events, no notifications, no optimistic lock),
marked `source_system = "simulator"` so that they can be told apart and removed (`--reset`). Nothing
of the evaluation reads that mark: the rollups read the same fields for simulated and real dossiers.

Model (heuristics, documented; not calibrated on real data yet):
- procedures: the real catalogue's procedures that have a commune-tier lead unit in the province
  (apparatus responsibilities), drawn with a Zipf-like skew (rank^-1.1, order fixed by the seed);
- communes: weight (3 for a phường, 1 otherwise) × (1 + ln(1 + area km²)); geography holds no population;
- days: working days only (the VN calendar, so Tết and other holidays have no receipts), Monday busiest;
- the time limit of the procedure version when stated in working days (else 3 working days);
- outcomes: 8% one supplement request (1% a second one ⇒ counts as overdue), 80% early, 12% on time,
  8% late (70% of these with an apology letter); work finishing after `until` stays open; 90% of
  completed results returned the next day; 40% online, 2% postal; 85% digitised; 50% with a paper
  reused from the population registry; 30% pay a fee (online 60% for online filings, 20% otherwise);
  25% of returned dossiers rated, 1% complained about.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction

from twotier.dossiers.deadlines import VN_TZ, WorkingCalendar, add_working_days

SYSTEM = "simulator"
WEEKDAY_WEIGHT = (1.25, 1.1, 1.0, 1.0, 0.9, 0.3, 0.1)


@dataclass(frozen=True)
class Offer:
    """A procedure a commune's unit handles: (procedure id, version id, unit id, limit in working days)."""

    procedure_id: int
    version_id: int
    unit_id: int
    working_days: int


def commune_weight(kind: str, area_km2: float | None) -> float:
    return (3.0 if kind == "phuong" else 1.0) * (1.0 + math.log1p(area_km2 or 0.0))


def day_weights(start: date, end: date, calendar: WorkingCalendar) -> list[tuple[date, float]]:
    out = []
    d = start
    while d <= end:
        if calendar.is_working_day(d):
            out.append((d, WEEKDAY_WEIGHT[d.weekday()]))
        d += timedelta(days=1)
    return out


def _local(d: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(d, time(hh, mm), tzinfo=VN_TZ)


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
) -> int:
    """Insert `dossiers` simulated dossiers received between `start` and `end`. Returns the number made."""
    from django.contrib.auth import get_user_model

    from twotier.apparatus.models import Responsibility
    from twotier.dossiers.models import (
        ApologyLetter,
        Complaint,
        Document,
        Dossier,
        Payment,
        Rating,
        SupplementRequest,
    )
    from twotier.geography.models import Commune
    from twotier.procedures.models import Procedure

    rng = random.Random(seed)
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
    offers: dict[str, list[Offer]] = {}
    leads = (
        Responsibility.objects.leads()
        .valid_on(start)
        .filter(province_code=province_code, tier="commune", commune_code__in=[c[0] for c in chosen])
        .exclude(task__procedure_code="")
        .values_list("commune_code", "task__procedure_code", "unit_id")
    )
    procedure_ids = dict(Procedure.objects.values_list("code", "pk"))
    for commune_code, procedure_code, unit_id in leads:
        pid = procedure_ids.get(procedure_code)
        if pid is None or pid not in versions:
            continue
        version_id, time_unit, time_value = versions[pid]
        limit = 3
        if time_unit == "working_days" and time_value is not None:
            limit = max(0, int(time_value))
        offers.setdefault(commune_code, []).append(Offer(pid, version_id, unit_id, limit))
    chosen = [c for c in chosen if offers.get(c[0])]
    if not chosen:
        return 0
    # one popularity order for the whole province (the same procedures dominate everywhere)
    all_pids = sorted({o.procedure_id for lst in offers.values() for o in lst})
    rng.shuffle(all_pids)
    popularity = {pid: (rank + 1) ** -1.1 for rank, pid in enumerate(all_pids)}
    commune_w = [commune_weight(kind, area) for _, kind, area in chosen]
    days = day_weights(start, end, calendar)
    if not days:
        return 0
    until = _local(end + timedelta(days=1), 0)
    made = 0
    batch = 2000
    while made < dossiers:
        n = min(batch, dossiers - made)
        with transaction.atomic():
            rows, extras = [], []
            for i in range(n):
                number = made + i
                commune_code = rng.choices(chosen, commune_w)[0][0]
                lst = offers[commune_code]
                offer = rng.choices(lst, [popularity[o.procedure_id] for o in lst])[0]
                d = rng.choices([x[0] for x in days], [x[1] for x in days])[0]
                received = _local(d, rng.randint(7, 16), rng.randint(0, 59))
                due_day = d if offer.working_days == 0 else add_working_days(d, offer.working_days, calendar)
                due = _local(due_day, 17)
                roll = rng.random()
                supplement = roll < 0.08
                second = roll < 0.01
                outcome = rng.random()
                if second:
                    finish_day = add_working_days(due_day, rng.randint(1, 3), calendar)
                elif outcome < 0.80 and due_day > d:
                    finish_day = d + timedelta(days=rng.randint(0, (due_day - d).days - 1))
                elif outcome < 0.92:
                    finish_day = due_day
                else:
                    finish_day = add_working_days(due_day, rng.randint(1, 5), calendar)
                completed = _local(finish_day, rng.randint(8, 16), rng.randint(0, 59))
                completed = max(completed, received + timedelta(minutes=30))
                is_done = completed < until
                returned = completed + timedelta(days=1) if is_done and rng.random() < 0.9 else None
                if returned is not None and returned >= until:
                    returned = None
                channel = 2 if rng.random() < 0.40 else (3 if rng.random() < 0.03 else 1)
                status = 10 if returned else (9 if is_done else 4)
                rows.append(
                    Dossier(
                        receipt_code=f"SIM{seed}-{number:09d}",
                        source_system=SYSTEM,
                        source_id=f"{seed}-{number}",
                        status=status,
                        channel=channel,
                        procedure_id=offer.procedure_id,
                        procedure_version_id=offer.version_id,
                        applicant_name="Người dân mô phỏng",
                        receiving_unit_id=offer.unit_id,
                        competent_unit_id=offer.unit_id,
                        province_code=province_code,
                        receiving_commune_code=commune_code,
                        competent_commune_code=commune_code,
                        submitted_at=received if channel == 2 else None,
                        received_at=received,
                        due_at=due,
                        completed_at=completed if is_done else None,
                        returned_at=returned,
                        closed_at=returned,
                        is_digitised=rng.random() < 0.85,
                        supplement_count=2 if second else (1 if supplement else 0),
                        counts_as_overdue=second,
                    )
                )
                extras.append((supplement, second, finish_day > due_day, returned, channel))
            created = Dossier.objects.bulk_create(rows)
            if not all(r.pk for r in created):  # backends that do not return ids on bulk insert
                codes = {r.receipt_code: r for r in created}
                for pk, code in Dossier.objects.filter(receipt_code__in=list(codes)).values_list(
                    "pk", "receipt_code"
                ):
                    codes[code].pk = pk
            supplements, letters, payments, ratings, complaints, documents = [], [], [], [], [], []
            for dossier, (supplement, second, late, returned, channel) in zip(created, extras, strict=True):
                rec = dossier.received_at
                if supplement:
                    asked = rec + timedelta(hours=2)
                    supplements.append(
                        SupplementRequest(
                            dossier_id=dossier.pk,
                            province_code=province_code,
                            number=1,
                            reason="thiếu giấy tờ",
                            requested_at=asked,
                            requested_by=system_user,
                            completed_at=min(
                                asked + timedelta(hours=20),
                                dossier.completed_at or asked + timedelta(hours=20),
                            ),
                        )
                    )
                    if second:
                        supplements.append(
                            SupplementRequest(
                                dossier_id=dossier.pk,
                                province_code=province_code,
                                number=2,
                                reason="thiếu giấy tờ",
                                override_reason="mô phỏng",
                                requested_at=asked + timedelta(days=1),
                                requested_by=system_user,
                                completed_at=asked + timedelta(days=1, hours=4),
                            )
                        )
                if late and dossier.due_at < until and rng.random() < 0.7:
                    letters.append(
                        ApologyLetter(
                            dossier_id=dossier.pk,
                            province_code=province_code,
                            reason="quá tải",
                            new_due_at=dossier.due_at + timedelta(days=3),
                            issued_at=dossier.due_at - timedelta(hours=6),
                            issued_by=system_user,
                        )
                    )
                if rng.random() < 0.30:
                    online = rng.random() < (0.6 if channel == 2 else 0.2)
                    payments.append(
                        Payment(
                            dossier_id=dossier.pk,
                            province_code=province_code,
                            amount_vnd=50000,
                            method="online" if online else "counter",
                            paid_at=rec + timedelta(hours=1),
                        )
                    )
                if rng.random() < 0.5:
                    documents.append(
                        Document(
                            dossier_id=dossier.pk,
                            province_code=province_code,
                            kind="Thông tin cư trú",
                            reused_from_registry="population",
                        )
                    )
                if returned is not None and rng.random() < 0.25:
                    score = rng.choices([1, 2, 3, 4, 5], [2, 3, 10, 35, 50])[0]
                    ratings.append((dossier.pk, score, returned + timedelta(hours=1)))
                if returned is not None and rng.random() < 0.01:
                    complaints.append((dossier.pk, returned + timedelta(hours=2)))
            SupplementRequest.objects.bulk_create(supplements)
            ApologyLetter.objects.bulk_create(letters)
            Payment.objects.bulk_create(payments)
            Document.objects.bulk_create(documents)
            # `at` is auto_now_add: insert, then set the simulated time
            for pk, score, when in ratings:
                rating = Rating.objects.create(
                    dossier_id=pk, province_code=province_code, score=score, channel="web"
                )
                Rating.objects.filter(pk=rating.pk).update(at=when)
            for pk, when in complaints:
                complaint = Complaint.objects.create(
                    dossier_id=pk, province_code=province_code, text="Phản ánh mô phỏng", channel="web"
                )
                Complaint.objects.filter(pk=complaint.pk).update(at=when)
        made += n
        if progress:
            progress(made)
    return made


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
    Dossier.objects.filter(province_code=province_code, source_system=SYSTEM).delete()
    return total
