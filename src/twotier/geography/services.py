"""Writes (loading the map, conversion jobs) and the process-wide resolver built from the database."""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import os
import pickle
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from twotier.core.errors import DomainError
from twotier.core.services import bump_reference_version

from .models import (
    Commune,
    ConversionJob,
    GeographyDataset,
    LegacyDistrict,
    LegacyProvince,
    LegacyWard,
    Province,
    WardSuccession,
)
from .resolver import STATUSES, Resolution, Resolver, ResolverData
from .sources import Disagreement, GeographySource, disagreement_counts, read_sources, source_fingerprint

# ---- loading -------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    counts: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)
    disagreements: list[str] = field(default_factory=list)
    disagreement_counts: dict[str, int] = field(default_factory=dict)
    unchanged: bool = False
    seconds: float = 0.0


def _upsert(model, rows: list, fields: list[str]) -> int:
    """Insert or update by primary key, in bulk (SQLite ≥ 3.24 and PostgreSQL: ON CONFLICT)."""
    model.objects.bulk_create(
        rows, batch_size=2000, update_conflicts=True, unique_fields=["code"], update_fields=fields
    )
    return len(rows)


@transaction.atomic
def load_geography(source: GeographySource | None = None, *, force: bool = False) -> LoadReport:
    """Load (or bring up to date) the whole map from the two packages. Idempotent.

    Reference data has no human actor: the dataset row records what was loaded and when. Units that
    vanished from the packages are kept (other apps may point at them) and counted, never deleted;
    succession rows are replaced exactly.
    """
    started = time.perf_counter()
    dataset = GeographyDataset.objects.filter(key="current").first()
    if source is None and not force and dataset is not None and dataset.fingerprint == source_fingerprint():
        counts = _counts()
        stored = [Disagreement(**d) for d in dataset.disagreements]
        if counts.get("successions") and _expected_counts_match(counts, dataset):
            return LoadReport(
                counts=counts,
                disagreements=[d.describe() for d in stored],
                disagreement_counts=disagreement_counts(stored),
                unchanged=True,
                seconds=time.perf_counter() - started,
            )
    bump_reference_version()  # every worker process drops its address resolver (dossiers.refcache)
    source = source or read_sources()
    report = LoadReport(
        disagreements=[d.describe() for d in source.disagreements],
        disagreement_counts=source.disagreement_counts(),
    )

    w = report.written
    w["provinces"] = _upsert(
        Province,
        [Province(code=p.code, name=p.name, kind=p.kind, lat=p.lat, lon=p.lon) for p in source.provinces],
        ["name", "kind", "lat", "lon"],
    )
    w["communes"] = _upsert(
        Commune,
        [
            Commune(
                code=c.code,
                name=c.name,
                kind=c.kind,
                province_id=c.province_code,
                area_km2=c.area_km2,
                lat=c.lat,
                lon=c.lon,
                alias_code=c.alias_code,
                alias_name=c.alias_name,
            )
            for c in source.communes
        ],
        ["name", "kind", "province", "area_km2", "lat", "lon", "alias_code", "alias_name"],
    )
    w["legacy_provinces"] = _upsert(
        LegacyProvince,
        [
            LegacyProvince(code=p.code, name=p.name, kind=p.kind, successor_id=p.new_province_code)
            for p in source.legacy_provinces
        ],
        ["name", "kind", "successor"],
    )
    w["legacy_districts"] = _upsert(
        LegacyDistrict,
        [
            LegacyDistrict(
                code=d.code,
                name=d.name,
                kind=d.kind,
                province_id=d.province_code,
                lat=d.lat,
                lon=d.lon,
                aliases=list(d.aliases),
            )
            for d in source.legacy_districts
        ],
        ["name", "kind", "province", "lat", "lon", "aliases"],
    )
    w["legacy_wards"] = _upsert(
        LegacyWard,
        [
            LegacyWard(
                code=x.code,
                name=x.name,
                kind=x.kind,
                district_id=x.district_code,
                lat=x.lat,
                lon=x.lon,
                aliases=list(x.aliases),
            )
            for x in source.legacy_wards
        ],
        ["name", "kind", "district", "lat", "lon", "aliases"],
    )
    # Successions have no natural key of their own: replace exactly what differs.
    wanted = {
        (s.district_code, s.ward_code or None, s.commune_code): (s.is_default, s.position)
        for s in source.successions
    }
    have = {
        (d, wd, c): (pk, is_default, position)
        for pk, d, wd, c, is_default, position in WardSuccession.objects.values_list(
            "pk", "legacy_district_id", "legacy_ward_id", "commune_id", "is_default", "position"
        )
    }
    stale = [v[0] for k, v in have.items() if k not in wanted or wanted[k] != v[1:]]
    if stale:
        for chunk in range(0, len(stale), 900):
            WardSuccession.objects.filter(pk__in=stale[chunk : chunk + 900]).delete()
    kept = {k for k, v in have.items() if k in wanted and wanted[k] == v[1:]}
    WardSuccession.objects.bulk_create(
        [
            WardSuccession(
                legacy_district_id=d, legacy_ward_id=wd, commune_id=c, is_default=flags[0], position=flags[1]
            )
            for (d, wd, c), flags in wanted.items()
            if (d, wd, c) not in kept
        ],
        batch_size=2000,
    )
    w["successions"] = len(wanted) - len(kept)
    report.counts = _counts()
    GeographyDataset.objects.update_or_create(
        key="current",
        defaults={
            "fingerprint": source.fingerprint,
            "versions": {**source.versions, "counts": report.counts},
            "disagreements": [asdict(d) for d in source.disagreements],
        },
    )
    report.seconds = time.perf_counter() - started
    _forget_resolver()
    return report


