"""A sender's exact best response: the supremum, whether it is attained, and a scheme.

The supremum of a sender's utility over all schemes, under Alice's fixed
tie-break, is the obedience LP over inducible response vectors
(:mod:`persuasion.obedience`, :mod:`persuasion.inducible`).  A basic optimum
needs at most ``|X_B|`` messages (Caratheodory; :func:`reduce_support`).
When the sender has fewer messages than an optimum needs, the limited-message
problem is solved exactly by enumerating the sets of response vectors of
that size (each restricted LP certified), or, when there are too many, by a
MILP whose incumbent is re-verified exactly (optimality over the integer
choices is then the MILP solver's claim, and the result says so).

The LP treats ties as if they went the sender's way; under Alice's real
tie-break the supremum may be unattained (Kamenica-Gentzkow's prosecutor,
ties to acquittal: 3/5 is approached, never reached).  :func:`best_response`
decides attainment exactly (:func:`good_solution`) and, when it fails,
returns a scheme whose *actual* value, computed with Alice's real
tie-break, is within a rational ``eta`` of the supremum.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

from persuasion.inducible import inducible_responses, witness
from persuasion.lp import solve, solve_mixed
from persuasion.obedience import FLOOR, best_response_program, column_objective, margin_program
from persuasion.problem import ResponseVector, SenderProblem

SUBSET_LIMIT = 2000
"""Largest number of response-vector sets enumerated exactly before falling back to a MILP."""

Column = tuple[ResponseVector, tuple[Fraction, ...]]
"""One message: the response vector it recommends and ``phi(x_B) = pi(message | x_B)``."""


@dataclass(frozen=True)
class BestResponse:
    """The outcome of one sender's best-response computation.

    ``value`` is the supremum of the sender's expected utility; ``attained``
    says whether some scheme reaches it under Alice's tie-break (``None``:
    not decided, only when a MILP would have to choose the set); ``columns`` is the scheme
    returned, one message each, and ``achieved`` its actual value (equal to
    ``value`` when attained, at least ``value - eta`` otherwise when an
    approximation was found).  ``optimality`` is ``"exact"`` or
    ``"milp-solver"``; ``certificate`` is the exact LP certificate of
    ``value`` (for the program over the chosen response vectors).
    """

    value: Fraction
    attained: bool | None
    columns: tuple[Column, ...]
    achieved: Fraction
    method: str
    optimality: str
    certificate: dict

    @property
    def shortfall(self) -> Fraction:
        """``value - achieved``: how far the returned scheme is from the supremum."""
        return self.value - self.achieved


def _columns(program, x, columns: list[ResponseVector], scale=Fraction(1)) -> list[Column]:
    result = []
    for k, phi_k in enumerate(program.phi):
        phi = tuple(x[v] / scale for v in phi_k)
        if any(phi):
            result.append((columns[k], phi))
    return result


def _nullspace_vector(vectors: list[tuple[Fraction, ...]]) -> list[Fraction] | None:
    """A non-zero ``lam`` with ``sum_k lam_k vectors[k] = 0``, or None if they are independent."""
    n = len(vectors)
    rows = [[vectors[k][i] for k in range(n)] for i in range(len(vectors[0]))]
    pivots: list[int] = []
    r = 0
    for c in range(n):
        p = next((i for i in range(r, len(rows)) if rows[i][c]), None)
        if p is None:
            continue
        rows[r], rows[p] = rows[p], rows[r]
        inv = 1 / rows[r][c]
        rows[r] = [v * inv for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c]:
                f = rows[i][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r])]
        pivots.append(c)
        r += 1
    free = next((c for c in range(n) if c not in pivots), None)
    if free is None:
        return None
    lam = [Fraction(0)] * n
    lam[free] = Fraction(1)
    for i, c in enumerate(pivots):
        lam[c] = -rows[i][free]
    return lam


def _dot(a, b) -> Fraction:
    return sum((x * y for x, y in zip(a, b)), Fraction(0))


def reduce_support(problem: SenderProblem, columns: list[Column]) -> list[Column]:
    """Drop messages until the columns ``phi_k`` are linearly independent (so at most ``|X_B|``).

    Caratheodory's argument: if ``sum_k lam_k phi_k = 0``, rescaling every
    column by ``1 + t lam_k`` keeps the scheme a distribution, keeps every
    column in its own obedience cone (strict constraints stay strict), and
    changes the value linearly in ``t``; moving in the non-decreasing
    direction until a factor reaches 0 removes a message.  With an Alice
    floor the dependency must also leave Alice's value unchanged, so one more
    message may remain (at most ``|X_B| + 1``).
    """
    columns = list(columns)
    while columns:
        rows = [phi for _, phi in columns]
        if problem.alice_floor is not None:  # also keep Alice's value, so the floor still holds
            rows = [phi + (_dot(problem.alice_column(r), phi),) for (r, _), phi in zip(columns, rows)]
        lam = _nullspace_vector(rows)
        if lam is None:
            break
        slope = sum(
            (l * sum((c * p for c, p in zip(column_objective(problem, r), phi)), Fraction(0))
             for l, (r, phi) in zip(lam, columns)),
            Fraction(0),
        )
        if slope < 0:
            lam = [-l for l in lam]
        t = min(1 / -l for l in lam if l < 0)
        columns = [
            (r, tuple(p * (1 + t * l) for p in phi))
            for l, (r, phi) in zip(lam, columns)
            if 1 + t * l != 0
        ]
    return columns


def good_solution(problem: SenderProblem, columns: list[ResponseVector], value: Fraction | None) -> list[Column] | None:
    """A scheme over ``columns`` in which every message induces its vector under the real tie-break.

    With ``value`` given, the scheme must also reach that sender value (the
    supremum is then attained).  Returns None when no such scheme exists:
    each round of :func:`persuasion.obedience.margin_program` removes the
    columns that are zero or on the boundary in every feasible scheme, until
    every remaining column is non-zero with room (found) or nothing is left (none exists).
    """
    columns = list(columns)
    while columns:
        program = margin_program(problem, columns, value)
        result = solve(program.lp)
        if result.status != "optimal":
            return None
        if FLOOR in program.z and result.x[program.z[FLOOR]] == 0:
            return None  # no feasible scheme gives Alice strictly more than the floor
        stuck = {k for k, z in program.z.items() if k != FLOOR and result.x[z] == 0}
        if not stuck:
            return _columns(program, result.x, columns, scale=result.x[program.tau])
        columns = [r for k, r in enumerate(columns) if k not in stuck]
    return None


def _within(problem: SenderProblem, columns: list[Column], target: Fraction) -> bool:
    """Is ``columns`` a usable scheme worth at least ``target`` under Alice's real tie-break?"""
    phis = [phi for _, phi in columns]
    return len(columns) <= problem.messages and problem.meets_floor(phis) and problem.actual_value(phis) >= target


