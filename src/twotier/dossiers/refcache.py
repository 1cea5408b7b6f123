"""Per-process cache of the reference rows every receipt reads (procedure, centre, competent unit).

Why: building those ORM queries costs ~18 ms of CPU per receipt (the competent unit alone ~11 ms),
most of a receipt's CPU on a 2-core server, for rows that change a few times a year.

Rules, so that a cached answer is never stale after a change has committed:

- cross-process invalidation: every service that changes reference data bumps the counter
  `core.ReferenceVersion` in its own transaction (core.services.bump_reference_version); a receipt
  calls `revalidate()` first, which reads the counter (one primary-key SELECT) and drops this
  process's cache (and the address resolver it holds) when the counter moved. So the next receipt
  after a reorganization commits routes to the successor unit, in every worker process;
- an entry also lives at most TWOTIER_REFERENCE_CACHE_SECONDS (default 300; 0 turns the cache off),
  a bound for callers that do not revalidate; its key carries the receipt date (validity of units
  and responsibilities is by day);
- a save or delete of a unit, task, responsibility, delegation, procedure or procedure version
  (admin, factories) clears it at once and bumps the counter (signals, wired in apps.py), as do
  `migrate`/`flush` and the reorganization hook;
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
_seen_version: list[int | None] = [None]  # the ReferenceVersion the store was filled under


def _ttl() -> float:
    return float(getattr(settings, "TWOTIER_REFERENCE_CACHE_SECONDS", 300))


def _usable() -> bool:
    return _ttl() > 0 and not connection.in_atomic_block


def revalidate() -> None:
    """Drop this process's cache if reference data changed anywhere since it was filled (one query).

    Call once per request/unit of work, before the first `cached()` lookup.
    """
    if not _usable():
        return
    from twotier.core.services import reference_version

    current = reference_version()
    if current != _seen_version[0]:
        clear()
        _seen_version[0] = current


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`'s value for `key`, from the cache when it is fresh and allowed (see module doc)."""
    if not _usable():
        return compute()
    now = time.monotonic()
    hit = _store.get(key)
    if hit is not None and now - hit[0] < _ttl():
        return hit[1]  # type: ignore[return-value]
    value = compute()
    if len(_store) >= MAX_ENTRIES:
        _store.clear()
    _store[key] = (now, value)
    return value


def clear(*args, **kwargs) -> None:
    """Forget everything, the address resolver included (signal receiver: ignores its arguments)."""
    from . import addresses

    _store.clear()
    _seen_version[0] = None
    addresses.forget_resolver()


def _changed(*args, **kwargs) -> None:
    """A reference row was saved or deleted in this process: clear now, and tell the other processes."""
    from twotier.core.services import bump_reference_version

    clear()
    bump_reference_version()


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    from twotier.apparatus.models import Delegation, Responsibility, Task, Unit
    from twotier.procedures.models import Procedure, ProcedureVersion

    for model in (Unit, Task, Responsibility, Delegation, Procedure, ProcedureVersion):
        post_save.connect(_changed, sender=model, dispatch_uid=f"dossiers-refcache-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"dossiers-refcache-delete-{model.__name__}")
    m2m_changed.connect(_changed, sender=Delegation.tasks.through, dispatch_uid="dossiers-refcache-m2m")
    post_migrate.connect(clear, dispatch_uid="dossiers-refcache-migrate")
