"""Placement of officials after a merger: fit score, optimal proposal, greedy baseline, certificate.

Pure module (no ORM, no Django): the apparatus services turn units, posts and officials into the
plain dataclasses below, call `propose_placement`, show the proposal for review, check a leader's
adjusted version with `evaluate_placement`, and apply it through the reorganization service.

The problem (see docs/placement.md): officials i of the dissolved units, posts j of the successor
units with quotas q_j (biên chế), and the allowed pairs (an official may take a post of a successor of
their own former unit) that also meet the post's required qualifications. Choose x_ij ∈ {0, 1} to

    maximise  Σ w_ij x_ij   subject to  Σ_j x_ij ≤ 1 (each official at most one post),
                                        Σ_i x_ij ≤ q_j (quota of each post),

with w_ij = fit_ij + B. The constant bonus B per placement (0 when `maximize_placed=False`) is
large enough that the optimum first places as many officials as any assignment can, then maximises
the total fit among those: a leader must give every official of a dissolved unit a disposition, so an
official is never left out just to raise someone else's fit. The constraint matrix is that of a
bipartite b-matching (totally unimodular), so the LP optimum is integral and its dual

    minimise  Σ u_i + Σ q_j v_j  subject to  u_i + v_j ≥ w_ij on every candidate pair, u, v ≥ 0

has an integral optimum too. `propose_placement` returns the primal optimum and integral duals;
`verify_optimality` checks them in numpy: feasibility, u_i + v_j ≥ w_ij on every candidate pair,
u, v ≥ 0 and Σu + Σ q·v = Σ w over the assignments, which by weak duality proves no assignment
scores more.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final, NamedTuple, TypeAlias

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

Key: TypeAlias = int | str
IntArray: TypeAlias = NDArray[np.int64]
FloatArray: TypeAlias = NDArray[np.float64]

# ---- the fit formula (docs/placement.md explains each weight) -------------------------------------
BASE_POINTS: Final = 50
REQUIRED_QUALIFICATION_POINTS: Final = 30
DESIRED_SKILL_POINTS: Final = 10
POINTS_PER_YEAR: Final = 2
YEARS_CAP: Final = 20
GRADE_IN_RANGE_POINTS: Final = 20
GRADE_STEP_PENALTY: Final = 10
KM_PER_PENALTY_POINT: Final = 2
DISTANCE_PENALTY_CAP: Final = 40
MIN_FIT: Final = 1
EARTH_RADIUS_KM: Final = 6371.0088  # IUGG mean radius

# A component whose official × slot matrix is larger than this is refused: the dense assignment
# needs 8–16 bytes a cell (5,000 × 5,000 ≈ 200–400 MB) and time roughly cubic in its side.
DEFAULT_MAX_CELLS: Final = 25_000_000


class PlacementError(ValueError):
    """The input is inconsistent (duplicate ids, unknown post, bad quota) or too large to solve."""


# ---- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GeoPoint:
    """A point in WGS 84 degrees, e.g. the centroid of a home commune or the seat of a unit."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not (-90.0 <= self.lat <= 90.0 and -180.0 <= self.lon <= 180.0):
            raise PlacementError(f"coordinates out of range: {self.lat}, {self.lon}")


@dataclass(frozen=True, slots=True)
class Official:
    """A civil servant to place.

    `grade` is an ordinal rank, larger = more senior (e.g. 1 nhân viên, 2 cán sự, 3 chuyên viên,
    4 chuyên viên chính, 5 chuyên viên cao cấp). `unit_id` is the former (dissolved) unit, used by
    `allowed_from_succession`; `home` is the home commune's coordinates, `home_commune` its code.
    """

    id: Key
    qualifications: frozenset[str]
    skills: frozenset[str]
    experience_years: int
    grade: int
    home: GeoPoint
    unit_id: Key | None = None
    home_commune: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "qualifications", frozenset(self.qualifications))
        object.__setattr__(self, "skills", frozenset(self.skills))
        if self.experience_years < 0:
            raise PlacementError(f"official {self.id!r}: negative experience")


@dataclass(frozen=True, slots=True)
class Post:
    """A post (vị trí việc làm) of a successor unit with `quota` slots (biên chế).

    An official may hold the post only with every `required_qualifications` item; `desired_skills`
    only add points. [grade_min, grade_max] is the grade range of the post, inclusive.
    """

    id: Key
    unit_id: Key
    quota: int
    location: GeoPoint
    grade_min: int
    grade_max: int
    required_qualifications: frozenset[str] = frozenset()
    desired_skills: frozenset[str] = frozenset()
    title: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "required_qualifications", frozenset(self.required_qualifications))
        object.__setattr__(self, "desired_skills", frozenset(self.desired_skills))
        if self.quota < 0:
            raise PlacementError(f"post {self.id!r}: negative quota")
        if self.grade_min > self.grade_max:
            raise PlacementError(f"post {self.id!r}: grade_min > grade_max")


