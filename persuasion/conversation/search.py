"""Which plan of Alice's the sender's best response makes her follow: found by a mixed-integer
program, proven by a bound or by trying every plan.

For a pure plan ``sigma`` of Alice's, ``S(sigma)`` is the set of the sender's
plans to which ``sigma`` is Alice's actual response
(:mod:`persuasion.conversation.programs`); the sets ``S(sigma)`` partition
the sender's plans, so the supremum of the sender's utility is the largest
``LP(sigma)`` -- the optimum over ``S(sigma)``'s closure -- over the
``sigma`` with ``S(sigma)`` nonempty.  A :class:`Candidate` is such a
``sigma`` with its exact ``LP(sigma)``, an optimal plan and a plan inside
``S(sigma)`` (the *witness*).

:func:`search` asks the mixed-integer program (HiGHS, exactly verified
incumbent) for a ``sigma``; when ``S(sigma)`` is empty (the program counts
ties in the sender's favour) it tries ``sigma`` with Alice's actual moves
where the optimal plan gives her sets mass 0, then Alice's actual response
to the optimal plan, then cuts ``sigma`` off -- or only the moves of it that
no plan allows at their own set -- and asks again.  The value is
``"exact"`` when the exact branch and bound over Alice's moves, each node an
exact LP relaxation (:func:`branch_and_bound`), proves it within its budget --
at its root alone when the relaxation meets it -- or when every plan of
Alice's was tried (at most :data:`ENUMERATION_LIMIT`); otherwise optimality is the solver's claim
(``"milp-solver"``), or, when the program ran out of time (:data:`MILP_SECONDS`) or of
cuts (:data:`CUTS`) before vouching for a plan, ``"incomplete"``: the value is then the best
``LP(sigma)`` found -- HiGHS's best plan of Alice's when its time ran out among them -- a
lower bound on the supremum.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from fractions import Fraction

from persuasion import deadline
from persuasion.conversation.alice import AliceResponse, best_conversation_rule
from persuasion.conversation.programs import fixed_program, local_program, search_program
from persuasion.conversation.rules import ConversationProfile
from persuasion.conversation.sequences import PlanSpace
from persuasion.lp import solve, solve_mixed

__all__ = [
    "BRANCH_NODES",
    "BRANCH_SECONDS",
    "CUTS",
    "ENUMERATION_LIMIT",
    "MILP_GRACE",
    "MILP_SECONDS",
    "Candidate",
    "Search",
    "actual_response",
    "branch_and_bound",
    "enumerate_plans",
    "margin",
    "search",
    "with_rule",
]

CUTS = 16
"""How many plans of Alice's the mixed-integer program may propose before the search gives up."""

MILP_SECONDS = 20.0
"""The seconds HiGHS may spend on the mixed-integer programs of one best response, in all."""

BRANCH_NODES = 500
"""The most nodes of the exact branch and bound before the value is left to HiGHS's word."""

BRANCH_SECONDS = 10.0
"""The most seconds of the exact branch and bound, likewise."""

ENUMERATION_LIMIT = 4096
"""The most plans of Alice's tried one by one (two exact LPs each, about 5 s for 4096) to prove
the value exact, or that it is not attained."""

Plan = tuple[Fraction, ...]


@dataclass(frozen=True)
class Candidate:
    """A plan ``choice`` of Alice's with ``S(choice)`` nonempty: ``value = LP(choice)``,
    ``optimum`` a plan of the sender's reaching it, ``witness`` one in ``S(choice)``."""

    choice: tuple[int, ...]
    value: Fraction
    optimum: Plan
    witness: Plan


@dataclass(frozen=True)
class Search:
    """What :func:`search` found: optimal candidates, all of them when ``complete`` (every plan
    of Alice's was tried), and how the value is known (``"exact"``, ``"milp-solver"`` or
    ``"incomplete"``, the module docstring)."""

    candidates: tuple[Candidate, ...]
    optimality: str
    complete: bool


def with_rule(profile: ConversationProfile, sender: int, rule: tuple) -> ConversationProfile:
    """``profile`` with ``sender``'s rule replaced by ``rule`` (one entry per feature ``x_B``)."""
    rules = list(profile.rules)
    rules[sender] = tuple(rule)
    return ConversationProfile(tuple(rules))


def margin(space: PlanSpace, choice: tuple[int, ...], floor: Fraction | None = None) -> Plan | None:
    """A plan in ``S(choice)`` (worth at least ``floor`` to the sender), or None when there is
    none: the margin program's optimum ``t*`` is positive exactly when there is one."""
    lp, t = fixed_program(space, choice, strict=True, floor=floor)
    result = solve(lp)
    if result.status != "optimal" or result.value <= 0:
        return None
    return result.x[: space.size]


