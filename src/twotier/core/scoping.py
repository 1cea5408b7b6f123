"""Read scope: every scoped read starts from `Model.objects.visible_to(user)`.

A model opts in by using `ScopedQuerySet` (or a subclass) and naming the fields that carry the
territory of a row. Objects outside the user's scope are simply absent from the queryset, so views
that fetch with `get_object_or_404(Model.objects.visible_to(user), ...)` answer 404, never 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Self

from django.db import models
from django.db.models import Q

VIEW_ALL_PERMISSION = "core.view_all_scopes"


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    province_codes: frozenset[str] = field(default_factory=frozenset)
    commune_codes: frozenset[str] = field(default_factory=frozenset)

    @property
    def nothing(self) -> bool:
        return not (self.everything or self.province_codes or self.commune_codes)


def scope_of(user) -> Scope:
    """The territory a user may read: everything, whole provinces (city staff) or communes."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser or user.has_perm(VIEW_ALL_PERMISSION):
        return Scope(everything=True)
    profile = getattr(user, "staff_profile", None)
    if profile is None:
        return Scope()
    if profile.commune_code:
        return Scope(commune_codes=frozenset({profile.commune_code}))
    if profile.province_code:
        return Scope(province_codes=frozenset({profile.province_code}))
    return Scope()


def territory_q(user, province_field: str | None, commune_field: str | None) -> Q | None:
    """The rows whose territory fields the user may read, as a condition; None means every row."""
    scope = scope_of(user)
    if scope.everything:
        return None
    condition = Q(pk__in=[])
    if scope.province_codes and province_field:
        condition |= Q(**{f"{province_field}__in": scope.province_codes})
    if scope.commune_codes and commune_field:
        condition |= Q(**{f"{commune_field}__in": scope.commune_codes})
    return condition


class ScopedQuerySet(models.QuerySet):
    """QuerySet whose rows belong to a territory. Override the field names in a subclass if needed.

    `commune_field` may be None for models that only carry a province. A row with no commune
    (a city-level row) is visible to city staff of its province, not to commune staff.
    """

    province_field: str | None = "province_code"
    commune_field: str | None = "commune_code"
    owner_field: str | None = None  # e.g. "created_by": the author always sees their own rows

    def visible_to(self, user) -> Self:
        condition = territory_q(user, self.province_field, self.commune_field)
        if condition is None:
            return self
        if self.owner_field and user is not None and user.is_authenticated:
            condition |= Q(**{self.owner_field: user})
        return self.filter(condition)
