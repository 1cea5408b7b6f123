"""Reads of the procedure catalogue. The catalogue is public master data: no territorial scope."""

from __future__ import annotations

from collections import Counter
from typing import Any, Self

from django.db import models
from django.db.models import Case, Count, IntegerField, Value, When
from django.db.models.functions import Length

from .parsing import fold

LEVEL_COLUMNS = {
    "commune": "at_commune",
    "province": "at_province",
    "ministry": "at_ministry",
    "other": "at_other",
}


class ProcedureQuerySet(models.QuerySet):
    def receivable(self) -> Self:
        """Procedures a dossier may be received under (and the assistant may answer with): not the
        records whose page text names another code (copies of another page filed under this code)."""
        return self.filter(suspect_copy=False)

    def at_level(self, level: str) -> Self:
        column = LEVEL_COLUMNS.get(level)
        if column is None:
            return self.none()
        return self.filter(**{column: True})

    def sensitive(self, category: str | None = None) -> Self:
        if category:
            return self.filter(sensitive_category=category)
        return self.exclude(sensitive_category="")

    def online(self) -> Self:
        return self.filter(online_available=True)

    def in_field(self, field: str) -> Self:
        return self.filter(field=field)

    def search(self, query: str) -> Self:
        """Every word of the query, without diacritics and case, in the code, name, field or English name:
        "dang ky khai sinh" finds "Thủ tục đăng ký khai sinh"."""
        phrase = fold(query)
        qs = self
        for word in phrase.split():
            qs = qs.filter(search_text__contains=word)
        if not phrase:
            return qs
        # The search key starts with the folded name: names that start with the phrase come first, then
        # names containing it, shorter (more general) names before longer ones.
        return qs.annotate(
            search_rank=Case(
                When(search_text__startswith=phrase, then=Value(0)),
                When(search_text__startswith=f"thu tuc {phrase}", then=Value(0)),
                When(search_text__contains=phrase, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            name_length=Length("name"),
        ).order_by("search_rank", "name_length", "code")

    def with_current(self) -> Self:
        return self.select_related("current_version")

    def filtered(
        self,
        *,
        level: str = "",
        field: str = "",
        sensitive: str = "",
        online: bool = False,
        q: str = "",
    ) -> Self:
        """The catalogue browse filters, shared by the pages and the API."""
        qs = self
        if level:
            qs = qs.at_level(level)
        if field:
            qs = qs.in_field(field)
        if sensitive == "any":
            qs = qs.sensitive()
        elif sensitive:
            qs = qs.sensitive(sensitive)
        if online:
            qs = qs.online()
        if q:
            qs = qs.search(q)
        return qs


# ---- catalogue figures (procedure_stats) -----------------------------------------------------------

ASPECTS = ("time", "fee", "documents")


def catalogue_stats() -> dict[str, Any]:
    """The figures of `twotier procedure_stats`: one JSON-ready dict.

    time.parsed counts every procedure whose time limit is known, "none stated" included (by_unit.none);
    fee.parsed / documents.parsed likewise count a read value or an explicit absence; "unparsed" counts the
    procedures whose text states something that could not be read (listed by `--unparsed`).
    """
    from .models import Procedure, ProcedureVersion

    procedures = Procedure.objects.all()
    versions = ProcedureVersion.objects.filter(pk__in=procedures.values("current_version"))
    by_unit = dict(
        versions.exclude(time_unit="").values_list("time_unit").annotate(n=Count("pk")).order_by("time_unit")
    )
    fields = (
        procedures.values_list("field")
        .annotate(n=Count("pk"))
        .order_by("-n", "field")
        .values_list("field", "n")
    )
    return {
        "procedures": procedures.count(),
        "catalogue_records": procedures.filter(in_catalogue=True).count(),
        "curated": procedures.filter(is_curated=True).count(),
        "suspect_copies": procedures.filter(suspect_copy=True).count(),
        "by_level": {
            level: procedures.filter(**{column: True}).count() for level, column in LEVEL_COLUMNS.items()
        },
        "by_field": {field or "": n for field, n in fields},
        "time": {
            "parsed": sum(by_unit.values()),
            "unparsed": versions.filter(time_unit="").count(),
            "by_unit": by_unit,
        },
        "fee": {
            "parsed": versions.exclude(fee_status="unparsed").count(),
            "unparsed": versions.filter(fee_status="unparsed").count(),
        },
        "documents": {
            "parsed": versions.exclude(documents_status="unparsed").count(),
            "unparsed": versions.filter(documents_status="unparsed").count(),
        },
    }


def unparsed_listing() -> dict[str, Any]:
    """What could not be parsed and why, with the parse rates over the catalogue records whose page text
    states a time / a fee / a document list (the parser's own result: gaps the curated file filled count
    as not parsed)."""
    from .models import Procedure

    rows = (
        Procedure.objects.filter(current_version__isnull=False)
        .values_list(
            "code",
            "name",
            "in_catalogue",
            "current_version__time_unit",
            "current_version__fee_status",
            "current_version__documents_status",
            "current_version__text_has",
            "current_version__parse_problems",
        )
        .order_by("code")
    )
    listing: dict[str, list[dict[str, str]]] = {aspect: [] for aspect in ASPECTS}
    reasons: dict[str, Counter[str]] = {aspect: Counter() for aspect in ASPECTS}
    stated = Counter()
    read = Counter()
    for code, name, in_catalogue, unit, fee_status, doc_status, text_has, problems in rows:
        # the parser's own result: a gap the curated file filled still counts as not parsed
        superseded = {p.get("field") for p in problems or [] if "superseded" in p.get("reason", "")}
        ok = {
            "time": unit not in ("", "none") and "time" not in superseded,
            "fee": fee_status == "parsed" and "fee" not in superseded,
            "documents": doc_status == "parsed",
        }
        failed = {"time": unit == "", "fee": fee_status == "unparsed", "documents": doc_status == "unparsed"}
        for aspect in ASPECTS:
            if in_catalogue and (text_has or {}).get(aspect):
                stated[aspect] += 1
                read[aspect] += ok[aspect]
            if failed[aspect]:
                why = [
                    p["reason"]
                    for p in problems or []
                    if p.get("field") == aspect and p.get("blocking") == "yes"
                ]
                reason = "; ".join(why) or "not read"
                listing[aspect].append({"code": code, "name": name[:120], "reason": reason})
                reasons[aspect][_reason_kind(reason)] += 1
    return {
        "rates": {
            aspect: {
                "stated_in_text": stated[aspect],
                "parsed": read[aspect],
                "rate": round(read[aspect] / stated[aspect], 4) if stated[aspect] else None,
            }
            for aspect in ASPECTS
        },
        "reasons": {aspect: dict(reasons[aspect].most_common()) for aspect in ASPECTS},
        "unparsed": listing,
    }


def _reason_kind(reason: str) -> str:
    """Group reasons for the summary: drop the channel prefixes and the quoted values."""
    import re

    kinds = set()
    for part in reason.split("; "):
        part = re.sub(r"^(online|postal|in_person): ", "", part)
        part = re.sub(r"'[^']*'|\([^)]*\)|\d+", "…", part)
        kinds.add(part.strip())
    return " + ".join(sorted(kinds))
