"""Read the two PyPI packages into plain records (pure: no ORM; files only).

* `vietnam-provinces` (the GSO list retrieved 2025-10-18) is the authority for the 34 provinces and
  3,321 communes: codes, names, kinds.
* `vietnamadminunits` supplies what the GSO list lacks: the 63 former provinces, 696 districts,
  10,035 former wards and 5 ward-less island districts (table `admin_units_legacy` of its
  `dataset.db`), the succession of every former unit (`converter_2025.json`: whole wards in
  `DICT_PROVINCE_WARD_NO_DIVIDED`, the 471 split wards in `DICT_PROVINCE_WARD_DIVIDED` with the flag
  `isDefaultNewWard`), and area / coordinates of the new communes (table `admin_units`).

The packages are joined on (province code, name), names compared after tone/spacing/dash
normalisation; the other package's code is kept as an alias. Every disagreement is reported.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from .normalize import accent_key, name_key

# Type words as they open a unit's name, longest first; the value is the kind stored in the database.
COMMUNE_KINDS = {"phường": "phuong", "xã": "xa", "đặc khu": "dac_khu"}
LEGACY_WARD_KINDS = {"phường": "phuong", "xã": "xa", "thị trấn": "thi_tran"}
LEGACY_DISTRICT_KINDS = {"quận": "quan", "huyện": "huyen", "thị xã": "thi_xa", "thành phố": "thanh_pho"}
PROVINCE_KINDS = {"thành phố": "thanh_pho", "tỉnh": "tinh"}

# The type prefixes vietnamadminunits puts in front of its keywords, per level. A former name may
# carry another type than the unit has now (Quận 2 and Quận 9 became Thành phố Thủ Đức in 2021).
_KEYWORD_PREFIXES = {
    "ward": ("thitran", "phuong", "ward", "xa"),
    "district": ("thanhpho", "district", "huyen", "thixa", "quan"),
}


def split_type(name: str, kinds: dict[str, str]) -> tuple[str, str]:
    """("Phường Tân Định", COMMUNE_KINDS) → ("phuong", "Tân Định"); the kind is "" when absent."""
    clean_name = re.sub(r"\s+", " ", unicodedata.normalize("NFC", name)).strip()
    lowered = clean_name.lower()
    for word in sorted(kinds, key=len, reverse=True):
        if lowered.startswith(word + " "):
            return kinds[word], clean_name[len(word) + 1 :].strip()
    return "", clean_name


def join_key(name: str) -> str:
    """Key to join the two packages' names: tone placement, spaces, dashes and apostrophes ignored."""
    return accent_key(name.replace("–", "-"))


@dataclass(frozen=True)
class ProvinceRec:
    code: str
    name: str
    kind: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class CommuneRec:
    code: str
    name: str
    kind: str
    province_code: str
    area_km2: float | None
    lat: float | None
    lon: float | None
    alias_code: str  # vietnamadminunits' code when it differs, else ""
    alias_name: str  # vietnamadminunits' spelling when it differs, else ""


@dataclass(frozen=True)
class LegacyProvinceRec:
    code: str
    name: str
    kind: str
    new_province_code: str


@dataclass(frozen=True)
class LegacyDistrictRec:
    code: str
    name: str
    kind: str
    province_code: str
    lat: float | None
    lon: float | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class LegacyWardRec:
    code: str
    name: str
    kind: str
    district_code: str
    lat: float | None
    lon: float | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class SuccessionRec:
    """One former unit → one new commune. `ward_code` is "" for a ward-less island district."""

    district_code: str
    ward_code: str
    commune_code: str
    is_default: bool
    position: int


@dataclass(frozen=True)
class Disagreement:
    kind: str  # "code": same unit (joined by name), two codes; "name": same code, two names
    province_code: str
    code: str  # vietnam-provinces
    alias_code: str  # vietnamadminunits
    name: str  # vietnam-provinces
    alias_name: str  # vietnamadminunits

    def describe(self) -> str:
        if self.kind == "code":
            return (
                f"code     {self.province_code} {self.name}: vietnam-provinces {self.code}, "
                f"vietnamadminunits {self.alias_code} (kept as alias)"
            )
        if self.alias_code != self.code:
            return (
                f"name     {self.code}: vietnam-provinces {self.name!r}, vietnamadminunits "
                f"{self.alias_name!r} (another unit: vietnam-provinces code {self.alias_code})"
            )
        return f"name     {self.code}: vietnam-provinces {self.name!r}, vietnamadminunits {self.alias_name!r}"


@dataclass
class GeographySource:
    provinces: list[ProvinceRec] = field(default_factory=list)
    communes: list[CommuneRec] = field(default_factory=list)
    legacy_provinces: list[LegacyProvinceRec] = field(default_factory=list)
    legacy_districts: list[LegacyDistrictRec] = field(default_factory=list)
    legacy_wards: list[LegacyWardRec] = field(default_factory=list)
    successions: list[SuccessionRec] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""

    def disagreement_counts(self) -> dict[str, int]:
        return disagreement_counts(self.disagreements)


