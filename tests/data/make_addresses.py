"""Generate the address test sets for the resolver, from vietnamadminunits' own tables only.

    .venv/bin/python tests/data/make_addresses.py        # writes addresses_main.csv, addresses_holdout.csv

Independence: this script imports nothing from twotier (neither the resolver nor the app's data);
it reads the package vietnamadminunits' `dataset.db` (former and new units, names, short names) and
`converter_2025.json` (each former ward's successor(s), `isDefaultNewWard` first). Expected answers
are therefore vietnamadminunits' codes for the new communes; the accuracy test maps them to the GSO
codes through the stored alias codes.

Each set has, per form (column `form`):
  full           300  "Phường Tân Định, Quận 1, Thành phố Hồ Chí Minh"; a third with a street in front
  short          300  "Tân Định, Quận 1, Hồ Chí Minh" (the package's short names)
  abbreviated    300  "P. Tân Định, Q.1, TP.HCM", "X. An Phú, H. Củ Chi, TPHCM"
  no_diacritics  300  "phuong tan dinh, quan 1, thanh pho ho chi minh"
  english        100  "Tan Dinh Ward, District 1, Ho Chi Minh City", "Ward 5, District 3, ..."
  hcmc_no_province 200 "P.4, Q.8", "Phường Tân Định, Quận 1" (former Ho Chi Minh City only)
  typo           200  full form, one insertion/deletion/substitution/doubling/adjacent swap of a letter
                      (never a digit) in the ward's name
  new_format     200  "Phường Sài Gòn, Thành phố Hồ Chí Minh" (new commune, new province), some
                      without diacritics, abbreviated or with a street
  split_hcmc     all  every split former ward that now lies in Ho Chi Minh City
  split_other    100  other split former wards
Whole-ward forms draw only former wards that were not split. The held-out set uses another seed and,
where the pool allows it (all forms but hcmc_no_province and split_hcmc), other wards.

Columns: form, address, expected (new-commune codes, space-separated, the default successor first),
province (new province code), source (the former ward's or the new commune's code).
"""

from __future__ import annotations

import csv
import json
import random
import sqlite3
import sys
import unicodedata
from pathlib import Path

import vietnamadminunits

HERE = Path(__file__).resolve().parent
DATA = Path(vietnamadminunits.__file__).parent / "data"
SEEDS = {"main": 20250701, "holdout": 4242}
COUNTS = {
    "full": 300,
    "short": 300,
    "abbreviated": 300,
    "no_diacritics": 300,
    "english": 100,
    "hcmc_no_province": 200,
    "typo": 200,
    "new_format": 200,
    "split_other": 100,
}
STREETS = [
    "12 Lê Lợi",
    "45/7 Nguyễn Trãi",
    "Số 8 ngõ 23 phố Huế",
    "Tổ 3, Khu phố 2",
    "Ấp Bình Thạnh",
    "Thôn 4",
    "102 Trần Hưng Đạo",
    "7 Hai Bà Trưng",
    "Số 15 đường Quang Trung",
    "221B Lý Thường Kiệt",
    "Khu phố 5",
    "33 đường 3 Tháng 2",
    "Xóm Mới",
    "Lô B2 Khu công nghiệp",
]
ABBREV = {
    "Phường": "P.",
    "Xã": "X.",
    "Thị trấn": "TT.",
    "Quận": "Q.",
    "Huyện": "H.",
    "Thị xã": "TX.",
    "Thành phố": "TP.",
}
ENGLISH_WARD = {"Phường": "Ward", "Xã": "Commune", "Thị trấn": "Town", "Đặc khu": "Special Zone"}
ENGLISH_DISTRICT = {"Quận": "District", "Huyện": "District", "Thị xã": "Town", "Thành phố": "City"}
LETTERS = "abcdeghiklmnopqrstuvxyđâăêôơư"


def strip_marks(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if unicodedata.category(c) != "Mn"))