Allowed: TypeAlias = Mapping[Key, Iterable[Key]] | Callable[[Official], Iterable[Key]]
"""Which posts each official may take: official id → post ids, or a callable official → post ids."""


def allowed_from_succession(
    posts: Sequence[Post], successors: Mapping[Key, Iterable[Key]]
) -> Callable[[Official], tuple[Key, ...]]:
    """Allowed posts = the posts of the successors of the official's former unit.

    `successors` maps a predecessor unit id to its successor unit ids (the N→M links of the
    reorganization). An official without `unit_id`, or whose unit has no successor, gets no post.
    """
    by_unit: dict[Key, list[Key]] = {}
    for post in posts:
        by_unit.setdefault(post.unit_id, []).append(post.id)
    per_unit: dict[Key, tuple[Key, ...]] = {}
    for unit, succ in successors.items():
        per_unit[unit] = tuple(pid for s in dict.fromkeys(succ) for pid in by_unit.get(s, ()))

    def allowed(official: Official) -> tuple[Key, ...]:
        if official.unit_id is None:
            return ()
        return per_unit.get(official.unit_id, ())

    return allowed


# ---- fit -----------------------------------------------------------------------------------------


def _haversine_km(lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray) -> FloatArray:
    phi1 = np.radians(lat1)
    phi2 = np.radians(lat2)
    half_dphi = np.radians(lat2 - lat1) / 2.0
    half_dlambda = np.radians(lon2 - lon1) / 2.0
    a = np.sin(half_dphi) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(half_dlambda) ** 2
    result: FloatArray = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    return result


def _distance_penalty(distance_km: FloatArray) -> IntArray:
    steps = np.floor_divide(distance_km, float(KM_PER_PENALTY_POINT)).astype(np.int64)
    return np.minimum(steps, DISTANCE_PENALTY_CAP)


def distance_km(a: GeoPoint, b: GeoPoint) -> float:
    """Great-circle (haversine) distance in km, by the same numpy code the solver uses."""
    d = _haversine_km(np.array([a.lat]), np.array([a.lon]), np.array([b.lat]), np.array([b.lon]))
    return float(d[0])


def distance_penalty(a: GeoPoint, b: GeoPoint) -> int:
    """min(40, ⌊haversine km / 2⌋): one point per full 2 km from home, capped at 40 (80 km)."""
    d = _haversine_km(np.array([a.lat]), np.array([a.lon]), np.array([b.lat]), np.array([b.lon]))
    return int(_distance_penalty(d)[0])


def missing_qualifications(official: Official, post: Post) -> frozenset[str]:
    """Required qualifications of `post` that `official` lacks (empty = eligible)."""
    return post.required_qualifications - official.qualifications


def is_eligible(official: Official, post: Post) -> bool:
    return not missing_qualifications(official, post)


def fit(official: Official, post: Post) -> int:
    """Integer fit of `official` for `post` (≥ 1); the reference definition.

        fit = max(1, 50
                     + 30 × required qualifications held
                     + 10 × desired skills held
                     +  2 × min(years of experience, 20)
                     + (20 if grade_min ≤ grade ≤ grade_max else −10 × grade steps outside the range)
                     −  min(40, ⌊haversine(home, post location) in km / 2⌋))

    The score is defined for every pair; a pair is a *candidate* only if it is allowed and the
    official holds every required qualification (`is_eligible`): a post's required qualifications
    are a hard rule (job-position standards, Decree 62/2020/NĐ-CP), never traded for points.
    Because every candidate scores ≥ 1, an optimal or greedy placement never leaves an official out
    while one of their eligible posts has a free slot.
    """
    required_held = len(post.required_qualifications & official.qualifications)
    skills_held = len(post.desired_skills & official.skills)
    years = min(official.experience_years, YEARS_CAP)
    steps_off = max(post.grade_min - official.grade, 0) + max(official.grade - post.grade_max, 0)
    grade_points = GRADE_IN_RANGE_POINTS if steps_off == 0 else -GRADE_STEP_PENALTY * steps_off
    score = (
        BASE_POINTS
        + REQUIRED_QUALIFICATION_POINTS * required_held
        + DESIRED_SKILL_POINTS * skills_held
        + POINTS_PER_YEAR * years
        + grade_points
        - distance_penalty(official.home, post.location)
    )
    return max(MIN_FIT, score)


