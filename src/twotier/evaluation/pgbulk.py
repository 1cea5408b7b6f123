"""PostgreSQL bulk writes: drop a table's non-unique indexes before a large load, build them after.

Every row inserted into a table updates each of its B-trees at a random place; building an index once
from the loaded rows (a sort) is several times cheaper. Unique indexes (primary keys, unique
constraints) stay, so a bulk load still refuses duplicates. Used by the workload generator and by a
rollup rebuild that replaces every row of the rollup table. The DROP INDEX locks the table until the
transaction ends: readers wait for the load.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db import connection

INDEX_BUILD_MEMORY = "256MB"  # maintenance_work_mem while building the indexes again


def drop_secondary_indexes(tables: Sequence[str], log: Callable[[str], None] | None = None) -> list[str]:
    """Drop the non-unique indexes of `tables`; returns their definitions (CREATE INDEX …)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename = ANY(%s) AND indexdef NOT LIKE 'CREATE UNIQUE %%' ORDER BY indexname",
            [list(tables)],
        )
        found = cursor.fetchall()
        for name, definition in found:
            if log:
                log(f"{definition};")
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in found]


def create_indexes(definitions: Sequence[str]) -> None:
    if not definitions:
        return
    with connection.cursor() as cursor:
        # Django's foreign keys are checked at commit (deferred); PostgreSQL builds no index on a table
        # with checks pending, so run them now (then deferred again for the rest of the transaction)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(f"SET maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
        for definition in definitions:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")
