"""The applicant's address (old or new) → the commune since 1 July 2025, through the geography resolver."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.utils.translation import gettext as _

from twotier.core.errors import DomainError


class AddressNeedsChoice(DomainError):
    """The address names a split or ambiguous former ward: the officer must pick the commune."""

    def __init__(self, message: str, candidates: list[dict]):
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class ResolvedAddress:
    status: str  # exact | split | ambiguous | not_found | chosen
    commune_code: str
    province_code: str
    candidates: tuple[dict, ...] = ()


_cache: dict[str, tuple[float, object]] = {}


def _resolver():
    """geography's resolver, asked again at most every TWOTIER_RESOLVER_TTL_SECONDS (60): asking costs
    seven queries and a hash of the resolver's source files, too much for every receipt."""
    from django.conf import settings

    from twotier.geography.services import get_resolver

    ttl = float(getattr(settings, "TWOTIER_RESOLVER_TTL_SECONDS", 60))
    now = time.monotonic()
    cached = _cache.get("resolver")
    if cached is None or now - cached[0] > ttl:
        cached = (now, get_resolver())
        _cache["resolver"] = cached
    return cached[1]


def forget_resolver() -> None:
    """Ask geography again at the next receipt (reference data changed: refcache.revalidate)."""
    _cache.pop("resolver", None)


def resolve(text: str, *, commune_code: str = "") -> ResolvedAddress:
    """Resolve `text`; `commune_code` is the officer's choice among the candidates (or the commune
    itself when the address cannot be read). Raises AddressNeedsChoice / DomainError."""
    from twotier.geography.models import Commune

    resolution = _resolver().resolve(text) if text.strip() else None
    candidates = tuple(c.as_dict() for c in resolution.candidates) if resolution else ()
    if commune_code:
        if candidates and commune_code not in {c["commune_code"] for c in candidates}:
            raise DomainError(
                _("Xã/phường %(commune_code)s không phải là nơi kế thừa của địa chỉ đã nhập.")
                % {"commune_code": commune_code}
            )
        commune = Commune.objects.by_code(commune_code).first()
        if commune is None:
            raise DomainError(_("Không có xã/phường mã %(commune_code)s.") % {"commune_code": commune_code})
        status = resolution.status if resolution and resolution.commune_code == commune.code else "chosen"
        return ResolvedAddress(status, commune.code, commune.province_id, candidates)
    if resolution is None:
        raise DomainError(_("Chưa nhập địa chỉ."))
    if resolution.status == "exact" and resolution.commune_code:
        return ResolvedAddress("exact", resolution.commune_code, resolution.province_code or "", candidates)
    if resolution.status in ("split", "ambiguous") and candidates:
        names = ", ".join(f"{c['commune_name']} ({c['commune_code']})" for c in candidates)
        raise AddressNeedsChoice(
            _("Địa chỉ thuộc nhiều xã/phường mới, vui lòng chọn một: %(names)s.") % {"names": names},
            list(candidates),
        )
    raise DomainError(_("Không xác định được xã/phường của địa chỉ; vui lòng kiểm tra hoặc chọn xã/phường."))
