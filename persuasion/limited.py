"""The supremum when the sender has fewer messages than an optimum needs.

A scheme's messages, merged by the vector Alice actually follows, induce a set
``S`` of at most ``m`` vectors *with room* (:func:`persuasion.room.room`).
Conversely, when ``S`` has room, mixing it into any point of the obedience
polytope over ``S`` gives real schemes that approach that point, so the
supremum is the best LP value ``LP(S)`` over the sets with room.  Up to
:data:`SUBSETS_FIRST` sets they are enumerated (:func:`by_subsets`); past
that an exact branch and bound chooses the set (:func:`by_branch_and_bound`,
:mod:`persuasion.branch_bound`), its value proven by a tree of exact
multipliers.  Only when it gives up (past its node limit) does the choice
fall back: to the enumeration while there are at most :data:`SUBSET_LIMIT`
sets, else to a MILP over vectors (:func:`by_milp`, one binary per vector;
optimality then the solver's claim).  When there are more vectors than the
compact MILP over messages has binaries (messages x situations x actions),
the compact MILP (:func:`by_compact_milp`) is tried first; its choice is
used only when confirmed exactly.  (On a 6-feature problem with 83 vectors,
the compact MILP took 86 s to return a set the exact check rejected: ties it
resolved for the sender were worth 0.71 against an exact 0.59.)  Under
``--set-search milp``, where the LP over every vector is large
(:data:`LARGE_PROGRAM`), the MILPs choose before that LP is built
(:func:`before_the_lp`).

Termination of the MILP route (patterns, ``S``, ``T`` and step 2 as in
:func:`by_milp`): there are finitely many patterns (at most the number of sets
of at most ``m`` vectors); every cut removes the pattern ``T`` just returned,
which satisfied every earlier cut, so each round that does not return removes
at least one pattern for good; and no cut ever removes a pattern with room. So
the rounds number at most the patterns without room, plus one; the MILP then
returns a pattern with room, or is infeasible exactly when no set has room
(only possible under an Alice floor: without one, the message that reveals
nothing induces Alice's response to the prior, a set with room). Cutting every
pattern that contains ``S`` without the check of step 2 would be wrong: a set
without room can gain room with one more vector (every Alice type indifferent
at the prior, ties against the sender: pooling has no room, pooling plus a
slight split does).
"""

from __future__ import annotations

import itertools
import math
from contextvars import ContextVar
from fractions import Fraction

from typing import TYPE_CHECKING

from persuasion.errors import BeyondLimit
from persuasion.lp import LPResult, solve, solve_mixed
from persuasion.obedience import Column, best_response_program, column_bound_program
from persuasion.problem import ResponseVector, SenderProblem
from persuasion.room import good_solution, room

if TYPE_CHECKING:
    from persuasion.branch_bound import Tree

SUBSETS_FIRST = 6
"""Most response-vector sets for which the enumeration is used before the branch and bound
(measured, docs/explanation/performance.md: below this the enumeration's early stop usually
answers in fewer LPs than the branch and bound's root relaxation and rounding)."""

SUBSET_LIMIT = 2000
"""Largest number of response-vector sets enumerated exactly when the branch and bound gives up,
before falling back to a MILP."""

ATTAIN_SETS = 200
"""Most sets enumerated to decide whether the branch and bound's supremum is attained when there are
too many sets to enumerate them all (:func:`_attaining_sets`): one exact LP or more each (measured:
171 sets, 2.3 s)."""

Found = tuple[Fraction, LPResult, list[Column], list[list[ResponseVector]], str, str, "Tree | None"]
"""``(value, exact LP result, optimal columns, candidate sets (an optimal set first), method,
optimality, branch-and-bound tree or None)``."""


def with_core(core: list[ResponseVector], vectors: list[ResponseVector], m: int):
    """Every non-empty set of at most ``m`` of ``vectors`` that contains ``core`` (``core``
    first)."""
    taken = set(core)
    rest = [r for r in vectors if r not in taken]
    for extra in range(m - len(core) + 1):
        for others in itertools.combinations(rest, extra):
            if core or others:
                yield [*core, *others]


