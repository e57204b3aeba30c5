"""Shared helpers for the LP tests: random LPs and an independent brute force."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

from persuasion.lp import LinearProgram

SENSES = ("<=", ">=", "==")


def random_lp(
    rng: random.Random, n: int, m: int, span: int = 3, density: float = 0.7, tiny: bool = False
) -> LinearProgram:
    """A small LP with integer or half-integer data, every sense and some free columns.

    With ``tiny``, every number also gets a random multiple of 1e-17 added:
    near-ties that doubles cannot see.
    """

    def number() -> Fraction:
        jitter = Fraction(rng.randint(-3, 3), 10**17) if tiny else 0
        return Fraction(rng.randint(-2 * span, 2 * span), rng.choice((1, 1, 2))) + jitter

    lp = LinearProgram(sense=rng.choice(("min", "max")))
    for _ in range(n):
        lp.add_variable(objective=number(), free=rng.random() < 0.25)
    for _ in range(m):
        coefficients = {j: number() for j in range(n) if rng.random() < density}
        lp.add_constraint(coefficients, rng.choice(SENSES), number())
    return lp


def rebuilt(lp: LinearProgram, rhs0: Fraction) -> LinearProgram:
    """The same LP through the public API, with the first right-hand side replaced by ``rhs0``."""
    data = lp.freeze()
    out = LinearProgram(sense=data.sense)
    for c, free in zip(data.objective, data.free, strict=True):
        out.add_variable(c, free=free)
    for i, ((cols, vals), sense, b) in enumerate(
        zip(data.rows, data.senses, data.rhs, strict=True)
    ):
        out.add_constraint(dict(zip(cols, vals, strict=True)), sense, rhs0 if i == 0 else b)
    return out


def boxed(lp: LinearProgram, bound: int) -> LinearProgram:
    """A copy with ``-bound <= x_j <= bound`` rows, so the LP is bounded."""
    out = lp.copy()
    for j in range(lp.num_variables):
        out.add_constraint({j: 1}, "<=", bound)
        out.add_constraint({j: 1}, ">=", -bound)
    return out


def _solve_square(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Gauss-Jordan in Fractions; None if singular."""
    n = len(matrix)
    a = [row[:] + [b] for row, b in zip(matrix, rhs, strict=True)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if a[r][col] != 0), None)
        if pivot is None:
            return None
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(n):
            if r != col and a[r][col] != 0:
                f = a[r][col] / a[col][col]
                a[r] = [u - f * v for u, v in zip(a[r], a[col], strict=True)]
    return [a[i][n] / a[i][i] for i in range(n)]


def brute_force_optimum(lp: LinearProgram) -> Fraction | None:
    """Best objective over all vertices (None if there is none).

    Right for LPs whose feasible set is bounded (e.g. :func:`boxed`): a
    nonempty polytope attains its optimum at a vertex, and a vertex is a
    feasible point where ``n`` linearly independent constraints are tight.
    """
    data = lp.freeze()
    n = data.num_variables
    constraints = [
        (dict(zip(cols, vals, strict=True)), sense, Fraction(b))
        for (cols, vals), sense, b in zip(data.rows, data.senses, data.rhs, strict=True)
    ]
    constraints += [({j: 1}, ">=", Fraction(0)) for j in range(n) if not data.free[j]]
    best = None
    for chosen in itertools.combinations(constraints, n):
        point = _solve_square(
            [[Fraction(row.get(j, 0)) for j in range(n)] for row, _, _ in chosen],
            [b for _, _, b in chosen],
        )
        if point is None:
            continue
        feasible = all(
            {"<=": lhs <= b, ">=": lhs >= b, "==": lhs == b}[sense]
            for row, sense, b in constraints
            for lhs in [sum(a * point[j] for j, a in row.items())]
        )
        if feasible:
            value = sum(Fraction(c) * v for c, v in zip(data.objective, point, strict=True))
            if best is None or (value > best if data.sense == "max" else value < best):
                best = value
    return best
