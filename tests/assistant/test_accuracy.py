"""Accuracy of the assistant on the evaluation sets committed before the vocabulary was written.

Six sets: *eval* and *holdout* (commit 177d9f9, frozen: their SHA-256 is checked below), *dev*, a
development set written later from the catalogue, before the second round of tuning, and *dev2*, written
by another hand before the third round, *dev3*, written by a third hand before the fourth, and *dev4*,
written from the catalogue alone by a fourth hand during the fifth round and measured only after it
(a fresh estimate: 71.6/84.8 before the fifth round, 75.6/88.0 after); tuning looks at dev, dev2, dev3
and eval misses only, never at the held-out questions. Targets of issue 6: top-1 ≥ 85 %, top-3 ≥ 95 %
on eval and holdout, asserted by `test_targets_reached`; every set also has a floor just below its
measured figures (FLOORS) so that any regression fails.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from twotier.geography.normalize import fold

DATA = Path(__file__).parent / "data"
TARGET_TOP1, TARGET_TOP3 = 85.0, 95.0
# Measured on the real catalogue (see docs/assistant.md); lower them never, raise them when it improves.
# One question below each measured figure (an answer can move by one rank with the test database's
# order of rows): eval 90.0/97.9, holdout 85.9/95.3 (measured once, in aggregate, after the fifth
# round), dev 89.1/97.5, dev2 88.1/95.6, dev3 83.8/93.3, dev4 75.6/88.0.
FLOORS = {
    "eval": (89.4, 97.3),
    "holdout": (85.2, 94.7),
    "dev": (88.7, 97.1),
    "dev2": (87.7, 95.2),
    "dev3": (83.3, 92.9),
    "dev4": (75.2, 87.6),
}
# The committed evaluation sets never change (issue 6: written before the vocabulary, the held-out set
# never looked at): any edit, even a typo fix, fails here.
FROZEN_SHA256 = {
    "eval": "1b66029d759f2bc133c49d02f63b8b0c520c5893fc24b2ec21d29e9d4f3d3ec8",
    "holdout": "e30a9aef0e540c691f23dbfdde293757c349fe3795589f98f7baf2ae466737f6",
}
KINDS = {"vi": 0.60, "vi_no_diacritics": 0.20, "en": 0.10, "keywords": 0.10}


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / f"questions_{name}.jsonl").read_text("utf-8").splitlines()]


def accuracy(rows: list[dict]) -> tuple[float, float]:
    from twotier.assistant.querysets import get_index

    index = get_index()
    top1 = top3 = 0
    for row in rows:
        codes = [h.code for h in index.search(row["question"], top=3)]
        top1 += bool(codes and codes[0] in row["acceptable"])
        top3 += bool(set(codes) & set(row["acceptable"]))
    return 100.0 * top1 / len(rows), 100.0 * top3 / len(rows)


@pytest.mark.parametrize("name", sorted(FROZEN_SHA256))
def test_committed_sets_never_change(name):
    digest = hashlib.sha256((DATA / f"questions_{name}.jsonl").read_bytes()).hexdigest()
    assert digest == FROZEN_SHA256[name]


@pytest.mark.parametrize("name", ["eval", "holdout", "dev", "dev2", "dev3", "dev4"])
def test_set_follows_the_rules_of_the_issue(name):
    rows = load(name)
    assert len(rows) >= 150
    kinds = Counter(r["kind"] for r in rows)
    assert set(kinds) == set(KINDS)
    for kind, share in KINDS.items():
        assert kinds[kind] >= share * len(rows), (kind, kinds[kind])
    assert len({r["acceptable"][0] for r in rows}) >= 100
    assert len({r["question"] for r in rows}) == len(rows)
    for r in rows:
        if r["kind"] == "vi_no_diacritics":
            assert r["question"].isascii(), r["question"]
        if r["kind"] == "vi":
            assert not r["question"].isascii(), r["question"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["eval", "holdout", "dev", "dev2", "dev3", "dev4"])
def test_no_question_shares_four_consecutive_words_with_the_official_name(name):
    from twotier.procedures.models import Procedure

    def toks(s: str) -> list[str]:
        return re.findall(r"\w+", fold(s))

    names = dict(Procedure.objects.values_list("code", "name"))
    for r in load(name):
        for code in r["acceptable"]:
            assert code in names, code
        nt = toks(names[r["acceptable"][0]])
        grams = {tuple(nt[i : i + 4]) for i in range(len(nt) - 3)}
        qt = toks(r["question"])
        assert not any(tuple(qt[i : i + 4]) in grams for i in range(len(qt) - 3)), r["question"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["eval", "holdout", "dev", "dev2", "dev3", "dev4"])
def test_accuracy_does_not_drop_below_the_floor(name):
    top1, top3 = accuracy(load(name))
    floor1, floor3 = FLOORS[name]
    assert top1 >= floor1, f"{name}: top-1 {top1:.1f}% < {floor1}%"
    assert top3 >= floor3, f"{name}: top-3 {top3:.1f}% < {floor3}%"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["eval", "holdout"])
def test_targets_reached(name):
    top1, top3 = accuracy(load(name))
    assert top1 >= TARGET_TOP1, (name, top1)
    assert top3 >= TARGET_TOP3, (name, top3)