def count_with_core(core: list[ResponseVector], vectors: list[ResponseVector], m: int) -> int:
    """How many sets :func:`with_core` yields."""
    rest = len(vectors) - len(core)
    return sum(math.comb(rest, extra) for extra in range(m - len(core) + 1)) - (not core)


SET_SEARCH: ContextVar[str] = ContextVar("persuasion_set_search", default="auto")
"""How :func:`limited_supremum` chooses the set (``--set-search``; :func:`persuasion.routes.using`
sets it)."""


LARGE_PROGRAM = 200_000
"""Obedience rows of the LP over every vector past which ``--set-search milp`` chooses a limited
sender's set without building that LP first (:func:`before_the_lp`). Measured
(docs/explanation/performance.md): at 883,569 rows (366,592 once the rows ``phi >= 0`` implies are
left out) HiGHS takes 30-100 s on that LP alone, where the compact MILP answers in 10-18 s; below
100,000 rows the LP takes a few seconds at most."""


def obedience_row_count(problem: SenderProblem, vectors: list[ResponseVector]) -> int:
    """How many obedience rows the LP over ``vectors`` has
    (:func:`persuasion.obedience.best_response_program`)."""
    per = [
        [len(problem.obedience_rows(t, a, implied=False)) for a in range(problem.num_actions)]
        for t in range(problem.num_situations)
    ]
    return sum(per[t][a] for r in vectors for t, a in enumerate(r))


def before_the_lp(problem: SenderProblem, vectors: list[ResponseVector]) -> Found | None:
    """Under ``--set-search milp``, the MILPs' choice for a sender with too few messages whose LP
    over every vector is large (past :data:`LARGE_PROGRAM` obedience rows), without building that LP
    first; None otherwise.

    The user asked for the solver's word (``"milp-solver"``): the value is
    exact and approachable, but a set within the MILP's tolerance of the
    best may be taken, and the LP over every vector -- which could make the
    answer exact when the set reaches it -- is not built.  ``auto`` never
    comes here: its answers stay exact whatever their cost
    (docs/explanation/performance.md, "The largest limited-message cells").
    """
    if SET_SEARCH.get() != "milp" or obedience_row_count(problem, vectors) <= LARGE_PROGRAM:
        return None
    return by_compact_milp(problem, vectors) or by_milp(problem, vectors)


def limited_supremum(
    problem: SenderProblem, vectors: list[ResponseVector], ceiling: Fraction | None = None
) -> Found | None:
    """The supremum with at most ``problem.messages`` messages; None if no set has room.

    ``ceiling`` is a known upper bound (the LP over every vector): the set
    enumeration stops at the first set with room that reaches it, and only
    that set is returned among the optimal ones.  The set search is the one
    :data:`SET_SEARCH` names: ``enumeration`` and ``milp`` are used as asked,
    ``branch-and-bound`` falls back as ``auto`` does past its node limit.
    """
    search = SET_SEARCH.get()
    count = count_with_core([], vectors, problem.messages)
    if search == "enumeration" and count > SUBSET_LIMIT:
        raise BeyondLimit(
            f"--set-search enumeration: {count} sets of at most {problem.messages} of "
            f"{len(vectors)} response vectors, more than the {SUBSET_LIMIT} it lists; "
            "use auto or branch-and-bound"
        )
    if search == "enumeration" or (search == "auto" and count <= SUBSETS_FIRST):
        return by_subsets(problem, vectors, ceiling)
    if search != "milp":
        found = by_branch_and_bound(problem, vectors, ceiling)
        if found is not None:
            return found
        if count <= SUBSET_LIMIT:
            return by_subsets(problem, vectors, ceiling)
    if len(vectors) > problem.messages * problem.num_situations * problem.num_actions:
        return by_compact_milp(problem, vectors) or by_milp(problem, vectors)
    return by_milp(problem, vectors)


