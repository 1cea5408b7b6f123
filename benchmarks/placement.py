"""Placement after a merger: optimal solver vs greedy on a seeded city-sized instance, with proof.

    .venv/bin/python benchmarks/placement.py [--seed N] [--cpu K]

Instance (issue 4, item 7): 40 merged units; each merges 2–5 former units into 1–3 successors (an
N→M reorganization); 20,000 officials of the former units; posts of the successors with quotas of
1–20 slots adding up to exactly 20,000 slots, spread unevenly over the merged units (some short of
slots, some with slots to spare, as in HCMC after the merger); each official may take any slot of the
successors of their own former unit (at least 400 candidate slots each: by construction, posts with
a required qualification never hold more than the merged unit's slots − 400). Locations lie in
HCMC's extent; homes cluster around the merged unit's area, 10% anywhere in the city.

The process is pinned to one core (os.sched_setaffinity) and BLAS/OpenMP pools to one thread
before numpy loads. Timed: building the instance (the dataclasses and the allowed-pairs rule) and
`propose_placement`; the proof (`verify_optimality`, recomputing every candidate pair) apart.
"""

from __future__ import annotations

import os

# Before numpy/scipy are imported: their thread pools read these once.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import numpy as np  # noqa: E402

from twotier.apparatus.placement import (  # noqa: E402
    GeoPoint,
    Key,
    Official,
    Placement,
    Post,
    allowed_from_succession,
    candidate_pairs,
    greedy_placement,
    propose_placement,
    verify_optimality,
)

TARGET_SECONDS = 60.0
MIN_CANDIDATE_SLOTS = 400

# HCMC's extent (after the 2025 merger with Bình Dương and Bà Rịa–Vũng Tàu, mainland part).
LAT_RANGE = (10.35, 11.45)
LON_RANGE = (106.35, 107.35)
KM_PER_DEGREE = 111.2

MAJORS = (
    "law",
    "economics",
    "it",
    "construction",
    "land-management",
    "public-admin",
    "accounting",
    "culture",
)
CERTIFICATES = {  # certificate → share of officials holding it
    "state-mgmt-specialist": 0.80,
    "state-mgmt-principal": 0.25,
    "political-intermediate": 0.50,
    "political-advanced": 0.10,
    "it-basic": 0.90,
    "english-b1": 0.40,
}
RESTRICTING = (  # the required qualification of a restricted post
    "major:law",
    "major:land-management",
    "major:construction",
    "major:accounting",
    "state-mgmt-principal",
    "political-advanced",
)
SKILLS = (
    "civil-status",
    "certification",
    "land-records",
    "construction-permits",
    "business-registration",
    "social-insurance",
    "health-insurance",
    "education-admin",
    "culture-events",
    "tax",
    "budget",
    "procurement",
    "inspection",
    "complaints-handling",
    "e-office",
    "digital-signature",
    "gis",
    "data-entry",
    "archiving",
    "public-speaking",
)
GRADE_RANGES = ((1, 2), (2, 3), (3, 3), (3, 4), (4, 5))
GRADE_RANGE_P = (0.08, 0.17, 0.40, 0.25, 0.10)
GRADE_P = (0.05, 0.15, 0.50, 0.25, 0.05)


@dataclass(frozen=True)
class Instance:
    officials: list[Official]
    posts: list[Post]
    allowed: Callable[[Official], tuple[Key, ...]]
    predecessors: int
    successors: int


def _split_evenly(total: int, parts: int, spread: int, rng: np.random.Generator) -> np.ndarray:
    sizes = total // parts + rng.integers(-spread, spread + 1, parts)
    diff = total - int(sizes.sum())
    sizes += diff // parts
    sizes[: diff % parts] += 1
    return sizes


