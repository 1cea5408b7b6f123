"""Shared writes that belong to no single domain app.

`bump_reference_version()`: every service that changes reference data (apparatus units,
responsibilities, delegations, tasks; the procedure catalogue; geography) calls it inside its own
transaction, so the counter moves exactly when the change commits (and not at all if it rolls back).
Per-process caches of reference rows compare it once per request (`reference_version()`).
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import ReferenceVersion


def bump_reference_version() -> None:
    """Move the reference-data counter on by one, in the caller's transaction.

    On PostgreSQL the UPDATE holds the row lock until the caller commits, so concurrent reference
    changes are serialised (they are rare: reorganizations, catalogue and geography loads).
    """
    now = timezone.now()
    if ReferenceVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now):
        return
    try:
        with transaction.atomic():  # first change ever (or after a flush): the row does not exist yet
            ReferenceVersion.objects.create(pk=1, version=1, changed_at=now)
    except IntegrityError:  # created meanwhile by a concurrent first change
        ReferenceVersion.objects.filter(pk=1).update(version=F("version") + 1, changed_at=now)


def reference_version() -> int:
    """The committed counter (0 before any change): one primary-key read, no ORM query building."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {ReferenceVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row else 0