def optimal_sets(
    problem: SenderProblem, vectors: list[ResponseVector]
) -> list[list[ResponseVector]] | None:
    """Every optimal set of at most ``m`` vectors with room; None when there are too many sets to
    enumerate."""
    if count_with_core([], vectors, problem.messages) > SUBSET_LIMIT:
        return None
    found = by_subsets(problem, vectors)
    return [] if found is None else found[3]


def by_subsets(
    problem: SenderProblem, vectors: list[ResponseVector], ceiling: Fraction | None = None
) -> Found | None:
    """Every set of at most ``m`` vectors: the best exact ``LP(S)`` over those with room.

    A set's LP is never worth more than :func:`_greedy_bound` (every
    ``x_B``'s mass sent to its best column, obedience ignored), which needs no
    LP, nor than the sum over its vectors of what one obedient column can be
    worth (:func:`persuasion.obedience.column_bound_program`, one exact LP per
    vector, solved when there are more than twice as many sets as vectors).
    The sets are visited from the largest bound down, and a set whose bound
    is below the best value found is skipped -- it can neither beat nor tie
    it.  The optimal sets and the returned optimum are those the plain
    enumeration order would give (the first optimal set in that order) --
    unless a set reaches ``ceiling``, an upper bound: then the search stops
    there and that set alone is returned.
    """
    subsets = list(with_core([], vectors, problem.messages))
    objective = {r: problem.sender_column(r) for r in vectors}
    bounds = [_greedy_bound([objective[r] for r in subset]) for subset in subsets]
    if len(subsets) > 2 * len(vectors):  # one more LP per vector pays off: a second bound
        alone = {r: solve(column_bound_program(problem, r).lp).value for r in vectors}
        bounds = [
            min(bound, sum((alone[r] for r in subset), Fraction(0)))
            for bound, subset in zip(bounds, subsets, strict=True)
        ]
    best_value = None
    optimal: dict[int, tuple] = {}
    for index in sorted(range(len(subsets)), key=lambda i: -bounds[i]):
        if best_value is not None and bounds[index] < best_value:
            break  # every later set's bound is smaller still
        subset = subsets[index]
        program = best_response_program(problem, subset)
        result = solve(program.lp)
        if result.status != "optimal" or (best_value is not None and result.value < best_value):
            continue
        if room(problem, subset) is None:
            continue
        if best_value is None or result.value > best_value:
            best_value, optimal = result.value, {}
        optimal[index] = (result, program)
        if best_value == ceiling:
            break  # nothing is worth more: the first set reaching the bound is an optimum
    if best_value is None:
        return None
    first = min(optimal)
    result, program = optimal[first]
    sets = [subsets[i] for i in sorted(optimal)]
    return (
        best_value,
        result,
        program.columns(result.x, subsets[first]),
        sets,
        "lp+subsets",
        "exact",
        None,
    )


def by_branch_and_bound(
    problem: SenderProblem, vectors: list[ResponseVector], ceiling: Fraction | None = None
) -> Found | None:
    """The exact branch and bound's optimum (:mod:`persuasion.branch_bound`); None past its node
    limit or when no set has room.

    Its value is exact: every set of at most ``m`` vectors lies in one leaf's
    box, bounded by exact multipliers at most the value or searched set by set.
    The sets handed on are the optimal set found, then those
    :func:`_attaining_sets` finds (for the attainment step) -- unless the value
    reaches ``ceiling``, the LP over every vector, whose own optimum then
    tells the attainment step where to look (:func:`persuasion.routes.supremum`).
    """
    from persuasion.branch_bound import (
        branch_and_bound,
    )  # loaded only where a set is chosen this way

    found = branch_and_bound(problem, vectors)
    if found is None:
        return None
    program = best_response_program(problem, found.chosen)
    columns = program.columns(found.result.x, found.chosen)
    sets = [found.chosen]
    if found.value != ceiling:
        sets += [c for c in _attaining_sets(problem, vectors, found) if c != found.chosen]
    return found.value, found.result, columns, sets, "branch-and-bound", "exact", found.tree


