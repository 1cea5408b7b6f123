"""Idempotent requests (`Idempotency-Key` header), as payment APIs do it.

- The first request with a key inserts a `running` record (its own short transaction) and runs; its
  answer (status and body) is stored in the same transaction as the work it did (`finish` is called
  from inside the service's transaction), so a stored answer always matches what was written.
- A retry with the same key by the same user within TWOTIER_IDEMPOTENCY_TTL_HOURS (24) gets the
  original status and body and creates nothing.
- The same key with a different body: 422. While the first is still running: 409.
- A `running` record older than TWOTIER_IDEMPOTENCY_LEASE_SECONDS (120) belongs to a request that
  died without an answer (its transaction rolled back): the next retry takes it over.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import IdempotencyRecord

MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class Replay:
    status: int
    body: Any


class KeyReused(Exception):
    """422: the key was used with a different request."""


class StillRunning(Exception):
    """409: the first request with this key has not finished."""


def _ttl() -> timedelta:
    return timedelta(hours=float(getattr(settings, "TWOTIER_IDEMPOTENCY_TTL_HOURS", 24)))


def _lease() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "TWOTIER_IDEMPOTENCY_LEASE_SECONDS", 120)))


def fingerprint(method: str, path: str, payload: Any) -> str:
    canonical = json.dumps([method.upper(), path, payload], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def begin(user, key: str, request_hash: str) -> IdempotencyRecord | Replay:
    """Claim `key` for this request, or return the stored answer. Raises KeyReused / StillRunning."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValueError("Idempotency-Key must be 1–255 characters")
    for _attempt in range(3):
        try:
            with transaction.atomic():
                _relax_commit()
                return IdempotencyRecord.objects.create(user=user, key=key, request_hash=request_hash)
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is None:
            continue  # expired and removed by another request meanwhile
        now = timezone.now()
        if existing.created_at < now - _ttl():
            IdempotencyRecord.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
            continue
        if existing.request_hash != request_hash:
            raise KeyReused
        if existing.state == IdempotencyRecord.State.RUNNING:
            if existing.created_at < now - _lease():
                IdempotencyRecord.objects.filter(
                    pk=existing.pk, state=IdempotencyRecord.State.RUNNING
                ).delete()
                continue
            raise StillRunning
        return Replay(existing.status_code or 200, existing.body)
    raise StillRunning


def _relax_commit() -> None:
    """On PostgreSQL, commit the `running` claim without waiting for its WAL flush (one fsync less per
    request). Safe: the claim is visible to other sessions at commit all the same (so a concurrent
    retry still gets 409), and the work's own transaction, which stores the answer, commits
    synchronously and flushes the WAL in order, the claim included. A crash before that loses at
    most a claim whose work never committed, and a lost claim only means the retry runs again,
    exactly what an abandoned claim means."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def finish(record: IdempotencyRecord, status: int, body: Any) -> None:
    """Store the answer; call inside the transaction of the work (or right after a refusal)."""
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        state=IdempotencyRecord.State.DONE, status_code=status, body=body
    )


def abandon(record: IdempotencyRecord) -> None:
    """The request failed unexpectedly: forget the key so that a retry runs again."""
    IdempotencyRecord.objects.filter(pk=record.pk, state=IdempotencyRecord.State.RUNNING).delete()


def purge_expired() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - _ttl()).delete()
    return deleted
