"""Exact KKT certificates of the least-squares fits (issue 12, point 5).

The NNLS and simplex fits minimise ``f(w) = ||U w - y||^2``, a convex quadratic,
so a feasible ``w`` is optimal exactly when the KKT conditions hold: with
``g = U'U w - U'y`` (half the gradient) and ``mu`` the multiplier of
``sum w = 1`` (0 for NNLS),

* feasibility: ``w >= 0`` (and ``sum w = 1`` for the simplex);
* stationarity on the support: ``g_i = mu`` where ``w_i > 0``;
* dual feasibility off it: ``g_i >= mu`` where ``w_i = 0`` (complementarity by construction).

:func:`exact_fit` takes the float fit's support, solves its stationarity
equations in rationals (python-flint) and :func:`check_kkt` verifies all three
conditions on the exact ``G = U'U`` and ``b = U'y``; a certificate is returned
only when they hold, so a tampered ``w`` is rejected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from flint import fmpq, fmpq_mat

from persuasion.rationals import to_fmpq, to_fraction


@dataclass(frozen=True)
class KKTCertificate:
    """An exact optimum of a least-squares fit and its KKT multipliers (checked).

    ``weights`` (one per model), ``mu`` (multiplier of ``sum w = 1``; 0 for NNLS),
    ``mse`` = ``||U w - y||^2 / items``, exact.
    """

    simplex: bool
    weights: tuple[Fraction, ...]
    mu: Fraction
    mse: Fraction


class KKTError(ValueError):
    """The weights fail a KKT condition (the message says which)."""


def gram(exact: Sequence[Sequence[Fraction]], target: Sequence[Fraction]):
    """Exact ``(G, b, y'y)`` of a table (items x models) and its target, as fmpq lists."""
    rows = [[to_fmpq(v) for v in row] for row in exact]
    ys = [to_fmpq(v) for v in target]
    N = len(rows[0])
    A = fmpq_mat(rows)
    G = A.transpose() * A
    Gl = [[G[i, j] for j in range(N)] for i in range(N)]
    b = [sum((row[i] * y for row, y in zip(rows, ys, strict=True)), fmpq(0)) for i in range(N)]
    return Gl, b, sum((y * y for y in ys), fmpq(0))


def check_kkt(G, b, yy, items: int, weights, mu, simplex: bool) -> KKTCertificate:
    """Verify the KKT conditions of ``weights`` exactly; the certificate, or :class:`KKTError`."""
    w = [to_fmpq(Fraction(v)) for v in weights]
    mu = to_fmpq(Fraction(mu))
    if any(v < 0 for v in w):
        raise KKTError("infeasible: a weight is negative")
    if simplex and sum(w, fmpq(0)) != 1:
        raise KKTError("infeasible: the weights do not sum to 1")
    if not simplex and mu != 0:
        raise KKTError("NNLS has no sum constraint: its multiplier must be 0")
    g = [
        sum((G[i][j] * w[j] for j in range(len(w)) if w[j]), fmpq(0)) - b[i] for i in range(len(w))
    ]
    for i, (gi, wi) in enumerate(zip(g, w, strict=True)):
        if wi > 0 and gi != mu:
            raise KKTError(f"stationarity fails at model {i + 1}")
        if wi == 0 and gi < mu:
            raise KKTError(f"dual feasibility fails at model {i + 1}: adding it lowers the error")
    value = sum((wi * (gi + b[i]) for i, (gi, wi) in enumerate(zip(g, w, strict=True))), fmpq(0))
    mse = (value - 2 * sum((b[i] * w[i] for i in range(len(w))), fmpq(0)) + yy) / items
    return KKTCertificate(
        simplex=simplex,
        weights=tuple(to_fraction(v) for v in w),
        mu=to_fraction(mu),
        mse=to_fraction(mse),
    )


def _stationary(G, b, support: Sequence[int], simplex: bool):
    """The exact solution of the stationarity equations on ``support`` (zero off it) and
    ``mu``, or None when they are singular (collinear models)."""
    k = len(support)
    size = k + 1 if simplex else k
    M = fmpq_mat(size, size)
    rhs = fmpq_mat(size, 1)
    for r, i in enumerate(support):
        for c, j in enumerate(support):
            M[r, c] = G[i][j]
        rhs[r, 0] = b[i]
        if simplex:
            M[r, k], M[k, r] = -1, 1
    if simplex:
        rhs[k, 0] = 1
    try:
        sol = M.solve(rhs)
    except ZeroDivisionError:
        return None
    w = [fmpq(0)] * len(b)
    for r, i in enumerate(support):
        w[i] = sol[r, 0]
    return w, (sol[k, 0] if simplex else fmpq(0))


def exact_fit(G, b, yy, items: int, support: Sequence[int], simplex: bool) -> KKTCertificate | None:
    """Solve the stationarity equations on ``support`` exactly and check the KKT conditions.

    A float support can be off by a weight at the rounding level: a weight that comes out
    negative leaves the support, a model whose multiplier is negative joins it, and the
    equations are solved again (at most ``2 N`` times).  An empty NNLS support is ``w = 0``,
    checked like any other (optimal when ``U'y <= 0``).  The answer is whatever
    :func:`check_kkt` certifies; None when no support passes (or the equations are singular).
    """
    support = sorted(support)
    for _ in range(2 * len(b) + 1):
        if support:
            solved = _stationary(G, b, support, simplex)
        else:  # w = 0: the NNLS optimum when no model correlates positively with the target
            solved = None if simplex else ([fmpq(0)] * len(b), fmpq(0))
        if solved is None:
            return None
        w, mu = solved
        negative = [i for i in support if w[i] < 0]
        if negative:
            support = [i for i in support if i not in negative]
            continue
        g = [sum((G[i][j] * w[j] for j in support), fmpq(0)) - b[i] for i in range(len(b))]
        outside = [i for i in range(len(b)) if i not in support and g[i] < mu]
        if not outside:
            fractions = [to_fraction(v) for v in w]
            try:
                return check_kkt(G, b, yy, items, fractions, to_fraction(mu), simplex)
            except KKTError:
                return None
        support = sorted([*support, min(outside, key=lambda i: g[i])])
    return None
