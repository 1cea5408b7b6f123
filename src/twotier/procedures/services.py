"""Writes to the procedure catalogue: the import of the national catalogue and the curated file.

`import_catalogue` is idempotent: a record whose content (raw record + curated entry) is unchanged is not
touched; a changed record gets exactly one new version; parsed fields are recomputed in place only when
the parser itself changed (`parsing.PARSER_VERSION`) or on request. The whole import is one transaction.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from twotier.core.errors import DomainError
from twotier.core.services import bump_reference_version

from . import parsing
from .models import LEVEL_FIELDS, CatalogueImport, Procedure, ProcedureVersion

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_CATALOGUE = DATA_DIR / "national-procedure-catalog.json.gz"
DEFAULT_CURATED = DATA_DIR / "procedures-curated.yaml"

BATCH = 250

# Parsed fields compared between versions to say what changed (shown in the version history).
TRACKED_FIELDS = [
    "name",
    "levels",
    "field",
    "channels",
    "time_value",
    "time_unit",
    "fee_amount_vnd",
    "documents",
    "result",
    "legal_basis",
    "implementing_agency",
    "competent_agency",
    "conditions",
    "steps",
]


def read_catalogue(path: Path | str = DEFAULT_CATALOGUE) -> list[dict[str, Any]]:
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        records = json.load(handle)
    if not isinstance(records, list):
        raise DomainError(f"{path}: expected a JSON array of procedure records")
    return records


def read_curated(path: Path | str = DEFAULT_CURATED) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    entries = data.get("procedures") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise DomainError(f"{path}: expected a list of procedures under 'procedures'")
    return entries


def content_hash(record: Mapping[str, Any] | None, curated: Mapping[str, Any] | None) -> str:
    payload = json.dumps({"record": record, "curated": curated}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class SourceEntry:
    code: str
    record: dict[str, Any] | None
    curated: dict[str, Any] | None

    @property
    def hash(self) -> str:
        return content_hash(self.record, self.curated)

    def parse(self) -> parsing.ParsedProcedure:
        if self.record is None:
            assert self.curated is not None
            return parsing.parse_curated_only(self.curated)
        parsed = parsing.parse_record(self.record)
        if self.curated is not None:
            parsed = parsing.apply_curated(parsed, self.curated)
        return parsed


def source_entries(
    records: Iterable[Mapping[str, Any]], curated: Iterable[Mapping[str, Any]]
) -> list[SourceEntry]:
    """Catalogue records under their filed codes, then the curated codes absent from the catalogue."""
    curated_by_code: dict[str, dict[str, Any]] = {}
    for entry in curated:
        code = str(entry.get("code") or "").strip()
        if not code:
            raise DomainError("curated entry without a code")
        if code in curated_by_code:
            raise DomainError(f"curated file lists {code} twice")
        curated_by_code[code] = dict(entry)
    entries: list[SourceEntry] = []
    seen: set[str] = set()
    for record in records:
        code = str(record.get("ma_thu_tuc") or "").strip()
        if not code:
            raise DomainError("catalogue record without ma_thu_tuc")
        if code in seen:
            raise DomainError(f"catalogue lists {code} twice")
        seen.add(code)
        entries.append(SourceEntry(code, dict(record), curated_by_code.get(code)))
    entries.extend(
        SourceEntry(code, None, entry) for code, entry in curated_by_code.items() if code not in seen
    )
    return entries


def _decimal(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def version_fields(entry: SourceEntry, parsed: parsing.ParsedProcedure) -> dict[str, Any]:
    """The ProcedureVersion columns for one parsed entry (raw content and parsed values)."""
    record = dict(entry.record or {})
    raw_text = str(record.pop("raw_text", "") or "")
    return {
        "raw_text": raw_text,
        "raw_record": record if entry.record is not None else {},
        "curated_entry": entry.curated,
        "parser_version": parsing.PARSER_VERSION,
        **parsed_fields(parsed),
    }


def parsed_fields(parsed: parsing.ParsedProcedure) -> dict[str, Any]:
    data = parsed.to_dict()
    return {
        "name": parsed.name,
        "levels": parsed.levels,
        "field": parsed.field[:300],
        "kind": parsed.kind[:200],
        "decision": parsed.decision[:200],
        "target_groups": parsed.target_groups,
        "steps": parsed.steps,
        "channels": data["channels"],
        "time_value": _decimal(parsed.time.value),
        "time_unit": parsed.time.unit,
        "time_text": parsed.time.text,
        "cutoff_15h": parsed.time.cutoff_15h,
        "fee_amount_vnd": parsed.fee.amount_vnd,
        "fee_text": parsed.fee.text,
        "fee_by_province": parsed.fee.by_province,
        "fee_status": parsed.fee.status,
        "documents": data["documents"],
        "document_notes": parsed.document_notes,
        "documents_status": parsed.documents_status,
        "result": parsed.result,
        "legal_basis": parsed.legal_basis,
        "legal_documents": parsed.legal_documents,
        "implementing_agency": parsed.implementing_agency,
        "competent_agency": parsed.competent_agency,
        "authorised_agency": parsed.authorised_agency,
        "coordinating_agency": parsed.coordinating_agency,
        "address": parsed.address,
        "conditions": parsed.conditions,
        "parse_problems": parsed.problems,
        "text_has": {
            "time": parsed.has_time_text,
            "fee": parsed.has_fee_text,
            "documents": parsed.has_documents_text,
        },
    }


def procedure_fields(entry: SourceEntry, parsed: parsing.ParsedProcedure) -> dict[str, Any]:
    """The denormalised Procedure columns (browse filters, search key) for one parsed entry."""
    curated = entry.curated or {}
    name_en = str(curated.get("name_en") or "")
    fields: dict[str, Any] = {
        "name": parsed.name,
        "name_en": name_en,
        "field": parsed.field[:300],
        "sensitive_category": parsing.sensitive_category(parsed.field, curated or None),
        "is_curated": entry.curated is not None,
        "in_catalogue": entry.record is not None,
        "suspect_copy": parsed.suspect_copy,
        "suspect_code": parsed.text_code if parsed.suspect_copy else "",
        "online_available": parsed.online_available,
        "search_text": " | ".join(
            part
            for part in (
                parsing.fold(parsed.name),
                entry.code,
                parsing.fold(parsed.field),
                parsing.fold(name_en),
            )
            if part
        ),
    }
    for level, column in LEVEL_FIELDS.items():
        fields[column] = level in parsed.levels
    return fields


PROCEDURE_COLUMNS = [
    "name",
    "name_en",
    "field",
    "sensitive_category",
    "is_curated",
    "in_catalogue",
    "suspect_copy",
    "suspect_code",
    "online_available",
    "search_text",
    *LEVEL_FIELDS.values(),
]
PARSED_COLUMNS = [*parsed_fields(parsing.ParsedProcedure(code="", name="")).keys(), "parser_version"]


@dataclass
class ImportReport:
    records: int = 0
    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    reparsed: list[str] = field(default_factory=list)
    unchanged: int = 0
    not_in_source: list[str] = field(default_factory=list)
    seconds: float = 0.0
    import_id: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.created or self.new_versions or self.reparsed)

    def summary(self) -> str:
        parts = [
            f"procedures: {self.records} in source",
            f"{len(self.created)} created",
            f"{len(self.new_versions)} new versions",
            f"{len(self.reparsed)} re-parsed",
            f"{self.unchanged} unchanged",
        ]
        if self.not_in_source:
            parts.append(f"{len(self.not_in_source)} in the database, not in the source")
        return ", ".join(parts) + f" ({self.seconds:.1f} s)"


def _changes(old: ProcedureVersion, new: Mapping[str, Any]) -> list[str]:
    changed = []
    for name in TRACKED_FIELDS:
        before, after = getattr(old, name), new[name]
        if name == "time_value":
            before, after = _decimal(before), _decimal(after)
        if before != after:
            changed.append(name)
    if old.raw_text != new["raw_text"] and "raw_text" not in changed:
        changed.append("raw_text")
    return changed


@transaction.atomic
def import_catalogue(
    records: Iterable[Mapping[str, Any]],
    curated: Iterable[Mapping[str, Any]],
    *,
    actor=None,
    reparse: bool = False,
    note: str = "",
    progress: Callable[[Iterable[SourceEntry]], Iterable[SourceEntry]] | None = None,
) -> ImportReport:
    """Import the catalogue and the curated file (one transaction).

    New code → a Procedure with version 1. Changed content → exactly one new version, which becomes current.
    Same content → nothing is written, unless the parser changed (or `reparse`), in which case the current
    version's parsed fields and the procedure's columns are recomputed in place. Procedures absent from the
    source are kept and reported. Writes a CatalogueImport row (with `actor`) only when something changed.
    Raises DomainError on a malformed source (duplicate or missing codes).
    """
    started = time.monotonic()
    entries = source_entries(records, curated)
    report = ImportReport(records=len(entries))
    existing = {p.code: p for p in Procedure.objects.all()}
    current = {
        v.procedure_id: v
        for v in ProcedureVersion.objects.filter(
            pk__in=[p.current_version_id for p in existing.values() if p.current_version_id]
        ).only("id", "procedure_id", "number", "content_hash", "parser_version")
    }
    top_number = dict(
        ProcedureVersion.objects.values_list("procedure_id")
        .annotate(top=Max("number"))
        .values_list("procedure_id", "top")
    )

    to_create: list[tuple[SourceEntry, parsing.ParsedProcedure, str]] = []
    to_version: list[tuple[Procedure, SourceEntry, parsing.ParsedProcedure, str]] = []
    to_reparse: list[tuple[Procedure, SourceEntry, parsing.ParsedProcedure]] = []
    iterator = progress(entries) if progress else entries
    for entry in iterator:
        digest = entry.hash
        procedure = existing.get(entry.code)
        version = current.get(procedure.pk) if procedure else None
        if procedure is None:
            to_create.append((entry, entry.parse(), digest))
        elif version is None or version.content_hash != digest:
            to_version.append((procedure, entry, entry.parse(), digest))
        elif reparse or version.parser_version != parsing.PARSER_VERSION:
            to_reparse.append((procedure, entry, entry.parse()))
        else:
            report.unchanged += 1
    source_codes = {entry.code for entry in entries}
    report.not_in_source = sorted(code for code in existing if code not in source_codes)
    if not (to_create or to_version or to_reparse):
        report.seconds = time.monotonic() - started
        return report

    bump_reference_version()  # every worker process drops its cached procedures (dossiers.refcache)
    run = CatalogueImport.objects.create(actor=actor, kind="catalogue_imported", note=note)
    report.import_id = run.pk

    # 1. new procedures (current version set below)
    new_procedures = [
        Procedure(code=entry.code, **procedure_fields(entry, parsed)) for entry, parsed, _ in to_create
    ]
    Procedure.objects.bulk_create(new_procedures, batch_size=BATCH)
    # 2. versions: 1 for new procedures, n+1 for changed ones
    versions: list[ProcedureVersion] = []
    owners: list[Procedure] = []
    for procedure, (entry, parsed, digest) in zip(new_procedures, to_create, strict=True):
        versions.append(
            ProcedureVersion(
                procedure=procedure,
                number=1,
                content_hash=digest,
                imported_by=run,
                **version_fields(entry, parsed),
            )
        )
        owners.append(procedure)
        report.created.append(entry.code)
    previous = ProcedureVersion.objects.in_bulk(
        [p.current_version_id for p, *_ in to_version if p.current_version_id]
    )
    for procedure, entry, parsed, digest in to_version:
        fields = version_fields(entry, parsed)
        old = previous.get(procedure.current_version_id)
        versions.append(
            ProcedureVersion(
                procedure=procedure,
                number=top_number.get(procedure.pk, 0) + 1,
                content_hash=digest,
                imported_by=run,
                changed_fields=_changes(old, fields) if old else [],
                **fields,
            )
        )
        for column, value in procedure_fields(entry, parsed).items():
            setattr(procedure, column, value)
        owners.append(procedure)
        report.new_versions.append(entry.code)
    ProcedureVersion.objects.bulk_create(versions, batch_size=BATCH)
    # the newest version becomes current: one UPDATE … SET current_version_id = (SELECT …) for all
    latest = ProcedureVersion.objects.filter(procedure=OuterRef("pk")).order_by("-number").values("pk")[:1]
    Procedure.objects.filter(pk__in=[p.pk for p in owners]).update(
        current_version=Subquery(latest), updated_at=timezone.now()
    )
    changed = [procedure for procedure, *_ in to_version]
    # 3. re-parse in place (same content, better parser)
    reparsed_versions = ProcedureVersion.objects.in_bulk([p.current_version_id for p, *_ in to_reparse])
    updated_versions = []
    for procedure, entry, parsed in to_reparse:
        version = reparsed_versions[procedure.current_version_id]
        for column, value in {**parsed_fields(parsed), "parser_version": parsing.PARSER_VERSION}.items():
            setattr(version, column, value)
        updated_versions.append(version)
        for column, value in procedure_fields(entry, parsed).items():
            setattr(procedure, column, value)
        changed.append(procedure)
        report.reparsed.append(entry.code)
    # One UPDATE per row: bulk_update's CASE … WHEN over ~30 columns is far slower for thousands of rows.
    for version in updated_versions:
        version.save(update_fields=PARSED_COLUMNS)
    for procedure in changed:
        procedure.save(update_fields=[*PROCEDURE_COLUMNS, "updated_at"])

    report.seconds = time.monotonic() - started
    run.data = {
        "records": report.records,
        "created": len(report.created),
        "new_versions": report.new_versions[:200],
        "reparsed": len(report.reparsed),
        "unchanged": report.unchanged,
        "not_in_source": report.not_in_source[:200],
        "parser_version": parsing.PARSER_VERSION,
        "seconds": round(report.seconds, 2),
    }
    run.save(update_fields=["data"])
    return report
