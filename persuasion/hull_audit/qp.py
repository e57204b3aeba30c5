"""Least squares on Gram matrices: non-negative (NNLS) and simplex-constrained, warm-started.

Both fits of Appendix F minimise ``||U w - y||^2``: NNLS over ``w >= 0``, the
simplex fit over ``w >= 0, sum w = 1``.  In terms of ``G = U'U`` and
``b = U'y`` that is ``min w'Gw - 2 b'w``, so the fits never touch the items
again once ``G`` and ``b`` are known: every fold and every K shares one Gram
matrix (:mod:`persuasion.hull_audit.fits`).  The solver is the active-set method of
Lawson and Hanson in Gram form (Bro and De Jong's "fast NNLS"), started from
the previous K's solution with the new model's weight 0 -- usually one or two
passes.  Floats only: :mod:`persuasion.hull_audit.kkt` certifies small fits exactly.
"""

from __future__ import annotations

import numpy as np

TOLERANCE = 1e-10
"""Multiplier below which the active-set method counts a KKT condition as met (relative to the
largest entry of ``G``)."""

_MAX_PASSES = 1000


def _lstsq(A, rhs):
    """``A x = rhs`` (least squares when ``A`` is singular: collinear models)."""
    try:
        return np.linalg.solve(A, rhs)
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(A, rhs, rcond=None)[0]


def _solve_passive(G, b, passive, simplex):
    """The unconstrained minimiser on the passive set (with ``sum w = 1`` for the simplex)."""
    Gp = G[np.ix_(passive, passive)]
    if not simplex:
        return _lstsq(Gp, b[passive]), 0.0
    k = len(passive)
    kkt = np.zeros((k + 1, k + 1))
    kkt[:k, :k], kkt[:k, k], kkt[k, :k] = Gp, -1.0, 1.0
    rhs = np.append(b[passive], 1.0)
    sol = _lstsq(kkt, rhs)
    return sol[:k], sol[k]


def active_set(G: np.ndarray, b: np.ndarray, w0: np.ndarray, simplex: bool) -> np.ndarray:
    """``argmin w'Gw - 2 b'w`` over ``w >= 0`` (and ``sum w = 1`` if ``simplex``), from the
    feasible start ``w0``."""
    w = w0.copy()
    scale = max(float(np.abs(G).max()), 1e-300)
    tol = TOLERANCE * scale
    passive = w > 0
    for _ in range(_MAX_PASSES):
        w, mu = _inner(G, b, w, passive, simplex)
        passive = w > 0
        gradient = b - G @ w + mu  # = -(multipliers of w >= 0) / 2
        gradient[passive] = -np.inf
        j = int(np.argmax(gradient))
        if gradient[j] <= tol:
            return w
        passive[j] = True
    return w


def _inner(G, b, w, passive, simplex):
    """Lawson-Hanson's inner loop: move towards the passive set's minimiser, dropping weights
    that reach 0, until the minimiser is feasible; its multiplier of ``sum w = 1``."""
    for _ in range(len(w) + 1):
        index = np.flatnonzero(passive)
        s, mu = _solve_passive(G, b, index, simplex)
        if np.all(s > 0):
            w = np.zeros_like(w)
            w[index] = s
            return w, mu
        bad = s <= 0
        current = w[index]
        alpha = np.min(current[bad] / (current[bad] - s[bad]))
        w = np.zeros_like(w)
        w[index] = current + alpha * (s - current)
        w[w <= 1e-15] = 0.0
        passive = w > 0
        if not passive.any():  # NNLS at 0
            return w, 0.0
    return w, mu


def nnls(G: np.ndarray, b: np.ndarray, w0: np.ndarray | None = None) -> np.ndarray:
    """Non-negative least squares from Gram form (start ``w0``, default 0)."""
    return active_set(G, b, np.zeros(len(b)) if w0 is None else w0, simplex=False)


def simplex_ls(G: np.ndarray, b: np.ndarray, w0: np.ndarray | None = None) -> np.ndarray:
    """Simplex-constrained least squares from Gram form (start ``w0``, default the best single
    column)."""
    if w0 is None:
        errors = np.diag(G) - 2 * b
        w0 = np.zeros(len(b))
        w0[int(np.argmin(errors))] = 1.0
    return active_set(G, b, w0, simplex=True)