def build_instance(seed: int, units: int, n_officials: int) -> Instance:
    rng = np.random.default_rng(seed)
    staff = _split_evenly(n_officials, units, 60, rng)
    # Slots = staff ± up to 40 per merged unit, the same 20,000 in total: some units short, some over.
    slots = staff + _split_evenly(0, units, 40, rng)
    if slots.min() < MIN_CANDIDATE_SLOTS:
        raise SystemExit(f"seed {seed}: a merged unit has fewer than {MIN_CANDIDATE_SLOTS} slots")

    officials: list[Official] = []
    posts: list[Post] = []
    successors: dict[str, list[str]] = {}
    n_pred = n_succ = 0
    for g in range(units):
        center = (rng.uniform(*LAT_RANGE), rng.uniform(*LON_RANGE))
        preds = [f"m{g:02d}-old{k}" for k in range(int(rng.integers(2, 6)))]
        succs = [f"m{g:02d}-new{k}" for k in range(int(rng.integers(1, 4)))]
        n_pred += len(preds)
        n_succ += len(succs)
        for pred in preds:
            successors[pred] = succs
        seats = {s: GeoPoint(*(np.array(center) + rng.uniform(-0.03, 0.03, 2))) for s in succs}

        remaining = int(slots[g])
        restricted_room = remaining - MIN_CANDIDATE_SLOTS
        k = 0
        while remaining:
            quota = min(int(rng.integers(1, 21)), remaining)
            remaining -= quota
            unit = succs[int(rng.integers(len(succs)))]
            grade_min, grade_max = GRADE_RANGES[int(rng.choice(len(GRADE_RANGES), p=GRADE_RANGE_P))]
            required: frozenset[str] = frozenset()
            if rng.random() < 0.15 and quota <= restricted_room:
                required = frozenset({RESTRICTING[int(rng.integers(len(RESTRICTING)))]})
                restricted_room -= quota
            desired = frozenset(rng.choice(SKILLS, size=int(rng.integers(1, 5)), replace=False).tolist())
            posts.append(
                Post(
                    id=f"{unit}-p{k:03d}",
                    unit_id=unit,
                    quota=quota,
                    location=seats[unit],
                    grade_min=grade_min,
                    grade_max=grade_max,
                    required_qualifications=required,
                    desired_skills=desired,
                )
            )
            k += 1

        n = int(staff[g])
        far = rng.random(n) < 0.10
        lat = np.where(far, rng.uniform(*LAT_RANGE, n), center[0] + rng.normal(0, 0.07, n))
        lon = np.where(far, rng.uniform(*LON_RANGE, n), center[1] + rng.normal(0, 0.07, n))
        lat = np.clip(lat, *LAT_RANGE)
        lon = np.clip(lon, *LON_RANGE)
        grade = rng.choice(5, size=n, p=GRADE_P) + 1
        years = rng.integers(0, 36, n)
        for i in range(n):
            majors = rng.choice(MAJORS, size=int(rng.integers(1, 3)), replace=False).tolist()
            quals = {f"major:{m}" for m in majors}
            quals.update(c for c, share in CERTIFICATES.items() if rng.random() < share)
            skills = rng.choice(SKILLS, size=int(rng.integers(2, 7)), replace=False).tolist()
            officials.append(
                Official(
                    id=f"m{g:02d}-o{i:04d}",
                    qualifications=frozenset(quals),
                    skills=frozenset(skills),
                    experience_years=int(years[i]),
                    grade=int(grade[i]),
                    home=GeoPoint(float(lat[i]), float(lon[i])),
                    unit_id=preds[int(rng.integers(len(preds)))],
                )
            )
    allowed = allowed_from_succession(posts, successors)
    return Instance(officials, posts, allowed, n_pred, n_succ)


def pin_to_one_core(cpu: int | None) -> str:
    available = sorted(os.sched_getaffinity(0))
    chosen = cpu if cpu is not None else available[0]
    os.sched_setaffinity(0, {chosen})
    return f"pinned to CPU {chosen} of {available} (os.sched_setaffinity); OMP/OPENBLAS/MKL threads = 1"