def disagreement_counts(disagreements: list[Disagreement]) -> dict[str, int]:
    return {
        "commune_codes": sum(d.kind == "code" for d in disagreements),
        "commune_names": sum(d.kind == "name" for d in disagreements),
        "commune_names_other_unit": sum(d.kind == "name" and d.alias_code != d.code for d in disagreements),
    }


def _package_dir(name: str) -> Path:
    """Where an installed package lives, without importing it (vietnamadminunits' import alone
    parses its JSON files and compiles its regular expressions: over a second)."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ValueError(f"package {name} is not installed")
    return Path(spec.origin).parent


def source_files() -> list[Path]:
    """The data files read, in a fixed order: they make the fingerprint."""
    vam = _package_dir("vietnamadminunits") / "data"
    return [
        _package_dir("vietnam_provinces") / "data" / "nested-divisions.json",
        vam / "converter_2025.json",
        vam / "dataset.db",
    ]


def package_versions() -> dict[str, str]:
    return {
        "vietnam-provinces": metadata.version("vietnam-provinces"),
        "vietnamadminunits": metadata.version("vietnamadminunits"),
    }


def source_fingerprint() -> str:
    """SHA-256 of the source files, the package versions and this loader's own code (what is derived,
    e.g. aliases, changes with it); a few milliseconds, nothing is parsed."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    for path in [*source_files(), here / "sources.py", here / "normalize.py"]:
        digest.update(path.read_bytes())
    digest.update(json.dumps(package_versions(), sort_keys=True).encode())
    return digest.hexdigest()[:32]


def _aliases(keywords_json: str | None, level: str, canonical: str) -> tuple[str, ...]:
    """Older names that vietnamadminunits keeps in a unit's keyword list, as base keys without the
    type word: "phuong08" for Phường Võ Thị Sáu (formed in 2020 from Phường 6, 7 and 8 of Quận 3),
    "quan02" for Thành phố Thủ Đức. The package lists each name bare and with its type; a prefixed
    keyword counts only if its bare form is listed too (or is a number), so that a bare name that
    merely starts like a type word ("Xà Lương" → "xaluong") is not cut in two."""
    if not keywords_json:
        return ()
    keywords = set(json.loads(keywords_json))
    found = set()
    for keyword in keywords:
        for prefix in _KEYWORD_PREFIXES[level]:
            rest = keyword[len(prefix) :]
            if keyword.startswith(prefix) and rest and (rest in keywords or rest.isdigit()):
                found.add(name_key(rest))
                break
    found.discard(canonical)
    found.discard("")
    return tuple(sorted(found))