def _closure(space: PlanSpace, choice: tuple[int, ...]) -> tuple[Fraction, Plan] | None:
    """``LP(choice)`` and an optimal plan, or None when no plan has ``choice`` weakly best."""
    result = solve(fixed_program(space, choice)[0])
    if result.status != "optimal":
        return None
    return result.value, result.x[: space.size]


def _candidate(space: PlanSpace, choice: tuple[int, ...], above=None) -> Candidate | None:
    """``choice`` as a candidate, or None when ``S(choice)`` is empty or ``LP(choice)`` is
    below ``above``."""
    closure = _closure(space, choice)
    if closure is None or (above is not None and closure[0] < above):
        return None
    witness = margin(space, choice)
    return None if witness is None else Candidate(choice, closure[0], closure[1], witness)


def actual_response(space: PlanSpace, profile: ConversationProfile, plan: Plan) -> AliceResponse:
    """Alice's actual response (:mod:`persuasion.conversation.alice`) to the sender's ``plan``."""
    rules = with_rule(profile, space.sender, space.rule(plan, profile))
    return best_conversation_rule(space.game, rules)


def _settled_at_zero(choice: tuple[int, ...], played: AliceResponse) -> tuple[int, ...]:
    """``choice`` with Alice's actual moves ``played`` where her sets have mass 0.  There every
    value is 0: the plan ``played`` answers keeps ``choice``'s moves weakly best elsewhere, and
    its value to the sender, so the new plan of Alice's has the same ``LP`` (and more often a
    nonempty ``S``)."""
    return tuple(
        played.choice[k] if b >= 0 and not played.mass[k] else b for k, b in enumerate(choice)
    )


def _ruled_out(space: PlanSpace, choice: tuple[int, ...]) -> set[tuple[int, int]]:
    """The moves of ``choice`` at sets where Alice acts that no plan of the sender's makes her
    take there, whatever she does elsewhere (:func:`~persuasion.conversation.programs.
    local_program`)."""
    out = set()
    for k in space.alice:
        b = choice[k]
        if b != space.first[k]:
            result = solve(local_program(space, k, b)[0])
            if result.status != "optimal" or result.value <= 0:
                out.add((k, b))
    return out


MILP_GRACE = 5.0
"""Seconds past :data:`MILP_SECONDS` before HiGHS, which stops itself at the budget with its best
plan of Alice's so far, is cancelled outright."""


def _propose(
    space: PlanSpace, cuts: list[tuple[int, ...]], banned: frozenset, until: float
) -> tuple | None:
    """The mixed-integer program's best plan of Alice's outside ``cuts``: ``(choice, LP(choice),
    an optimal plan, whether HiGHS finished)`` -- when the monotonic clock passes ``until``,
    HiGHS's best plan so far, unfinished -- or None when it has none, its incumbent fails
    exactly, or no time is left (a deadline set outside that passes stops everything)."""
    seconds = until - time.monotonic()
    if seconds <= 0:
        return None
    lp, z = search_program(space, cuts, banned)
    try:
        with deadline.until(until + MILP_GRACE, time.monotonic):
            result = solve_mixed(lp, z.values(), seconds)
    except deadline.DeadlinePassed:
        deadline.check()  # the caller's deadline, if it is the one that passed
        return None
    if result.status not in ("optimal", "time-limit") or result.x is None:
        return None
    choice = list(space.first)
    for (k, b), j in z.items():
        if result.x[j] == 1:
            choice[k] = b
    return tuple(choice), result.value, result.x[: space.size], result.status == "optimal"


