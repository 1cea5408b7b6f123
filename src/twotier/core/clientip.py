"""The client's IP address, for rate limits and the access audit.

By default REMOTE_ADDR: the peer of the connection. Behind a reverse proxy that is the proxy, so
every citizen would share one rate-limit bucket; set TWOTIER_TRUSTED_PROXY_HEADER to the header the
proxy writes (e.g. "X-Forwarded-For" or "X-Real-IP") and, for X-Forwarded-For, how many proxies of
yours append to it (TWOTIER_TRUSTED_PROXY_COUNT, default 1). The address is read from the right:
entries on the left are written by the client and can be forged. Set the header only when a proxy
always overwrites or appends it, or clients could choose their own address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address (validated), or None when none can be read."""
    remote = _valid(request.META.get("REMOTE_ADDR") or "")
    header = (getattr(settings, "TWOTIER_TRUSTED_PROXY_HEADER", "") or "").strip()
    if not header:
        return remote
    value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    entries = [part.strip() for part in value.split(",") if part.strip()]
    count = max(1, int(getattr(settings, "TWOTIER_TRUSTED_PROXY_COUNT", 1)))
    if len(entries) < count:
        return remote  # not written by our proxy (a direct request): the peer is the client
    return _valid(entries[-count]) or remote