def base_name(name: str, kind: str | None) -> str:
    """The name without its type word ("Phường Tân Định", "Phường" → "Tân Định")."""
    if kind and name.lower().startswith(kind.lower() + " "):
        return name[len(kind) + 1 :].strip()
    return name


def fold(text: str, keep_marks: bool) -> str:
    """What survives of a name in a rendering: marks or not; case, spaces and punctuation never."""
    text = unicodedata.normalize("NFC", text).lower()
    if not keep_marks:
        text = strip_marks(text)
    return "".join(c for c in text if c.isalnum())


# What each form keeps of the ward's name: (diacritics, type word).
KEEPS = {
    "full": (True, True),
    "short": (True, False),
    "abbreviated": (True, True),
    "no_diacritics": (False, True),
    "english": (False, True),
    "hcmc_no_province": (True, True),
    "typo": (True, True),
    "split_hcmc": (True, True),
    "split_other": (True, True),
}


def look_alikes(form: str, r: dict, by_district: dict[str, list[dict]]) -> list[str]:
    """Successors of other former wards of the same district that this rendering cannot tell apart
    from `r` (e.g. "Xa Nga Thanh" is both Xã Nga Thanh and Xã Nga Thành): such an address is
    ambiguous by itself, and the right answer is `ambiguous` listing both."""
    keep_marks, keep_type = KEEPS[form]

    def shown(x: dict) -> str:
        if form == "short":  # the package's short name, e.g. "Phước Long (Xã)" where it needs the type
            return fold(x["wardShort"], keep_marks)
        name = x["ward"] if keep_type else base_name(x["ward"], x["wardType"])
        if form == "english" and x["wardType"] == "Thị trấn":
            name = "town " + base_name(x["ward"], x["wardType"])
        return fold(name, keep_marks)

    mine = shown(r)
    others = [x for x in by_district[r["districtCode"]] if x is not r and shown(x) == mine]
    codes = [c for x in others for c in x["successors"] if c not in r["successors"]]
    return list(dict.fromkeys(codes))


