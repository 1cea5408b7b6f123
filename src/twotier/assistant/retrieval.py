"""Lexical retrieval of procedures for a citizen's question (pure: no ORM, no network).

Two BM25 indexes (bm25s, Lucene variant) over folded syllables and syllable pairs:

* the *title* index — official name, English name and field: what the procedure *is*;
* the *body* index — the documents to bring: what the citizen *has* ("giấy chứng sinh", "sổ đỏ").

score = title + BODY_WEIGHT · body, then two priors: commune-level procedures are preferred at a
commune kiosk (the citizen stands at the commune's one-stop counter, Decree 118/2025 art. 8), and the
curated list of procedures citizens use most gets a small lift. The question is first expanded with the
vocabulary (everyday → official terms, English → Vietnamese), so "sổ đỏ" also searches "giấy chứng nhận
quyền sử dụng đất".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import bm25s
import numpy as np

from .text import Rule, Vocabulary, with_pairs, words

logging.getLogger("bm25s").setLevel(logging.WARNING)

BODY_WEIGHT = 0.25
BM25_K1, BM25_B = 1.2, 0.75
COMMUNE_PRIOR = 1.3
CURATED_PRIOR = 1.15
COVERAGE_FLOOR = 0.8
# Words of official names that say nothing about which procedure it is.
GENERIC_WORDS = frozenset(
    [
        "thu",
        "tuc",
        "doi",
        "voi",
        "truong",
        "hop",
        "cua",
        "cho",
        "va",
        "cac",
        "theo",
        "quy",
        "dinh",
        "tai",
        "thuc",
        "hien",
        "cap",
        "xa",
        "tinh",
        "huyen",
        "nhan",
        "dan",
        "uy",
        "ban",
    ]
)
# Official names of variants that a citizen only means when they say so (foreign element, border area,
# mobile registration, re-registration ...): a gentle penalty unless the question brings the same words.
VARIANT_MARKERS = {
    ("dieu", "chinh", "quyet", "dinh"): 0.85,
    # actions a citizen names when they mean them ("nộp lại biển số" → thu hồi, "cắt khẩu" → xóa ...)
    ("thu", "hoi"): 0.8,
    ("xoa",): 0.85,
    ("cham", "dut"): 0.85,
    ("ky", "lai"): 0.85,
    ("giam", "sat"): 0.85,
    ("gia", "han"): 0.85,
    ("thoi",): 0.85,
    ("giao", "dich"): 0.85,
    # one-stop bundles (birth + residence + health card for a child under 6): asked for by name only
    ("lien", "thong"): 0.8,
    ("yeu", "to", "nuoc", "ngoai"): 0.8,
    ("khu", "vuc", "bien", "gioi"): 0.8,
    ("luu", "dong"): 0.8,
}


@dataclass(frozen=True)
class ProcedureDoc:
    code: str
    name: str
    name_en: str = ""
    field: str = ""
    documents: tuple[str, ...] = ()
    level: str = ""  # "commune" | "province" | "ministry" | "other" — the lowest level it is done at
    curated: bool = False


@dataclass
class Hit:
    code: str
    name: str
    level: str
    score: float
    matched: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


def _title_tokens(doc: ProcedureDoc) -> list[str]:
    toks = with_pairs(words(doc.name))
    if doc.name_en:
        toks += words(doc.name_en)
    toks += with_pairs(words(doc.field))
    return toks


def _body_tokens(doc: ProcedureDoc) -> list[str]:
    toks: list[str] = []
    for d in doc.documents:
        toks += with_pairs(words(d))
    return toks


class Index:
    """Built once per process (see `querysets.get_index`); `search` is read-only and thread-safe."""

    def __init__(self, docs: list[ProcedureDoc], vocabulary: Vocabulary):
        self.docs = docs
        self.vocabulary = vocabulary
        self.title = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        self.title.index([_title_tokens(d) or [""] for d in docs], show_progress=False)
        self.body = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        self.body.index([_body_tokens(d) or [""] for d in docs], show_progress=False)
        self.commune = np.array([d.level == "commune" for d in docs])
        self.curated = np.array([d.curated for d in docs])
        self.variant = np.ones(len(docs), dtype=np.float32)
        self._variant_of: list[list[tuple[str, ...]]] = []
        for _i, d in enumerate(docs):
            name = words(d.name)
            marks = [m for m in VARIANT_MARKERS if _contains(name, m)]
            self._variant_of.append(marks)
        # Typos: a question word the catalogue never uses is replaced by a catalogue word one edit away
        # (deletion neighbourhoods, as in SymSpell): "khai sinhh" → "sinh", "tam chu" stays (both known).
        known = {w for d in docs for w in words(d.name) + words(d.field)}
        known |= {w for key in (*vocabulary.everyday, *vocabulary.english) for w in key}
        self._known = frozenset(known)
        self._deletes: dict[str, str] = {}
        for w in sorted(known):
            for variant in _deletions(w):
                self._deletes.setdefault(variant, w)
        self._name_words = [set(words(d.name)) - GENERIC_WORDS for d in docs]
        self._title_words = [set(words(d.name)) | set(words(d.name_en)) for d in docs]

    def correct(self, word: str) -> str:
        if word in self._known or len(word) < 4 or word.isdigit():
            return word
        if word in self._deletes:
            return self._deletes[word]
        for variant in _deletions(word):
            if variant in self._known:
                return variant
            if variant in self._deletes:
                return self._deletes[variant]
        return word

    def query_tokens(self, question: str) -> tuple[list[str], list[str], list[Rule]]:
        corrected = " ".join(self.correct(w) for w in words(question))
        toks, added, rules = self.vocabulary.expand(corrected)
        content = self.vocabulary.content(toks)
        return content, added, rules

    def search(self, question: str, top: int = 5, *, prefer_commune: bool = True) -> list[Hit]:
        content, added, rules = self.query_tokens(question)
        q = with_pairs(content) + with_pairs(added)
        if not q:
            return []
        scores = self.title.get_scores(q) + BODY_WEIGHT * self.body.get_scores(q)
        if prefer_commune:
            scores = scores * np.where(self.commune, COMMUNE_PRIOR, 1.0)
        scores = scores * np.where(self.curated, CURATED_PRIOR, 1.0)
        qset = set(content) | set(added)
        n = min(len(self.docs), max(top * 4, 20))
        order = np.argsort(-scores, kind="stable")[:n]
        adjusted = []
        for i in order:
            s = float(scores[i])
            if s <= 0:
                continue
            for m in self._variant_of[i]:
                if not set(m) <= qset:
                    s *= VARIANT_MARKERS[m]
            # Names differ by their qualifiers ("đăng ký *lại* khai sinh", "cấp *đổi*"): among close
            # candidates, the one whose name the question covers best wins.
            name_words = self._name_words[i]
            if name_words:
                s *= COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * len(name_words & qset) / len(name_words)
            adjusted.append((s, int(i)))
        adjusted.sort(key=lambda t: (-t[0], t[1]))
        hits = []
        for s, i in adjusted[:top]:
            d = self.docs[i]
            matched = sorted(self._title_words[i] & qset)
            hits.append(
                Hit(code=d.code, name=d.name, level=d.level, score=round(s, 4), matched=matched, rules=rules)
            )
        return hits


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))} if len(word) >= 3 else set()


def _contains(seq: list[str], sub: tuple[str, ...]) -> bool:
    n = len(sub)
    return any(tuple(seq[i : i + n]) == sub for i in range(len(seq) - n + 1))