# ---- candidate pairs (vectorised fit) -----------------------------------------------------------


@dataclass(frozen=True)
class CandidatePairs:
    """Every allowed and eligible (official, post) pair with its fit, sorted by (official, post).

    Indices refer to positions in the `officials` and `posts` sequences. `allowed_posts[i]` and
    `eligible_posts[i]` count the distinct posts allowed to official i and, of those, the ones whose
    required qualifications they hold.
    """

    official: IntArray
    post: IntArray
    fit: IntArray
    allowed_posts: IntArray
    eligible_posts: IntArray

    def __len__(self) -> int:
        return int(self.official.shape[0])


def _index_ids(items: Sequence[Official | Post], what: str) -> dict[Key, int]:
    index: dict[Key, int] = {}
    for position, item in enumerate(items):
        if item.id in index:
            raise PlacementError(f"duplicate {what} id {item.id!r}")
        index[item.id] = position
    return index


def _packed_sets(sets: Sequence[frozenset[str]], vocabulary: Mapping[str, int]) -> NDArray[np.uint8]:
    """Each set as a row of bits over `vocabulary` (unknown members ignored), packed into bytes."""
    bits = np.zeros((len(sets), max(len(vocabulary), 1)), dtype=bool)
    for row, members in enumerate(sets):
        for member in members:
            column = vocabulary.get(member)
            if column is not None:
                bits[row, column] = True
    packed: NDArray[np.uint8] = np.packbits(bits, axis=1)
    return packed


def _allowed_indices(
    officials: Sequence[Official], post_index: Mapping[Key, int], allowed: Allowed
) -> tuple[IntArray, IntArray]:
    getter: Callable[[Official], Iterable[Key]]
    if isinstance(allowed, Mapping):
        mapping = allowed

        def getter(official: Official) -> Iterable[Key]:
            return mapping.get(official.id, ())
    else:
        getter = allowed
    # The same immutable tuple is typically returned for every official of one former unit.
    cache: dict[int, tuple[object, IntArray]] = {}
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    for i, official in enumerate(officials):
        ids = getter(official)
        hit = cache.get(id(ids))
        if hit is not None and hit[0] is ids:
            columns = hit[1]
        else:
            try:
                columns = np.fromiter((post_index[p] for p in ids), dtype=np.int64)
            except KeyError as exc:
                raise PlacementError(f"official {official.id!r}: unknown post {exc.args[0]!r}") from None
            if isinstance(ids, tuple | frozenset):
                cache[id(ids)] = (ids, columns)
        if columns.size:
            rows.append(np.full(columns.size, i, dtype=np.int64))
            cols.append(columns)
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    m = max(len(post_index), 1)
    key = np.sort(np.concatenate(rows) * m + np.concatenate(cols))  # by (official, post)
    key = key[np.concatenate(([True], key[1:] != key[:-1]))]  # a post listed twice counts once
    return key // m, key % m