def _attaining_sets(
    problem: SenderProblem, vectors: list[ResponseVector], found
) -> list[list[ResponseVector]]:
    """Sets of at most ``m`` vectors among which lies the support of every scheme with at most ``m``
    messages worth ``found.value`` under Alice's real tie-break, if any; or one set that attains it.

    None is needed when ``found.chosen`` attains the value.  Otherwise such a
    scheme's vectors lie in one of the tree's candidates
    (:attr:`persuasion.branch_bound.Outcome.candidates`), and within the union
    ``U`` of the supports of the schemes worth the value with room over that
    candidate (:func:`persuasion.room.good_solution`).  The ``m`` heaviest
    messages of that scheme are tried first (one LP; measured to find an
    attaining set where one exists on the slow cells of
    docs/explanation/performance.md).  Else, when ``U`` has more than ``m``
    vectors, its optimal sets (:func:`by_subsets`) while ``U`` has at most
    :data:`ATTAIN_SETS` sets or the attainment step would enumerate every set
    anyway (at most :data:`SUBSET_LIMIT`); else ``U`` itself, last, and
    attainment stays undecided.
    """
    value, m = found.value, problem.messages
    if good_solution(problem, found.chosen, value) is not None:
        return [found.chosen]
    every = count_with_core([], vectors, m) <= SUBSET_LIMIT
    sets, larger = [], []
    for candidate in found.candidates:
        good = good_solution(problem, list(candidate.vectors), value, candidate.sent_at)
        if good is None:
            continue
        heaviest = [r for r, _ in sorted(good, key=lambda column: -sum(column[1]))[:m]]
        reached = good_solution(problem, heaviest, value)
        if reached is not None and len(reached) <= m:
            return [[r for r, _ in reached]]
        union = [r for r, _ in good]
        if len(union) <= m:
            sets.append(union)
        elif count_with_core([], union, m) > ATTAIN_SETS and not every:
            larger.append(union)
        else:
            within = by_subsets(problem, union)
            if within is not None and within[0] == value:
                sets += within[3]
    return sets + larger


def _greedy_bound(objectives: list[list[Fraction]]) -> Fraction:
    """``sum_x_B max_k c_k(x_B)``: at least the obedience LP's value over the columns with these
    per-unit values (``sum_k phi_k(x_B) = 1`` and ``phi >= 0``; an Alice floor only lowers it)."""
    return sum(
        (max(column[xb] for column in objectives) for xb in range(len(objectives[0]))), Fraction(0)
    )


def by_compact_milp(problem: SenderProblem, vectors: list[ResponseVector]) -> Found | None:
    """The set the compact MILP picks (:mod:`persuasion.compact_milp`), when exact checks confirm
    it.

    The compact MILP maximises over schemes with ``m`` messages with ties in
    the sender's favour, so HiGHS's bound ``B`` bounds the limited supremum
    from above (up to its tolerance ``tol``).  Its messages recommend a set
    ``S`` of vectors.  ``S`` is accepted when every vector is inducible (one
    of ``vectors``), ``S`` has room, and the exact ``LP(S)`` -- approachable by
    real schemes, so at most the supremum -- is at least ``B - tol``: then
    ``LP(S)`` is the supremum up to the solver's claim (``"milp-solver"``, as
    for :func:`by_milp`).  A message's vector that is not inducible (in a
    situation the message leaves Alice indifferent, the MILP may pick any
    action) is replaced by what Alice actually does at the message's weights
    (the doubles read as exact rationals): that vector is inducible, the
    weights being its witness, and the exact checks above still decide. Otherwise (a tie the MILP
    resolved for the sender, or a solver status other than optimal) None, and the caller falls back.
    """
    from persuasion.compact_milp import compact_milp  # loaded only where a MILP chooses the set

    try:
        found = compact_milp(problem)
    except ValueError:  # numbers beyond doubles even scaled: only the exact routes can take them
        return None
    inducible = set(vectors)
    chosen = list(
        dict.fromkeys(
            r
            if r in inducible
            else tuple(
                problem.response_at(t, [Fraction(p) for p in phi])
                for t in range(problem.num_situations)
            )
            for r, phi in zip(found.responses, found.columns, strict=True)
        )
    )
    if found.status != "optimal" or not chosen or not inducible.issuperset(chosen):
        return None
    program = best_response_program(problem, chosen)
    result = solve(program.lp)
    if result.status != "optimal" or result.value < Fraction(found.bound) - Fraction(
        found.tolerance
    ):
        return None
    if room(problem, chosen) is None:
        return None
    return (
        result.value,
        result,
        program.columns(result.x, chosen),
        [chosen],
        "compact-milp",
        "milp-solver",
        None,
    )


