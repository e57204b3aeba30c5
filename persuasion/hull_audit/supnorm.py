"""The sup-norm fit of Definition 1 along an order of the models: the epsilon the theorems use.

``eps_K = min over w in the simplex, c of max_t |sum_{i <= K} w_i U_ti + c - y_t|`` for the
first K models of an order.  The curve is computed in floats by one HiGHS model per order
to which each model is added as a column, every solve warm-started from the previous basis
(adding a column keeps it primal feasible).  The full pool's epsilon is solved and certified
exactly by :func:`persuasion.weighted_alignment.fit_alignment` (:mod:`persuasion.hull_audit.audit`).
"""

from __future__ import annotations

import highspy
import numpy as np

from persuasion.lp.highs import made_quietly


def epsilon_curve(U: np.ndarray, y: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Definition 1's float ``eps_K`` for K = 1..N along ``order`` (non-increasing in K)."""
    n = len(y)
    h = made_quietly()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("presolve", "off")
    inf = highspy.kHighsInf
    h.addVars(2, np.array([-inf, 0.0]), np.array([inf, inf]))  # offset c, eps
    h.changeColCost(1, 1.0)
    # rows 0..n-1: fit - eps <= y; rows n..2n-1: fit + eps >= y; row 2n: sum w = 1
    lower = np.concatenate([np.full(n, -inf), y, [1.0]])
    upper = np.concatenate([y, np.full(n, inf), [1.0]])
    rows = np.arange(2 * n)
    starts = np.arange(0, 4 * n + 1, 2)[:-1]
    index = np.stack([np.zeros(2 * n, dtype=np.int32), np.ones(2 * n, dtype=np.int32)], 1)
    values = np.stack([np.ones(2 * n), np.concatenate([-np.ones(n), np.ones(n)])], 1)
    h.addRows(2 * n, lower[:-1], upper[:-1], 4 * n, starts, index.ravel(), values.ravel())
    h.addRow(1.0, 1.0, 0, np.array([], dtype=np.int32), np.array([]))
    curve = np.empty(len(order))
    column_rows = np.append(rows, 2 * n).astype(np.int32)
    for K, j in enumerate(order):
        column = np.concatenate([U[:, j], U[:, j], [1.0]])
        h.addCol(0.0, 0.0, inf, 2 * n + 1, column_rows, column)
        h.run()
        curve[K] = h.getInfo().objective_function_value
    return np.minimum.accumulate(curve)