HALVINGS = 64
"""Halvings of ``e`` tried before :func:`_approximation` jumps to the scale of ``eta`` (a tiny
``--eta`` such as ``1e-9999`` needs far more than 64 halvings), then as many again."""


def _approximation(problem: SenderProblem, value: Fraction, eta: Fraction, mixer) -> list[Column] | None:
    """Halve ``e`` until the scheme ``mixer(e)`` is within ``eta / 2`` of ``value`` under Alice's real
    tie-break, then prefer a nearby scheme with short numbers that is still within ``eta``
    (:func:`_rounded`): best-response dynamics feed each scheme into the others' programs, and long
    numerators would compound from round to round."""
    e = Fraction(1)
    for step in range(2 * HALVINGS):
        mix = reduce_support(problem, mixer(e))
        if _within(problem, mix, value - eta / 2):
            for denominator in ROUNDING:
                rounded = _rounded(problem, mix, denominator)
                if rounded is not None and _within(problem, rounded, value - eta):
                    return rounded
            return mix
        if step == HALVINGS - 1:  # the shortfall shrinks with e: jump to where it would be eta / 2
            shortfall = value - problem.actual_value([phi for _, phi in mix])
            if shortfall > eta / 2:
                e *= eta / (2 * shortfall)
        e /= 2
    return None


ROUNDING = (10, 100, 1000, 10**4, 10**6, 10**9)
"""Denominators tried, in order, for the probabilities of an eta-approximate scheme."""