def _expected_counts_match(counts: dict[str, int], dataset: GeographyDataset) -> bool:
    """The tables still hold what the last load wrote (nobody deleted rows since)."""
    return dataset.versions.get("counts") == counts


def _counts() -> dict[str, int]:
    return {
        "provinces": Province.objects.count(),
        "communes": Commune.objects.count(),
        "legacy_provinces": LegacyProvince.objects.count(),
        "legacy_districts": LegacyDistrict.objects.count(),
        "legacy_wards": LegacyWard.objects.count(),
        "successions": WardSuccession.objects.count(),
    }


# ---- statistics ----------------------------------------------------------------------------------


def geography_stats() -> dict[str, Any]:
    """The figures `twotier geography_stats` prints (issue 2, item 6), from the database."""
    by_kind = dict(Commune.objects.values_list("kind").annotate(n=Count("code")).order_by("kind"))
    sources = WardSuccession.objects.values("legacy_district_id", "legacy_ward_id").annotate(n=Count("id"))
    n_sources = sources.count()
    n_split = sources.filter(n__gt=1).count()
    dataset = GeographyDataset.objects.filter(key="current").first()
    disagreements = dataset.disagreements if dataset else []
    by_province: dict[str, dict[str, Any]] = {}
    rows = Province.objects.annotate(
        communes_n=Count("communes"),
        phuong=Count("communes", filter=Q(communes__kind="phuong")),
        xa=Count("communes", filter=Q(communes__kind="xa")),
        dac_khu=Count("communes", filter=Q(communes__kind="dac_khu")),
    ).order_by("code")
    for p in rows:
        by_province[p.code] = {
            "name": p.name,
            "communes": p.communes_n,
            "phuong": p.phuong,
            "xa": p.xa,
            "dac_khu": p.dac_khu,
        }
    return {
        "provinces": Province.objects.count(),
        "communes": Commune.objects.count(),
        "communes_by_kind": {k: by_kind.get(k, 0) for k in ("phuong", "xa", "dac_khu")},
        "legacy": {
            "provinces": LegacyProvince.objects.count(),
            "districts": LegacyDistrict.objects.count(),
            "wards": LegacyWard.objects.count(),
            "wardless_districts": WardSuccession.objects.filter(legacy_ward__isnull=True)
            .values("legacy_district_id")
            .distinct()
            .count(),
            "succession_sources": n_sources,
            "split_sources": n_split,
        },
        "code_disagreements": disagreement_counts([Disagreement(**d) for d in disagreements]),
        "by_province": by_province,
    }


# ---- the resolver, once per process --------------------------------------------------------------

_lock = threading.Lock()
_resolver: Resolver | None = None
_resolver_key: str | None = None


def _code_version() -> str:
    """Changes whenever the resolver's code changes, so a cached index is never used by other code."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("resolver.py", "normalize.py", "sources.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def _data_key() -> str:
    dataset = GeographyDataset.objects.filter(key="current").values_list("fingerprint", flat=True).first()
    counts = _counts()
    return hashlib.sha256(f"{dataset}|{sorted(counts.items())}|{_code_version()}".encode()).hexdigest()[:24]


def resolver_data() -> ResolverData:
    """The database's map as the plain rows the pure resolver is built from."""
    return ResolverData(
        provinces=list(Province.objects.values_list("code", "name", "kind")),
        communes=list(Commune.objects.values_list("code", "name", "kind", "province_id")),
        legacy_provinces=list(LegacyProvince.objects.values_list("code", "name", "kind", "successor_id")),
        legacy_districts=[
            (c, n, k, p, tuple(a or ()))
            for c, n, k, p, a in LegacyDistrict.objects.values_list(
                "code", "name", "kind", "province_id", "aliases"
            )
        ],
        legacy_wards=[
            (c, n, k, d, tuple(a or ()))
            for c, n, k, d, a in LegacyWard.objects.values_list(
                "code", "name", "kind", "district_id", "aliases"
            )
        ],
        successions=[
            (d, w or "", c, is_default, position)
            for d, w, c, is_default, position in WardSuccession.objects.values_list(
                "legacy_district_id", "legacy_ward_id", "commune_id", "is_default", "position"
            )
        ],
    )


def cache_path(key: str) -> Path:
    return Path(settings.DATA_DIR) / "cache" / f"resolver-{key}.pickle"


