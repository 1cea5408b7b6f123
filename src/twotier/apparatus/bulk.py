"""Fast inserts for the registry's high-volume rows (assignments, dispositions, officials).

A reorganization of the HCMC Police moves some ten thousand people at once; building a Django model
instance per row costs more than the insert itself. `insert_rows` sends plain tuples with one
`executemany` per batch, converting only the values whose database form differs (dates, JSON,
datetimes) through the field itself, so it behaves the same on SQLite and PostgreSQL. It bypasses
`save()` on purpose: callers are services that have already validated the rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connections, models

_CONVERTED = (models.DateField, models.DateTimeField, models.JSONField)


# The columns the seed scenario and the officials import write, in this order.
OFFICIAL_FIELDS = [
    "staff_no",
    "full_name",
    "birth_year",
    "qualifications",
    "skills",
    "digital_skill",
    "grade",
    "years_of_service",
    "home_commune_code",
    "province_code",
    "commune_code",
    "created_at",
    "updated_at",
]


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], batch_size: int = 5000
) -> int:
    connection = connections[DEFAULT_DB_ALIAS]
    opts = model._meta
    columns = [opts.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(c.column) for c in columns)}) VALUES "
    one = f"({', '.join(['%s'] * len(columns))})"
    # SQLite's executemany runs in C; on PostgreSQL, COPY (psycopg's executemany sends one statement
    # per row, and client-side interpolation of a huge multi-row VALUES is slower still).
    copy = connection.vendor == "postgresql"
    copy_sql = f"COPY {quote(opts.db_table)} ({', '.join(quote(c.column) for c in columns)}) FROM STDIN"
    convert = [(i, c) for i, c in enumerate(columns) if isinstance(c, _CONVERTED)]
    # the same few dates and lists repeat across thousands of rows: convert each distinct value once
    cache: dict[tuple[int, object], object] = {}
    count = 0
    chunk: list[list] = []

    def flush(cursor) -> None:
        if copy:
            with cursor.cursor.copy(copy_sql) as stream:
                for values in chunk:
                    stream.write_row(values)
        else:
            cursor.executemany(head + one, chunk)

    with connection.cursor() as cursor:
        for row in rows:
            values = list(row)
            for i, column in convert:
                value = values[i]
                key = (i, tuple(value) if isinstance(value, list) else value)
                if isinstance(value, dict):
                    key = (i, json.dumps(value, sort_keys=True, default=str))
                if key not in cache:
                    cache[key] = column.get_db_prep_save(value, connection)
                values[i] = cache[key]
            chunk.append(values)
            if len(chunk) >= batch_size:
                flush(cursor)
                count += len(chunk)
                chunk = []
        if chunk:
            flush(cursor)
            count += len(chunk)
    return count
