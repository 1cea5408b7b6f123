"""Old or new Vietnamese address → commune since 1 July 2025 (pure: plain data in, plain data out).

How an address is read (see docs/geography.md for the full rules and their reasons):

1. The text is cut into words (normalize.tokenize); units are matched from the right end, the way
   Vietnamese addresses are written (street, ward, district, province): first the province, then in
   front of it a former district, then in front of that a former ward. A name is a run of words
   inside one comma-separated part, optionally with a type word before it ("Phường", "P.", "Quận",
   "Q.") or after it ("Ward", "District", "City"); glued and spaced spellings meet ("Daklak").
2. With a district, the address is a former one: former ward → its successor(s).
   Without a district it is read first as new-format (commune, province), then as a former ward of
   that province; if the two readings disagree the status is `ambiguous`, the new-format reading first.
3. Matches are exact on the folded name first (accents decide between names that differ only by
   them, e.g. "Sa Pa" / "Sa Pả", when the input has them), then on older names kept as aliases,
   then within one typo (one edit, transpositions included; two for long names) inside the scope
   already recognised (the wards of the district, the communes of the province).
4. No province? The district (or the commune) is looked up nationally; ambiguity is reported.

Nothing here touches the network or the database: `Resolver(ResolverData(...))` is built from plain
tuples (services.get_resolver builds it from the database once per process).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .normalize import Tokens, accent_key, name_key, tokenize
from .sources import COMMUNE_KINDS, LEGACY_DISTRICT_KINDS, LEGACY_WARD_KINDS, PROVINCE_KINDS, split_type

EXACT, SPLIT, AMBIGUOUS, NOT_FOUND = "exact", "split", "ambiguous", "not_found"
STATUSES = (EXACT, SPLIT, AMBIGUOUS, NOT_FOUND)

# ---- type words, as folded word sequences → kind -------------------------------------------------
# "district" and "town" are English words that cover several Vietnamese kinds.
WARD_TYPES: dict[tuple[str, ...], str] = {
    ("phuong",): "phuong",
    ("p",): "phuong",
    ("f",): "phuong",  # "F.14": Saigon shorthand for phường
    ("ward",): "phuong",
    ("xa",): "xa",
    ("x",): "xa",
    ("commune",): "xa",
    ("thi", "tran"): "thi_tran",
    ("tt",): "thi_tran",
    ("town",): "town",
    ("township",): "thi_tran",
    ("dac", "khu"): "dac_khu",
    ("dk",): "dac_khu",
    ("special", "zone"): "dac_khu",
}
DISTRICT_TYPES: dict[tuple[str, ...], str] = {
    ("quan",): "quan",
    ("q",): "quan",
    ("district",): "district",
    ("huyen",): "huyen",
    ("h",): "huyen",
    ("thi", "xa"): "thi_xa",
    ("tx",): "thi_xa",
    ("town",): "town",
    ("thanh", "pho"): "thanh_pho",
    ("tp",): "thanh_pho",
    ("city",): "thanh_pho",
}
PROVINCE_TYPES: dict[tuple[str, ...], str] = {
    ("tinh",): "tinh",
    ("province",): "tinh",
    ("thanh", "pho"): "thanh_pho",
    ("tp",): "thanh_pho",
    ("city",): "thanh_pho",
}
ALL_TYPES = {**WARD_TYPES, **DISTRICT_TYPES, **PROVINCE_TYPES}
# Input kind → the unit kinds it names exactly.
KIND_FITS = {
    "district": {"quan", "huyen"},
    "town": {"thi_tran", "thi_xa"},
}

# Widely used short names of provinces that are not their names (folded, glued) → new province code,
# and the former province they name, if one.
PROVINCE_ALIASES: dict[str, tuple[str, str | None]] = {
    "hcm": ("79", "79"),
    "tphcm": ("79", "79"),
    "hcmc": ("79", "79"),
    "saigon": ("79", "79"),
    "tpsaigon": ("79", "79"),
    "hn": ("01", "01"),
    "tphn": ("01", "01"),
    "brvt": ("79", "77"),
    "baria": ("79", "77"),
    "vungtau": ("79", "77"),
    "thuathienhue": ("46", "46"),
    "tth": ("46", "46"),
    "hue": ("46", "46"),
    "daklak": ("66", "66"),
    "daclac": ("66", "66"),
    "daknong": ("68", "67"),
    "kontum": ("51", "62"),
    "ctho": ("92", "92"),
}
NOISE_TAIL = {"vietnam", "vn", "vnm"}


# ---- input data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResolverData:
    """Plain rows (codes are zero-padded strings).

    provinces:         (code, name, kind)
    communes:          (code, name, kind, province_code)
    legacy_provinces:  (code, name, kind, new_province_code)
    legacy_districts:  (code, name, kind, legacy_province_code, aliases)
    legacy_wards:      (code, name, kind, legacy_district_code, aliases)
    successions:       (legacy_district_code, legacy_ward_code or "", commune_code, is_default, position)
    """

    provinces: Sequence[tuple[str, str, str]]
    communes: Sequence[tuple[str, str, str, str]]
    legacy_provinces: Sequence[tuple[str, str, str, str]]
    legacy_districts: Sequence[tuple[str, str, str, str, Sequence[str]]]
    legacy_wards: Sequence[tuple[str, str, str, str, Sequence[str]]]
    successions: Sequence[tuple[str, str, str, bool, int]]


# ---- output ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    commune_code: str
    commune_name: str
    province_code: str
    default: bool
    reading: str  # "former": successor of a former unit; "new": the input names this commune
    former: str | None = None  # the former unit, "Phường Tân Định, Quận 1, Thành phố Hồ Chí Minh"

    def as_dict(self) -> dict[str, Any]:
        return {
            "commune_code": self.commune_code,
            "commune_name": self.commune_name,
            "province_code": self.province_code,
            "default": self.default,
            "reading": self.reading,
            "former": self.former,
        }


@dataclass(frozen=True, slots=True)
class Resolution:
    input: str
    status: str
    commune_code: str | None
    commune_name: str | None
    province_code: str | None
    province_name: str | None
    candidates: tuple[Candidate, ...] = ()
    recognised: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "status": self.status,
            "commune_code": self.commune_code,
            "commune_name": self.commune_name,
            "province_code": self.province_code,
            "province_name": self.province_name,
            "candidates": [c.as_dict() for c in self.candidates],
            "recognised": self.recognised,
        }


# ---- matching internals ------------------------------------------------------------------------

# An index entry: (unit code, unit kind, accent key, is_alias, group). `group` is the former
# province of a district/ward entry (to prefer the province the address names), else "".
Entry = tuple[str, str, str, bool, str]
Index = dict[str, tuple[Entry, ...]]


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # first token of the name, type word included
    end: int  # the token after the name
    codes: tuple[str, ...]  # best entries (same quality), in index order
    groups: tuple[str, ...]
    quality: tuple[int, int, int]  # (edit distance, alias, kind mismatch): lower is better
    input_kind: str | None
    loose: bool = False  # words left before the name in its part ("Nam" in "Xã Nam Cửa Việt" → "Cửa Việt")

    @property
    def rank(self) -> tuple[int, int, int, int]:
        return (self.quality[0], int(self.loose), self.quality[1], self.quality[2])


def _freeze(index: dict[str, list[Entry]]) -> Index:
    return {k: tuple(v) for k, v in index.items()}


class _Scope:
    """An index with its keys kept for fuzzy matching."""

    __slots__ = ("index", "keys")

    def __init__(self, index: Index):
        self.index = index
        self.keys = list(index)


class Resolver:
    MAX_DISTANCE_SHORT = 1  # keys of 4–11 letters
    MAX_DISTANCE_LONG = 2  # keys of 12+ letters, within a small scope only
    MIN_FUZZY_LEN = 4

    def __init__(self, data: ResolverData, *, memo: bool = True, memo_size: int = 200_000):
        self.memo = memo
        self.memo_size = memo_size
        self._memo: dict[str, Resolution] = {}
        self._token_memo: dict[tuple[tuple[str, ...], tuple[str, ...], tuple[int, ...]], Resolution] = {}

        self.province_name = {code: name for code, name, _kind in data.provinces}
        self.commune = {code: (name, pcode, kind) for code, name, kind, pcode in data.communes}
        self.legacy_province = {code: (name, kind, new) for code, name, kind, new in data.legacy_provinces}
        self.legacy_district = {
            code: (name, kind, pcode) for code, name, kind, pcode, _aliases in data.legacy_districts
        }
        self.legacy_ward = {
            code: (name, kind, dcode) for code, name, kind, dcode, _aliases in data.legacy_wards
        }
        successors: dict[tuple[str, str], list[tuple[int, bool, str]]] = defaultdict(list)
        for dcode, wcode, ccode, is_default, position in data.successions:
            successors[(dcode, wcode or "")].append((0 if is_default else 1 + position, is_default, ccode))
        self.successors: dict[tuple[str, str], tuple[str, ...]] = {
            key: tuple(c for _, _, c in sorted(rows)) for key, rows in successors.items()
        }
        self.wardless = {dcode for (dcode, wcode) in self.successors if not wcode}
        legacy_of_new: dict[str, list[str]] = defaultdict(list)
        for code, (_name, _kind, new) in self.legacy_province.items():
            legacy_of_new[new].append(code)
        self.legacy_of_new = {k: tuple(sorted(v)) for k, v in legacy_of_new.items()}

        longest = 1
        keys: dict[str, tuple[str, str]] = {}

        def add(
            index: dict[str, list[Entry]], name: str, code: str, kind: str, alias: bool, group: str
        ) -> None:
            nonlocal longest
            known = keys.get(name)
            if known is None:
                known = keys[name] = (name_key(name), accent_key(name))
                longest = max(longest, name.count(" ") + 1)
            if not known[0]:
                return
            entry = (code, kind, known[1], alias, group)
            bucket = index[known[0]]
            if entry not in bucket:
                bucket.append(entry)

        # provinces: key → (new code, former code or "")
        prov: dict[str, list[Entry]] = defaultdict(list)
        for code, name, kind in data.provinces:
            base = split_type(name, PROVINCE_KINDS)[1]
            add(prov, base, code, kind, False, "")
        for code, name, kind, new in data.legacy_provinces:
            base = split_type(name, PROVINCE_KINDS)[1]
            add(prov, base, new, kind, False, code)
        for alias, (new, legacy) in PROVINCE_ALIASES.items():
            if new in self.province_name:
                kind = next(k for c, _n, k in data.provinces if c == new)
                prov[alias].append((new, kind, alias, True, legacy or ""))
        self.provinces = _Scope(_freeze(prov))

        # former districts: nationally and per new province
        dist_all: dict[str, list[Entry]] = defaultdict(list)
        dist_by_new: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
        for code, name, kind, pcode, aliases in data.legacy_districts:
            base = split_type(name, LEGACY_DISTRICT_KINDS)[1]
            new = self.legacy_province[pcode][2]
            for target in (dist_all, dist_by_new[new]):
                add(target, base, code, kind, False, pcode)
                for alias in aliases:
                    add(target, alias, code, kind, True, pcode)
        self.districts_all = _Scope(_freeze(dist_all))
        self.districts_by_new = {k: _Scope(_freeze(v)) for k, v in dist_by_new.items()}

        # former wards: per former district, per new province, nationally
        ward_by_district: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
        ward_by_new: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
        ward_all: dict[str, list[Entry]] = defaultdict(list)
        for code, name, kind, dcode, aliases in data.legacy_wards:
            base = split_type(name, LEGACY_WARD_KINDS)[1]
            pcode = self.legacy_district[dcode][2]
            new = self.legacy_province[pcode][2]
            for target in (ward_by_district[dcode], ward_by_new[new], ward_all):
                add(target, base, code, kind, False, pcode)
                for alias in aliases:
                    add(target, alias, code, kind, True, pcode)
        self.wards_by_district = {k: _Scope(_freeze(v)) for k, v in ward_by_district.items()}
        self.wards_by_new = {k: _Scope(_freeze(v)) for k, v in ward_by_new.items()}
        self.wards_all = _Scope(_freeze(ward_all))

        # new communes: per province, nationally
        com_by_new: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
        com_all: dict[str, list[Entry]] = defaultdict(list)
        for code, name, kind, pcode in data.communes:
            base = split_type(name, COMMUNE_KINDS)[1]
            for target in (com_by_new[pcode], com_all):
                add(target, base, code, kind, False, pcode)
        self.communes_by_new = {k: _Scope(_freeze(v)) for k, v in com_by_new.items()}
        self.communes_all = _Scope(_freeze(com_all))
        self.max_words = longest + 2  # room for split syllables ("R' Lấp", "Vũng  Tàu")

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_memo"], state["_token_memo"] = {}, {}
        return state

    def clear_memo(self) -> None:
        self._memo.clear()
        self._token_memo.clear()

    # ---- public API ----------------------------------------------------------------------------

    def resolve(self, text: str) -> Resolution:
        """Resolve one address. Never raises for a `str`; memoised on the raw text and the words."""
        if self.memo:
            hit = self._memo.get(text)
            if hit is not None:
                return hit
        tokens = tokenize(text)
        token_key = (tokens.plain, tokens.accented, tokens.segment)
        result = self._token_memo.get(token_key) if self.memo else None
        if result is None:
            result = self._resolve_tokens(text, tokens)
            if self.memo:
                if len(self._token_memo) >= self.memo_size:
                    self._token_memo.clear()
                self._token_memo[token_key] = result
        elif result.input != text:
            result = replace(result, input=text)
        if self.memo:
            if len(self._memo) >= self.memo_size:
                self._memo.clear()
            self._memo[text] = result
        return result

    def resolve_many(self, texts: Iterable[str]) -> list[Resolution]:
        return [self.resolve(t) for t in texts]

    # ---- the reading ---------------------------------------------------------------------------

    def _resolve_tokens(self, text: str, tokens: Tokens) -> Resolution:
        end = self._skip_noise(tokens, len(tokens))
        if end == 0:
            return self._not_found(text, {})
        province = self._match(tokens, end, self.provinces, PROVINCE_TYPES, fuzzy=True, small_scope=False)
        if province is not None:
            options = self._province_options(province)
            # "Phường 1, Thành phố Vĩnh Long": a district-level city named like its province.
            kind_clash = province.input_kind is not None and province.quality[2] > 0
            if kind_clash:
                found = self._district_reading(
                    text, tokens, end, None, consistent_with={o[0] for o in options}
                )
                if found is not None:
                    return found
            for new_code, primary in options:
                found = self._district_reading(text, tokens, province.start, (new_code, primary))
                if found is not None:
                    return found
                found = self._no_district_reading(text, tokens, province.start, (new_code, primary))
                if found is not None:
                    return found
        found = self._district_reading(text, tokens, end, None)
        if found is not None:
            return found
        if province is None:
            found = self._no_district_reading(text, tokens, end, None)
            if found is not None:
                return found
        recognised: dict[str, Any] = {}
        if province is not None:
            new_code = province.codes[0]
            recognised["province"] = {"code": new_code, "name": self.province_name[new_code]}
            return self._not_found(text, recognised, new_code)
        return self._not_found(text, recognised)

    def _province_options(self, match: Match) -> list[tuple[str, str]]:
        """(new province, former province named or "") pairs, best first, without repeats."""
        seen: list[tuple[str, str]] = []
        for code, group in zip(match.codes, match.groups, strict=True):
            if (code, group) not in seen:
                seen.append((code, group))
        # The same new province named both as itself and as its former self: keep the former one.
        news = {c for c, g in seen if g}
        return [(c, g) for c, g in seen if g or c not in news]

    def _district_reading(
        self,
        text: str,
        tokens: Tokens,
        end: int,
        province: tuple[str, str] | None,
        consistent_with: set[str] | None = None,
    ) -> Resolution | None:
        scope = self.districts_by_new.get(province[0]) if province else self.districts_all
        if scope is None:
            return None
        district = self._match(
            tokens,
            end,
            scope,
            DISTRICT_TYPES,
            fuzzy=True,
            small_scope=province is not None,
            prefer_group=province[1] if province else "",
        )
        if district is None:
            return None
        sources: list[tuple[tuple[int, int, int], str, str]] = []
        for dcode in district.codes:
            if consistent_with is not None and self._new_of_district(dcode) not in consistent_with:
                continue
            wards = self.wards_by_district.get(dcode)
            ward = (
                self._match(tokens, district.start, wards, WARD_TYPES, fuzzy=True, small_scope=True)
                if wards is not None
                else None
            )
            if ward is not None:
                for wcode in ward.codes:
                    sources.append((ward.quality, dcode, wcode))
            elif dcode in self.wardless:
                sources.append(((0, 0, 0), dcode, ""))
        if not sources:
            return None
        best = min(q for q, _, _ in sources)
        chosen = [(d, w) for q, d, w in sources if q == best]
        return self._from_sources(text, chosen, "former")

    def _no_district_reading(
        self, text: str, tokens: Tokens, end: int, province: tuple[str, str] | None
    ) -> Resolution | None:
        if province:
            com_scope = self.communes_by_new.get(province[0])
            ward_scope = self.wards_by_new.get(province[0])
        else:
            com_scope, ward_scope = self.communes_all, self.wards_all
        small = province is not None
        new = (
            self._match(tokens, end, com_scope, WARD_TYPES, fuzzy=True, small_scope=small)
            if com_scope
            else None
        )
        former = (
            self._match(
                tokens,
                end,
                ward_scope,
                WARD_TYPES,
                fuzzy=True,
                small_scope=False,
                prefer_group=province[1] if province else "",
            )
            if ward_scope
            else None
        )
        if new is not None and former is not None:
            if new.rank < former.rank:
                former = None
            elif former.rank < new.rank:
                new = None
        if new is None and former is None:
            return None
        if new is None:
            sources = [(self.legacy_ward[w][2], w) for w in former.codes]
            return self._from_sources(text, sources, "former")
        new_candidates = [self._candidate(c, "new") for c in new.codes]
        if former is None:
            return self._answer(text, new_candidates, self._recognised_new(new.codes[0]), split=False)
        former_candidates = []
        for wcode in former.codes:
            dcode = self.legacy_ward[wcode][2]
            for ccode in self.successors[(dcode, wcode)]:
                former_candidates.append(self._candidate(ccode, "former", dcode, wcode))
        if len(new.codes) == 1 and {c.commune_code for c in former_candidates} == {new.codes[0]}:
            recognised = self._recognised_new(new.codes[0])
            recognised["also_former"] = self._recognised_former(
                self.legacy_ward[former.codes[0]][2], former.codes[0]
            )
            return self._answer(text, new_candidates, recognised, split=False)
        # The readings disagree: ambiguous, the new-format reading first.
        return self._answer(
            text,
            new_candidates + former_candidates,
            self._recognised_new(new.codes[0]),
            split=False,
            force_ambiguous=True,
        )

    # ---- results -------------------------------------------------------------------------------

    def _from_sources(self, text: str, sources: list[tuple[str, str]], reading: str) -> Resolution:
        seen: list[tuple[str, str]] = []
        for s in sources:
            if s not in seen:
                seen.append(s)
        candidates = [
            self._candidate(ccode, reading, dcode, wcode)
            for dcode, wcode in seen
            for ccode in self.successors[(dcode, wcode)]
        ]
        recognised = self._recognised_former(*seen[0])
        if len(seen) > 1:
            recognised["alternatives"] = len(seen)
        split = len(seen) == 1 and len(self.successors[seen[0]]) > 1
        successor_sets = {self.successors[s] for s in seen}
        if len(seen) > 1 and len(successor_sets) == 1:
            # Several former units named alike, all with the same successor(s): no real ambiguity.
            only = next(iter(successor_sets))
            candidates = [self._candidate(c, reading, *seen[0]) for c in only]
            split = len(only) > 1
        return self._answer(text, candidates, recognised, split=split)

    def _answer(
        self,
        text: str,
        candidates: list[Candidate],
        recognised: dict[str, Any],
        *,
        split: bool,
        force_ambiguous: bool = False,
    ) -> Resolution:
        unique: list[Candidate] = []
        codes: set[str] = set()
        for c in candidates:
            if c.commune_code not in codes:
                codes.add(c.commune_code)
                unique.append(c)
        top = unique[0]
        unique[0] = Candidate(
            top.commune_code, top.commune_name, top.province_code, True, top.reading, top.former
        )
        if split and not force_ambiguous:
            status = SPLIT
        elif len(unique) == 1 and not force_ambiguous:
            status = EXACT
        else:
            status = AMBIGUOUS
        first = unique[0]
        return Resolution(
            input=text,
            status=status,
            commune_code=first.commune_code,
            commune_name=first.commune_name,
            province_code=first.province_code,
            province_name=self.province_name[first.province_code],
            candidates=tuple(unique),
            recognised=recognised,
        )

    def _not_found(
        self, text: str, recognised: dict[str, Any], province_code: str | None = None
    ) -> Resolution:
        return Resolution(
            input=text,
            status=NOT_FOUND,
            commune_code=None,
            commune_name=None,
            province_code=province_code,
            province_name=self.province_name.get(province_code) if province_code else None,
            candidates=(),
            recognised=recognised,
        )

    def _candidate(self, ccode: str, reading: str, dcode: str = "", wcode: str = "") -> Candidate:
        name, pcode, _kind = self.commune[ccode]
        former = None
        if dcode:
            former = self.describe_former(dcode, wcode)
        return Candidate(ccode, name, pcode, False, reading, former)

    def describe_former(self, dcode: str, wcode: str = "") -> str:
        dname, _dkind, pcode = self.legacy_district[dcode]
        parts = [self.legacy_ward[wcode][0]] if wcode else []
        return ", ".join([*parts, dname, self.legacy_province[pcode][0]])

    def _recognised_former(self, dcode: str, wcode: str) -> dict[str, Any]:
        dname, _dkind, pcode = self.legacy_district[dcode]
        return {
            "format": "former",
            "province": {"code": pcode, "name": self.legacy_province[pcode][0]},
            "district": {"code": dcode, "name": dname},
            "ward": {"code": wcode, "name": self.legacy_ward[wcode][0]} if wcode else None,
        }

    def _recognised_new(self, ccode: str) -> dict[str, Any]:
        name, pcode, _kind = self.commune[ccode]
        return {
            "format": "new",
            "province": {"code": pcode, "name": self.province_name[pcode]},
            "commune": {"code": ccode, "name": name},
        }

    def _new_of_district(self, dcode: str) -> str:
        return self.legacy_province[self.legacy_district[dcode][2]][2]

    # ---- word-level matching -------------------------------------------------------------------

    @staticmethod
    def _skip_noise(tokens: Tokens, end: int) -> int:
        plain = tokens.plain
        while end > 0:
            if end >= 2 and plain[end - 2] == "viet" and plain[end - 1] == "nam":
                end -= 2
            elif plain[end - 1] in NOISE_TAIL or (plain[end - 1].isdigit() and len(plain[end - 1]) >= 5):
                end -= 1  # country, postcode
            else:
                break
        return end

    @staticmethod
    def _type_before(tokens: Tokens, start: int, seg_start: int) -> tuple[int, tuple[str, ...]] | None:
        for n in (2, 1):
            if start - n >= seg_start:
                words = tokens.plain[start - n : start]
                if words in ALL_TYPES:
                    return n, words
        return None

    def _match(
        self,
        tokens: Tokens,
        end: int,
        scope: _Scope,
        types: dict[tuple[str, ...], str],
        *,
        fuzzy: bool,
        small_scope: bool,
        prefer_group: str = "",
    ) -> Match | None:
        """The unit of `scope` whose name ends at word `end` (type words around it allowed)."""
        if end <= 0:
            return None
        plain, seg = tokens.plain, tokens.segment
        seg_start = end - 1
        while seg_start > 0 and seg[seg_start - 1] == seg[end - 1]:
            seg_start -= 1
        # Optional type word after the name (English order: "Tan Dinh Ward", "Ho Chi Minh City").
        ends: list[tuple[int, str | None]] = []
        for n in (2, 1):
            if end - n > seg_start and plain[end - n : end] in types:
                ends.append((end - n, types[plain[end - n : end]]))
                break
        ends.append((end, None))

        found: list[
            tuple[int, int, str | None, tuple[Entry, ...], int]
        ] = []  # (start, end, kind, entries, dist)
        for e, trailing_kind in ends:
            for length in range(min(self.max_words, e - seg_start), 0, -1):
                entries = scope.index.get("".join(plain[e - length : e]))
                if entries:
                    found.append((e - length, e, trailing_kind, entries, 0))
                    break
        exact = self._best(tokens, found, types, seg_start, prefer_group)
        if exact is not None and not fuzzy:
            return exact
        if exact is not None:
            # A name found inside a longer part that has its own type word further left
            # ("Xã Tânn Thạnh Tây" matching "Thạnh Tây"): check the whole part for a typo first.
            typed_start = self._typed_start(tokens, exact.start, seg_start, types)
            if typed_start is None:
                return exact
            alternative = self._fuzzy(
                tokens, [(typed_start, exact.end, None)], scope, types, seg_start, small_scope, prefer_group
            )
            if alternative is not None and alternative.quality[0] <= 1 and alternative.codes != exact.codes:
                return alternative
            return exact
        if not fuzzy:
            return None
        spans = [
            (e - length, e, trailing_kind)
            for e, trailing_kind in ends
            for length in range(1, min(self.max_words, e - seg_start) + 1)
        ]
        return self._fuzzy(tokens, spans, scope, types, seg_start, small_scope, prefer_group)

    def _typed_start(self, tokens: Tokens, start: int, seg_start: int, types: dict) -> int | None:
        """If words stand between the matched name and a type word of this level, the word after it."""
        plain = tokens.plain
        if self._type_before(tokens, start, seg_start) is not None or start == seg_start:
            return None
        for i in range(start - 1, seg_start - 1, -1):
            for n in (2, 1):
                if i - n + 1 >= seg_start and plain[i - n + 1 : i + 1] in types:
                    return i + 1 if i + 1 < start else None
        return None

    def _fuzzy(
        self,
        tokens: Tokens,
        spans: list[tuple[int, int, str | None]],
        scope: _Scope,
        types: dict[tuple[str, ...], str],
        seg_start: int,
        small_scope: bool,
        prefer_group: str,
    ) -> Match | None:
        plain = tokens.plain
        # Within a district (a few dozen names) a three-letter name may carry a typo too.
        min_len = self.MIN_FUZZY_LEN - 1 if small_scope else self.MIN_FUZZY_LEN
        best_distance = 99
        hits: list[tuple[int, int, str | None, tuple[Entry, ...], int]] = []
        for start, e, trailing_kind in spans:
            query = "".join(plain[start:e])
            if len(query) < min_len - 1:
                continue
            limit = self.MAX_DISTANCE_LONG if (small_scope and len(query) >= 11) else self.MAX_DISTANCE_SHORT
            for key, distance, _ in process.extract(
                query, scope.keys, scorer=OSA.distance, score_cutoff=limit, limit=None
            ):
                if len(key) < min_len:
                    allowed = 0
                elif small_scope and len(key) >= 12:
                    allowed = self.MAX_DISTANCE_LONG
                else:
                    allowed = self.MAX_DISTANCE_SHORT
                if distance > allowed or distance > best_distance:
                    continue
                if distance < best_distance:
                    best_distance = distance
                    hits = []
                hits.append((start, e, trailing_kind, scope.index[key], distance))
        if not hits:
            return None
        # Among equally close names, the longest span read wins (it explains more of the input) ...
        longest = max(e - s for s, e, _k, _ent, _d in hits)
        hits = [h for h in hits if h[1] - h[0] == longest]
        # ... and, if the input has accents, the name closest with its accents ("Trực Hùđg" is
        # Trực Hùng, not Trực Hưng, though both are one letter away once the accents are dropped).
        if len(hits) > 1 or len(hits[0][3]) > 1:
            start, e = hits[0][0], hits[0][1]
            accented = "".join(tokens.accented[start:e])
            if accented != "".join(plain[start:e]):
                flat = [(h, en, OSA.distance(accented, en[2])) for h in hits for en in h[3]]
                closest = min(d for _h, _en, d in flat)
                hits = [
                    (h[0], h[1], h[2], tuple(en for hh, en, d in flat if hh is h and d == closest), h[4])
                    for h in hits
                ]
                hits = [h for h in hits if h[3]]
        return self._best(tokens, hits, types, seg_start, prefer_group)

    def _best(
        self,
        tokens: Tokens,
        found: list[tuple[int, int, str | None, tuple[Entry, ...], int]],
        types: dict[tuple[str, ...], str],
        seg_start: int,
        prefer_group: str,
    ) -> Match | None:
        """Apply type words, accents and the named former province; keep the best entries."""
        best_quality: tuple[int, int, int] | None = None
        best: list[tuple[int, int, str | None, Entry]] = []  # (start, end, input kind, entry)
        for name_start, e, trailing_kind, entries, distance in found:
            kind, start = trailing_kind, name_start
            before = self._type_before(tokens, name_start, seg_start)
            if before is not None:
                n, words = before
                if words not in types:
                    continue  # "Phường Thủ Dầu Một" is not the district Thủ Dầu Một
                kind = kind or types[words]
                start -= n
            pool = entries
            if distance == 0 and len(entries) > 1:
                accented = "".join(tokens.accented[name_start:e])
                if accented != "".join(tokens.plain[name_start:e]):
                    # Accents tell apart names that fold alike ("Sa Pa" / "Sa Pả") when the input has them.
                    pool = tuple(en for en in entries if en[2] == accented) or entries
            fits = KIND_FITS.get(kind, ()) if kind is not None else ()
            for en in pool:
                mismatch = 0 if (kind is None or en[1] == kind or en[1] in fits) else 1
                quality = (distance, int(en[3]), mismatch)
                if best_quality is None or quality < best_quality:
                    best_quality, best = quality, [(start, e, kind, en)]
                elif quality == best_quality:
                    best.append((start, e, kind, en))
        if best_quality is None:
            return None
        if prefer_group and len(best) > 1:
            preferred = [b for b in best if b[3][4] == prefer_group]
            if preferred:
                best = preferred
        if len(best) > 1:
            start = min(b[0] for b in best)
            best = [b for b in best if b[0] == start]
        pairs: list[tuple[str, str]] = []
        for b in best:
            if (b[3][0], b[3][4]) not in pairs:
                pairs.append((b[3][0], b[3][4]))
        start, end, kind = best[0][0], best[0][1], best[0][2]
        return Match(
            start,
            end,
            tuple(p[0] for p in pairs),
            tuple(p[1] for p in pairs),
            best_quality,
            kind,
            loose=start > seg_start,
        )