def _milp(space: PlanSpace, profile: ConversationProfile) -> tuple[Candidate, bool]:
    """The best candidate the mixed-integer program leads to, and whether the program vouches
    for it (its best remaining plan of Alice's is no better).

    Alice's actual response to the sender's current rule is the first candidate (a lower
    bound).  A proposed ``sigma`` whose ``S`` is empty is tried again with Alice's actual
    moves where its optimal plan gives her sets mass 0 (:func:`_settled_at_zero`).  If that
    fails too, Alice's actual response to the optimal plan -- a ``sigma'`` with that plan in
    ``S(sigma')`` -- is tried as a candidate, and ``sigma`` is cut off: the moves of it no plan
    allows at their own set are banned, or else ``sigma`` itself."""
    played = actual_response(space, profile, space.plan(profile))
    best = _candidate(space, played.choice)
    if best is None:  # the plan is in S(its actual response): an exact LP says otherwise
        raise RuntimeError("the sender's own plan is not in S(Alice's actual response to it)")
    cuts: list[tuple[int, ...]] = []
    banned: frozenset = frozenset()
    until = time.monotonic() + MILP_SECONDS
    for _ in range(CUTS):
        proposal = _propose(space, cuts, banned, until)
        if proposal is None:
            return best, False
        choice, value, plan, finished = proposal
        if value <= best.value:
            return best, finished
        played = actual_response(space, profile, plan)
        settled = _settled_at_zero(choice, played)
        found = _candidate(space, choice) or _candidate(space, settled)
        if found is not None:
            return found, finished
        other = _candidate(space, played.choice)
        if other is not None and other.value > best.value:
            best = other
        if not finished:
            return best, False
        ruled_out = _ruled_out(space, choice)
        if ruled_out:
            banned |= ruled_out
        else:
            cuts.append(choice)
    return best, False


def search(space: PlanSpace, profile: ConversationProfile) -> Search:
    """The optimal plan(s) of Alice's for the sender (see the module docstring)."""
    found, vouched = _milp(space, profile)
    proven = branch_and_bound(space, found)
    if proven is not None:
        return Search((proven,), "exact", complete=False)
    if space.plan_count <= ENUMERATION_LIMIT:
        return Search(enumerate_plans(space, found), "exact", complete=True)
    return Search((found,), "milp-solver" if vouched else "incomplete", complete=False)


def _integral(space: PlanSpace, z: dict, x) -> tuple[int, ...] | None:
    """The plan of Alice's a relaxation's point ``x`` picks, when every ``z`` is 0 or 1."""
    choice = list(space.first)
    for (k, b), j in z.items():
        if x[j] == 1:
            choice[k] = b
        elif x[j] != 0:
            return None
    return tuple(choice)


def _branching_set(space: PlanSpace, fixed: dict[int, int], z: dict, x) -> int | None:
    """The first live set not in ``fixed`` where ``x``'s ``z`` are fractional, else the first
    not in ``fixed`` (None when every set is fixed)."""
    free = [k for k in space.live if k not in fixed]
    for k in free:
        if any(x[z[k, b]] not in (0, 1) for b in space.order(k)):
            return k
    return free[0] if free else None


def branch_and_bound(space: PlanSpace, incumbent: Candidate) -> Candidate | None:
    """An optimal candidate proven in exact arithmetic, or None past :data:`BRANCH_NODES` nodes
    or :data:`BRANCH_SECONDS`.

    Depth first over Alice's moves, one set at a time; a node's bound is the exact optimum of
    :func:`~persuasion.conversation.programs.search_program`'s relaxation with the node's moves
    fixed, at least ``LP(sigma)`` for every ``sigma`` below it, and a node whose bound is no
    better than the incumbent is pruned (the root alone when the relaxation meets it).  A node
    whose relaxation picks a whole ``sigma`` with ``S(sigma)`` nonempty is settled by it:
    ``LP(sigma)`` is at least the bound."""
    best, stack, until = incumbent, [{}], time.monotonic() + BRANCH_SECONDS
    for _ in range(BRANCH_NODES):
        if not stack:
            return best
        if time.monotonic() > until:
            return None
        fixed = stack.pop()
        lp, z = search_program(space, [], fixed=fixed)
        relaxation = solve(lp)
        if relaxation.status != "optimal" or relaxation.value <= best.value:
            continue
        choice = _integral(space, z, relaxation.x)
        found = None if choice is None else _candidate(space, choice)
        if found is not None:
            best = found if found.value > best.value else best
            continue
        k = _branching_set(space, fixed, z, relaxation.x)
        if k is not None:
            stack.extend({**fixed, k: b} for b in reversed(space.order(k)))
    return best if not stack else None


def enumerate_plans(space: PlanSpace, start: Candidate | None = None) -> tuple[Candidate, ...]:
    """Every plan of Alice's with ``S(sigma)`` nonempty and the largest ``LP(sigma)`` (the
    search's oracle), starting from ``start``'s value when given."""
    best: list[Candidate] = [] if start is None else [start]
    for moves in itertools.product(*(space.order(k) for k in space.live)):
        choice = list(space.first)
        for k, b in zip(space.live, moves, strict=True):
            choice[k] = b
        if start is not None and tuple(choice) == start.choice:
            continue
        found = _candidate(space, tuple(choice), best[0].value if best else None)
        if found is None:
            continue
        if best and found.value > best[0].value:
            best = []
        best.append(found)
    return tuple(best)
