"""The set-based rollup as SQL text (pure: no ORM, no connection; `services.rebuild` runs it).

One statement rebuilds every `DailyRollup` row of a day range, reading each source table once:

1. one pass over the dossiers of the range, each giving up to four rows (k = 1 its receipt, 2 its
   completion, 3 the day it leaves the backlog, 4 the day it becomes overdue) that carry both the
   flows (received by channel, completed early / on time / late) and the backlog changes (+1/−1 per
   category: w within time, o overdue, pz paused, n no time limit), grouped by (day, key);
2. the pauses (supplement requests merged into disjoint intervals), as backlog changes;
3. the related tables (papers, supplement requests, apology letters, payments, ratings, complaints),
   each row on its own local day, joined to their dossier once;
4. the three summed per (day, key); running sums over the days turn the changes into the backlog at
   the end of each day, and each row is repeated over the following days without a change.

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
BACKLOG = ("w", "o", "pz", "n")  # the backlog categories' columns while summing changes


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
        # UTC+07:00 by arithmetic: on PostgreSQL the statements run with TimeZone = 'UTC' (set by
        # `services`), where this is several times cheaper than AT TIME ZONE 'Asia/Ho_Chi_Minh'
        if self.vendor == "postgresql":
            return f"(({column}) + INTERVAL '7 hours')::date"
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


def _branch(flows: Sequence[str], values: dict[str, str], day: str, source: str, key_alias: str) -> str:
    """One source grouped by (day, key): every flow and w, o, pz, n, 0 where this source has none."""
    cols = [
        f"{day} AS day",
        f"{key_alias}.province_code AS province_code",
        f"{key_alias}.commune_code AS commune_code",
        f"{key_alias}.unit_id AS unit_id",
        f"{key_alias}.procedure_id AS procedure_id",
    ]
    # integers (not PostgreSQL's bigint counts): the outer SUM then keeps an int8, not a numeric, state
    cols += [
        f"CAST({values[m]} AS INTEGER) AS {m}" if m in values else f"0 AS {m}" for m in (*flows, *BACKLOG)
    ]
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

    `snapshot_fields` are the backlog columns in the order within, overdue, paused, no limit.
    `opening` (the incremental path): the backlog at the end of the day before the range is taken
    from its stored rows, and only the dossiers with a backlog event inside the range are read
    (received, finished, due, supplement requested or supplied there); each event counts on its own
    day instead of being carried to `start`. Without it the backlog is recomputed from every dossier
    open in the range (a rebuild needs no earlier rows).
    """
    ld = dialect.local_date
    far, least, greatest = dialect.far, dialect.least, dialect.greatest
    flows = list(flow_fields)

    def p(name: str) -> str:
        return dialect.param(name, is_date=name in ("start", "end", "before"))

    def prov(alias: str) -> str:
        return f" AND {alias}.province_code = {p('province')}" if one_province else ""

    def in_range(column: str) -> str:
        return f"{column} >= {p('start_at')} AND {column} < {p('end_at')}"

    def cnt(cond: str) -> str:
        return f"COUNT(*) FILTER (WHERE {cond})"

    def shown(day: str) -> tuple[str, str]:
        """(the day a backlog change is counted on, the extra condition): a rebuild carries the changes
        before the range to its first day (the opening backlog); the incremental path has that backlog
        from the stored rows and drops them."""
        if opening:
            return day, f" AND {day} >= {p('start')}"
        return greatest(day, p("start")), ""

    finish = (
        "CASE WHEN d.completed_at IS NULL THEN d.closed_at WHEN d.closed_at IS NULL THEN d.completed_at"
        " WHEN d.completed_at < d.closed_at THEN d.completed_at ELSE d.closed_at END"
    )
    overdue_from = least(f"COALESCE({ld('s2.first_second')}, {far})", f"COALESCE({ld('d.due_at')}, {far})")
    # a dossier's key and days (rd receipt, cd completion, ed leaves the backlog, du due, od overdue
    # from, nl 1 without a time limit); `d` the dossier, `s2` its first second supplement request
    dossier_cols = (
        "d.id, d.province_code, COALESCE(d.competent_commune_code, '') AS commune_code,"
        " d.competent_unit_id AS unit_id, d.procedure_id,"
        f" {ld('d.received_at')} AS rd, COALESCE({ld('d.completed_at')}, {far}) AS cd,"
        f" COALESCE({ld(finish)}, {far}) AS ed, {ld('d.due_at')} AS du,"
        f" {overdue_from} AS od,"
        " CASE WHEN d.due_at IS NULL THEN 1 ELSE 0 END AS nl"
    )

    changed = ""  # the incremental path's first stage: the dossiers it reads, one row each
    if opening:
        # every dossier whose category may change inside the range, one indexed arm per kind of
        # change (indexes on each time, led by the province: dossiers 0002, 0004)
        cols = (
            "d.id, d.province_code, d.competent_commune_code, d.competent_unit_id, d.procedure_id,"
            " d.received_at, d.completed_at, d.closed_at, d.due_at, d.channel, d.is_digitised,"
            " d.counts_as_overdue"
        )
        still_open = {  # a finish or a due time changes nothing for a dossier finished before
            column: " AND ".join(
                f"(d.{other} IS NULL OR d.{other} >= {p('start_at')})"
                for other in ("completed_at", "closed_at")
                if other != column
            )
            for column in ("completed_at", "closed_at", "due_at")
        }
        arms = [f"SELECT {cols} FROM {t.dossier} d WHERE {in_range('d.received_at')}{prov('d')}"] + [
            f"SELECT {cols} FROM {t.dossier} d WHERE {in_range(f'd.{column}')}{prov('d')}"
            f" AND {still_open[column]}"
            for column in ("completed_at", "closed_at", "due_at")
        ]
        arms += [
            f"SELECT {cols} FROM {t.supplement} s JOIN {t.dossier} d ON d.id = s.dossier_id"
            f" WHERE {in_range(f's.{column}')}{prov('s')}"
            for column in ("requested_at", "completed_at")
        ]
        changed = " UNION ".join(arms)
        dossier_source, dossiers_read = "rb_changed", "1 = 1"
        # a pause supplied on the first day ends inside the range; the dossier's other pauses only
        # matter where they overlap those (islands)
        pauses_read = (
            f"(s.completed_at IS NULL OR s.completed_at >= {p('start_at')})"
            " AND s.dossier_id IN (SELECT id FROM rb_changed)"
        )
        seconds_read = " AND s.dossier_id IN (SELECT id FROM rb_changed)"
    else:
        # received in the range, or open at the start of one of its days (completed inside it, or
        # later, or never): the dossiers a rebuild of the range counts
        dossiers_read = (
            f"d.received_at < {p('end_at')} AND (d.received_at >= {p('start_at')}"
            f" OR d.completed_at >= {p('start_at')} OR d.closed_at >= {p('start_at')}"
            " OR (d.completed_at IS NULL AND d.closed_at IS NULL))"
        )
        pauses_read = f"(s.completed_at IS NULL OR s.completed_at >= {p('first_end_at')})"
        seconds_read = ""
        dossier_source = t.dossier

    # (1) the dossiers, each unpivoted into its days: receipt (k = 1; enters the backlog), completion
    # (2), leaving the backlog (3, when not the completion day), overdue from (4; moves from within /
    # no limit to overdue), each row carrying its backlog changes w, o, n
    enters, moves = "b.rd < b.ed AND b.od > b.rd", "b.rd < b.od AND b.od < b.ed"
    leaves_pre, leaves_over = "b.rd < b.ed AND b.od >= b.ed", "b.rd < b.ed AND b.od < b.ed"
    same_day = "b.ed = b.cd"

    def changes(pre_when: str, pre_by: int, over_when: str, over_by: int) -> tuple[str, str, str]:
        """(w, o, n): `pre_by` to within (nl = 0) or no limit (nl = 1), `over_by` to overdue."""
        pre = f"CASE WHEN {pre_when} THEN {pre_by} ELSE 0 END"
        over = f"CASE WHEN {over_when} THEN {over_by} ELSE 0 END"
        return f"CASE WHEN b.nl = 0 THEN {pre} ELSE 0 END", over, f"CASE WHEN b.nl = 1 THEN {pre} ELSE 0 END"

    unpivot = [  # (k, day, w, o, n)
        ("1", "b.rd", *changes(enters, 1, "b.rd < b.ed AND b.od <= b.rd", 1)),
        # the completion usually is the day it leaves the backlog: one row then carries both
        ("2", "b.cd", *changes(f"{same_day} AND {leaves_pre}", -1, f"{same_day} AND {leaves_over}", -1)),
        ("3", f"CASE WHEN {same_day} THEN NULL ELSE b.ed END", *changes(leaves_pre, -1, leaves_over, -1)),
        ("4", "b.od", *changes(moves, -1, moves, 1)),
    ]
    if dialect.vendor == "postgresql":
        # unnest of arrays, not a VALUES list: PostgreSQL compiles a correlated VALUES list's
        # expressions again for every outer row (nodeValuesscan.c), 30 µs a dossier here
        arrays = ", ".join(f"ARRAY[{', '.join(row[i] for row in unpivot)}]" for i in range(5))
        unpivoted = f"SELECT b.*, v.* FROM bd b CROSS JOIN LATERAL unnest({arrays}) AS v(k, day, w, o, n)"
    else:  # SQLite has no LATERAL: a four-row table and a CASE per column
        cols = [
            "CASE v.k " + " ".join(f"WHEN {row[0]} THEN {row[i]}" for row in unpivot) + f" END AS {name}"
            for i, name in ((1, "day"), (2, "w"), (3, "o"), (4, "n"))
        ]
        unpivoted = (
            f"SELECT b.*, v.k, {', '.join(cols)} FROM bd b"
            " CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) v"
        )
    counted, lower = shown("x.day")
    recv = f"x.k = 1 AND x.day >= {p('start')}"
    done = f"x.k = 2 AND x.day >= {p('start')} AND NOT x.counts_as_overdue"
    completed = f"x.k = 2 AND x.day >= {p('start')}"
    dossier_rows = _branch(
        flows,
        {
            "received": cnt(recv),
            "received_in_person": cnt(f"{recv} AND x.channel = 1"),
            "received_online": cnt(f"{recv} AND x.channel = 2"),
            "received_postal": cnt(f"{recv} AND x.channel = 3"),
            "received_digitised": cnt(f"{recv} AND x.is_digitised"),
            # completed against due_at by calendar date; a second supplement request makes it late
            "completed_early": cnt(f"{done} AND x.du > x.day"),
            "completed_on_time": cnt(f"{done} AND x.du = x.day"),
            "completed_late": cnt(f"{completed} AND (x.counts_as_overdue OR x.du < x.day)"),
            "completed_no_limit": cnt(f"{done} AND x.du IS NULL"),
            "completed_with_apology": cnt(
                f"{completed} AND x.id IN (SELECT a.dossier_id FROM {t.apology} a)"
            ),
            "w": "SUM(x.w)",
            "o": "SUM(x.o)",
            "n": "SUM(x.n)",
        },
        counted,
        f"FROM ({unpivoted}) x"
        f" WHERE x.day <= {p('end')}{lower}"
        f" AND ((x.k <= 2 AND x.day >= {p('start')}) OR x.w <> 0 OR x.o <> 0 OR x.n <> 0)",
        key_alias="x",
    )
    # (2) pauses: lo = max(a, rd), hi = min(z, ed); the part before od [lo, min(hi, od)) moves the
    # dossier from within / no limit to paused, the part from od on [max(lo, od), hi) from overdue
    lo, hi = greatest("b.a", "b.rd"), least("b.z", "b.ed")
    pre_hi, ov_lo = least(hi, "b.od"), greatest(lo, "b.od")
    pause_changes = [
        # (day, w, o, pz, n, condition)
        (lo, "0", "0", "1", "0", f"{lo} < {hi}"),
        (hi, "0", "0", "-1", "0", f"{lo} < {hi} AND {hi} < {far}"),
        (lo, "-b.pre_w", "0", "0", "-b.pre_n", f"{lo} < {pre_hi}"),
        (pre_hi, "b.pre_w", "0", "0", "b.pre_n", f"{lo} < {pre_hi} AND {pre_hi} < {far}"),
        (ov_lo, "0", "-1", "0", "0", f"{ov_lo} < {hi}"),
        (hi, "0", "1", "0", "0", f"{ov_lo} < {hi} AND {hi} < {far}"),
    ]
    pause_parts = []
    for day, w, o, pz, n, cond in pause_changes:
        at, extra = shown(day)
        pause_parts.append(
            f"SELECT b.province_code, b.commune_code, b.unit_id, b.procedure_id, {at} AS day,"
            f" {w} AS w, {o} AS o, {pz} AS pz, {n} AS n FROM pj b WHERE {cond}{extra} AND {day} <= {p('end')}"
        )
    pause_rows = _branch(
        flows,
        {c: f"SUM(c.{c})" for c in BACKLOG},
        "c.day",
        "FROM (\n  " + "\n  UNION ALL ".join(pause_parts) + "\n) c",
        key_alias="c",
    )
    # (3) papers of the range's received dossiers taken from a registry (province of the paper), counted
    # per dossier first (two hash aggregations; no COUNT(DISTINCT), which sorts)
    paper_rows = _branch(
        flows,
        {"documents_reused": "SUM(g.n)", "received_with_reuse": "COUNT(*)"},
        ld("g.received_at"),
        "FROM (SELECT d.id, d.province_code, COALESCE(d.competent_commune_code, '') AS commune_code,"
        " d.competent_unit_id AS unit_id, d.procedure_id, d.received_at, COUNT(*) AS n"
        f" FROM {t.document} x JOIN {t.dossier} d ON d.id = x.dossier_id"
        f" WHERE {in_range('d.received_at')} AND x.reused_from_registry <> ''{prov('x')}"
        " AND d.competent_unit_id IS NOT NULL"
        " GROUP BY d.id, d.province_code, d.competent_commune_code, d.competent_unit_id, d.procedure_id,"
        " d.received_at) g",
        key_alias="g",
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
    event_rows = _branch(
        flows,
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
        "FROM (SELECT e.*, d.province_code, COALESCE(d.competent_commune_code, '') AS commune_code,"
        " d.competent_unit_id AS unit_id, d.procedure_id"
        f" FROM ({' UNION ALL '.join(events)}) e JOIN {t.dossier} d ON d.id = e.dossier_id"
        " WHERE d.competent_unit_id IS NOT NULL) e",
        key_alias="e",
    )
    # the incremental path: the backlog at the end of the day before, as changes on the first day
    opening_rows = (
        f"SELECT {p('start')} AS day, r.province_code, r.commune_code, r.unit_id, r.procedure_id,"
        f" {', '.join(['0'] * len(flows))}, r.open_within, r.open_overdue, r.open_paused, r.open_no_limit"
        f" FROM {t.rollup} r WHERE r.day = {p('before')}{prov('r')}"
    )

    dossier_ctes = f"""
s2 AS (
  SELECT s.dossier_id, MIN(s.requested_at) AS first_second
  FROM {t.supplement} s WHERE s.number >= 2 AND s.requested_at < {p("end_at")}{prov("s")}{seconds_read}
  GROUP BY s.dossier_id
)"""
    bd = f"""
bd AS (
  SELECT {dossier_cols}, d.channel, d.is_digitised, d.counts_as_overdue
  FROM {dossier_source} d LEFT JOIN s2 ON s2.dossier_id = d.id
  WHERE {dossiers_read} AND d.competent_unit_id IS NOT NULL{prov("d")}
)"""
    pause_ctes = f"""
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
  SELECT b.*, CASE WHEN b.nl = 0 THEN 1 ELSE 0 END AS pre_w, b.nl AS pre_n
  FROM (SELECT {dossier_cols}, m.a, m.z FROM pm m JOIN {t.dossier} d ON d.id = m.dossier_id
        LEFT JOIN s2 ON s2.dossier_id = d.id WHERE d.competent_unit_id IS NOT NULL) b
)"""
    # each source is grouped into its own temporary table (PostgreSQL computes CREATE TABLE AS with
    # parallel workers, which it never does for INSERT … SELECT), then the daily rows are summed
    temp = "CREATE TEMPORARY TABLE {name}" + (" ON COMMIT DROP" if dialect.vendor == "postgresql" else "")
    grouped_stages = [
        ("rb_dossiers", f"WITH {dossier_ctes.strip()},{bd}\n{dossier_rows}"),
        ("rb_pauses", f"WITH {dossier_ctes.strip()},{pause_ctes}\n{pause_rows}"),
        ("rb_papers", paper_rows),
        ("rb_events", event_rows),
    ]
    stages = ([("rb_changed", changed)] if opening else []) + grouped_stages
    sources = [f"SELECT * FROM {name}" for name, _ in grouped_stages] + ([opening_rows] if opening else [])
    grouped = f"""
daily AS (
  SELECT day, {", ".join(KEY)}, {", ".join(f"SUM({m}) AS {m}" for m in (*flows, *BACKLOG))}
  FROM (
  {chr(10).join(("  UNION ALL " if i else "  ") + b for i, b in enumerate(sources))}
  ) u
  GROUP BY day, {", ".join(KEY)}
),
cum AS (
  SELECT daily.*, {", ".join(f"CAST(SUM({c}) OVER win AS INTEGER) AS c_{c}" for c in BACKLOG)},
         LEAD(day) OVER (PARTITION BY {", ".join(KEY)} ORDER BY day) AS nxt
  FROM daily
  WINDOW win AS (PARTITION BY {", ".join(KEY)} ORDER BY day ROWS UNBOUNDED PRECEDING)
)"""
    any_backlog = " OR ".join(f"cum.c_{c} <> 0" for c in BACKLOG)
    any_flow = " + ".join(f"cum.{m}" for m in flows) + " > 0"
    if dialect.vendor == "postgresql":
        expand = (
            "FROM cum CROSS JOIN LATERAL"
            f" generate_series(0, COALESCE(cum.nxt, {p('end')} + 1) - cum.day - 1) AS g(k)"
        )
        day_expr, first = "cum.day + g.k", "g.k = 0"
    else:
        grouped += f""",
cal(day) AS (
  SELECT {p("start")} UNION ALL SELECT {dialect.plus_days("day", "1")} FROM cal WHERE day < {p("end")}
)"""
        expand = "FROM cum JOIN cal ON cal.day >= cum.day AND (cum.nxt IS NULL OR cal.day < cum.nxt)"
        day_expr, first = "cal.day", "cal.day = cum.day"
    # each day's own row carries its flows; the days after it until the next change repeat its backlog
    cols = [f"{day_expr} AS day", *(f"cum.{k}" for k in KEY)]
    cols += [f"CASE WHEN {first} THEN cum.{m} ELSE 0 END AS {m}" for m in flows]
    cols += [f"cum.c_{c} AS {f}" for c, f in zip(BACKLOG, snapshot_fields, strict=True)]
    final = (
        f"WITH RECURSIVE {grouped.strip()}\nSELECT {', '.join(cols)}\n{expand}\n"
        f"WHERE {any_backlog} OR ({first} AND {any_flow})"
    )
    names = ", ".join(["day", *KEY, *flows, *snapshot_fields])
    tables = [name for name, _ in stages] + ["rollup_new"]
    # dropped explicitly: several rebuilds may share one outer transaction; rows inserted sorted by
    # the unique key update the rollup table's B-trees in order
    statements = [f"DROP TABLE IF EXISTS {name}" for name in tables]
    for name, sql in stages:
        statements.append(f"{temp.format(name=name)} AS\n{sql}")
        if name == "rb_changed":  # an estimate of the few changed dossiers picks index lookups by id
            statements.append("ANALYZE rb_changed")
    return [
        *statements,
        f"{temp.format(name='rollup_new')} AS\n{final}",
        f"INSERT INTO {t.rollup} ({names}) SELECT {names} FROM rollup_new"
        " ORDER BY day, unit_id, procedure_id",
        *(f"DROP TABLE {name}" for name in tables),
    ]