def read_sources() -> GeographySource:
    """Read and join both packages. Raises ValueError if a unit cannot be joined."""
    out = GeographySource()
    out.versions = package_versions()
    out.fingerprint = source_fingerprint()
    vp_path, converter_path, db_path = source_files()
    vp = json.loads(vp_path.read_bytes())
    converter = json.loads(converter_path.read_bytes())
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        vam_new = [
            dict(r)
            for r in conn.execute(
                "SELECT province, ward, provinceCode, provinceLat, provinceLon, wardCode, wardLat, wardLon, "
                "wardAreaKm2, provinceKey, wardKey FROM admin_units ORDER BY wardCode"
            )
        ]
        vam_legacy = [
            dict(r)
            for r in conn.execute(
                "SELECT province, district, ward, provinceCode, districtCode, districtLat, districtLon, "
                "wardCode, wardLat, wardLon, provinceKey, districtKey, wardKey, districtKeywords, "
                "wardKeywords "
                "FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
            )
        ]

    # ---- new provinces and communes: vietnam-provinces is the authority ------------------------
    vam_province = {r["provinceCode"]: r for r in vam_new}
    vp_by_join: dict[tuple[str, str], tuple[str, dict]] = {}
    vp_by_code: dict[str, tuple[str, dict]] = {}
    for p in vp:
        pcode = f"{int(p['code']):02d}"
        vrow = vam_province.get(pcode)
        out.provinces.append(
            ProvinceRec(
                code=pcode,
                name=p["name"],
                kind="thanh_pho" if p["division_type"] == "thành phố trung ương" else "tinh",
                lat=vrow["provinceLat"] if vrow else None,
                lon=vrow["provinceLon"] if vrow else None,
            )
        )
        for w in p["wards"]:
            code = f"{int(w['code']):05d}"
            vp_by_join[(pcode, join_key(w["name"]))] = (code, w)
            vp_by_code[code] = (pcode, w)

    matched: dict[str, dict] = {}  # vp code → vam row
    unmatched = []
    for r in vam_new:
        hit = vp_by_join.get((r["provinceCode"], join_key(r["ward"])))
        if hit is None:
            unmatched.append(r)
            continue
        matched[hit[0]] = r
    for r in unmatched:  # last resort: same code in the same province
        hit = vp_by_code.get(r["wardCode"])
        if hit and hit[0] == r["provinceCode"] and r["wardCode"] not in matched:
            matched[r["wardCode"]] = r
        else:
            raise ValueError(f"cannot join vietnamadminunits commune {r['wardCode']} {r['ward']}")
    vam_code_to_vp: dict[str, str] = {}
    for code, (pcode, w) in sorted(vp_by_code.items()):
        r = matched.get(code)
        if r is None:
            raise ValueError(
                f"vietnam-provinces commune {code} {w['name']} has no match in vietnamadminunits"
            )
        vam_code_to_vp[r["wardCode"]] = code
        alias_code = r["wardCode"] if r["wardCode"] != code else ""
        alias_name = r["ward"] if r["ward"] != w["name"] else ""
        out.communes.append(
            CommuneRec(
                code=code,
                name=w["name"],
                kind=COMMUNE_KINDS[w["division_type"]],
                province_code=pcode,
                area_km2=r["wardAreaKm2"],
                lat=r["wardLat"],
                lon=r["wardLon"],
                alias_code=alias_code,
                alias_name=alias_name,
            )
        )
        if alias_code:
            out.disagreements.append(Disagreement("code", pcode, code, alias_code, w["name"], r["ward"]))
    # Same code in both packages, different name: a spelling variant of the same unit (the GSO list
    # wins) or, for a few codes, two different units (codes swapped between neighbours).
    vam_by_code = {r["wardCode"]: r for r in vam_new}
    for code, (pcode, w) in sorted(vp_by_code.items()):
        r = vam_by_code.get(code)
        if r is not None and r["ward"] != w["name"]:
            out.disagreements.append(
                Disagreement("name", pcode, code, vam_code_to_vp[code], w["name"], r["ward"])
            )

    # ---- former units -------------------------------------------------------------------------
    new_province_of_legacy_key = {
        legacy_key: new_key for new_key, keys in converter["DICT_PROVINCE"].items() for legacy_key in keys
    }
    new_key_to_code = {r["provinceKey"]: r["provinceCode"] for r in vam_new}
    vam_commune_by_key = {(r["provinceKey"], r["wardKey"]): r["wardCode"] for r in vam_new}
    seen_provinces: set[str] = set()
    seen_districts: set[str] = set()
    source_of_key: dict[str, tuple[str, str]] = {}
    for r in vam_legacy:
        pcode = r["provinceCode"]
        if pcode not in seen_provinces:
            seen_provinces.add(pcode)
            pkind, _ = split_type(r["province"], PROVINCE_KINDS)
            out.legacy_provinces.append(
                LegacyProvinceRec(
                    code=pcode,
                    name=r["province"],
                    kind=pkind,
                    new_province_code=new_key_to_code[new_province_of_legacy_key[r["provinceKey"]]],
                )
            )
        dcode = r["districtCode"]
        if dcode not in seen_districts:
            seen_districts.add(dcode)
            dkind, dbase = split_type(r["district"], LEGACY_DISTRICT_KINDS)
            out.legacy_districts.append(
                LegacyDistrictRec(
                    code=dcode,
                    name=r["district"],
                    kind=dkind,
                    province_code=pcode,
                    lat=r["districtLat"],
                    lon=r["districtLon"],
                    aliases=_aliases(r["districtKeywords"], "district", name_key(dbase)),
                )
            )
        wcode = r["wardCode"] or ""
        if wcode:
            wkind, wbase = split_type(r["ward"], LEGACY_WARD_KINDS)
            out.legacy_wards.append(
                LegacyWardRec(
                    code=wcode,
                    name=r["ward"],
                    kind=wkind,
                    district_code=dcode,
                    lat=r["wardLat"],
                    lon=r["wardLon"],
                    aliases=_aliases(r["wardKeywords"], "ward", name_key(wbase)),
                )
            )
        source_of_key[f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"] = (dcode, wcode)

    def commune_code(new_province_key: str, ward_key: str) -> str:
        return vam_code_to_vp[vam_commune_by_key[(new_province_key, ward_key)]]

    successions: dict[tuple[str, str], list[SuccessionRec]] = defaultdict(list)
    for new_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, sources in wards.items():
            for source_key in sources:
                dcode, wcode = source_of_key[source_key]
                successions[(dcode, wcode)].append(
                    SuccessionRec(dcode, wcode, commune_code(new_key, ward_key), True, 0)
                )
    for new_key, sources in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for source_key, targets in sources.items():
            dcode, wcode = source_of_key[source_key]
            # The default successor first, then the others in the package's order.
            ordered = sorted(targets, key=lambda t: not t["isDefaultNewWard"])
            for position, t in enumerate(ordered):
                successions[(dcode, wcode)].append(
                    SuccessionRec(
                        dcode, wcode, commune_code(new_key, t["newWardKey"]), t["isDefaultNewWard"], position
                    )
                )
    missing = set(source_of_key.values()) - set(successions)
    if missing:
        raise ValueError(f"{len(missing)} former units have no successor, e.g. {sorted(missing)[:3]}")
    for key in sorted(successions):
        rows = successions[key]
        if sum(r.is_default for r in rows) != 1:
            raise ValueError(f"former unit {key} has {sum(r.is_default for r in rows)} default successors")
        out.successions.extend(rows)

    return out