def describe(placement: Placement) -> str:
    reasons = Counter(u.reason.value for u in placement.unplaced)
    unplaced = ", ".join(f"{r} {c:,}" for r, c in sorted(reasons.items())) or "none"
    mean = placement.total_fit / max(placement.placed, 1)
    totals = f"placed {placement.placed:,}, total fit {placement.total_fit:,} (mean {mean:.2f})"
    return f"{totals}; unplaced: {unplaced}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20251022)
    parser.add_argument("--cpu", type=int, default=None, help="core to pin to (default: first allowed)")
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--officials", type=int, default=20_000)
    args = parser.parse_args()

    print(f"placement benchmark, seed {args.seed}")
    print(pin_to_one_core(args.cpu))

    started = time.perf_counter()
    instance = build_instance(args.seed, args.units, args.officials)
    t_build = time.perf_counter() - started
    officials, posts, allowed = instance.officials, instance.posts, instance.allowed
    slots = sum(p.quota for p in posts)
    print(
        f"instance: {args.units} merged units ({instance.predecessors} former → {instance.successors} "
        f"successor units), {len(officials):,} officials, {len(posts):,} posts, {slots:,} slots"
    )

    started = time.perf_counter()
    optimal = propose_placement(officials, posts, allowed)
    t_solve = time.perf_counter() - started

    started = time.perf_counter()
    greedy = greedy_placement(officials, posts, allowed)
    t_greedy = time.perf_counter() - started

    started = time.perf_counter()
    certificate = verify_optimality(optimal, officials, posts, allowed)
    t_proof = time.perf_counter() - started

    # Instance facts, outside every timing.
    pairs = candidate_pairs(officials, posts, allowed)
    quota = np.array([p.quota for p in posts])
    eligible_slots = np.bincount(pairs.official, weights=quota[pairs.post], minlength=len(officials))
    post_index = {p.id: j for j, p in enumerate(posts)}
    slots_of_unit: dict[Key | None, int] = {}
    for o in officials:
        if o.unit_id not in slots_of_unit:
            slots_of_unit[o.unit_id] = int(sum(quota[post_index[pid]] for pid in allowed(o)))
    allowed_slots = np.array([slots_of_unit[o.unit_id] for o in officials])
    print(
        f"candidate slots per official: allowed min {allowed_slots.min():,} / median "
        f"{int(statistics.median(allowed_slots.tolist())):,} / max {allowed_slots.max():,}; "
        f"meeting the required qualifications min {int(eligible_slots.min()):,} / median "
        f"{int(np.median(eligible_slots)):,}; {len(pairs):,} candidate (official, post) pairs"
    )
    print(f"build instance: {t_build:.2f} s")
    phases = ", ".join(f"{k} {v:.2f} s" for k, v in optimal.timings.items())
    print(f"solver (exact assignment per component + integral duals): {t_solve:.2f} s [{phases}]")
    print(f"  {optimal.components} independent components; {describe(optimal)}")
    print(f"greedy (by decreasing fit): {t_greedy:.2f} s")
    print(f"  {describe(greedy)}")
    ratio = optimal.total_fit / greedy.total_fit
    print(
        f"ratio total fit optimal / greedy: {ratio:.4f} (+{optimal.total_fit - greedy.total_fit:,}); "
        f"placed {optimal.placed:,} vs {greedy.placed:,}"
    )
    total = t_build + t_solve
    verdict = "PASS" if total <= TARGET_SECONDS else "FAIL"
    print(f"build + solve: {total:.2f} s (target ≤ {TARGET_SECONDS:.0f} s on one core): {verdict}")
    print(
        f"proof (numpy, {certificate.pairs_checked:,} candidate pairs recomputed): {t_proof:.2f} s: "
        f"{'OPTIMAL' if certificate.ok else 'FAILED ' + '; '.join(certificate.problems)}"
    )
    print(
        f"  weights w = fit + B with B = {optimal.bonus:,} per placed official (placing more comes first); "
        f"min(u_i + v_j − w_ij) = {certificate.min_slack}; u, v ≥ 0; "
        f"Σu + Σq·v = {certificate.dual:,} = Σw = {certificate.primal:,} "
        f"= total fit {optimal.total_fit:,} + B × {optimal.placed:,}"
    )

    # The same instance with the total fit alone as objective (B = 0): the certificate is then
    # literally Σu + Σq·v = total fit.
    started = time.perf_counter()
    fit_only = propose_placement(officials, posts, allowed, maximize_placed=False)
    t_fit_only = time.perf_counter() - started
    started = time.perf_counter()
    cert_fit_only = verify_optimality(fit_only, officials, posts, allowed)
    t_proof_fit_only = time.perf_counter() - started
    print(f"fit-only objective (B = 0): solve {t_fit_only:.2f} s; {describe(fit_only)}")
    print(
        f"  proof {t_proof_fit_only:.2f} s: {'OPTIMAL' if cert_fit_only.ok else 'FAILED'}; "
        f"min slack {cert_fit_only.min_slack}; Σu + Σq·v = {cert_fit_only.dual:,} = total fit "
        f"{fit_only.total_fit:,}; ratio to greedy {fit_only.total_fit / greedy.total_fit:.4f}"
    )
    if not (certificate.ok and cert_fit_only.ok) or verdict != "PASS":
        raise SystemExit(1)


if __name__ == "__main__":
    main()
