"""The set-based rollup as SQL text (pure: no ORM, no connection; `services.rebuild` runs it).

One statement rebuilds every `DailyRollup` row of a day range: each source table is read once for the
range and grouped by (day, province, commune, unit, procedure); the backlog snapshot comes from
per-dossier +1/−1 deltas summed with a window function over the days, so no query runs per day.
The rules are those of `services` (module docstring), restated in day arithmetic on local dates
(Asia/Ho_Chi_Minh: UTC+07:00 without daylight saving since 1975, so SQLite can add 7 hours):

- an instant t is "before the end of day d" (t < 00:00 of d+1) exactly when local_date(t) ≤ d;
- a dossier is open at the end of day d for d in [rd, ed): rd = receipt day, ed = the local day of
  the earlier of completed_at / closed_at (∞ when neither);
- paused on the days [request day, supply day) of any supplement request (∞ while not supplied); a
  dossier's requests are merged into disjoint intervals first (gaps and islands) so that overlapping
  requests count one pause, as the per-day EXISTS does;
- when not paused: overdue from od = min(due day, day of the first request numbered ≥ 2) on, before
  that within time (or "no limit" when there is no due_at).

Both engines run the same SQL except four spellings held by `Dialect` (local date, the far-future
date, least/greatest, a day plus n) and the day expansion (PostgreSQL: generate_series; SQLite: a
recursive calendar joined by range — SQLite holds the embedded, small installations).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

KEY = ("province_code", "commune_code", "unit_id", "procedure_id")


@dataclass(frozen=True)
class Tables:
    rollup: str
    dossier: str
    document: str
    supplement: str
    apology: str
    payment: str
    rating: str
    complaint: str


@dataclass(frozen=True)
class Dialect:
    vendor: str  # "postgresql" or "sqlite"

    def local_date(self, column: str) -> str:
        if self.vendor == "postgresql":
            return f"(({column}) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
        return f"date({column}, '+7 hours')"

    @property
    def far(self) -> str:
        return "DATE '9999-12-31'" if self.vendor == "postgresql" else "'9999-12-31'"

    def param(self, name: str, is_date: bool = False) -> str:
        return f"%({name})s::date" if is_date and self.vendor == "postgresql" else f"%({name})s"

    def least(self, *args: str) -> str:
        return f"{'LEAST' if self.vendor == 'postgresql' else 'MIN'}({', '.join(args)})"

    def greatest(self, *args: str) -> str:
        return f"{'GREATEST' if self.vendor == 'postgresql' else 'MAX'}({', '.join(args)})"

    def plus_days(self, column: str, n: str) -> str:
        if self.vendor == "postgresql":
            return f"({column} + {n})"
        return f"date({column}, '+' || ({n}) || ' days')"


def _branch(
    measures: Sequence[str],
    values: dict[str, str],
    day: str,
    source: str,
    key_alias: str = "d",
) -> str:
    """One grouped SELECT of the union: (day, key…, every measure, 0 where this source has none)."""
    cols = [
        f"{day} AS day",
        f"{key_alias}.province_code AS province_code",
        f"COALESCE({key_alias}.competent_commune_code, '') AS commune_code",
        f"{key_alias}.competent_unit_id AS unit_id",
        f"{key_alias}.procedure_id AS procedure_id",
    ]
    # integers (not PostgreSQL's bigint counts): the outer SUM then keeps an int8, not a numeric, state
    cols += [f"CAST({values[m]} AS INTEGER) AS {m}" if m in values else f"0 AS {m}" for m in measures]
    return f"SELECT {', '.join(cols)}\n{source}\nGROUP BY 1, 2, 3, 4, 5"


def rebuild_sql(
    t: Tables,
    dialect: Dialect,
    flow_fields: Sequence[str],
    snapshot_fields: Sequence[str],
    one_province: bool,
    opening: bool = False,
) -> list[str]:
    """The statements (run in order, one transaction) that insert the rows of a range, with named
    parameters (pyformat):
    start_at / end_at (00:00 local of the first day / of the day after the last),
    first_end_at (00:00 of the second day: the end of the first day), start / end (the dates),
    before (the day before `start`), province (only when `one_province`).

    `opening` (the incremental path): the backlog at the end of the day before the range is taken
    from its stored rows, and only the dossiers with a backlog event inside the range are read
    (received, finished, due, supplement requested or supplied there); each event counts on its own
    day instead of being carried to `start`. Without it the backlog is recomputed from every dossier
    open in the range (a rebuild needs no earlier rows).
    """
    ld = dialect.local_date
    measures = list(flow_fields) + list(snapshot_fields)

    def p(name: str) -> str:
        return dialect.param(name, is_date=name in ("start", "end", "before"))

    def prov(alias: str) -> str:
        return f" AND {alias}.province_code = {p('province')}" if one_province else ""

    def in_range(column: str) -> str:
        return f"{column} >= {p('start_at')} AND {column} < {p('end_at')}"

    def cnt(cond: str) -> str:
        return f"COUNT(*) FILTER (WHERE {cond})"

    branches: list[str] = []
    # the dossiers' own flows in one pass: each dossier twice (k = 1 its receipt, k = 2 its completion)
    due, done = ld("d.due_at"), ld("d.completed_at")
    first = "v.k = 1"
    regular = "v.k = 2 AND NOT d.counts_as_overdue"
    branches.append(
        _branch(
            measures,
            {
                "received": cnt(first),
                "received_in_person": cnt(f"{first} AND d.channel = 1"),
                "received_online": cnt(f"{first} AND d.channel = 2"),
                "received_postal": cnt(f"{first} AND d.channel = 3"),
                "received_digitised": cnt(f"{first} AND d.is_digitised"),
                # completed against due_at by calendar date; a second supplement request makes it late
                "completed_early": cnt(f"{regular} AND {due} > {done}"),
                "completed_on_time": cnt(f"{regular} AND {due} = {done}"),
                "completed_late": cnt(f"v.k = 2 AND (d.counts_as_overdue OR {due} < {done})"),
                "completed_no_limit": cnt(f"{regular} AND d.due_at IS NULL"),
                "completed_with_apology": cnt(
                    f"v.k = 2 AND d.id IN (SELECT a.dossier_id FROM {t.apology} a)"
                ),
            },
            f"CASE WHEN v.k = 1 THEN {ld('d.received_at')} ELSE {done} END",
            f"FROM {t.dossier} d CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2) v"
            f" WHERE ((v.k = 1 AND {in_range('d.received_at')})"
            f" OR (v.k = 2 AND {in_range('d.completed_at')}))"
            f"{prov('d')} AND d.competent_unit_id IS NOT NULL",
        )
    )
    # once-only: papers of the range's received dossiers taken from a registry (province of the paper),
    # counted per dossier first (two hash aggregations; no COUNT(DISTINCT), which sorts)
    branches.append(
        _branch(
            measures,
            {"documents_reused": "SUM(g.n)", "received_with_reuse": "COUNT(*)"},
            ld("g.received_at"),
            "FROM (SELECT d.id, d.province_code, d.competent_commune_code, d.competent_unit_id,"
            f" d.procedure_id, d.received_at, COUNT(*) AS n FROM {t.document} x"
            f" JOIN {t.dossier} d ON d.id = x.dossier_id"
            f" WHERE {in_range('d.received_at')} AND x.reused_from_registry <> ''{prov('x')}"
            " AND d.competent_unit_id IS NOT NULL"
            " GROUP BY d.id, d.province_code, d.competent_commune_code, d.competent_unit_id, d.procedure_id,"
            " d.received_at) g",
            key_alias="g",
        )
    )
    # events of the range from the related tables, each on its own local day, joined to their dossier
    # once: kind 1 supplement request (v = its number), 2 apology letter, 3 payment (v = 1 online),
    # 4 rating (v = score), 5 complaint, 6 a dossier's first complaint ever
    events = [
        f"SELECT x.dossier_id, x.requested_at AS at, 1 AS kind, x.number AS v FROM {t.supplement} x"
        f" WHERE {in_range('x.requested_at')}{prov('x')}",
        f"SELECT x.dossier_id, x.issued_at, 2, 0 FROM {t.apology} x"
        f" WHERE {in_range('x.issued_at')}{prov('x')}",
        f"SELECT x.dossier_id, x.paid_at, 3, CASE WHEN x.method = 'online' THEN 1 ELSE 0 END"
        f" FROM {t.payment} x WHERE {in_range('x.paid_at')}{prov('x')}",
        f"SELECT x.dossier_id, x.at, 4, x.score FROM {t.rating} x WHERE {in_range('x.at')}{prov('x')}",
        f"SELECT x.dossier_id, x.at, 5, 0 FROM {t.complaint} x WHERE {in_range('x.at')}{prov('x')}",
        f"SELECT c.dossier_id, MIN(c.at), 6, 0 FROM {t.complaint} c"
        f" WHERE c.dossier_id IN (SELECT x.dossier_id FROM {t.complaint} x"
        f" WHERE {in_range('x.at')}{prov('x')}) GROUP BY c.dossier_id HAVING {in_range('MIN(c.at)')}",
    ]
    branches.append(
        _branch(
            measures,
            {
                "supplement_requests": cnt("e.kind = 1"),
                "second_supplements": cnt("e.kind = 1 AND e.v >= 2"),
                "apology_letters": cnt("e.kind = 2"),
                "payments": cnt("e.kind = 3"),
                "payments_online": cnt("e.kind = 3 AND e.v = 1"),
                "ratings": cnt("e.kind = 4"),
                "rating_points": "COALESCE(SUM(e.v) FILTER (WHERE e.kind = 4), 0)",
                "ratings_satisfied": cnt("e.kind = 4 AND e.v >= 4"),
                "complaints": cnt("e.kind = 5"),
                "complained_dossiers": cnt("e.kind = 6"),
            },
            ld("e.at"),
            f"FROM ({' UNION ALL '.join(events)}) e JOIN {t.dossier} d ON d.id = e.dossier_id"
            " WHERE d.competent_unit_id IS NOT NULL",
        )
    )

    # backlog: dossiers open at the end of at least one day of the range
    far, least, greatest = dialect.far, dialect.least, dialect.greatest
    finish = (
        "CASE WHEN d.completed_at IS NULL THEN d.closed_at WHEN d.closed_at IS NULL THEN d.completed_at"
        " WHEN d.completed_at < d.closed_at THEN d.completed_at ELSE d.closed_at END"
    )
    key_cols = (
        "d.province_code, COALESCE(d.competent_commune_code, '') AS commune_code,"
        " d.competent_unit_id AS unit_id, d.procedure_id"
    )
    # per dossier at most three +1/−1 events (cat columns w within, o overdue, p paused, n no limit):
    # at rd it enters its unpaused category (pre = within or no limit before od, overdue from od on),
    # at od (if rd < od < ed) it moves from pre to overdue, at ed it leaves; a pause interval [a, z)
    # clipped to [rd, ed) moves it from its unpaused category to paused and back (split at od)
    pre_w = "CASE WHEN b.no_limit = 0 THEN {v} ELSE 0 END"
    pre_n = "CASE WHEN b.no_limit = 1 THEN {v} ELSE 0 END"

    def ev(day: str, w: str, o: str, pz: str, n: str, source: str, cond: str) -> str:
        # a rebuild carries the events before the range to its first day (the opening backlog); the
        # incremental path has that backlog from the stored rows and drops them
        shown, lower = (day, f" AND {day} >= {p('start')}") if opening else (greatest(day, p("start")), "")
        return (
            f"SELECT b.province_code, b.commune_code, b.unit_id, b.procedure_id,"
            f" {shown} AS day, {w} AS w, {o} AS o, {pz} AS pz, {n} AS n"
            f" FROM {source} WHERE {cond}{lower} AND {day} <= {p('end')}"
        )

    def pre(v: str) -> tuple[str, str]:
        return pre_w.format(v=v), pre_n.format(v=v)

    enter_pre, leave_pre = (
        pre("CASE WHEN b.od > b.rd THEN 1 ELSE 0 END"),
        pre("CASE WHEN b.od >= b.ed THEN -1 ELSE 0 END"),
    )
    deltas = [
        ev(
            "b.rd",
            enter_pre[0],
            "CASE WHEN b.od <= b.rd THEN 1 ELSE 0 END",
            "0",
            enter_pre[1],
            "bd b",
            "b.rd < b.ed",
        ),
        ev("b.od", pre("-1")[0], "1", "0", pre("-1")[1], "bd b", "b.rd < b.od AND b.od < b.ed"),
        ev(
            "b.ed",
            leave_pre[0],
            "CASE WHEN b.od < b.ed THEN -1 ELSE 0 END",
            "0",
            leave_pre[1],
            "bd b",
            f"b.rd < b.ed AND b.ed < {far}",
        ),
    ]
    # pauses: lo = max(a, rd), hi = min(z, ed); pre part [lo, min(hi, od)), overdue part [max(lo, od), hi)
    lo, hi = greatest("b.a", "b.rd"), least("b.z", "b.ed")
    pm_src = "pj b"  # the (few) paused dossiers, joined once
    pre_hi, ov_lo = least(hi, "b.od"), greatest(lo, "b.od")
    deltas += [
        ev(lo, "0", "0", "1", "0", pm_src, f"{lo} < {hi}"),
        ev(hi, "0", "0", "-1", "0", pm_src, f"{lo} < {hi} AND {hi} < {far}"),
        ev(lo, pre("-1")[0], "0", "0", pre("-1")[1], pm_src, f"{lo} < {pre_hi}"),
        ev(pre_hi, pre("1")[0], "0", "0", pre("1")[1], pm_src, f"{lo} < {pre_hi} AND {pre_hi} < {far}"),
        ev(ov_lo, "0", "-1", "0", "0", pm_src, f"{ov_lo} < {hi}"),
        ev(hi, "0", "1", "0", "0", pm_src, f"{ov_lo} < {hi} AND {hi} < {far}"),
    ]
    if opening:
        deltas.append(
            "SELECT r.province_code, r.commune_code, r.unit_id, r.procedure_id,"
            f" {p('start')} AS day, r.open_within AS w, r.open_overdue AS o, r.open_paused AS pz,"
            f" r.open_no_limit AS n FROM {t.rollup} r WHERE r.day = {p('before')}{prov('r')}"
        )
    deltas_sql = "\n  UNION ALL\n  ".join(deltas)
    if opening:
        # every dossier whose category may change inside the range (indexes: dossiers 0002, 0004)
        dossiers_read = (
            f"({in_range('d.received_at')} OR {in_range('d.completed_at')} OR {in_range('d.closed_at')}"
            f" OR {in_range('d.due_at')} OR d.id IN (SELECT s.dossier_id FROM {t.supplement} s"
            f" WHERE ({in_range('s.requested_at')} OR {in_range('s.completed_at')}){prov('s')}))"
        )
        # a pause supplied on the first day ends inside the range; the dossier's other pauses only
        # matter where they overlap those (islands)
        pauses_read = (
            f"(s.completed_at IS NULL OR s.completed_at >= {p('start_at')})"
            " AND s.dossier_id IN (SELECT id FROM bd0)"
        )
    else:
        # open at the end of at least one day of the range; the last line is implied by the two before
        # it, spelt out so that an index can serve each arm (dossiers 0002)
        dossiers_read = (
            f"d.received_at < {p('end_at')}"
            f" AND (d.completed_at IS NULL OR d.completed_at >= {p('first_end_at')})"
            f" AND (d.closed_at IS NULL OR d.closed_at >= {p('first_end_at')})"
            f" AND ((d.completed_at IS NULL AND d.closed_at IS NULL) OR d.completed_at >= {p('first_end_at')}"
            f" OR d.closed_at >= {p('first_end_at')})"
        )
        pauses_read = f"(s.completed_at IS NULL OR s.completed_at >= {p('first_end_at')})"
    seconds_read = " AND s.dossier_id IN (SELECT id FROM bd0)" if opening else ""
    ctes = f"""