def by_milp(problem: SenderProblem, vectors: list[ResponseVector]) -> Found | None:
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

    Why the rounds end, and why step 2's check is needed: see "Termination of the MILP route"
    in the module docstring.
    """
    m = problem.messages
    program, chosen = _pattern_program(problem, vectors)
    lp = program.lp
    while True:
        mixed = solve_mixed(lp, integer=chosen)
        if mixed.status == "infeasible":
            return None
        if mixed.status != "optimal":
            raise ValueError(f"limited-message best response: the MILP route {mixed.status}")
        pattern = [k for k, b in enumerate(chosen) if mixed.x[b]]
        chosen_set = [vectors[k] for k in pattern]
        if room(problem, chosen_set) is not None:
            return (
                mixed.value,
                mixed.fixed_lp,
                program.columns(mixed.x, vectors),
                [chosen_set],
                "milp",
                "milp-solver",
                None,
            )
        support = [k for k, phi_k in enumerate(program.phi) if any(mixed.x[v] for v in phi_k)]
        core = [vectors[k] for k in support]
        if count_with_core(core, vectors, m) > SUBSET_LIMIT:
            cut, size = {b: (1 if k in pattern else -1) for k, b in enumerate(chosen)}, len(pattern)
        else:
            found = _superset_with_room(problem, core, vectors)
            if found is not None:
                return found
            cut, size = {chosen[k]: 1 for k in support}, len(support)
        lp.add_constraint(cut, "<=", size - 1)


def _pattern_program(problem: SenderProblem, vectors: list[ResponseVector]):
    """:func:`by_milp`'s MILP: the obedience LP over ``vectors`` plus a binary ``b_k >=
    phi_k(x_B)`` per vector and ``sum_k b_k <= m``; returns the program and the ``b_k``."""
    program = best_response_program(problem, vectors)
    lp = program.lp
    chosen = []
    for phi_k in program.phi:
        b = lp.add_variable()
        lp.add_constraint({b: 1}, "<=", 1)
        for v in phi_k:
            lp.add_constraint({v: 1, b: -1}, "<=", 0)
        chosen.append(b)
    lp.add_constraint({b: 1 for b in chosen}, "<=", problem.messages)
    return program, chosen


def _superset_with_room(
    problem: SenderProblem, core: list[ResponseVector], vectors: list[ResponseVector]
) -> Found | None:
    """:func:`by_milp`'s step 2: the first set of at most ``m`` of ``vectors`` containing ``core``
    that has room, with its exact ``LP``; None if no such set has room."""
    for subset in with_core(core, vectors, problem.messages):
        if room(problem, subset) is not None:
            sub = best_response_program(problem, subset)
            result = solve(sub.lp)
            return (
                result.value,
                result,
                sub.columns(result.x, subset),
                [subset],
                "milp",
                "milp-solver",
                None,
            )
    return None
