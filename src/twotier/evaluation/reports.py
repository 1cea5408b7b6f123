"""Period reports of a unit and its subtree: the rollup totals, the derived rates and the service index,
for the period, the previous period and the same period last year (reads only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from twotier.apparatus.models import Unit
from twotier.apparatus.querysets import descendant_ids

from . import index
from .models import CommuneDailyRollup, DailyRollup
from .periods import Period, previous, same_period_last_year


def index_config() -> index.IndexConfig:
    return index.IndexConfig.from_settings(getattr(settings, "TWOTIER_EVALUATION_INDEX", None))


def subtree_ids(root: Unit, period: Period) -> set[int]:
    """The root and every unit below it at the start or the end of the period (a reorganization inside
    the period keeps both the predecessors' and the successors' work)."""
    ids = {root.pk}
    for on in {period.start, period.end}:
        ids |= descendant_ids([root.pk], on)
    return ids


def inputs_of(totals: dict[str, int]) -> index.Inputs:
    return index.Inputs(**{f: totals[f] for f in index.Inputs.__dataclass_fields__})


def summarise(unit_ids: set[int], period: Period, config: index.IndexConfig | None = None) -> dict[str, Any]:
    totals = DailyRollup.objects.of_units(unit_ids).totals(period.start, period.end)
    inputs = inputs_of(totals)
    rates = index.measures(inputs)
    rates["average_rating"] = (totals["rating_points"] / totals["ratings"]) if totals["ratings"] else None
    return {
        "period": {
            "name": period.name,
            "kind": period.kind,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "totals": totals,
        "rates": rates,
        "index": index.service_index(inputs, config or index_config()),
    }


def change(current: int | float | None, before: int | float | None) -> float | None:
    """Relative change (e.g. -0.36 = down 36% on the same period); None when there is nothing to compare."""
    if current is None or before is None or before == 0:
        return None
    return (current - before) / before


def unit_report(unit: Unit, period: Period) -> dict[str, Any]:
    """The report of `unit`'s subtree for `period`, with the previous period and the same period last year."""
    config = index_config()
    result: dict[str, Any] = {"unit": {"code": unit.code, "name": unit.name}}
    for label, p in (
        ("current", period),
        ("previous", previous(period)),
        ("last_year", same_period_last_year(period)),
    ):
        result[label] = summarise(subtree_ids(unit, p), p, config)
    cur, ly = result["current"]["totals"], result["last_year"]["totals"]
    result["change_on_last_year"] = {f: change(cur[f], ly[f]) for f in cur}
    return result


def commune_ranking(
    province_code: str, period: Period, config: index.IndexConfig | None = None
) -> list[dict[str, Any]]:
    """Every commune of the province with its totals and index for the period, best first.

    Two grouped reads of the rollups (flows over the period, backlog of its last day) by `commune_code`
    (`CommuneDailyRollup`, index `communerollup_prov_day`). Order: index percent (over the groups
    computed for that commune),
    then on-time rate, then code; communes with no computed group come last, unranked (`rank` None).
    """
    from django.db.models import Sum

    from twotier.geography.models import Commune

    from .models import FLOW_FIELDS, SNAPSHOT_FIELDS

    config = config or index_config()
    # per-commune sums written by the rebuild (CommuneDailyRollup): 168 × days rows, not millions
    rows = CommuneDailyRollup.objects.filter(province_code=province_code)
    totals: dict[str, dict[str, int]] = {}
    for code in Commune.objects.filter(province_id=province_code).values_list("code", flat=True):
        totals[code] = dict.fromkeys(FLOW_FIELDS + SNAPSHOT_FIELDS, 0)
    flows = rows.between(period.start, period.end).values("commune_code").order_by()
    backlog = rows.filter(day=period.end).values("commune_code").order_by()
    for part, fields in ((flows, FLOW_FIELDS), (backlog, SNAPSHOT_FIELDS)):
        for row in part.annotate(**{f: Sum(f) for f in fields}):
            target = totals.setdefault(row["commune_code"], dict.fromkeys(FLOW_FIELDS + SNAPSHOT_FIELDS, 0))
            for f in fields:
                target[f] = int(row[f] or 0)
    names = dict(Commune.objects.filter(code__in=list(totals)).values_list("code", "name"))
    result = []
    for code, values in totals.items():
        inputs = inputs_of(values)
        result.append(
            {
                "commune_code": code,
                "name": names.get(code, ""),
                "totals": values,
                "rates": index.measures(inputs),
                "index": index.service_index(inputs, config),
            }
        )

    return _ranked(result, "commune_code")


def department_ranking(
    province_code: str, period: Period, config: index.IndexConfig | None = None
) -> list[dict[str, Any]]:
    """The province's departments (sở, cơ quan chuyên môn, valid at the period's end), each over its
    subtree, best first, ordered and ranked as the communes are (issue 7 item 3: "ranking of the 168 HCMC
    communes and of the departments"). One grouped read of the rollups per department (16 in HCMC)."""
    config = config or index_config()
    departments = Unit.objects.valid_on(period.end).filter(
        province_code=province_code, tier="city", kind="department"
    )
    result = []
    for unit in departments.order_by("code"):
        report = summarise(subtree_ids(unit, period), period, config)
        result.append(
            {
                "unit_code": unit.code,
                "name": unit.name,
                **{k: report[k] for k in ("totals", "rates", "index")},
            }
        )
    return _ranked(result, "unit_code")


def _ranked(result: list[dict[str, Any]], code_key: str) -> list[dict[str, Any]]:
    """Best first: index percent (over the groups computed for that unit), then on-time rate, then code;
    units with no computed group come last, unranked (`rank` None)."""

    def order(item: dict[str, Any]) -> tuple:
        percent = item["index"]["percent"]
        on_time = item["rates"]["on_time_rate"]
        return (percent is None, -(percent or 0.0), -(on_time or 0.0), item[code_key])

    result.sort(key=order)
    rank = 0
    for item in result:
        item["rank"] = None if item["index"]["percent"] is None else (rank := rank + 1)
    return result