def pair_fits(
    officials: Sequence[Official], posts: Sequence[Post], official_idx: IntArray, post_idx: IntArray
) -> tuple[IntArray, NDArray[np.bool_]]:
    """Vectorised `fit` and `is_eligible` for the pairs (officials[official_idx[k]], posts[post_idx[k]])."""
    rows = np.asarray(official_idx, dtype=np.int64)
    cols = np.asarray(post_idx, dtype=np.int64)
    qual_vocab = {q: k for k, q in enumerate(sorted({q for p in posts for q in p.required_qualifications}))}
    skill_vocab = {s: k for k, s in enumerate(sorted({s for p in posts for s in p.desired_skills}))}

    official_quals = _packed_sets([o.qualifications for o in officials], qual_vocab)
    post_required = _packed_sets([p.required_qualifications for p in posts], qual_vocab)
    required_held = np.bitwise_count(post_required[cols] & official_quals[rows]).sum(axis=1, dtype=np.int64)
    required_total = np.bitwise_count(post_required).sum(axis=1, dtype=np.int64)[cols]
    eligible: NDArray[np.bool_] = required_held == required_total

    official_skills = _packed_sets([o.skills for o in officials], skill_vocab)
    post_desired = _packed_sets([p.desired_skills for p in posts], skill_vocab)
    skills_held = np.bitwise_count(post_desired[cols] & official_skills[rows]).sum(axis=1, dtype=np.int64)

    years = np.minimum(np.array([o.experience_years for o in officials], dtype=np.int64), YEARS_CAP)
    grade = np.array([o.grade for o in officials], dtype=np.int64)[rows]
    grade_min = np.array([p.grade_min for p in posts], dtype=np.int64)[cols]
    grade_max = np.array([p.grade_max for p in posts], dtype=np.int64)[cols]
    steps_off = np.maximum(grade_min - grade, 0) + np.maximum(grade - grade_max, 0)
    grade_points = np.where(steps_off == 0, GRADE_IN_RANGE_POINTS, -GRADE_STEP_PENALTY * steps_off)

    distance = _haversine_km(
        np.array([o.home.lat for o in officials], dtype=np.float64)[rows],
        np.array([o.home.lon for o in officials], dtype=np.float64)[rows],
        np.array([p.location.lat for p in posts], dtype=np.float64)[cols],
        np.array([p.location.lon for p in posts], dtype=np.float64)[cols],
    )
    score = (
        BASE_POINTS
        + REQUIRED_QUALIFICATION_POINTS * required_held
        + DESIRED_SKILL_POINTS * skills_held
        + POINTS_PER_YEAR * years[rows]
        + grade_points
        - _distance_penalty(distance)
    )
    fits: IntArray = np.maximum(score, MIN_FIT).astype(np.int64)
    return fits, eligible


def candidate_pairs(officials: Sequence[Official], posts: Sequence[Post], allowed: Allowed) -> CandidatePairs:
    """Allowed pairs that meet the post's required qualifications, with their fit (see `fit`).

    Raises PlacementError on duplicate ids or an allowed post id that is not in `posts`.
    """
    _index_ids(officials, "official")
    post_index = _index_ids(posts, "post")
    rows, cols = _allowed_indices(officials, post_index, allowed)
    allowed_posts = np.bincount(rows, minlength=len(officials)).astype(np.int64)
    fits, eligible = pair_fits(officials, posts, rows, cols)
    rows, cols, fits = rows[eligible], cols[eligible], fits[eligible]
    eligible_posts = np.bincount(rows, minlength=len(officials)).astype(np.int64)
    return CandidatePairs(rows, cols, fits, allowed_posts, eligible_posts)


# ---- results ---------------------------------------------------------------------------------------


class Assignment(NamedTuple):
    official_id: Key
    post_id: Key
    fit: int


class UnplacedReason(StrEnum):
    NO_ALLOWED_POST = "no_allowed_post"  # no successor post at all (no succession link / no posts)
    NOT_QUALIFIED = "not_qualified"  # lacks a required qualification of every allowed post
    QUOTA_SHORT = "quota_short"  # every eligible post is full
    LEFT_OUT = "left_out"  # an eligible post has a free slot (only in a manual placement)


@dataclass(frozen=True)
class Unplaced:
    official_id: Key
    reason: UnplacedReason
    detail: str


@dataclass(frozen=True)
class Placement:
    """A proposed (or reviewed) placement.

    `official_duals` (u) and `post_duals` (v, per post, priced per slot) certify optimality of the
    weights fit + `bonus`; they are None for greedy and manual placements.
    """

    method: str
    assignments: tuple[Assignment, ...]
    unplaced: tuple[Unplaced, ...]
    total_fit: int
    bonus: int = 0
    official_duals: Mapping[Key, int] | None = None
    post_duals: Mapping[Key, int] | None = None
    components: int = 0
    timings: Mapping[str, float] = field(default_factory=dict)

    @property
    def placed(self) -> int:
        return len(self.assignments)

    def post_of(self) -> dict[Key, Key]:
        return {a.official_id: a.post_id for a in self.assignments}


