"""Vietnamese question normalisation for the assistant (pure, no ORM).

A question and a procedure meet on *folded* words (no diacritics, lower case — `geography.normalize.fold`),
so "sổ đỏ", "so do" and "SỔ ĐỎ" are the same. On top of the single syllables we index adjacent pairs
("dang_ky", "khai_sinh"): Vietnamese words are mostly two syllables and a pair is far more telling than
either syllable alone ("ho" is a household, a surname, a particle...).

The vocabulary (assistant/data/vocabulary.yaml) is data: everyday phrases → official terms, English →
Vietnamese terms, abbreviations and filler words. It is written from how citizens speak, never derived
from the evaluation questions.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from twotier.geography.normalize import fold

VOCABULARY_PATH = Path(__file__).parent / "data" / "vocabulary.yaml"
MAX_QUESTION_CHARS = 500
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """Folded words of `text` (the plain form), at most MAX_QUESTION_CHARS characters read."""
    return _WORD.findall(fold(text[:MAX_QUESTION_CHARS].replace("/", " ")))


# The five tone marks of Vietnamese (huyền, sắc, ngã, hỏi, nặng) as combining characters.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _marked(word: str) -> str:
    """A lower-case word with its diacritics, the tone mark moved to the end so that the old and the
    new tone placement ("hoà"/"hòa", "thuỷ"/"thủy") agree: "cưới" → "cươi" + acute."""
    parts = unicodedata.normalize("NFD", word)
    tone = "".join(c for c in parts if c in _TONES)
    return unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + tone


def marked_words(text: str) -> list[str]:
    """The words of `text` as the citizen wrote them (lower case, diacritics kept, see `_marked`),
    one per folded word of `words(text)`."""
    text = unicodedata.normalize("NFC", text[:MAX_QUESTION_CHARS].replace("/", " ")).lower()
    return [_marked(w) for w in _WORD.findall(text)]


def same_word(written: str, key: str) -> bool:
    """Does a question word match a vocabulary word? A word written *with* diacritics must match them
    exactly: folding would read "cuối năm" as "cưới" (to marry) and "cập nhật" as Japan; a word written
    without any (a plain keyboard) matches on its folded form, as before."""
    if written.isascii():
        return written == fold(key)
    return written == key


def with_pairs(tokens: list[str]) -> list[str]:
    """Syllables plus adjacent pairs: ["dang", "ky", "dang_ky"]."""
    return tokens + [f"{a}_{b}" for a, b in itertools.pairwise(tokens)]


# English function words that never appear in unaccented Vietnamese.
_ENGLISH_ONLY = frozenset(
    [
        "how",
        "does",
        "what",
        "where",
        "when",
        "which",
        "who",
        "we",
        "our",
        "your",
        "is",
        "are",
        "of",
        "for",
        "with",
        "want",
        "need",
        "get",
        "should",
        "and",
        "have",
        "has",
        "would",
        "could",
        "please",
    ]
)
# All English function words, incl. those that are also folded Vietnamese ("the" = thế,
# "can" = cần, "to" = tờ, "my" = Mỹ, "do" = đỏ): a question is English only when it has no
# Vietnamese marks, two of these, and one of the words above.
_ENGLISH_MARKERS = _ENGLISH_ONLY | frozenset(
    ["the", "my", "do", "can", "i", "am", "a", "an", "to", "in", "on", "at"]
)
_VI_MARKS = re.compile(r"[^\x00-\x7f]")


def is_english(question: str) -> bool:
    if _VI_MARKS.search(question.replace("’", "'")):
        return False
    ws = re.findall(r"[a-z']+", question.lower())
    return sum(w in _ENGLISH_MARKERS for w in ws) >= 2 and any(w in _ENGLISH_ONLY for w in ws)


_AGE = re.compile(r"\b(\d{1,3}) (?:tuoi|years? old)\b")
_IDENTITY_TERMS = ("can cuoc", "chung minh nhan dan", "dinh danh")


@dataclass(frozen=True)
class Rule:
    """One vocabulary entry that fired: the phrase seen in the question and what it stands for."""

    phrase: str
    means: str
    kind: str  # "everyday" | "english"


@dataclass
class Vocabulary:
    everyday: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)
    english: dict[tuple[str, ...], tuple[str, str]] = field(default_factory=dict)
    # the phrases of both tables as written (diacritics kept), by folded key: several phrases may
    # fold alike ("cưới" and "cuối" both fold to "cuoi")
    written: dict[tuple[str, tuple[str, ...]], list[tuple[tuple[str, ...], str, str]]] = field(
        default_factory=dict
    )
    abbreviations: dict[str, list[str]] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    max_len: int = 1

    @classmethod
    def from_yaml(cls, text: str) -> Vocabulary:
        raw = yaml.safe_load(text) or {}
        vocab = cls()
        for section, target in (("everyday", vocab.everyday), ("english", vocab.english)):
            for phrase, means in (raw.get(section) or {}).items():
                key = tuple(words(str(phrase)))
                if key:
                    target[key] = (str(phrase), str(means))
                    vocab.max_len = max(vocab.max_len, len(key))
                    marked = tuple(marked_words(str(phrase)))
                    if len(marked) == len(key):
                        entry = (marked, str(phrase), str(means))
                        vocab.written.setdefault((section, key), []).append(entry)
        vocab.abbreviations = {
            fold(str(k)): words(str(v)) for k, v in (raw.get("abbreviations") or {}).items()
        }
        vocab.stopwords = frozenset(w for s in raw.get("stopwords") or [] for w in [" ".join(words(str(s)))])
        return vocab

    def expand(
        self, question: str, fix: Callable[[str], str] | None = None
    ) -> tuple[list[str], list[str], list[Rule]]:
        """(question words after abbreviations, words of the official terms the vocabulary adds, the
        rules that fired). Phrases are matched longest first; a word used by a longer phrase is not
        matched again by a shorter one inside it. `fix` corrects a folded word (typos); a corrected
        word, like a word written without diacritics, matches on its folded form."""
        english = is_english(question)
        tables = (
            ((self.english, "english"),)
            if english
            else ((self.everyday, "everyday"), (self.english, "english"))
        )
        plain = words(question)
        written = marked_words(question)
        if len(written) != len(plain):
            written = list(plain)
        toks: list[str] = []
        marks: list[str] = []
        for w, m in zip(plain, written, strict=True):
            # typos are corrected against the Vietnamese words of the catalogue: not in English
            fixed = fix(w) if fix and not english else w
            if fixed != w:
                m = fixed
            expanded = self.abbreviations.get(fixed, [fixed])
            toks.extend(expanded)
            marks.extend(expanded if len(expanded) > 1 or expanded[0] != fixed else [m])
        added: list[str] = []
        rules: list[Rule] = []
        used = [False] * len(toks)
        for n in range(min(self.max_len, len(toks)), 0, -1):
            for i in range(len(toks) - n + 1):
                if any(used[i : i + n]):
                    continue
                key = tuple(toks[i : i + n])
                for table, kind in tables:
                    hit = table.get(key) and self._as_written(kind, key, marks[i : i + n])
                    if hit:
                        rules.append(Rule(phrase=hit[0], means=hit[1], kind=kind))
                        added.extend(words(hit[1]))
                        for j in range(i, i + n):
                            used[j] = True
                        break
        self._age_rule(toks, added, rules)
        return toks, added, rules

    @staticmethod
    def _age_rule(toks: list[str], added: list[str], rules: list[Rule]) -> None:
        """Identity cards differ by age (Law on Identity 2023, art. 19): "15 tuổi" → from 14 up, "con 6
        tuổi" → under 14; the card is exchanged at 25, 40 and 60 (art. 21). Only for a question about the
        identity card (in its words or the vocabulary's): an age elsewhere is an elder's allowance or a
        pension ("mẹ 82 tuổi"), not a card."""
        age = _AGE.search(" ".join(toks))
        text = " ".join(toks + added)
        if not age or not any(t in text for t in _IDENTITY_TERMS):
            return
        years = int(age.group(1))
        if years in (25, 40, 60):
            means = "cap doi the can cuoc"
        else:
            means = "tu du 14 tuoi tro len" if years >= 14 else "duoi 14 tuoi"
        rules.insert(0, Rule(phrase=age.group(0), means=means, kind="everyday"))
        added.extend(means.split())

    def _as_written(self, kind: str, key: tuple[str, ...], marks: list[str]) -> tuple[str, str] | None:
        table = self.everyday if kind == "everyday" else self.english
        if (kind, key) not in self.written:  # a phrase whose written form does not split like its key
            return table.get(key)
        for marked, phrase, means in self.written[(kind, key)]:
            if all(same_word(w, k) for w, k in zip(marks, marked, strict=True)):
                return phrase, means
        return None

    def content(self, toks: list[str]) -> list[str]:
        """Drop filler words and filler pairs ("lam sao", "o dau") that say nothing about the procedure."""
        out: list[str] = []
        skip = False
        for i, w in enumerate(toks):
            if skip:
                skip = False
                continue
            if i + 1 < len(toks) and f"{w} {toks[i + 1]}" in self.stopwords:
                skip = True
                continue
            if w in self.stopwords:
                continue
            out.append(w)
        return out


@lru_cache(maxsize=4)
def load_vocabulary(path: str = str(VOCABULARY_PATH)) -> Vocabulary:
    return Vocabulary.from_yaml(Path(path).read_text(encoding="utf-8"))
