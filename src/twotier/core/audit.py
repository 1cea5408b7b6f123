"""Access audit: record reads of citizens' personal data (who, what, when, from where)."""

from __future__ import annotations

from collections.abc import Iterable

from .clientip import client_ip
from .models import AccessLog


def log_access(
    request, object_type: str, object_ids: Iterable[object], action: str = AccessLog.Action.READ
) -> int:
    """Write one AccessLog row per object read; returns how many were written."""
    user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
    ip = client_ip(request)
    rows = [
        AccessLog(
            user=user,
            action=action,
            object_type=object_type,
            object_id=str(oid),
            path=request.path[:300],
            ip=ip,
        )
        for oid in object_ids
    ]
    AccessLog.objects.bulk_create(rows)
    return len(rows)
