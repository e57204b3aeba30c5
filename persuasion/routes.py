"""How the supremum of a sender's best response is found: one route among peers.

Every route computes the same exact number -- the supremum of the sender's
utility over schemes with at most ``m`` messages under Alice's fixed
tie-break (docs/explanation/model.md) -- and differs only in how it gets there:

``enumeration``
    the reference: every inducible response vector is found by a depth-first
    search with an exactly certified LP at every node
    (:func:`persuasion.inducible.inducible_responses`).
``cells``
    the same search, each node answered by a float LP whose answer is then
    certified exactly (a witness or Motzkin multipliers checked in integers,
    the reference's exact LP where the floats certify nothing), with learned
    conflicts (:func:`persuasion.cells.certified_responses`): the same list.

The vectors found feed the obedience LP over them (:mod:`persuasion.obedience`,
solved and certified exactly); when the sender has fewer messages than the
optimum needs, the set of at most ``m`` vectors is chosen by
:mod:`persuasion.limited`.  :func:`choose` picks a route per problem; a user
may force one (``--route``).  Whether a scheme *reaches* the supremum is the
next step, :mod:`persuasion.attainment`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from fractions import Fraction

from persuasion.cells import certified_responses
from persuasion.inducible import inducible_responses
from persuasion.limited import SET_SEARCH, Found, before_the_lp, limited_supremum
from persuasion.lp import solve
from persuasion.obedience import Candidate, best_response_program
from persuasion.problem import ResponseVector, SenderProblem
from persuasion.room import good_solution, room
from persuasion.route_names import ROUTES, SET_SEARCHES
from persuasion.supremum import Supremum
from persuasion.support import reduce_support

ENUMERATIONS: dict[str, Callable[[SenderProblem], list[ResponseVector]]] = {
    "enumeration": inducible_responses,
    "cells": certified_responses,
}
"""Each route's way of listing every inducible response vector (all exact)."""


_ROUTE: ContextVar[str] = ContextVar("persuasion_route", default="auto")
"""The route a best response takes when none is passed (:func:`using`)."""


@contextlib.contextmanager
def using(route: str, set_search: str = "auto") -> Iterator[None]:
    """Within the block, every best response without an explicit route takes ``route``, and chooses
    a limited sender's set of vectors by ``set_search`` (:data:`persuasion.limited.SET_SEARCH`).

    How ``--route`` and ``--set-search`` reach the best responses inside
    ``solve``, ``verify`` and ``certify`` without every function in between
    passing them on, as :func:`decimal.localcontext` does for precision
    (context variables: other threads and asyncio tasks keep their own).
    """
    if route not in ROUTES:
        raise ValueError(f"unknown route {route!r}; the routes are {', '.join(ROUTES)}")
    if set_search not in SET_SEARCHES:
        raise ValueError(
            f"unknown set search {set_search!r}; the set searches are {', '.join(SET_SEARCHES)}"
        )
    token, search_token = _ROUTE.set(route), SET_SEARCH.set(set_search)
    try:
        yield
    finally:
        SET_SEARCH.reset(search_token)
        _ROUTE.reset(token)


def choose(problem: SenderProblem) -> str:
    """The route expected to be fastest for ``problem``: ``cells``.

    Measured on every catalog instance's problems and on generated ones up to
    16 situations with 4 features (``docs/explanation/performance.md``),
    ``cells`` was 7 to 37 times faster than ``enumeration``, never slower:
    even a one-situation problem pays a fresh exact LP per node on the
    reference route.  Where the floats certify nothing, ``cells`` answers
    the node by the reference's own exact LP, so no problem needs the other.
    """
    return "cells"


def supremum(problem: SenderProblem, route: str | None = None) -> Supremum | None:
    """The supremum of the sender's utility in ``problem`` by ``route`` (None: the one :func:`using`
    set, by default ``"auto"``); None when an Alice floor leaves no scheme at all."""
    name = route or _ROUTE.get()
    if name == "auto":
        name = choose(problem)
    vectors = ENUMERATIONS[name](problem)
    enough = problem.messages >= problem.num_features + (problem.alice_floor is not None)
    if not enough:
        found = before_the_lp(problem, vectors)
        if found is not None:
            return _limited(problem, found, vectors, name)
    program = best_response_program(problem, vectors)
    result = solve(program.lp)
    if result.status == "infeasible" and problem.alice_floor is not None:
        return None
    if result.status != "optimal":
        raise RuntimeError(
            f"best-response LP is {result.status}; it is always feasible and bounded"
        )
    value, method, optimality = result.value, "lp", "exact"
    optimum = reduce_support(problem, program.columns(result.x, vectors))
    support, candidates, tree = [r for r, _ in optimum], [program.usable(result, vectors)], None
    if enough and problem.floor_strict and good_solution(problem, vectors, None) is None:
        return None  # the LP's floor is weak: no scheme gives Alice strictly more than the floor
    # With an Alice floor, even enough messages approach the LP's optimum only through schemes that
    # meet the floor: when the optimum's vectors have no room under it, the sets with room decide,
    # as when messages are few.
    if (not enough or problem.alice_floor is not None) and (
        len(optimum) > problem.messages or room(problem, support) is None
    ):
        found = limited_supremum(problem, vectors, ceiling=value)
        return (
            None if found is None else _limited(problem, found, vectors, name, value, candidates[0])
        )
    return Supremum(
        value,
        result,
        tuple(optimum),
        tuple(support),
        tuple(candidates),
        tuple(vectors),
        name,
        method,
        optimality,
        tree,
    )


def _limited(
    problem: SenderProblem,
    found: Found,
    vectors: list[ResponseVector],
    route: str,
    unlimited: Fraction | None = None,
    usable: Candidate | None = None,
) -> Supremum:
    """The supremum a limited set search found (:mod:`persuasion.limited`).

    ``unlimited`` is the LP over every vector (None when it was not built,
    :func:`persuasion.limited.before_the_lp`) and ``usable`` where its optima
    may send messages (:meth:`persuasion.obedience.Program.usable`).
    """
    value, result, columns, sets, method, optimality, tree = found
    candidates = [Candidate(tuple(c)) for c in sets]
    if value == unlimited:
        # No scheme beats the LP over every vector, whatever its messages: exact whatever a MILP
        # says, and the set search may have stopped at the first set reaching it.  A scheme
        # attaining it is an optimum of the LP over every vector, so attainment looks at every
        # vector such an optimum may use.
        optimality, candidates = "exact", [usable]
    return Supremum(
        value,
        result,
        tuple(reduce_support(problem, columns)),
        tuple(sets[0]),
        tuple(candidates),
        tuple(vectors),
        route,
        method,
        optimality,
        tree,
    )
