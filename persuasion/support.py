"""Carathéodory support reduction: a scheme with at most ``|X_B|`` messages worth as much.

A basic optimum of the obedience LP needs at most ``|X_B|`` messages; a scheme
built by mixing (:mod:`persuasion.attainment`) may use more.
:func:`reduce_support` removes messages without lowering the sender's value
and without changing which vector any message induces.
"""

from __future__ import annotations

from fractions import Fraction

from persuasion.obedience import Column
from persuasion.problem import SenderProblem


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
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r], strict=True)]
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
    return sum((x * y for x, y in zip(a, b, strict=True)), Fraction(0))


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
            rows = [
                phi + (_dot(problem.alice_column(r), phi),)
                for (r, _), phi in zip(columns, rows, strict=True)
            ]
        lam = _nullspace_vector(rows)
        if lam is None:
            break
        slope = sum(
            (
                weight * _dot(problem.sender_column(r), phi)
                for weight, (r, phi) in zip(lam, columns, strict=True)
            ),
            Fraction(0),
        )
        if slope < 0:
            lam = [-weight for weight in lam]
        t = min(1 / -weight for weight in lam if weight < 0)
        columns = [
            (r, tuple(p * (1 + t * weight) for p in phi))
            for weight, (r, phi) in zip(lam, columns, strict=True)
            if 1 + t * weight != 0
        ]
    return columns
