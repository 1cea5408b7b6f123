"""Vietnamese text helpers shared by every app (pure, no Django)."""

from __future__ import annotations

import unicodedata


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x00C0, 0x2000):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii():
            table[cp] = base.lower()
    for cp in range(0x0300, 0x0370):  # combining marks left over after NFC
        table[cp] = ""
    for ch, repl in {
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "ß": "ss",
    }.items():
        table[ord(ch)] = repl
    return table


# Vietnamese (and other Latin) letters → their plain lower-case form; combining marks → nothing.
FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Plain form: no diacritics, lower case (NFC first, so composed and decomposed input agree)."""
    return unicodedata.normalize("NFC", text).lower().translate(FOLD_TABLE)
