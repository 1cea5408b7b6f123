"""Reads. Geography is public reference data (not scoped); conversion jobs are scoped."""

from __future__ import annotations

from typing import Self

from django.db import models
from django.db.models import Case, Count, IntegerField, Q, Value, When

from twotier.core.scoping import ScopedQuerySet

from .normalize import fold


class CommuneQuerySet(models.QuerySet):
    def by_code(self, code: str) -> Self:
        """Communes whose GSO code or alias code is `code`; the GSO match first.

        Codes are zero-padded; "196" is read as "00196" so that an integer that lost its zeros in a
        spreadsheet still finds its commune.
        """
        code = (code or "").strip()
        if code.isdigit() and len(code) < 5:
            code = code.zfill(5)
        return (
            self.filter(Q(code=code) | Q(alias_code=code))
            .annotate(
                _alias_rank=Case(
                    When(code=code, then=Value(0)), default=Value(1), output_field=IntegerField()
                )
            )
            .order_by("_alias_rank", "code")
        )

    def get_by_code(self, code: str):
        """The commune with this GSO code, else the one with this alias code. Raises DoesNotExist."""
        found = self.by_code(code).first()
        if found is None:
            raise self.model.DoesNotExist(code)
        return found

    def search(self, query: str) -> Self:
        """Communes matching a code (or alias code) or a name, with or without diacritics."""
        query = (query or "").strip()
        if not query:
            return self
        if query.isdigit():
            return self.filter(Q(code=query.zfill(5)) | Q(alias_code=query.zfill(5)))
        # Diacritic-insensitive search works the same on SQLite and PostgreSQL without extensions:
        # the few hundred names of a province are filtered in Python after a cheap prefilter.
        wanted = fold(query)
        codes = [code for code, name in self.values_list("code", "name") if wanted in fold(name)]
        return self.filter(code__in=codes)


class ConversionJobQuerySet(ScopedQuerySet):
    """A commune official sees their commune's jobs, city staff their province's, everyone their own."""

    province_field = "province_code"
    commune_field = "commune_code"
    owner_field = "created_by"


def provinces_with_counts():
    """The 34 provinces, each annotated with `n` communes and the counts by kind."""
    from .models import Province

    return Province.objects.annotate(
        n=Count("communes"),
        phuong=Count("communes", filter=Q(communes__kind="phuong")),
        xa=Count("communes", filter=Q(communes__kind="xa")),
        dac_khu=Count("communes", filter=Q(communes__kind="dac_khu")),
    ).order_by("code")


def predecessors_of(commune) -> list[dict]:
    """The former units whose territory went (wholly or partly) to `commune`."""
    rows = (
        commune.predecessors.select_related("legacy_ward", "legacy_district__province")
        .annotate(n=Count("legacy_ward__successions"))
        .order_by("legacy_district_id", "legacy_ward_id")
    )
    out = []
    for s in rows:
        district = s.legacy_district
        out.append(
            {
                "legacy_ward_code": s.legacy_ward_id,
                "legacy_ward_name": s.legacy_ward.name if s.legacy_ward else None,
                "legacy_district_code": district.code,
                "legacy_district_name": district.name,
                "legacy_province_code": district.province_id,
                "legacy_province_name": district.province.name,
                "is_default": s.is_default,
                "split": s.n > 1,
            }
        )
    return out