bd0 AS (
  SELECT d.id, {key_cols}, {ld("d.received_at")} AS rd,
         COALESCE({ld(finish)}, {far}) AS ed, {ld("d.due_at")} AS dd
  FROM {t.dossier} d
  WHERE {dossiers_read} AND d.competent_unit_id IS NOT NULL{prov("d")}
),
s2 AS (
  SELECT s.dossier_id, MIN(s.requested_at) AS first_second
  FROM {t.supplement} s WHERE s.number >= 2 AND s.requested_at < {p("end_at")}{prov("s")}{seconds_read}
  GROUP BY s.dossier_id
),
bd AS (
  SELECT bd0.id, bd0.province_code, bd0.commune_code, bd0.unit_id, bd0.procedure_id, bd0.rd, bd0.ed,
         CASE WHEN bd0.dd IS NULL THEN 1 ELSE 0 END AS no_limit,
         {least(f"COALESCE({ld('s2.first_second')}, {far})", f"COALESCE(bd0.dd, {far})")} AS od
  FROM bd0 LEFT JOIN s2 ON s2.dossier_id = bd0.id
),
pz0 AS (
  SELECT s.dossier_id, {ld("s.requested_at")} AS ps, COALESCE({ld("s.completed_at")}, {far}) AS pe
  FROM {t.supplement} s
  WHERE s.requested_at < {p("end_at")} AND {pauses_read}{prov("s")}
),
pz1 AS (
  SELECT dossier_id, ps, pe,
         MAX(pe) OVER (PARTITION BY dossier_id ORDER BY ps, pe
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
  FROM pz0 WHERE ps < pe
),
pz2 AS (
  SELECT dossier_id, ps, pe,
         SUM(CASE WHEN prev_end IS NULL OR ps > prev_end THEN 1 ELSE 0 END)
           OVER (PARTITION BY dossier_id ORDER BY ps, pe ROWS UNBOUNDED PRECEDING) AS island
  FROM pz1
),
pm AS (SELECT dossier_id, MIN(ps) AS a, MAX(pe) AS z FROM pz2 GROUP BY dossier_id, island),
pj AS (
  SELECT b.province_code, b.commune_code, b.unit_id, b.procedure_id, b.rd, b.ed, b.od, b.no_limit, m.a, m.z
  FROM pm m JOIN bd b ON b.id = m.dossier_id
),
dg AS (
  SELECT province_code, commune_code, unit_id, procedure_id, day,
         CAST(SUM(w) AS INTEGER) AS w, CAST(SUM(o) AS INTEGER) AS o, CAST(SUM(pz) AS INTEGER) AS pz,
         CAST(SUM(n) AS INTEGER) AS n
  FROM (
  {deltas_sql}
  ) dl
  GROUP BY province_code, commune_code, unit_id, procedure_id, day
),
cum AS (
  SELECT province_code, commune_code, unit_id, procedure_id, day,
         CAST(SUM(w) OVER win AS INTEGER) AS w, CAST(SUM(o) OVER win AS INTEGER) AS o,
         CAST(SUM(pz) OVER win AS INTEGER) AS pz, CAST(SUM(n) OVER win AS INTEGER) AS n,
         LEAD(day) OVER (PARTITION BY province_code, commune_code, unit_id, procedure_id ORDER BY day) AS nxt
  FROM dg
  WINDOW win AS (PARTITION BY province_code, commune_code, unit_id, procedure_id ORDER BY day
                 ROWS UNBOUNDED PRECEDING)
)"""

    if dialect.vendor == "postgresql":
        expand = (
            "FROM cum CROSS JOIN LATERAL"
            f" generate_series(0, COALESCE(cum.nxt, {p('end')} + 1) - cum.day - 1) AS g(k)"
            " WHERE cum.w <> 0 OR cum.o <> 0 OR cum.pz <> 0 OR cum.n <> 0"
        )
        day_expr = "cum.day + g.k"
    else:
        ctes += f""",
cal(day) AS (
  SELECT {p("start")} UNION ALL SELECT {dialect.plus_days("day", "1")} FROM cal WHERE day < {p("end")}
)"""
        expand = (
            "FROM cum JOIN cal ON cal.day >= cum.day AND (cum.nxt IS NULL OR cal.day < cum.nxt)"
            " WHERE cum.w <> 0 OR cum.o <> 0 OR cum.pz <> 0 OR cum.n <> 0"
        )
        day_expr = "cal.day"
    snapshot_values = {
        "open_within": "cum.w",
        "open_overdue": "cum.o",
        "open_paused": "cum.pz",
        "open_no_limit": "cum.n",
    }
    backlog_cols = [
        f"{day_expr} AS day",
        "cum.province_code",
        "cum.commune_code",
        "cum.unit_id",
        "cum.procedure_id",
    ] + [f"{snapshot_values.get(m, '0')} AS {m}" for m in measures]
    branches.append(f"SELECT {', '.join(backlog_cols)}\n{expand}")

    names = ", ".join(["day", *KEY, *measures])
    sums = ", ".join(f"SUM({m}) AS {m}" for m in measures)
    union = "\nUNION ALL\n".join(branches)
    with_ctes = f"WITH RECURSIVE {ctes.strip()}\n"
    grouped = f"SELECT day, {', '.join(KEY)}, {sums}\nFROM (\n{union}\n) u\nGROUP BY day, {', '.join(KEY)}"
    select = with_ctes + grouped
    if dialect.vendor == "postgresql":
        # PostgreSQL plans INSERT … SELECT without parallel workers, and rows inserted in hash order
        # update the rollup table's seven B-trees at random places: compute into a temporary table
        # (parallel), then insert it sorted by the unique key
        # (dropped explicitly: several rebuilds may share one outer transaction)
        return [
            "DROP TABLE IF EXISTS rollup_new",
            f"CREATE TEMPORARY TABLE rollup_new ON COMMIT DROP AS\n{select}",
            f"INSERT INTO {t.rollup} ({names}) SELECT {names} FROM rollup_new"
            " ORDER BY day, unit_id, procedure_id",
            "DROP TABLE rollup_new",
        ]
    return [f"{with_ctes}INSERT INTO {t.rollup} ({names})\n{grouped}"]