def _rounded(problem: SenderProblem, columns: list[Column], denominator: int) -> list[Column] | None:
    """The scheme with every probability rounded to a multiple of ``1/denominator`` (rows still sum to 1)."""
    nb = problem.num_features
    rows = []
    for xb in range(nb):
        row = [Fraction(round(phi[xb] * denominator), denominator) for _, phi in columns]
        largest = max(range(len(row)), key=row.__getitem__)
        row[largest] += 1 - sum(row)
        if row[largest] < 0:
            return None
        rows.append(row)
    phis = [tuple(rows[xb][k] for xb in range(nb)) for k in range(len(columns))]
    return _merge(problem, [phi for phi in phis if any(phi)])


def _towards_witnesses(problem: SenderProblem, optimum: list[Column]):
    """``e -> (1 - e) phi* + e (witnesses, then full revelation of the rest)``, as actual columns.

    Each optimal column is pulled towards a message ``x0_r`` that induces its
    vector strictly (:func:`persuasion.inducible.witness`), with weight
    ``e / |support|``; what is left of the distribution is revealed outright.
    Every column then induces exactly what it recommends, so the value tends
    to the supremum as ``e`` falls.  Needs up to ``|support| + |X_B|``
    messages before :func:`reduce_support` brings them to ``|X_B|``.
    """
    n = len(optimum)
    witnesses = [witness(problem, list(enumerate(r))) for r, _ in optimum]

    def mixer(e: Fraction) -> list[Column]:
        columns = [
            tuple((1 - e) * p + e * w / n for p, w in zip(phi, x0))
            for (_, phi), x0 in zip(optimum, witnesses)
        ]
        rest = [1 - sum(c[xb] for c in columns) for xb in range(problem.num_features)]
        for xb, left in enumerate(rest):
            if left:
                columns.append(tuple(left if j == xb else Fraction(0) for j in range(problem.num_features)))
        return _merge(problem, columns)

    return mixer


def _towards_room(problem: SenderProblem, optimum: list[Column], room: list[Column]):
    """``e -> (1 - e) phi* + e psi``: ``psi`` uses every vector of the optimum's set, each strictly induced."""
    best = dict(optimum)

    def mixer(e: Fraction) -> list[Column]:
        return _merge(problem, [
            tuple((1 - e) * p + e * q for p, q in zip(best.get(r, (0,) * len(psi)), psi)) for r, psi in room
        ])

    return mixer


def _merge(problem: SenderProblem, columns: list[tuple[Fraction, ...]]) -> list[Column]:
    """Label columns with the vector Alice actually follows; merge columns that share one."""
    merged: dict[ResponseVector, tuple[Fraction, ...]] = {}
    for phi in columns:
        r = tuple(problem.response_at(t, phi) for t in range(problem.num_situations))
        old = merged.get(r)
        merged[r] = phi if old is None else tuple(a + b for a, b in zip(old, phi))
    return list(merged.items())


def _room(problem: SenderProblem, vectors: list[ResponseVector]) -> list[Column] | None:
    """A scheme using every vector of ``vectors``, each strictly induced; None if there is none."""
    good = good_solution(problem, vectors, None)
    if good is None or len(good) < len(vectors):
        return None
    return good


def _with(core: list[ResponseVector], vectors: list[ResponseVector], m: int):
    """Every non-empty set of at most ``m`` of ``vectors`` that contains ``core`` (``core`` first)."""
    taken = set(core)
    rest = [r for r in vectors if r not in taken]
    for extra in range(m - len(core) + 1):
        for others in itertools.combinations(rest, extra):
            if core or others:
                yield [*core, *others]


def _count_with(core: list[ResponseVector], vectors: list[ResponseVector], m: int) -> int:
    """How many sets :func:`_with` yields."""
    rest = len(vectors) - len(core)
    return sum(math.comb(rest, extra) for extra in range(m - len(core) + 1)) - (not core)


