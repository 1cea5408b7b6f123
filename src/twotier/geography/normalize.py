"""Text normalisation for Vietnamese administrative names and addresses (pure, no ORM).

Everything the resolver compares goes through here, so that "Phường Tân Định", "phuong tan dinh",
"P. TÂN ĐỊNH" and "Tan Dinh Ward" meet on the same keys:

* `fold(text)` removes diacritics (đ → d) and lower-cases: the *plain* form.
* `tone_canonical(text)` keeps diacritics but puts the tone mark where the GSO list puts it
  ("Hoà" and "Hòa" are the same name; both spellings are in use, old and new style).
* `name_key(name)` glues the plain words of a name ("Tân Định" → "tandinh", "Phường 05" → "5").
* `tokenize(address)` cuts an address into words with their segment (comma-separated part), both
  plain and accented, splitting glued abbreviations such as "P.4", "Q8", "F14", "TP.HCM".

The normaliser must never raise on any `str` input: it is exercised with random text by hypothesis.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from twotier.core.text import FOLD_TABLE as _FOLD
from twotier.core.text import fold

# Only the tail of an address carries the administrative units; capping the work keeps a pasted
# 10 KB blob from costing more than an ordinary line.
MAX_CHARS = 400
MAX_TOKENS = 64


# Old-style tone placement ("oà", "uý") → the GSO list's style ("òa", "úy").
_TONE_PAIRS = [
    (f"{a}{b}", f"{c}{d}")
    for (a, plain) in (("o", "a"), ("o", "e"), ("u", "y"))
    for b, c, d in zip(
        {"a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ"}[plain],
        {"o": "òóỏõọ", "u": "ùúủũụ"}[a],
        plain * 5,
        strict=True,
    )
]
_TONE_RE = re.compile("|".join(re.escape(old) for old, _ in _TONE_PAIRS))
_TONE_MAP = dict(_TONE_PAIRS)

_APOSTROPHES = re.compile(r"['’‘`ʼ´]")
_SEPARATORS = re.compile(r"[,;\n\r\t|]+")
_WORD = re.compile(r"[^\W_]+")
# "P.4", "P4", "F14", "Q.08", "KP3" … : a type abbreviation glued to a number.
_GLUED = re.compile(
    r"(?<![^\W\d_])(p|f|q|x|h|tt|tx|tp|kp|phuong|phường|quan|quận|ward|district|khu\s?pho)\.?\s*(\d{1,3})(?!\d)",
    re.IGNORECASE,
)


def tone_canonical(text: str) -> str:
    """Lower case, NFC, tone marks placed as in the GSO list (hoà → hòa, thuý → thúy)."""
    text = unicodedata.normalize("NFC", text).lower()
    return _TONE_RE.sub(lambda m: _TONE_MAP[m.group(0)], text)


def _strip_zeros(word: str) -> str:
    if word.isdigit():
        return word.lstrip("0") or "0"
    return word


def name_key(name: str) -> str:
    """The glued plain key of a name without its type word: "Tân Định" → "tandinh", "05" → "5"."""
    words = _WORD.findall(fold(_APOSTROPHES.sub("", name)))
    return "".join(_strip_zeros(w) for w in words)


def accent_key(name: str) -> str:
    """The glued accented key (tone-canonical), to tell "Sa Pa" from "Sa Pả" when the input has marks."""
    words = _WORD.findall(tone_canonical(_APOSTROPHES.sub("", name)))
    return "".join(_strip_zeros(w) for w in words)


@dataclass(frozen=True, slots=True)
class Tokens:
    """An address cut into words. `plain[i]` is folded, `accented[i]` tone-canonical, `segment[i]` the
    index of the comma-separated part the word came from (names never span two parts)."""

    plain: tuple[str, ...]
    accented: tuple[str, ...]
    segment: tuple[int, ...]

    @property
    def has_marks(self) -> bool:
        return any(a != p for a, p in zip(self.accented, self.plain, strict=True))

    def __len__(self) -> int:
        return len(self.plain)


# Invisible format characters (soft hyphen, zero-width space/joiners, BOM, bidi marks) vanish; other
# control characters are not word characters, so they separate words like spaces.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def clean(text: str) -> str:
    """NFC, invisible characters dropped, only the last MAX_CHARS characters kept."""
    if not isinstance(text, str):
        raise TypeError("address must be a string")
    text = unicodedata.normalize("NFC", text[-MAX_CHARS * 4 :])
    return _INVISIBLE.sub("", text)[-MAX_CHARS:]


def tokenize(text: str) -> Tokens:
    """Cut an address into words (see module docstring). Never raises for a `str`."""
    text = tone_canonical(_APOSTROPHES.sub("", clean(text)))
    text = _GLUED.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
    plain: list[str] = []
    accented: list[str] = []
    segment: list[int] = []
    for seg_index, part in enumerate(_SEPARATORS.split(text)):
        # "TP.HCM", "P.Tân Định": a dot ends an abbreviation, like a space.
        for word in _WORD.findall(part.replace(".", " ")):
            if word.isdigit():
                word = word.lstrip("0") or "0"
            accented.append(word)
            plain.append(word.translate(_FOLD))
            segment.append(seg_index)
    if len(plain) > MAX_TOKENS:
        plain, accented, segment = plain[-MAX_TOKENS:], accented[-MAX_TOKENS:], segment[-MAX_TOKENS:]
    return Tokens(tuple(plain), tuple(accented), tuple(segment))
