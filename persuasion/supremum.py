"""What a route reports: the supremum of a sender's utility and the optimum that reaches it.

A *route* (:mod:`persuasion.routes`) finds the supremum; the *attainment* step
(:mod:`persuasion.attainment`) then decides whether a scheme reaches it under
Alice's real tie-break.  This record is the hand-over between the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from persuasion.lp import LPResult
from persuasion.obedience import Candidate, Column
from persuasion.problem import ResponseVector

if TYPE_CHECKING:
    from persuasion.branch_bound import Tree

Method = Literal["lp", "lp+subsets", "branch-and-bound", "compact-milp", "milp", "not-selected"]
"""How the set of response vectors was chosen: the obedience LP over all inducible vectors
(enough messages), every set of at most ``m`` vectors, the exact branch and bound over sets
(:mod:`persuasion.branch_bound`), the compact MILP over messages, or a MILP
over vectors that picks the set (:mod:`persuasion.limited`); in the
best-AI selection game (Section E), ``"not-selected"`` is the option of not being chosen,
where nothing is optimised (:func:`persuasion.selection.selection_best_response`)."""

Optimality = Literal["exact", "milp-solver"]
"""``"exact"``: the value is proven the supremum in exact arithmetic; ``"milp-solver"``: that no
other set of vectors is better is the MILP solver's claim (the value itself is exact)."""


@dataclass(frozen=True)
class Supremum:
    """The supremum ``value`` with its exact LP ``result`` (certificate), an optimal scheme.

    ``optimum`` is a support-reduced optimal point of the obedience LP (ties
    counted in the sender's favour); ``support`` is the set of vectors a nearby
    real scheme may mix in; ``candidates`` are the sets over which a scheme
    attaining ``value`` is looked for; ``vectors`` are all inducible vectors;
    ``tree`` is the branch-and-bound tree that proves ``value`` when that
    search chose the set (:meth:`persuasion.branch_bound.Tree.to_witness`).
    """

    value: Fraction
    result: LPResult
    optimum: tuple[Column, ...]
    support: tuple[ResponseVector, ...]
    candidates: tuple[Candidate, ...]
    vectors: tuple[ResponseVector, ...]
    route: str
    method: Method
    optimality: Optimality
    tree: Tree | None = None