def load():
    with sqlite3.connect(f"file:{DATA / 'dataset.db'}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        legacy = [
            dict(r) for r in conn.execute("SELECT * FROM admin_units_legacy WHERE wardCode IS NOT NULL")
        ]
        new = [dict(r) for r in conn.execute("SELECT * FROM admin_units")]
    converter = json.loads((DATA / "converter_2025.json").read_text())
    new_by_key = {(r["provinceKey"], r["wardKey"]): r for r in new}
    province_code_of = {r["provinceKey"]: r["provinceCode"] for r in new}
    new_province_of = {old: new for new, olds in converter["DICT_PROVINCE"].items() for old in olds}
    successors: dict[str, list[str]] = {}
    for new_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, sources in wards.items():
            for source in sources:
                successors[source] = [new_by_key[(new_key, ward_key)]["wardCode"]]
    for new_key, sources in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for source, targets in sources.items():
            ordered = sorted(targets, key=lambda t: not t["isDefaultNewWard"])
            successors[source] = [new_by_key[(new_key, t["newWardKey"])]["wardCode"] for t in ordered]
    for r in legacy:
        r["successors"] = successors[f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"]
        r["newProvinceCode"] = province_code_of[new_province_of[r["provinceKey"]]]
    return legacy, new


# ---- renderings ---------------------------------------------------------------------------------


def province_abbrev(rng: random.Random, row: dict) -> str:
    short = row["provinceShort"]
    if short == "Hồ Chí Minh":
        return rng.choice(["TP.HCM", "TPHCM", "TP. HCM", "HCM", "Tp.HCM", "TP Hồ Chí Minh"])
    if short == "Hà Nội":
        return rng.choice(["HN", "TP. Hà Nội", "Hà Nội", "TP Hà Nội"])
    if row["province"].startswith("Thành phố"):
        return rng.choice(["TP. ", "TP.", "Tp "]) + short
    return short


def unit_abbrev(rng: random.Random, name: str, kind: str) -> str:
    short = base_name(name, kind)
    abbrev = ABBREV.get(kind)
    if abbrev is None:
        return name
    if short.isdigit():
        return rng.choice([f"{abbrev}{short}", f"{abbrev} {short}", f"{abbrev.rstrip('.')}{short}"])
    return rng.choice([f"{abbrev} {short}", f"{abbrev}{short}"])


def english_unit(name: str, kind: str, table: dict[str, str]) -> str:
    short = strip_marks(base_name(name, kind))
    word = table.get(kind, "")
    if short.isdigit():
        return f"{word} {short}"
    return f"{short} {word}".strip()


def english_province(row: dict) -> str:
    short = strip_marks(row["provinceShort"])
    if row["province"].startswith("Thành phố"):
        return f"{short} City"
    return f"{short} Province"


def with_street(rng: random.Random, address: str, glued: bool = False) -> str:
    street = rng.choice(STREETS)
    return f"{street} {address}" if glued else f"{street}, {address}"


def typo(rng: random.Random, word: str) -> str:
    """One insertion, deletion, substitution, doubling or adjacent swap of a letter (never a digit)."""
    positions = [i for i, c in enumerate(word) if c.isalpha()]
    for _ in range(100):
        op = rng.choice(["insert", "delete", "substitute", "double", "swap"])
        i = rng.choice(positions)
        if op == "insert":
            out = word[:i] + rng.choice(LETTERS) + word[i:]
        elif op == "delete":
            out = word[:i] + word[i + 1 :]
        elif op == "substitute":
            letter = rng.choice(LETTERS)
            out = word[:i] + (letter.upper() if word[i].isupper() else letter) + word[i + 1 :]
        elif op == "double":
            out = word[:i] + word[i] + word[i:]
        else:
            if i + 1 >= len(word) or not word[i + 1].isalpha() or word[i] == word[i + 1]:
                continue
            out = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if out != word and "  " not in out and out.strip() == out:
            return out
    raise ValueError(f"no typo possible in {word!r}")


def render(form: str, rng: random.Random, r: dict) -> str:
    ward, district, province = r["ward"], r["district"], r["province"]
    if form in ("full", "split_hcmc", "split_other", "typo"):
        if form == "typo":
            short = base_name(ward, r["wardType"])
            ward = f"{r['wardType']} {typo(rng, short)}"
        address = f"{ward}, {district}, {province}"
        if form == "full" and rng.random() < 1 / 3:
            address = with_street(rng, address, glued=rng.random() < 0.25)
        if form.startswith("split") and rng.random() < 0.3:
            address = (
                f"{unit_abbrev(rng, r['ward'], r['wardType'])}, "
                f"{unit_abbrev(rng, district, r['districtType'])}, {province_abbrev(rng, r)}"
            )
        return address
    if form == "short":
        return f"{r['wardShort']}, {r['districtShort']}, {r['provinceShort']}"
    if form == "abbreviated":
        address = (
            f"{unit_abbrev(rng, ward, r['wardType'])}, {unit_abbrev(rng, district, r['districtType'])}, "
            f"{province_abbrev(rng, r)}"
        )
        return with_street(rng, address) if rng.random() < 0.2 else address
    if form == "no_diacritics":
        address = strip_marks(f"{ward}, {district}, {province}")
        return rng.choice([address, address.lower(), address.upper()])
    if form == "english":
        return (
            f"{english_unit(ward, r['wardType'], ENGLISH_WARD)}, "
            f"{english_unit(district, r['districtType'], ENGLISH_DISTRICT)}, {english_province(r)}"
        )
    if form == "hcmc_no_province":
        if rng.random() < 0.6:
            return f"{unit_abbrev(rng, ward, r['wardType'])}, {unit_abbrev(rng, district, r['districtType'])}"
        return f"{ward}, {district}"
    raise ValueError(form)


def render_new(rng: random.Random, r: dict) -> str:
    ward, province = r["ward"], r["province"]
    style = rng.random()
    if style < 0.4:
        return f"{ward}, {province}"
    if style < 0.6:
        return strip_marks(f"{ward}, {province}").lower()
    if style < 0.8:
        kind = r["wardType"]
        abbrev = {"Phường": "P.", "Xã": "X.", "Đặc khu": "Đặc khu"}[kind]
        return f"{abbrev} {base_name(ward, kind)}, {province_abbrev(rng, r)}"
    return with_street(rng, f"{ward}, {province}")


# ---- sets ---------------------------------------------------------------------------------------


def make_set(name: str, legacy: list[dict], new: list[dict], used: dict[str, set[str]]) -> list[dict]:
    rng = random.Random(SEEDS[name])
    whole = [r for r in legacy if len(r["successors"]) == 1]
    split = [r for r in legacy if len(r["successors"]) > 1]
    rows: list[dict] = []

    def pick(
        form: str, pool: list[dict], count: int, key: str = "wardCode", reuse: bool = False
    ) -> list[dict]:
        seen = used.setdefault(form, set())
        fresh = [r for r in pool if r[key] not in seen]
        if len(fresh) < count and reuse:
            fresh = fresh + rng.sample([r for r in pool if r[key] in seen], count - len(fresh))
        chosen = rng.sample(fresh, count) if len(fresh) > count else list(fresh)
        seen.update(r[key] for r in chosen)
        return chosen

    by_district: dict[str, list[dict]] = {}
    for r in legacy:
        by_district.setdefault(r["districtCode"], []).append(r)

    def add(form: str, r: dict, province: str | None = None) -> None:
        address = render(form, rng, r)
        alike = [] if form == "typo" else look_alikes(form, r, by_district)
        rows.append(
            row(form, address, r["successors"], province or r["newProvinceCode"], r["wardCode"], alike)
        )

    for form in ("full", "short", "abbreviated", "no_diacritics", "english"):
        for r in pick(form, whole, COUNTS[form]):
            add(form, r)
    hcmc = [r for r in whole if r["provinceCode"] == "79"]
    for r in pick("hcmc_no_province", hcmc, COUNTS["hcmc_no_province"], reuse=True):
        add("hcmc_no_province", r, "79")
    lettered = [r for r in whole if sum(c.isalpha() for c in base_name(r["ward"], r["wardType"])) >= 2]
    for r in pick("typo", lettered, COUNTS["typo"]):
        add("typo", r)
    for r in pick("new_format", new, COUNTS["new_format"]):
        rows.append(row("new_format", render_new(rng, r), [r["wardCode"]], r["provinceCode"], r["wardCode"]))
    for r in sorted((r for r in split if r["newProvinceCode"] == "79"), key=lambda r: r["wardCode"]):
        add("split_hcmc", r)
    for r in pick("split_other", [r for r in split if r["newProvinceCode"] != "79"], COUNTS["split_other"]):
        add("split_other", r)
    return rows


def row(
    form: str, address: str, expected: list[str], province: str, source: str, alike: list[str] | None = None
) -> dict:
    return {
        "form": form,
        "address": address,
        "expected": " ".join(expected),
        "province": province,
        "source": source,
        "look_alikes": " ".join(alike or []),
    }


def main() -> int:
    legacy, new = load()
    used: dict[str, set[str]] = {}
    for name in ("main", "holdout"):
        rows = make_set(name, legacy, new, used)
        path = HERE / f"addresses_{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(
                fh, fieldnames=["form", "address", "expected", "province", "source", "look_alikes"]
            )
            writer.writeheader()
            writer.writerows(rows)
        counts: dict[str, int] = {}
        for r in rows:
            counts[r["form"]] = counts.get(r["form"], 0) + 1
        print(f"{path.name}: {len(rows)} addresses {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
