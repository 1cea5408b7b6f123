"""One task → one lead agency, over time, enforced by the database on both engines.

0001 already has the partial unique constraint `responsibility_one_open_lead` (one open lead row per
task, territory and tier). Closed periods need a range check:
- PostgreSQL: an exclusion constraint over `daterange(valid_from, valid_to, '[)')` (half-open, like the
  model; NULL valid_to = unbounded), which needs the btree_gist extension for the equality parts.
- SQLite: BEFORE INSERT / BEFORE UPDATE triggers that abort when an overlapping lead row exists
  (SQLite reports RAISE(ABORT) as a constraint failure, so Django raises IntegrityError).
Other engines are not supported by the project (settings allow only these two).
"""

from django.db import migrations

CONSTRAINT = "responsibility_one_lead_per_period"

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE apparatus_responsibility ADD CONSTRAINT {CONSTRAINT}
        EXCLUDE USING gist (
            task_id WITH =, province_code WITH =, commune_code WITH =, tier WITH =,
            daterange(valid_from, valid_to, '[)') WITH &&
        ) WHERE (role = 'lead')""",
]
PG_BACKWARD = [f"ALTER TABLE apparatus_responsibility DROP CONSTRAINT IF EXISTS {CONSTRAINT}"]

_OVERLAP = """
    SELECT RAISE(ABORT, '{name}: the task already has a lead unit in this territory on an overlapping date')
    WHERE EXISTS (
        SELECT 1 FROM apparatus_responsibility r
        WHERE r.role = 'lead' AND r.task_id = NEW.task_id AND r.province_code = NEW.province_code
          AND r.commune_code = NEW.commune_code AND r.tier = NEW.tier {extra}
          AND (r.valid_to IS NULL OR r.valid_to > NEW.valid_from)
          AND (NEW.valid_to IS NULL OR r.valid_from < NEW.valid_to)
    );
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER {CONSTRAINT}_insert BEFORE INSERT ON apparatus_responsibility
        WHEN NEW.role = 'lead'
        BEGIN {_OVERLAP.format(name=CONSTRAINT, extra="")} END""",
    f"""CREATE TRIGGER {CONSTRAINT}_update BEFORE UPDATE ON apparatus_responsibility
        WHEN NEW.role = 'lead'
        BEGIN {_OVERLAP.format(name=CONSTRAINT, extra="AND r.id <> NEW.id")} END""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {CONSTRAINT}_insert",
    f"DROP TRIGGER IF EXISTS {CONSTRAINT}_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"apparatus: no single-lead constraint for database vendor {schema_editor.connection.vendor!r}"
            )
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("apparatus", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
