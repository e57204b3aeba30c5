"""A sender's exact best response: the supremum, whether it is attained, and a scheme.

Two steps, each its own module:

1. **Route** (:mod:`persuasion.routes`): the supremum of the sender's utility
   over schemes with at most ``m`` messages, under Alice's fixed tie-break
   (docs/explanation/model.md) -- the obedience LP over inducible response vectors
   (:mod:`persuasion.obedience`), with the set of vectors chosen by
   :mod:`persuasion.limited` when messages are too few.  Routes are peers
   that compute the same exact number; one is picked per problem, or forced.
2. **Attainment** (:mod:`persuasion.attainment`): whether a scheme reaches the
   supremum under Alice's real tie-break, and if not, a scheme within a
   rational ``eta`` of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from persuasion.attainment import attain
from persuasion.lp.pipeline import remembering
from persuasion.obedience import Column
from persuasion.problem import SenderProblem
from persuasion.routes import supremum
from persuasion.supremum import Method, Optimality

if TYPE_CHECKING:
    from persuasion.branch_bound import Tree

__all__ = ["BestResponse", "Column", "best_response"]


@dataclass(frozen=True)
class BestResponse:
    """The outcome of one sender's best-response computation.

    ``value`` is the supremum of the sender's expected utility; ``attained``
    says whether some scheme reaches it under Alice's tie-break (``None``:
    not decided, only when a MILP would have to choose the set); ``columns`` is the scheme
    returned, one message each, and ``achieved`` its actual value (equal to
    ``value`` when attained, at least ``value - eta`` otherwise when an
    approximation was found).  ``route`` names how the inducible vectors were
    found (:data:`persuasion.routes.ROUTES`), ``method`` how the set of vectors
    was chosen, ``optimality`` whether the value is proven exactly or by a MILP
    solver's claim; ``tree`` the exact
    branch-and-bound tree over sets of vectors when that search chose the set
    (:mod:`persuasion.branch_bound`), else None.
    """

    value: Fraction
    attained: bool | None
    columns: tuple[Column, ...]
    achieved: Fraction
    route: str
    method: Method
    optimality: Optimality
    tree: Tree | None = None

    @property
    def shortfall(self) -> Fraction:
        """``value - achieved``: how far the returned scheme is from the supremum."""
        return self.value - self.achieved


def best_response(
    problem: SenderProblem, eta: Fraction = Fraction(1, 1000), route: str | None = None
) -> BestResponse | None:
    """The sender's exact best response in ``problem`` (docs/explanation/model.md).

    Returns the supremum of the sender's utility over schemes with at most
    ``problem.messages`` messages, whether it is attained, and a scheme that
    attains it or whose actual value (Alice's real tie-break) is within
    ``eta`` of it.  None when an Alice floor leaves no scheme at all.
    ``route`` is one of :data:`persuasion.routes.ROUTES` (``"auto"`` picks per problem); None takes
    the one :func:`persuasion.routes.using` set, by default ``"auto"``.
    """
    with remembering():  # the steps ask some exact LPs twice: solved once
        found = supremum(problem, route)
        if found is None:
            return None
        attained, columns = attain(problem, found, eta)
    achieved = found.value if attained else problem.actual_value([phi for _, phi in columns])
    return BestResponse(
        found.value,
        attained,
        tuple(columns),
        achieved,
        found.route,
        found.method,
        found.optimality,
        found.tree,
    )