def _limited(problem: SenderProblem, vectors: list[ResponseVector]):
    """Supremum with at most ``m = problem.messages`` messages.

    A scheme's messages, merged by the vector Alice actually follows, induce
    a set ``S`` of at most ``m`` vectors *with room*: one scheme over ``S``
    in which every column is non-zero and strictly induced (:func:`_room`).
    Conversely, when ``S`` has room, mixing it into any point of the
    obedience polytope over ``S`` gives real schemes that approach that
    point, so the supremum is the best LP value ``LP(S)`` over the sets with
    room.  Enumerated exactly while there are at most :data:`SUBSET_LIMIT`
    sets, else chosen by :func:`_milp`.
    """
    m = problem.messages
    if _count_with([], vectors, m) > SUBSET_LIMIT:
        return _milp(problem, vectors)
    best = None
    optimal_sets: list[list[ResponseVector]] = []
    for subset in _with([], vectors, m):
        program = best_response_program(problem, subset)
        result = solve(program.lp)
        if result.status != "optimal" or (best is not None and result.value < best[0]):
            continue
        if _room(problem, subset) is None:
            continue
        if best is None or result.value > best[0]:
            best = (result.value, result, _columns(program, result.x, subset))
            optimal_sets = []
        optimal_sets.append(subset)
    if best is None:
        return None
    value, result, columns = best
    return value, result, columns, optimal_sets, "lp+subsets", "exact"


def _milp(problem: SenderProblem, vectors: list[ResponseVector]):
    """The limited-message supremum by a MILP that picks the set, with cuts; see below why it ends.

    The MILP is the obedience LP over all ``K`` vectors plus a binary
    ``b_k >= phi_k(x_B)`` per vector and ``sum_k b_k <= m``: it maximises
    ``LP(T)`` over the sets ``T = {k : b_k = 1}`` of at most ``m`` vectors
    (its *patterns*) that no cut excludes.  Each round reads the pattern
    ``T`` it returns (exact: :func:`persuasion.lp.solve_mixed` fixes the
    rounded ``b`` and re-solves exactly, so ``T`` satisfies every cut so far)
    and the support ``S`` of its scheme (``S`` within ``T``):

    1. ``T`` has room: its value ``LP(T)`` is exact and approachable; that no
       other pattern is better is the MILP solver's claim (``"milp-solver"``).
    2. Otherwise, if at most :data:`SUBSET_LIMIT` sets of at most ``m``
       vectors contain ``S``, each is checked: the first with room ``U`` is
       returned with its exact ``LP(U)`` (``LP(U) >= LP(S)``, the MILP's
       optimum).  If none has room, the cut ``sum_{k in S} b_k <= |S| - 1``
       removes every pattern containing ``S`` -- none has room, as just
       checked, and ``T`` is one of them.
    3. Otherwise the cut ``sum_{k in T} b_k - sum_{k not in T} b_k <= |T| - 1``
       removes exactly the pattern ``T``, which has no room.

    Termination: there are finitely many patterns (at most the number of
    sets of at most ``m`` vectors); every cut removes the pattern ``T`` just
    returned, which satisfied every earlier cut, so each round that does not
    return removes at least one pattern for good; and no cut ever removes a
    pattern with room.  So the rounds number at most the patterns without
    room, plus one; the MILP then returns a pattern with room, or is
    infeasible exactly when no set has room (only possible under an Alice
    floor: without one, the message that reveals nothing induces Alice's
    response to the prior, a set with room).  Cutting every pattern that
    contains ``S`` without the check of step 2 would be wrong: a set without
    room can gain room with one more vector (every Alice type indifferent at
    the prior, ties against the sender: pooling has no room, pooling plus a
    slight split does).
    """
    m = problem.messages
    program = best_response_program(problem, vectors)
    lp = program.lp
    chosen = []
    for phi_k in program.phi:
        b = lp.add_variable()
        lp.add_constraint({b: 1}, "<=", 1)
        for v in phi_k:
            lp.add_constraint({v: 1, b: -1}, "<=", 0)
        chosen.append(b)
    lp.add_constraint({b: 1 for b in chosen}, "<=", m)
    while True:
        mixed = solve_mixed(lp, integer=chosen)
        if mixed.status == "infeasible":
            return None
        if mixed.status != "optimal":
            raise ValueError(f"limited-message best response: the MILP route {mixed.status}")
        pattern = [k for k, b in enumerate(chosen) if mixed.x[b]]
        chosen_set = [vectors[k] for k in pattern]
        if _room(problem, chosen_set) is not None:
            return mixed.value, mixed.fixed_lp, _columns(program, mixed.x, vectors), [chosen_set], "milp", "milp-solver"
        support = [k for k, phi_k in enumerate(program.phi) if any(mixed.x[v] for v in phi_k)]
        core = [vectors[k] for k in support]
        if _count_with(core, vectors, m) > SUBSET_LIMIT:
            cut, size = {b: (1 if k in pattern else -1) for k, b in enumerate(chosen)}, len(pattern)
        else:
            for subset in _with(core, vectors, m):
                if _room(problem, subset) is not None:
                    sub = best_response_program(problem, subset)
                    result = solve(sub.lp)
                    return result.value, result, _columns(sub, result.x, subset), [subset], "milp", "milp-solver"
            cut, size = {chosen[k]: 1 for k in support}, len(support)
        lp.add_constraint(cut, "<=", size - 1)


