"""Per-process cache of the reference rows every receipt reads (procedure, centre, competent unit).

Why: building those ORM queries costs ~18 ms of CPU per receipt (the competent unit alone ~11 ms),
most of a receipt's CPU on a 2-core server, for rows that change a few times a year.

Rules, so that a cached answer is never worse than the resolver cache of addresses.py:

- an entry lives TWOTIER_REFERENCE_CACHE_SECONDS (settings default 0: off until cross-process
  invalidation exists) and its key
  carries the receipt date (validity of units and responsibilities is by day);
- a save or delete of a unit, task, responsibility, delegation, procedure or procedure version in
  this process clears it at once (signals, wired in apps.py), as do `migrate`/`flush` and the
  reorganization hook; other processes see such a change within the TTL;
- it is used only in autocommit mode (outside any transaction.atomic block): inside a transaction
  the caller may be reading its own uncommitted changes (a rollback would leave the cache wrong),
  so there the rows are read from the database as before.

Failures (no competent unit, unknown procedure) are never cached.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings
from django.db import connection

T = TypeVar("T")
MAX_ENTRIES = 20_000  # ~3,300 communes × a few procedures: clear rather than grow without bound

_store: dict[Hashable, tuple[float, object]] = {}


def _ttl() -> float:
    return float(getattr(settings, "TWOTIER_REFERENCE_CACHE_SECONDS", 0))


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`'s value for `key`, from the cache when it is fresh and allowed (see module doc)."""
    ttl = _ttl()
    if ttl <= 0 or connection.in_atomic_block:
        return compute()
    now = time.monotonic()
    hit = _store.get(key)
    if hit is not None and now - hit[0] < ttl:
        return hit[1]  # type: ignore[return-value]
    value = compute()
    if len(_store) >= MAX_ENTRIES:
        _store.clear()
    _store[key] = (now, value)
    return value


def clear(*args, **kwargs) -> None:
    """Forget everything (signal receiver: accepts and ignores the signal's arguments)."""
    _store.clear()


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    from twotier.apparatus.models import Delegation, Responsibility, Task, Unit
    from twotier.procedures.models import Procedure, ProcedureVersion

    for model in (Unit, Task, Responsibility, Delegation, Procedure, ProcedureVersion):
        post_save.connect(clear, sender=model, dispatch_uid=f"dossiers-refcache-save-{model.__name__}")
        post_delete.connect(clear, sender=model, dispatch_uid=f"dossiers-refcache-delete-{model.__name__}")
    m2m_changed.connect(clear, sender=Delegation.tasks.through, dispatch_uid="dossiers-refcache-m2m")
    post_migrate.connect(clear, dispatch_uid="dossiers-refcache-migrate")
