"""Citizens' access without an account: status lookup and online submission, rate-limited.

The lookup needs the receipt code and the last 4 digits of the applicant's phone or personal ID
number. Guessing 4 digits is cheap, so failed attempts are limited per client address (see
core.clientip for a server behind a reverse proxy) and per
receipt code (settings, optional: TWOTIER_LOOKUP_MAX_FAILURES, default 10, in
TWOTIER_LOOKUP_WINDOW_MINUTES, default 15). Attempts are kept in the database so that every worker
process shares the count.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from twotier.core.clientip import client_ip
from twotier.core.errors import DomainError

from .models import Dossier, LookupAttempt


class TooManyAttempts(DomainError):
    pass


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def client_of(request) -> str:
    """The client's address (core.clientip: REMOTE_ADDR, or TWOTIER_TRUSTED_PROXY_HEADER)."""
    return (client_ip(request) or "unknown")[:64]


def _check(keys: list[str], limit: int, window: timedelta, *, failures_only: bool = True) -> None:
    since = timezone.now() - window
    qs = LookupAttempt.objects.filter(client__in=keys, at__gte=since)
    if failures_only:
        qs = qs.filter(success=False)
    if qs.count() >= limit:
        raise TooManyAttempts(
            _("Quá nhiều lần thử. Vui lòng thử lại sau %(m)d phút.") % {"m": window.seconds // 60}
        )


def matches(dossier: Dossier, secret: str) -> bool:
    secret = secret.strip()
    if len(secret) != 4 or not secret.isdigit():
        return False
    phone = "".join(ch for ch in dossier.applicant_phone if ch.isdigit())
    return (len(phone) >= 4 and phone[-4:] == secret) or (
        len(dossier.applicant_id_number) >= 4 and dossier.applicant_id_number[-4:] == secret
    )


def lookup(request, code: str, secret: str) -> Dossier | None:
    """The dossier when code and secret match, else None. Raises TooManyAttempts."""
    code = code.strip()
    window = timedelta(minutes=_setting("TWOTIER_LOOKUP_WINDOW_MINUTES", 15))
    limit = _setting("TWOTIER_LOOKUP_MAX_FAILURES", 10)
    client = f"ip:{client_of(request)}"
    per_code = f"code:{code[:58]}"
    _check([client], limit, window)
    _check([per_code], limit, window)
    dossier = Dossier.objects.select_related("procedure").filter(receipt_code=code).first()
    ok = dossier is not None and matches(dossier, secret)
    LookupAttempt.objects.bulk_create(
        [LookupAttempt(client=client, success=ok), LookupAttempt(client=per_code, success=ok)]
    )
    return dossier if ok else None


def submit(request, data):
    """Online submission (status 1), limited per client address (TWOTIER_SUBMIT_MAX_PER_HOUR, 20)."""
    from . import services

    key = f"submit:{client_of(request)}"
    _check([key], _setting("TWOTIER_SUBMIT_MAX_PER_HOUR", 20), timedelta(hours=1), failures_only=False)
    LookupAttempt.objects.create(client=key, success=True)
    return services.submit_online(data)