def _attaining(problem: SenderProblem, candidates: list[list[ResponseVector]], value: Fraction) -> list[Column] | None:
    """A scheme over one of the ``candidates`` sets that reaches ``value`` under Alice's real tie-break
    (support reduced), or None."""
    for candidate in candidates:
        good = good_solution(problem, candidate, value)
        if good is not None:
            return reduce_support(problem, good)
    return None


def best_response(problem: SenderProblem, eta: Fraction = Fraction(1, 1000)) -> BestResponse | None:
    """The sender's exact best response in ``problem`` (SPEC section 1).

    Returns the supremum of the sender's utility over schemes with at most
    ``problem.messages`` messages, whether it is attained, and a scheme that
    attains it or whose actual value (Alice's real tie-break) is within
    ``eta`` of it.  None when an Alice floor leaves no scheme at all.
    """
    vectors = inducible_responses(problem)
    program = best_response_program(problem, vectors)
    result = solve(program.lp)
    if result.status == "infeasible" and problem.alice_floor is not None:
        return None
    if result.status != "optimal":
        raise RuntimeError(f"best-response LP is {result.status}; it is always feasible and bounded")
    value = result.value
    optimum = reduce_support(problem, _columns(program, result.x, vectors))
    candidates = [vectors]
    method, optimality = "lp", "exact"
    enough = problem.messages >= problem.num_features + (problem.alice_floor is not None)
    support = [r for r, _ in optimum]
    if not enough and (len(optimum) > problem.messages or _room(problem, support) is None):
        limited = _limited(problem, vectors)
        if limited is None:
            return None
        value, result, optimum, candidates, method, optimality = limited
        optimum = reduce_support(problem, optimum)
        support = candidates[0]
    certificate = result.certificate
    phis = [phi for _, phi in optimum]
    if problem.meets_floor(phis) and problem.actual_value(phis) == value:
        return BestResponse(value, True, tuple(optimum), value, method, optimality, certificate)
    attained: bool | None = None
    if optimality == "exact":
        attained = False
        good = _attaining(problem, candidates, value)
        if good is not None and len(good) > problem.messages:
            # Reached only with more messages than the sender has (the "lp" route, too few
            # messages).  A scheme with at most m messages that reaches ``value`` induces a set of
            # at most m vectors with room and LP value ``value``: one of the limited route's
            # optimal sets, so those decide (unless there are too many to enumerate).
            if _count_with([], vectors, problem.messages) <= SUBSET_LIMIT:
                good = _attaining(problem, _limited(problem, vectors)[3], value)
            else:
                good, attained = None, None
        if good is not None:
            return BestResponse(value, True, tuple(good), value, method, optimality, certificate)
    room = _room(problem, support)
    if room is not None:
        mixer = _towards_room(problem, optimum, room)
    else:
        mixer = _towards_witnesses(problem, optimum)
    approx = _approximation(problem, value, eta, mixer) or optimum
    achieved = problem.actual_value([phi for _, phi in approx])
    return BestResponse(value, attained, tuple(approx), achieved, method, optimality, certificate)
