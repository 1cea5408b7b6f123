"""CSV/XLSX import of units and officials: every bad row reported, all rows written or none.

Units file columns: code, name, kind, tier, level, parent, commune_code, valid_from[, function, name_en]
Officials file columns: staff_no, full_name, unit, post, valid_from[, birth_year, qualifications,
skills, digital_skill, grade, years_of_service, home_commune_code] — lists separated by ";".
Dates: YYYY-MM-DD or dd/mm/yyyy. A parent may be an existing unit or a unit earlier in the same file.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from twotier.core.services import bump_reference_version

from .bulk import OFFICIAL_FIELDS, insert_rows
from .models import (
    ApparatusEvent,
    Assignment,
    DigitalSkill,
    Grade,
    Official,
    Post,
    Tier,
    Unit,
    UnitKind,
    UnitLevel,
    UnitParent,
)
from .querysets import valid_on_q

UNIT_COLUMNS = ["code", "name", "kind", "tier", "level", "parent", "commune_code", "valid_from"]
OFFICIAL_COLUMNS = ["staff_no", "full_name", "unit", "post", "valid_from"]
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number in the file, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_table(name: str, content: bytes) -> list[dict[str, str]]:
    """Rows as dicts keyed by lower-case header; raises ValueError for an unreadable file."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:
            raise ValueError(f"Không đọc được tệp XLSX: {exc}") from exc
        values = [
            [
                "" if v is None else (v.isoformat()[:10] if isinstance(v, date | datetime) else str(v))
                for v in row
            ]
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError("Tệp CSV phải dùng bảng mã UTF-8.") from exc
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
        values = list(csv.reader(io.StringIO(text), dialect))
    if not values:
        return []
    header = [h.strip().lower() for h in values[0]]
    return [
        dict(zip(header, [c.strip() for c in row], strict=False))
        for row in values[1:]
        if any(c.strip() for c in row)
    ]


def parse_date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    raise ValueError(f"ngày không hợp lệ “{text}” (dùng YYYY-MM-DD hoặc dd/mm/yyyy)")


def _missing_columns(rows: list[dict], required: list[str]) -> list[str]:
    present = set(rows[0]) if rows else set()
    return [c for c in required if c not in present]


def import_units(rows: list[dict[str, str]], *, province_code: str = "79", actor=None) -> ImportReport:
    report = ImportReport("units", rows=len(rows))
    missing = _missing_columns(rows, UNIT_COLUMNS)
    if missing:
        report.errors.append((1, f"Thiếu cột: {', '.join(missing)}"))
        return report
    seen = Counter(r.get("code", "") for r in rows)
    existing = set(Unit.objects.filter(code__in=list(seen)).values_list("code", flat=True))
    parents = {u.code: u for u in Unit.objects.filter(code__in=[r.get("parent", "") for r in rows])}
    in_file: dict[str, date] = {}
    good: list[dict[str, Any]] = []
    for line, row in enumerate(rows, start=2):
        problems = []
        code = row.get("code", "")
        if not CODE_RE.match(code):
            problems.append(f"mã “{code}” không hợp lệ (chữ thường, số, dấu gạch ngang)")
        elif code in existing:
            problems.append(f"mã {code} đã tồn tại (mã đơn vị không được dùng lại)")
        elif seen[code] > 1:
            problems.append(f"mã {code} lặp lại trong tệp")
        if not row.get("name"):
            problems.append("thiếu tên")
        if row.get("kind") not in UnitKind.values:
            problems.append(f"loại “{row.get('kind')}” không hợp lệ")
        if row.get("tier") not in Tier.values:
            problems.append(f"cấp “{row.get('tier')}” không hợp lệ (city hoặc commune)")
        if row.get("level") not in UnitLevel.values:
            problems.append(f"cấp bậc “{row.get('level')}” không hợp lệ")
        commune = row.get("commune_code", "")
        if row.get("tier") == Tier.COMMUNE and not re.fullmatch(r"\d{5}", commune):
            problems.append("đơn vị cấp xã cần mã xã 5 chữ số")
        if row.get("tier") == Tier.CITY and commune:
            problems.append("đơn vị cấp tỉnh không có mã xã")
        try:
            starts = parse_date(row.get("valid_from", ""))
        except ValueError as exc:
            problems.append(str(exc))
            starts = None
        parent = row.get("parent", "")
        if parent and starts:
            if parent in in_file:
                if in_file[parent] > starts:
                    problems.append(f"đơn vị cấp trên {parent} chưa có hiệu lực ngày {starts:%d/%m/%Y}")
            elif parent not in parents:
                problems.append(f"không tìm thấy đơn vị cấp trên {parent}")
            elif not parents[parent].valid_on(starts):
                problems.append(f"đơn vị cấp trên {parent} không có hiệu lực ngày {starts:%d/%m/%Y}")
        if problems:
            report.errors.append((line, "; ".join(problems)))
            continue
        in_file[code] = starts
        good.append({**row, "valid_from": starts})
    if report.errors:
        return report
    with transaction.atomic():
        bump_reference_version()  # every worker process drops its cached routing (dossiers.refcache)
        Unit.objects.bulk_create(
            [
                Unit(
                    code=r["code"],
                    name=r["name"],
                    name_en=r.get("name_en", ""),
                    kind=r["kind"],
                    tier=r["tier"],
                    level=r["level"],
                    function=r.get("function", ""),
                    province_code=province_code,
                    commune_code=r.get("commune_code", ""),
                    valid_from=r["valid_from"],
                )
                for r in good
            ]
        )
        by_code = {u.code: u for u in Unit.objects.filter(code__in=[r["code"] for r in good] + list(parents))}
        UnitParent.objects.bulk_create(
            [
                UnitParent(unit=by_code[r["code"]], parent=by_code[r["parent"]], valid_from=r["valid_from"])
                for r in good
                if r.get("parent")
            ]
        )
        ApparatusEvent.objects.create(
            kind="units_imported", actor=actor, subject="import:units", data={"rows": len(good)}
        )
    report.created = len(good)
    return report


def _int(row: dict, key: str, default: int, low: int, high: int, problems: list[str]) -> int:
    text = row.get(key, "")
    if text == "":
        return default
    try:
        value = int(float(text))
    except ValueError:
        problems.append(f"{key} “{text}” không phải số")
        return default
    if not low <= value <= high:
        problems.append(f"{key} {value} ngoài khoảng {low}–{high}")
    return value


def import_officials(rows: list[dict[str, str]], *, actor=None) -> ImportReport:
    report = ImportReport("officials", rows=len(rows))
    missing = _missing_columns(rows, OFFICIAL_COLUMNS)
    if missing:
        report.errors.append((1, f"Thiếu cột: {', '.join(missing)}"))
        return report
    seen = Counter(r.get("staff_no", "") for r in rows)
    existing = set(Official.objects.filter(staff_no__in=list(seen)).values_list("staff_no", flat=True))
    units = {u.code: u for u in Unit.objects.filter(code__in=[r.get("unit", "") for r in rows])}
    posts: dict[tuple[int, str], list[Post]] = {}
    for post in Post.objects.filter(unit__in=units.values()):
        posts.setdefault((post.unit_id, post.title.casefold()), []).append(post)
    used: Counter[int] = Counter()
    good: list[tuple[dict, Post, date, dict]] = []
    for line, row in enumerate(rows, start=2):
        problems: list[str] = []
        staff_no = row.get("staff_no", "")
        if not staff_no:
            problems.append("thiếu số hiệu cán bộ")
        elif staff_no in existing:
            problems.append(f"số hiệu {staff_no} đã tồn tại")
        elif seen[staff_no] > 1:
            problems.append(f"số hiệu {staff_no} lặp lại trong tệp")
        if not row.get("full_name"):
            problems.append("thiếu họ tên")
        try:
            starts = parse_date(row.get("valid_from", ""))
        except ValueError as exc:
            problems.append(str(exc))
            starts = None
        unit = units.get(row.get("unit", ""))
        post = None
        if unit is None:
            problems.append(f"không tìm thấy đơn vị {row.get('unit', '')}")
        elif starts and not unit.valid_on(starts):
            problems.append(f"đơn vị {unit.code} không có hiệu lực ngày {starts:%d/%m/%Y}")
        elif starts:
            candidates = [
                p
                for p in posts.get((unit.pk, row.get("post", "").casefold()), [])
                if p.valid_from <= starts and (p.valid_to is None or starts < p.valid_to)
            ]
            if not candidates:
                problems.append(f"đơn vị {unit.code} không có vị trí “{row.get('post', '')}”")
            else:
                post = candidates[0]
                taken = Assignment.objects.filter(valid_on_q(starts), post=post).count() + used[post.pk]
                if taken >= post.quota:
                    problems.append(f"vị trí “{post.title}” của {unit.code} đã đủ biên chế ({post.quota})")
        extra = {
            "birth_year": _int(row, "birth_year", 0, 0, 2010, problems) or None,
            "digital_skill": _int(row, "digital_skill", DigitalSkill.BASIC, 0, 4, problems),
            "grade": _int(row, "grade", Grade.SPECIALIST, 1, 4, problems),
            "years_of_service": _int(row, "years_of_service", 0, 0, 60, problems),
        }
        home = row.get("home_commune_code", "")
        if home and not re.fullmatch(r"\d{5}", home):
            problems.append(f"mã xã cư trú “{home}” phải có 5 chữ số")
        if problems:
            report.errors.append((line, "; ".join(problems)))
            continue
        used[post.pk] += 1
        good.append((row, post, starts, extra))
    if report.errors:
        return report
    now = timezone.now()
    with transaction.atomic():
        insert_rows(
            Official,
            OFFICIAL_FIELDS,
            [
                (
                    row["staff_no"],
                    row["full_name"],
                    extra["birth_year"],
                    [q.strip() for q in row.get("qualifications", "").split(";") if q.strip()],
                    [s.strip() for s in row.get("skills", "").split(";") if s.strip()],
                    extra["digital_skill"],
                    extra["grade"],
                    extra["years_of_service"],
                    row.get("home_commune_code", ""),
                    post.unit.province_code,
                    post.unit.commune_code,
                    now,
                    now,
                )
                for row, post, _, extra in good
            ],
        )
        ids = dict(
            Official.objects.filter(staff_no__in=[r["staff_no"] for r, *_ in good]).values_list(
                "staff_no", "pk"
            )
        )
        insert_rows(
            Assignment,
            ["official", "post", "unit", "valid_from", "valid_to"],
            [(ids[row["staff_no"]], post.pk, post.unit_id, starts, None) for row, post, starts, _ in good],
        )
        ApparatusEvent.objects.create(
            kind="officials_imported", actor=actor, subject="import:officials", data={"rows": len(good)}
        )
    report.created = len(good)
    return report


def import_file(kind: str, name: str, content: bytes, *, actor=None) -> ImportReport:
    """Import a units or officials file. Raises PermissionDenied without `apparatus.import_apparatus`."""
    if actor is not None and not actor.has_perm("apparatus.import_apparatus"):
        raise PermissionDenied("apparatus.import_apparatus")
    try:
        rows = read_table(name, content)
    except ValueError as exc:
        return ImportReport(kind, errors=[(0, str(exc))])
    if not rows:
        return ImportReport(kind, errors=[(0, "Tệp không có dòng dữ liệu.")])
    if kind == "units":
        return import_units(rows, actor=actor)
    return import_officials(rows, actor=actor)
