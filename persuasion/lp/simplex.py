"""A dense two-phase simplex in exact rationals: the always-correct fallback.

The LP is put in standard form ``A' x' = b' >= 0, x' >= 0`` (free columns
split in two, a slack or surplus column per inequality, rows with a
negative right-hand side negated) with one artificial column per row, so the
artificial columns carry ``B^{-1}`` and hence the duals.  Phase 1 minimises
the sum of the artificials, phase 2 the objective; both use Bland's rule, so
the method terminates.  Slow (every entry is a Fraction), but it needs no
float and no outside solver.
"""

from __future__ import annotations

from fractions import Fraction

from persuasion.deadline import check
from persuasion.lp.model import LPData

Outcome = tuple[
    str, tuple[Fraction, ...] | None, tuple[Fraction, ...] | None, tuple[Fraction, ...] | None
]
"""``(status, x, y, ray)`` with the conventions of :mod:`persuasion.lp.result`."""


class _Tableau:
    """Rows ``[B^{-1} A' | B^{-1} b']`` plus two reduced-cost rows (phase 1 and 2)."""

    def __init__(self, rows: list[list[Fraction]], costs: list[list[Fraction]]):
        self.rows = rows
        m = len(rows)
        width = len(rows[0]) if rows else len(costs[0]) + 1
        self.num_cols = width - 1
        self.basis = list(range(self.num_cols - m, self.num_cols))  # the artificials
        self.objectives = []
        for cost in costs:  # reduced costs c - c_B B^{-1} A', last entry -c_B B^{-1} b'
            z = list(cost) + [Fraction(0)]
            for i, row in enumerate(rows):
                cb = cost[self.basis[i]]
                if cb:
                    z = [zj - cb * rj for zj, rj in zip(z, row, strict=True)]
            self.objectives.append(z)

    def pivot(self, r: int, q: int) -> None:
        row = self.rows[r]
        p = row[q]
        row = self.rows[r] = [v / p for v in row]
        support = [t for t, v in enumerate(row) if v]
        for other in self.rows + self.objectives:
            f = other[q]
            if f and other is not row:
                for t in support:
                    other[t] -= f * row[t]
        self.basis[r] = q

    def entering(self, z: list[Fraction], allowed: int) -> int | None:
        """Bland: the first column (below ``allowed``) with a negative reduced cost."""
        return next((j for j in range(allowed) if z[j] < 0), None)

    def leaving(self, q: int) -> int | None:
        """Bland's ratio test: the row of least ratio, ties to the least basic index."""
        best = None
        for i, row in enumerate(self.rows):
            if row[q] > 0:
                key = (row[-1] / row[q], self.basis[i])
                if best is None or key < best[0]:
                    best = (key, i)
        return None if best is None else best[1]

    def run(self, phase: int, allowed: int) -> int | None:
        """Pivot to optimality; return None, or the entering column of an unbounded ray."""
        z = self.objectives[phase]
        while (q := self.entering(z, allowed)) is not None:
            check()  # a time limit can stop a long exact solve (persuasion.deadline)
            r = self.leaving(q)
            if r is None:
                return q
            self.pivot(r, q)
            z = self.objectives[phase]
        return None


def exact_simplex(data: LPData) -> Outcome:
    """Solve ``data`` exactly; return ``(status, x, y, ray)`` (conventions of
    :mod:`persuasion.lp.result`)."""
    m, n = data.num_constraints, data.num_variables
    split = [(j, s) for j in range(n) for s in ((1, -1) if data.free[j] else (1,))]
    slacks = [
        (i, 1 if sense == "<=" else -1) for i, sense in enumerate(data.senses) if sense != "=="
    ]
    width = len(split) + len(slacks) + m
    rhs = data.rhs
    flip = [(-1 if b < 0 else 1) for b in rhs]
    rows = []
    for i, (cols, vals) in enumerate(data.rows):
        dense = dict(zip(cols, vals, strict=True))
        row = [Fraction(flip[i] * s * dense.get(j, 0)) for j, s in split]
        row += [Fraction(flip[i] * s if k == i else 0) for k, s in slacks]
        row += [Fraction(1 if k == i else 0) for k in range(m)]
        rows.append(row + [Fraction(flip[i] * rhs[i])])
    real = len(split) + len(slacks)
    sign = -1 if data.sense == "max" else 1  # phase 2 minimises sign * c
    cost2 = [Fraction(sign * s * data.objective[j]) for j, s in split] + [Fraction(0)] * (
        width - len(split)
    )
    cost1 = [Fraction(0)] * real + [Fraction(1)] * m
    tableau = _Tableau(rows, [cost1, cost2])

    tableau.run(0, real)
    if tableau.objectives[0][-1] != 0:  # phase-1 optimum -z > 0: infeasible
        farkas = tuple(-flip[i] * (1 - tableau.objectives[0][real + i]) for i in range(m))
        return "infeasible", None, farkas, None
    for r in range(m):  # drive zero artificials out of the basis where possible
        if tableau.basis[r] >= real:
            q = next((j for j in range(real) if tableau.rows[r][j]), None)
            if q is not None:
                tableau.pivot(r, q)

    def structural(values: dict[int, Fraction]) -> tuple[Fraction, ...]:
        x = [Fraction(0)] * n
        for col, (j, s) in enumerate(split):
            x[j] += s * values.get(col, 0)
        return tuple(x)

    entering = tableau.run(1, real)
    point = structural({b: row[-1] for b, row in zip(tableau.basis, tableau.rows, strict=True)})
    if entering is not None:
        direction = {b: -row[entering] for b, row in zip(tableau.basis, tableau.rows, strict=True)}
        direction[entering] = Fraction(1)
        return "unbounded", point, None, structural(direction)
    # min-form duals of the normalised rows are -(reduced cost of the artificial)
    y = tuple(sign * flip[i] * -tableau.objectives[1][real + i] for i in range(m))
    return "optimal", point, y, None
