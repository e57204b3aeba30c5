"""Weighted alignment (Definition 1) and its non-negative variant (Remark 2).

Definition 1 asks for weights ``w`` in the simplex, an offset ``c`` and the
smallest ``epsilon`` with

    max_{a, y} | sum_i w_i U_i(a, y) + c - u_A(a, y) | <= epsilon.

Remark 2: Theorems 1 and 6 hold verbatim for any non-negative weights (the
sum only matters in Section D), so the non-negative variant -- ``w >= 0``
with any sum -- gives the smaller epsilon the 2-epsilon bounds may use.  Both
are linear programs, solved exactly with a certificate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from persuasion.lp import LinearProgram, LPResult, solve
from persuasion.model import Instance


@dataclass(frozen=True)
class Alignment:
    """An optimal ``(epsilon, weights, offset)`` and the certificates of its optimality.

    ``zeta`` (over actions x states) and ``kappa`` prove that no weights do
    better: ``sum |zeta| <= 1``, ``sum zeta = 0``, ``zeta . U_i >= kappa``
    for every sender (``kappa = 0`` in the non-negative variant), so for any
    feasible ``(w, c, eps)``, ``eps >= sum zeta (sum_i w_i U_i + c - u_A) >=
    kappa - zeta . u_A = epsilon``.  They are the LP's exact duals;
    :attr:`certificate` is the LP certificate itself, written out only when asked.
    """

    epsilon: Fraction
    weights: tuple[Fraction, ...]
    offset: Fraction
    simplex: bool
    zeta: tuple[tuple[Fraction, ...], ...]
    kappa: Fraction
    result: LPResult = field(compare=False, repr=False)

    @property
    def certificate(self) -> dict:
        """The alignment LP's exact certificate (:func:`persuasion.lp.check_certificate` reads
        it), built on first use: a solve computes alignments and reads none."""
        return self.result.certificate


def weighted_alignment(instance: Instance, *, simplex: bool = True) -> Alignment:
    """The exact minimal alignment error (Definition 1; ``simplex=False`` for Remark 2's
    variant)."""
    utilities = [s.utility for s in instance.senders]
    return fit_alignment(utilities, instance.alice_utility, simplex=simplex)


Matrix = Sequence[Sequence[Fraction]]


def fit_alignment(
    utilities: Sequence[Matrix], target: Matrix, *, simplex: bool = True
) -> Alignment:
    """The exact minimal ``epsilon`` of Definition 1 for utility matrices (actions x states).

    ``utilities[i][a][y]`` is ``U_i(a, y)`` and ``target[a][y]`` is ``u_A(a, y)``; a ratings
    table (:mod:`persuasion.hull_audit`) is one row of items.  ``simplex=False``: Remark 2's
    variant.
    """
    lp = LinearProgram(sense="min")
    weights = [lp.add_variable() for _ in utilities]
    offset = lp.add_variable(free=True)
    epsilon = lp.add_variable(objective=1)
    num_actions, ny = len(target), len(target[0])
    for a in range(num_actions):
        for y in range(ny):
            fit = {w: u[a][y] for w, u in zip(weights, utilities, strict=True) if u[a][y]}
            fit[offset] = Fraction(1)
            lp.add_constraint({**fit, epsilon: Fraction(-1)}, "<=", target[a][y])
            lp.add_constraint({**fit, epsilon: Fraction(1)}, ">=", target[a][y])
    if simplex:
        lp.add_constraint({w: 1 for w in weights}, "==", 1)
    result = solve(lp)
    if result.status != "optimal":
        raise RuntimeError(f"alignment LP is {result.status}; it is always feasible and bounded")
    y = result.y
    zeta = tuple(
        tuple(-(y[2 * (a * ny + s)] + y[2 * (a * ny + s) + 1]) for s in range(ny))
        for a in range(num_actions)
    )
    return Alignment(
        epsilon=result.value,
        weights=tuple(result.x[w] for w in weights),
        offset=result.x[offset],
        simplex=simplex,
        zeta=zeta,
        kappa=y[-1] if simplex else Fraction(0),
        result=result,
    )