def _unplaced(
    officials: Sequence[Official],
    posts: Sequence[Post],
    pairs: CandidatePairs,
    assigned_post: IntArray,
    load: IntArray,
) -> list[Unplaced]:
    quota = np.array([p.quota for p in posts], dtype=np.int64)
    free = (load < quota)[pairs.post]
    eligible_slots = np.bincount(pairs.official, weights=quota[pairs.post], minlength=len(officials))
    with_free_slot = np.zeros(len(officials), dtype=bool)
    with_free_slot[pairs.official[free]] = True
    result: list[Unplaced] = []
    for i in np.flatnonzero(assigned_post < 0).tolist():
        official = officials[i]
        n_allowed = int(pairs.allowed_posts[i])
        n_eligible = int(pairs.eligible_posts[i])
        if n_allowed == 0:
            result.append(
                Unplaced(official.id, UnplacedReason.NO_ALLOWED_POST, "no post of a successor unit")
            )
        elif n_eligible == 0:
            detail = f"lacks a required qualification of each of the {n_allowed} allowed posts"
            result.append(Unplaced(official.id, UnplacedReason.NOT_QUALIFIED, detail))
        elif not with_free_slot[i]:
            detail = f"all {int(eligible_slots[i])} slots of the {n_eligible} eligible posts are taken"
            result.append(Unplaced(official.id, UnplacedReason.QUOTA_SHORT, detail))
        else:
            detail = f"an eligible post among {n_eligible} still has a free slot"
            result.append(Unplaced(official.id, UnplacedReason.LEFT_OUT, detail))
    return result


def _build(
    method: str,
    officials: Sequence[Official],
    posts: Sequence[Post],
    pairs: CandidatePairs,
    assigned_post: IntArray,
    assigned_fit: IntArray,
    *,
    bonus: int = 0,
    official_duals: Mapping[Key, int] | None = None,
    post_duals: Mapping[Key, int] | None = None,
    components: int = 0,
    timings: Mapping[str, float] | None = None,
) -> Placement:
    placed = np.flatnonzero(assigned_post >= 0)
    load = np.bincount(assigned_post[placed], minlength=len(posts)).astype(np.int64)
    assignments = tuple(
        Assignment(officials[i].id, posts[j].id, f)
        for i, j, f in zip(
            placed.tolist(), assigned_post[placed].tolist(), assigned_fit[placed].tolist(), strict=True
        )
    )
    unplaced = _unplaced(officials, posts, pairs, assigned_post, load)
    if method != "manual" and any(u.reason is UnplacedReason.LEFT_OUT for u in unplaced):
        # Cannot happen: every candidate pair has fit ≥ 1, so a free eligible slot would raise the total.
        raise AssertionError(f"{method} placement left an official out beside a free eligible slot")
    total = int(assigned_fit[placed].sum())
    return Placement(
        method,
        assignments,
        tuple(unplaced),
        total,
        bonus=bonus,
        official_duals=official_duals,
        post_duals=post_duals,
        components=components,
        timings=dict(timings or {}),
    )


# ---- optimal placement ----------------------------------------------------------------------------


def _component_duals(
    weight: IntArray, candidate: NDArray[np.bool_], assigned: IntArray, quota: IntArray
) -> tuple[IntArray, IntArray]:
    """Integral optimal duals (u, v) for an optimal assignment of one component.

    Complementary slackness as difference constraints over u_i, p_j = −v_j and a zero node z:
    p_j ≤ u_i − w_ij (candidate pair), u_i ≤ p_j + w_ij (assigned pair), z ≤ u_i, u_i ≤ z (unplaced),
    p_j ≤ z, z ≤ p_j (post not full). Bellman–Ford from a virtual source (all distances 0) gives a
    solution iff no negative cycle exists, i.e. iff the assignment is optimal; u − z and z − p are then
    the duals. Integer arithmetic throughout, so the certificate is exact.
    """
    n, m = weight.shape
    far = np.int64(2**61)
    w_candidate = np.where(candidate, weight, -far)
    placed = assigned >= 0
    placed_rows = np.flatnonzero(placed)
    placed_posts = assigned[placed]
    placed_weight = weight[placed_rows, placed_posts]
    load = np.bincount(placed_posts, minlength=m)
    not_full = load < quota
    u = np.zeros(n, dtype=np.int64)
    p = np.zeros(m, dtype=np.int64)
    z = np.int64(0)
    for _ in range(n + m + 3):
        new_p = np.minimum(np.minimum(p, (u[:, None] - w_candidate).min(axis=0)), z)
        new_u = np.where(placed, u, np.minimum(u, z))
        new_u[placed_rows] = np.minimum(u[placed_rows], new_p[placed_posts] + placed_weight)
        new_z = min(z, new_u.min(initial=z), new_p[not_full].min(initial=z))
        if new_z == z and np.array_equal(new_u, u) and np.array_equal(new_p, p):
            break
        u, p, z = new_u, new_p, new_z
    else:
        raise PlacementError("dual potentials do not converge: the assignment is not optimal")
    return u - z, z - p


