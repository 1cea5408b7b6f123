"""Benchmark: the citizen assistant against a plain BM25, side by side, on the repo's evaluation set.

* assistant — `twotier.assistant` (vocabulary expansion, folded syllables + pairs, bm25s, priors);
* baseline — rank-bm25 (BM25Okapi) over each receivable procedure's name, field and documents,
  lower-case whitespace tokens, the question tokenised the same way.

Prints top-1 / top-3 accuracy of both, overall and per kind of question (vi with diacritics, without,
English, keywords), the assistant's p50/p95 latency per question after warm-up (one process, one
thread) and the resident memory of the process. Targets: top-1 ≥ 85 %, top-3 ≥ 95 %, p95 ≤ 50 ms,
RSS ≤ 500 MB. Uses the database of `make setup` (loads the catalogue if it is missing).

    .venv/bin/python benchmarks/assistant.py                      # tests/assistant/data/questions_eval.jsonl
    .venv/bin/python benchmarks/assistant.py --set holdout        # the held-out set
    .venv/bin/python benchmarks/assistant.py --set dev            # the development set (tuning)
    .venv/bin/python benchmarks/assistant.py --set dev2           # the second development set
    .venv/bin/python benchmarks/assistant.py --set dev3           # the third development set
    .venv/bin/python benchmarks/assistant.py --set dev4           # the fourth development set (fresh)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twotier.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from rank_bm25 import BM25Okapi  # noqa: E402

from twotier.assistant.querysets import catalogue_docs, get_index  # noqa: E402
from twotier.procedures.models import Procedure  # noqa: E402

KINDS = ["vi", "vi_no_diacritics", "en", "keywords"]
TARGET_TOP1, TARGET_TOP3, TARGET_P95_MS, TARGET_RSS_MB = 85.0, 95.0, 50.0, 500.0


def load_set(name: str) -> list[dict]:
    path = ROOT / "tests" / "assistant" / "data" / f"questions_{name}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def accuracy(rows: list[dict], ranked: list[list[str]]) -> dict:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row, codes in zip(rows, ranked, strict=True):
        ok = set(row["acceptable"])
        for key in ("all", row["kind"]):
            per[key][0] += 1
            per[key][1] += bool(codes[:1] and codes[0] in ok)
            per[key][2] += bool(ok & set(codes[:3]))
    return {k: (n, 100.0 * a / n, 100.0 * b / n) for k, (n, a, b) in per.items()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", default="eval", choices=["eval", "holdout", "dev", "dev2", "dev3", "dev4"])
    parser.add_argument("--misses", action="store_true", help="print the questions the assistant misses")
    args = parser.parse_args()
    if args.misses and args.set == "holdout":
        # The held-out set is the honest check: its questions and misses are never read while tuning.
        parser.error("--misses is not available for the held-out set (aggregate figures only)")
    if not Procedure.objects.exists():
        call_command("load_procedures", verbosity=0)
    rows = load_set(args.set)

    t0 = time.perf_counter()
    index = get_index()
    build_s = time.perf_counter() - t0
    for row in rows[:20]:  # warm-up
        index.search(row["question"], top=3)
    latencies, ranked = [], []
    for row in rows:
        t = time.perf_counter()
        hits = index.search(row["question"], top=3)
        latencies.append((time.perf_counter() - t) * 1000)
        ranked.append([h.code for h in hits])
    ours = accuracy(rows, ranked)
    memory = rss_mb()

    docs = catalogue_docs()
    corpus = [" ".join([d.name, d.field, *d.documents]).lower().split() for d in docs]
    plain = BM25Okapi(corpus)
    base_ranked = []
    for row in rows:
        scores = plain.get_scores(row["question"].lower().split())
        order = sorted(range(len(docs)), key=lambda i: -scores[i])[:3]
        base_ranked.append([docs[i].code for i in order])
    base = accuracy(rows, base_ranked)

    p50 = statistics.median(latencies)
    p95 = sorted(latencies)[max(0, round(0.95 * len(latencies)) - 1)]
    n_procedures = len({r["acceptable"][0] for r in rows})
    print(f"evaluation set: {args.set} ({len(rows)} questions, {n_procedures} procedures)")
    print(f"catalogue: {len(docs)} receivable procedures; index built in {build_s:.2f} s")
    print(
        f"{'kind':<18}{'n':>5}  {'assistant top-1':>15} {'top-3':>7}   {'plain BM25 top-1':>16} {'top-3':>7}"
    )
    for kind in ["all", *KINDS]:
        if kind not in ours:
            continue
        n, a1, a3 = ours[kind]
        _, b1, b3 = base[kind]
        print(f"{kind:<18}{n:>5}  {a1:>14.1f}% {a3:>6.1f}%   {b1:>15.1f}% {b3:>6.1f}%")
    print(f"assistant latency per question: p50 {p50:.2f} ms, p95 {p95:.2f} ms (one process, after warm-up)")
    print(f"resident memory (RSS) after the assistant's run: {memory:.0f} MB")
    _, a1, a3 = ours["all"]
    verdict = {
        "top1": a1 >= TARGET_TOP1,
        "top3": a3 >= TARGET_TOP3,
        "p95": p95 <= TARGET_P95_MS,
        "rss": memory <= TARGET_RSS_MB,
    }
    print("targets: " + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in verdict.items()))
    if args.misses:
        for row, codes in zip(rows, ranked, strict=True):
            if not codes or codes[0] not in row["acceptable"]:
                print(f"MISS [{row['kind']}] {row['question']!r} want {row['acceptable'][0]} got {codes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
