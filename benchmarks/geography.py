"""Address resolution: twotier against vietnamadminunits, side by side, in one run.

    .venv/bin/python benchmarks/geography.py [--lines 100000] [--peer 300]

Assumes `make setup` ran (the default database holds the map; TWOTIER_DATA_DIR is honoured).
Measures, each as a whole process with start-up included (time.perf_counter around subprocess):
  * the peer: vietnamadminunits.convert_address on --peer addresses of the test set
    (tests/data/addresses_main.csv, old-format forms only: the call it offers for them);
  * twotier: `twotier resolve_address --file` on --lines lines (the test set repeated), JSON lines out;
then the in-process rates (resolver already loaded): without any memo (every line resolved from
scratch) and with the memo of repeated inputs, and the peak memory (ru_maxrss) of the CLI process.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TEST_SET = ROOT / "tests" / "data" / "addresses_main.csv"
PEER_FORMS = ("full", "short", "abbreviated", "no_diacritics", "english", "hcmc_no_province", "typo")

PEER_SCRIPT = """
import json, sys
from vietnamadminunits import convert_address
out = []
for line in open(sys.argv[1], encoding="utf-8").read().splitlines():
    try:
        unit = convert_address(line)
        out.append(unit.ward_code)
    except Exception as exc:  # the peer raises on some inputs; count them as misses
        out.append(None)
json.dump(out, open(sys.argv[2], "w"))
"""


def run_timed(cmd: list[str], stdout) -> tuple[float, int, int]:
    """Wall time, exit code and peak RSS (KiB) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE, env=os.environ.copy())
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.read().decode(errors="replace"))
    return elapsed, proc.returncode, usage.ru_maxrss


def check_database() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twotier.settings")
    import django

    django.setup()
    from twotier.geography.models import Commune, WardSuccession

    communes, successions = Commune.objects.count(), WardSuccession.objects.count()
    if communes != 3321 or successions == 0:
        sys.exit(
            f"The database has {communes} communes and {successions} successions: run `make setup` "
            "(or `.venv/bin/twotier load_geography`) first."
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--peer", type=int, default=300)
    args = parser.parse_args()
    check_database()

    rows = list(csv.DictReader(TEST_SET.open(encoding="utf-8")))
    addresses = [r["address"] for r in rows]
    old_rows = [r for r in rows if r["form"] in PEER_FORMS]
    # An even spread over the old-format forms (the peer has a different call for new-format ones).
    count = min(args.peer, len(old_rows))
    peer_rows = [old_rows[i * len(old_rows) // count] for i in range(count)]
    lines = (addresses * (args.lines // len(addresses) + 1))[: args.lines]

    with tempfile.TemporaryDirectory() as tmp:
        peer_in, peer_out = Path(tmp, "peer.txt"), Path(tmp, "peer.json")
        peer_in.write_text("\n".join(r["address"] for r in peer_rows) + "\n", encoding="utf-8")
        ours_in = Path(tmp, "lines.txt")
        ours_in.write_text("\n".join(lines) + "\n", encoding="utf-8")

        peer_s, peer_rc, peer_rss = run_timed(
            [sys.executable, "-c", PEER_SCRIPT, str(peer_in), str(peer_out)], subprocess.DEVNULL
        )
        # One untimed run first would hide the cost of building the on-disk cache; instead say
        # whether the cache was there, as a user's second run would find it.
        from twotier.geography.services import _data_key, cache_path

        cache_ready = cache_path(_data_key()).exists()
        with Path(tmp, "out.jsonl").open("wb") as out:
            ours_s, ours_rc, ours_rss = run_timed(
                [str(BIN / "twotier"), "resolve_address", "--file", str(ours_in)], out
            )
        with Path(tmp, "out.jsonl").open(encoding="utf-8") as fh:
            produced = sum(1 for _ in fh)
        peer_codes = json.loads(peer_out.read_text()) if peer_out.exists() else []

    if peer_rc != 0 or ours_rc != 0 or produced != len(lines):
        print(f"FAILED: peer exit {peer_rc}, twotier exit {ours_rc}, {produced}/{len(lines)} lines out")
        return 1

    # Peer accuracy on its sample (same grading as tests/geography/test_accuracy.py: the first
    # expected code is the whole ward's successor or a split ward's default successor).
    peer_right = sum(
        1 for r, code in zip(peer_rows, peer_codes, strict=True) if code == r["expected"].split()[0]
    )

    # In-process rates with the resolver already loaded.
    from twotier.geography.services import get_resolver

    resolver = get_resolver()
    unique = list(dict.fromkeys(addresses))
    resolver.memo = False
    started = time.perf_counter()
    for a in unique:
        resolver.resolve(a)
    uncached_rate = len(unique) / (time.perf_counter() - started)
    resolver.memo = True
    resolver.clear_memo()
    started = time.perf_counter()
    for a in lines:
        resolver.resolve(a)
    memo_rate = len(lines) / (time.perf_counter() - started)
    from twotier.geography.models import Commune

    vam_code = {code: alias or code for code, alias in Commune.objects.values_list("code", "alias_code")}
    ours_right = sum(
        1
        for r in peer_rows
        if vam_code.get(resolver.resolve(r["address"]).commune_code) == r["expected"].split()[0]
    )

    peer_rate = len(peer_rows) / peer_s
    ours_rate = len(lines) / ours_s
    print("Address resolution benchmark (whole processes, start-up included)")
    print(f"  machine load average: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
    print(
        f"  vietnamadminunits.convert_address: {len(peer_rows):>7,} addresses in {peer_s:7.2f} s "
        f"= {peer_rate:10,.0f} /s   peak RSS {peer_rss / 1024:6.0f} MB   right {peer_right}/{len(peer_rows)}"
    )
    print(
        f"  twotier resolve_address --file:    {len(lines):>7,} lines     in {ours_s:7.2f} s "
        f"= {ours_rate:10,.0f} /s   peak RSS {ours_rss / 1024:6.0f} MB   right {ours_right}/{len(peer_rows)}"
        f"{'' if cache_ready else '   (index cache built during this run)'}"
    )
    print(f"  ratio (whole process): {ours_rate / peer_rate:,.0f}x   (target >= 100x)")
    print("  right = commune_code is the expected one (split: the default) on the peer's sample")
    print("In-process (resolver loaded):")
    print(
        f"  uncached, every line resolved from scratch: {uncached_rate:10,.0f} /s  ({len(unique):,} distinct)"
    )
    print(f"  with the memo of repeated inputs:          {memo_rate:10,.0f} /s  ({len(lines):,} lines)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  this benchmark process peak RSS (Django + resolver loaded): {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