def propose_placement(
    officials: Sequence[Official],
    posts: Sequence[Post],
    allowed: Allowed,
    *,
    maximize_placed: bool = True,
    max_cells: int = DEFAULT_MAX_CELLS,
) -> Placement:
    """Optimal placement: as many officials placed as possible, then the largest total fit.

    With `maximize_placed=False` the objective is the total fit alone (an official may then stay
    out when placing them would cost others more fit than they bring).

    Method: candidate pairs (allowed ∧ eligible) with vectorised fits; the bipartite graph splits
    into independent components (for a merger: the officials of the merged units and the posts of
    their successors); each component is an assignment problem over official × slot (posts repeated
    by quota, capped at the number of candidates) solved exactly by scipy's
    `linear_sum_assignment` (shortest augmenting paths, LAPJV); then integral duals are derived by
    Bellman–Ford (see `_component_duals`). Raises PlacementError on bad input or a component with
    more than `max_cells` official × slot cells.
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    pairs = candidate_pairs(officials, posts, allowed)
    n, m = len(officials), len(posts)
    quota = np.array([p.quota for p in posts], dtype=np.int64)
    timings["candidate_pairs"] = time.perf_counter() - started

    started = time.perf_counter()
    graph = coo_matrix(
        (np.ones(len(pairs), dtype=np.int8), (pairs.official, n + pairs.post)), shape=(n + m, n + m)
    )
    _, labels = connected_components(graph, directed=False)
    pair_label = labels[pairs.official]
    order = np.argsort(pair_label, kind="stable")
    bounds = np.flatnonzero(np.diff(pair_label[order])) + 1
    groups = np.split(order, bounds) if len(pairs) else []
    largest = max((np.unique(pairs.official[g]).size for g in groups), default=0)
    max_fit = int(pairs.fit.max(initial=MIN_FIT))
    # B ≥ (F − 1)·K with K ≥ the size of any matching in a component makes one more placement worth
    # more than any fit lost elsewhere: (k+1)(B+1) > k(B+F) for k < K.
    bonus = (max_fit - MIN_FIT) * largest if maximize_placed else 0
    timings["components"] = time.perf_counter() - started

    assigned_post = np.full(n, -1, dtype=np.int64)
    assigned_fit = np.zeros(n, dtype=np.int64)
    u_all = np.zeros(n, dtype=np.int64)
    v_all = np.zeros(m, dtype=np.int64)
    t_assign = t_duals = 0.0
    for group in groups:
        started = time.perf_counter()
        rows_global, rows = np.unique(pairs.official[group], return_inverse=True)
        cols_global, cols = np.unique(pairs.post[group], return_inverse=True)
        nc, mc = rows_global.size, cols_global.size
        fits = np.zeros((nc, mc), dtype=np.int64)
        fits[rows, cols] = pairs.fit[group]
        candidate = np.zeros((nc, mc), dtype=bool)
        candidate[rows, cols] = True
        weight = np.where(candidate, fits + bonus, 0)
        q = quota[cols_global]
        # Slots beyond the number of candidates of a post can never be used.
        q_eff = np.minimum(q, candidate.sum(axis=0))
        slot_post = np.repeat(np.arange(mc), q_eff)
        if nc * slot_post.size > max_cells:
            raise PlacementError(
                f"component of {nc} officials × {slot_post.size} slots exceeds {max_cells} cells"
            )
        local_post = np.full(nc, -1, dtype=np.int64)
        if slot_post.size:
            r, c = linear_sum_assignment(weight.astype(np.float64)[:, slot_post], maximize=True)
            chosen = slot_post[c]
            real = candidate[r, chosen]  # zero-weight cells are not pairs: such an official stays out
            local_post[r[real]] = chosen[real]
        t_assign += time.perf_counter() - started

        started = time.perf_counter()
        u, v = _component_duals(weight, candidate, local_post, q)
        t_duals += time.perf_counter() - started
        placed = local_post >= 0
        assigned_post[rows_global[placed]] = cols_global[local_post[placed]]
        assigned_fit[rows_global[placed]] = fits[np.flatnonzero(placed), local_post[placed]]
        u_all[rows_global] = u
        v_all[cols_global] = v
    timings["assignment"] = t_assign
    timings["duals"] = t_duals

    return _build(
        "optimal",
        officials,
        posts,
        pairs,
        assigned_post,
        assigned_fit,
        bonus=bonus,
        official_duals=dict(zip((o.id for o in officials), u_all.tolist(), strict=True)),
        post_duals=dict(zip((p.id for p in posts), v_all.tolist(), strict=True)),
        components=len(groups),
        timings=timings,
    )


# ---- greedy baseline ------------------------------------------------------------------------------


def greedy_placement(officials: Sequence[Official], posts: Sequence[Post], allowed: Allowed) -> Placement:
    """Baseline: take candidate pairs by decreasing fit (ties: input order of officials, then posts)
    and assign each whose official is still free and whose post still has a slot."""
    started = time.perf_counter()
    pairs = candidate_pairs(officials, posts, allowed)
    order = np.lexsort((pairs.post, pairs.official, -pairs.fit))
    remaining = [p.quota for p in posts]
    assigned_post = np.full(len(officials), -1, dtype=np.int64)
    assigned_fit = np.zeros(len(officials), dtype=np.int64)
    done = [False] * len(officials)
    to_place = len(officials)
    slots_left = sum(remaining)
    for i, j, f in zip(
        pairs.official[order].tolist(), pairs.post[order].tolist(), pairs.fit[order].tolist(), strict=True
    ):
        if done[i] or remaining[j] == 0:
            continue
        done[i] = True
        remaining[j] -= 1
        assigned_post[i] = j
        assigned_fit[i] = f
        to_place -= 1
        slots_left -= 1
        if to_place == 0 or slots_left == 0:
            break
    timings = {"total": time.perf_counter() - started}
    return _build("greedy", officials, posts, pairs, assigned_post, assigned_fit, timings=timings)


# ---- a reviewed placement ----------------------------------------------------------------------------


def evaluate_placement(
    officials: Sequence[Official],
    posts: Sequence[Post],
    allowed: Allowed,
    chosen: Iterable[tuple[Key, Key]],
) -> Placement:
    """Score a leader's (official id, post id) choice; raises PlacementError if it is not feasible:
    unknown id, an official twice, a pair not allowed or not qualified, or a post over its quota."""
    official_index = _index_ids(officials, "official")
    post_index = _index_ids(posts, "post")
    pairs = candidate_pairs(officials, posts, allowed)
    m = max(len(posts), 1)
    keys = pairs.official * m + pairs.post
    allowed_rows, allowed_cols = _allowed_indices(officials, post_index, allowed)
    allowed_keys = frozenset((allowed_rows * m + allowed_cols).tolist())
    assigned_post = np.full(len(officials), -1, dtype=np.int64)
    assigned_fit = np.zeros(len(officials), dtype=np.int64)
    load = [0] * len(posts)
    for official_id, post_id in chosen:
        if official_id not in official_index:
            raise PlacementError(f"unknown official {official_id!r}")
        if post_id not in post_index:
            raise PlacementError(f"unknown post {post_id!r}")
        i, j = official_index[official_id], post_index[post_id]
        if assigned_post[i] >= 0:
            raise PlacementError(f"official {official_id!r} is placed twice")
        if i * m + j not in allowed_keys:
            raise PlacementError(f"official {official_id!r} cannot take post {post_id!r}: post not allowed")
        k = int(np.searchsorted(keys, i * m + j))
        if k == keys.size or keys[k] != i * m + j:
            missing = ", ".join(sorted(missing_qualifications(officials[i], posts[j])))
            raise PlacementError(f"official {official_id!r} cannot take post {post_id!r}: lacks {missing}")
        load[j] += 1
        if load[j] > posts[j].quota:
            raise PlacementError(f"post {post_id!r} is over its quota of {posts[j].quota}")
        assigned_post[i] = j
        assigned_fit[i] = pairs.fit[k]
    return _build("manual", officials, posts, pairs, assigned_post, assigned_fit)


# ---- certificate ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Certificate:
    """Result of `verify_optimality`. `ok` holds iff `problems` is empty.

    primal = Σ (fit + bonus) over the assignments; dual = Σu + Σ quota·v; min_slack is the smallest
    u_i + v_j − (fit_ij + bonus) over every candidate pair (≥ 0 when the duals are feasible).
    """

    ok: bool
    pairs_checked: int
    primal: int | float
    dual: int | float
    min_slack: int | float
    problems: tuple[str, ...]


def check_certificate(
    pair_official: IntArray,
    pair_post: IntArray,
    pair_weight: IntArray,
    quota: IntArray,
    assigned_official: IntArray,
    assigned_post: IntArray,
    u: NDArray[np.int64] | NDArray[np.float64],
    v: NDArray[np.int64] | NDArray[np.float64],
    *,
    tolerance: float = 1e-6,
) -> Certificate:
    """Check an assignment and duals against the weighted b-matching LP, in numpy.

    Exact with integer duals; with float duals each inequality and the equality hold within
    `tolerance`. Checks: assignments are candidate pairs, no official twice, loads ≤ quota,
    u ≥ 0, v ≥ 0, u_i + v_j ≥ w_ij on every candidate pair, Σu + Σ quota·v = Σ w of the assignments.
    """
    problems: list[str] = []
    m = max(int(quota.size), 1)
    keys = pair_official * m + pair_post
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    chosen = assigned_official * m + assigned_post
    if sorted_keys.size:
        where = np.clip(np.searchsorted(sorted_keys, chosen), 0, sorted_keys.size - 1)
        found = sorted_keys[where] == chosen
    else:
        where = np.zeros(chosen.size, dtype=np.int64)
        found = np.zeros(chosen.size, dtype=bool)
    primal: int | float = pair_weight[order[where[found]]].sum().item() if found.any() else 0
    if not found.all():
        problems.append(f"{int(np.count_nonzero(~found))} assignments are not candidate pairs")
    if np.unique(assigned_official).size != assigned_official.size:
        problems.append("an official is assigned twice")
    load = np.bincount(assigned_post, minlength=quota.size)
    if np.any(load > quota):
        problems.append(f"{int(np.count_nonzero(load > quota))} posts exceed their quota")
    exact = np.issubdtype(u.dtype, np.integer) and np.issubdtype(v.dtype, np.integer)
    tol = 0.0 if exact else tolerance
    if np.any(u < -tol) or np.any(v < -tol):
        problems.append("a dual value is negative")
    slack = u[pair_official] + v[pair_post] - pair_weight
    min_slack = slack.min().item() if slack.size else 0
    if slack.size and min_slack < -tol:
        problems.append(f"{int(np.count_nonzero(slack < -tol))} candidate pairs violate u_i + v_j ≥ w_ij")
    dual = u.sum().item() + (quota * v).sum().item()
    if abs(dual - primal) > (0.0 if exact else tolerance * max(1.0, abs(primal))):
        problems.append(f"dual objective {dual} ≠ primal objective {primal}")
    return Certificate(not problems, int(pair_official.size), primal, dual, min_slack, tuple(problems))


def verify_optimality(
    placement: Placement, officials: Sequence[Official], posts: Sequence[Post], allowed: Allowed
) -> Certificate:
    """Prove `placement` optimal from its duals, recomputing every candidate pair and fit from scratch.

    Also refuses a placement whose reported fits or total differ from the recomputed ones.
    """
    if placement.official_duals is None or placement.post_duals is None:
        return Certificate(False, 0, placement.total_fit, 0, 0, ("the placement carries no dual values",))
    official_index = _index_ids(officials, "official")
    post_index = _index_ids(posts, "post")
    pairs = candidate_pairs(officials, posts, allowed)
    problems: list[str] = []
    try:
        a_official = np.array([official_index[oid] for oid, _, _ in placement.assignments], dtype=np.int64)
        a_post = np.array([post_index[pid] for _, pid, _ in placement.assignments], dtype=np.int64)
        u = np.array([placement.official_duals[o.id] for o in officials])
        v = np.array([placement.post_duals[p.id] for p in posts])
    except KeyError as exc:
        return Certificate(False, 0, placement.total_fit, 0, 0, (f"unknown or missing id {exc.args[0]!r}",))
    quota = np.array([p.quota for p in posts], dtype=np.int64)
    cert = check_certificate(
        pairs.official, pairs.post, pairs.fit + placement.bonus, quota, a_official, a_post, u, v
    )
    # The reported fits must be the formula's.
    m = max(len(posts), 1)
    keys = pairs.official * m + pairs.post
    where = np.searchsorted(keys, a_official * m + a_post).clip(0, max(keys.size - 1, 0))
    if keys.size and a_official.size and np.array_equal(keys[where], a_official * m + a_post):
        reported = np.array([f for _, _, f in placement.assignments], dtype=np.int64)
        if not np.array_equal(reported, pairs.fit[where]):
            problems.append("reported fits differ from the fit formula")
    if sum(f for _, _, f in placement.assignments) != placement.total_fit:
        problems.append("total_fit is not the sum of the assignments' fits")
    expected_primal = placement.total_fit + placement.bonus * placement.placed
    if cert.ok and cert.primal != expected_primal:
        problems.append("primal objective differs from total_fit + bonus × placed")
    if not problems:
        return cert
    return Certificate(
        False, cert.pairs_checked, cert.primal, cert.dual, cert.min_slack, cert.problems + tuple(problems)
    )