def get_resolver(*, use_disk_cache: bool = True) -> Resolver:
    """The resolver for the loaded map, built once per process (and per change of the data).

    Building it from the database takes about a second; a pickled copy under DATA_DIR/cache, keyed by
    the data fingerprint, row counts and the resolver's own code, brings CLI start-up to ~0.1 s. The
    cache file is written by this process only and is never taken from anywhere else.
    """
    global _resolver, _resolver_key
    key = _data_key()
    with _lock:
        if _resolver is not None and _resolver_key == key:
            return _resolver
        resolver = None
        path = cache_path(key)
        if use_disk_cache and path.exists():
            try:
                # Unpickling builds ~100,000 small objects: the cyclic GC would rescan them for nothing.
                gc_was_on = gc.isenabled()
                gc.disable()
                try:
                    with path.open("rb") as fh:
                        resolver = pickle.load(fh)
                finally:
                    if gc_was_on:
                        gc.enable()
            except Exception:
                resolver = None
        if resolver is None:
            resolver = Resolver(resolver_data())
            if use_disk_cache and resolver.commune:
                path.parent.mkdir(parents=True, exist_ok=True)
                # One temporary name per process: several server workers may build the cache at once.
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                with tmp.open("wb") as fh:
                    pickle.dump(resolver, fh, protocol=pickle.HIGHEST_PROTOCOL)
                tmp.replace(path)
                for old in path.parent.glob("resolver-*.pickle"):
                    if old != path:
                        old.unlink(missing_ok=True)
        _resolver, _resolver_key = resolver, key
        return resolver


def _forget_resolver() -> None:
    global _resolver, _resolver_key
    with _lock:
        _resolver, _resolver_key = None, None


def resolve_addresses(addresses: Iterable[str]) -> list[Resolution]:
    resolver = get_resolver()
    return [resolver.resolve(a) for a in addresses]


# ---- CSV conversion ------------------------------------------------------------------------------

OUTPUT_COLUMNS = ["commune_code", "commune_name", "province_code", "province_name", "status", "candidates"]
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def output_row(result: Resolution) -> list[str]:
    return [
        result.commune_code or "",
        result.commune_name or "",
        result.province_code or "",
        result.province_name or "",
        result.status,
        "; ".join(f"{c.commune_code} {c.commune_name}" for c in result.candidates),
    ]


def decode_csv(raw: bytes) -> str:
    """UTF-8 (with or without BOM) or, failing that, the Windows Vietnamese code page."""
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(_("Tệp không phải văn bản UTF-8 hoặc Windows-1258."))


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def convert_csv(
    text_in: IO[str],
    text_out: IO[str],
    column: str,
    resolver: Resolver,
    *,
    progress: Callable[[Iterator], Iterator] | None = None,
) -> Counter:
    """Copy a CSV, appending the resolver's columns for the address in `column`. Counts by status.

    Raises DomainError if the file has no header or no such column.
    """
    sample = text_in.read(64 * 1024)
    text_in.seek(0)
    reader = csv.reader(text_in, dialect=_dialect(sample))
    header = next(reader, None)
    if not header:
        raise DomainError(_("Tệp CSV trống."))
    header = [h.strip() for h in header]
    if column not in header:
        raise DomainError(
            _("Không có cột “%(column)s” trong tệp (các cột: %(columns)s).")
            % {"column": column, "columns": ", ".join(header)}
        )
    index = header.index(column)
    extra = [c if c not in header else f"{c}_new" for c in OUTPUT_COLUMNS]
    writer = csv.writer(text_out, dialect=reader.dialect, lineterminator="\r\n")
    writer.writerow(header + extra)
    counts: Counter = Counter()
    rows: Iterator = iter(reader)
    if progress is not None:
        rows = progress(rows)
    for row in rows:
        address = row[index] if index < len(row) else ""
        result = resolver.resolve(address)
        counts[result.status] += 1
        writer.writerow(row + output_row(result))
    return counts


def create_conversion_job(*, actor, upload, column: str) -> ConversionJob:
    """Convert an uploaded CSV for a staff member and keep both files. Raises DomainError on bad input.

    The job carries the actor's territory (StaffProfile) so that reads are scoped like other rows.
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(_("Tệp quá lớn (tối đa 20 MB)."))
    raw = upload.read()
    text = decode_csv(raw)
    out = io.StringIO()
    counts = convert_csv(io.StringIO(text), out, column.strip(), get_resolver())
    profile = getattr(actor, "staff_profile", None)
    name = Path(upload.name or "addresses.csv").name[:200]
    with transaction.atomic():
        job = ConversionJob(
            created_by=actor,
            province_code=profile.province_code if profile else "",
            commune_code=profile.commune_code if profile else "",
            input_name=name,
            column=column.strip(),
            rows=sum(counts.values()),
            **{status: counts.get(status, 0) for status in STATUSES},
        )
        job.input_file.save(name, ContentFile(raw), save=False)
        # utf-8-sig: spreadsheet programs then read the Vietnamese text correctly.
        job.output_file.save(job.output_name, ContentFile(out.getvalue().encode("utf-8-sig")), save=False)
        job.save()
    return job
